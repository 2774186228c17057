// Routes an event to the rules whose logsource it can satisfy, so a process_creation event never
// reaches a file_event rule. The plan per distinct logsource is built once and cached.
import type { Logsource } from '../ast.ts';

const recentSize = 4;

export class LogsourceIndex<T extends { logsource: Logsource }, P> {
  readonly #rules: readonly T[];
  readonly #plan: (rules: readonly T[]) => P;
  readonly #cache = new Map<string | undefined, Map<string | undefined, Map<string | undefined, P>>>();
  #cached = 0;
  #all: P | undefined;

  constructor(rules: readonly T[], plan: (rules: readonly T[]) => P) {
    this.#rules = rules;
    this.#plan = plan;
  }

  /** The last logsources seen and their plans: a stream has few logsources, and comparing a
   * value string costs less than hashing it for a map lookup (event strings are new each event). */
  readonly #recent: { product: string | undefined; category: string | undefined; service: string | undefined; plan: P }[] = [];
  #recentNext = 0;

  /** Without a logsource, every rule applies (an event stream of unknown origin). */
  rulesFor(logsource: Logsource | undefined): P {
    if (!logsource) return (this.#all ??= this.#plan(this.#rules));
    const { product, category, service } = logsource;
    const recent = this.#recent;
    for (let i = 0; i < recent.length; i++) {
      const r = recent[i]!;
      if (r.category === category && r.product === product && r.service === service) return r.plan;
    }
    const plan = this.#lookup(logsource);
    const entry = { product, category, service, plan };
    if (recent.length < recentSize) recent.push(entry);
    else { recent[this.#recentNext] = entry; this.#recentNext = (this.#recentNext + 1) % recentSize; }
    return plan;
  }

  #lookup(logsource: Logsource): P {
    // Keyed by the values as given (no lower-casing or concatenation on the per-event path).
    const byCategory = this.#cache.get(logsource.product);
    const byService = byCategory?.get(logsource.category);
    let plan = byService?.get(logsource.service);
    if (plan === undefined) {
      const product = logsource.product?.toLowerCase();
      const category = logsource.category?.toLowerCase();
      const service = logsource.service?.toLowerCase();
      // A rule applies when each of its logsource keys is absent or equal to the event's.
      plan = this.#plan(this.#rules.filter(({ logsource: r }) =>
        (r.product === undefined || r.product === product) &&
        (r.category === undefined || r.category === category) &&
        (r.service === undefined || r.service === service)));
      // Logsources come from events; bound the cache so odd values cannot grow it without end.
      if (this.#cached < 256) {
        this.#cached++;
        let categories = this.#cache.get(logsource.product);
        if (!categories) this.#cache.set(logsource.product, (categories = new Map()));
        let services = categories.get(logsource.category);
        if (!services) categories.set(logsource.category, (services = new Map()));
        services.set(logsource.service, plan);
      }
    }
    return plan;
  }
}
