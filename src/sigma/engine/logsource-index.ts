// Routes an event to the rules whose logsource it can satisfy, so a process_creation event never
// reaches a file_event rule. The plan per distinct logsource is built once and cached.
import type { Logsource } from '../ast.ts';

export class LogsourceIndex<T extends { logsource: Logsource }, P> {
  readonly #rules: readonly T[];
  readonly #plan: (rules: readonly T[]) => P;
  readonly #cache = new Map<string, P>();
  #all: P | undefined;

  constructor(rules: readonly T[], plan: (rules: readonly T[]) => P) {
    this.#rules = rules;
    this.#plan = plan;
  }

  /** Without a logsource, every rule applies (an event stream of unknown origin). */
  rulesFor(logsource: Logsource | undefined): P {
    if (!logsource) return (this.#all ??= this.#plan(this.#rules));
    const product = logsource.product?.toLowerCase();
    const category = logsource.category?.toLowerCase();
    const service = logsource.service?.toLowerCase();
    const key = `${product ?? ''}\u0000${category ?? ''}\u0000${service ?? ''}`;
    let plan = this.#cache.get(key);
    if (plan === undefined) {
      // A rule applies when each of its logsource keys is absent or equal to the event's.
      plan = this.#plan(this.#rules.filter(({ logsource: r }) =>
        (r.product === undefined || r.product === product) &&
        (r.category === undefined || r.category === category) &&
        (r.service === undefined || r.service === service)));
      // Logsources come from events; bound the cache so odd values cannot grow it without end.
      if (this.#cache.size < 256) this.#cache.set(key, plan);
    }
    return plan;
  }
}
