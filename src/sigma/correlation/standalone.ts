// `generate`: a rule a correlation references alerts only through that correlation, unless one of the
// correlations referencing it says `generate: true`. This holds for chained correlations too.
import type { CompiledCorrelation } from './compiled-correlation.ts';

/** Ids of the rules (detections or correlations) whose own matches must not alert on their own. */
export function correlationOnlyRuleIds(compiled: readonly CompiledCorrelation[]): Set<string> {
  const hidden = new Set<string>();
  const generated = new Set<string>();
  for (const correlation of compiled) {
    for (const ref of correlation.references) (correlation.generate ? generated : hidden).add(ref.id);
  }
  for (const id of generated) hidden.delete(id);
  return hidden;
}
