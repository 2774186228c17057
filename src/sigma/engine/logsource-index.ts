// Routes an event to the rules whose logsource it can satisfy, so a process_creation event never
// reaches a file_event rule. The rule list per distinct logsource is computed once and cached.
import type { Logsource } from '../ast.ts';

export class LogsourceIndex<T extends { logsource: Logsource }> {
  readonly #rules: readonly T[];
  readonly #cache = new Map<string, readonly T[]>();

  constructor(rules: readonly T[]) {
    this.#rules = rules;
  }

  /** Without a logsource, every rule applies (an event stream of unknown origin). */
  rulesFor(logsource: Logsource | undefined): readonly T[] {
    if (!logsource) return this.#rules;
    const product = logsource.product?.toLowerCase();
    const category = logsource.category?.toLowerCase();
    const service = logsource.service?.toLowerCase();
    const key = `${product ?? ''}\u0000${category ?? ''}\u0000${service ?? ''}`;
    let rules = this.#cache.get(key);
    if (!rules) {
      // A rule applies when each of its logsource keys is absent or equal to the event's.
      rules = this.#rules.filter(({ logsource: r }) =>
        (r.product === undefined || r.product === product) &&
        (r.category === undefined || r.category === category) &&
        (r.service === undefined || r.service === service));
      if (this.#cache.size < 1024) this.#cache.set(key, rules);
    }
    return rules;
  }
}
