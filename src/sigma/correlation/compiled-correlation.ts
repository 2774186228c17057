// A correlation after its references are resolved: plain, immutable data the engine indexes once.
import type { CorrelationCondition, CorrelationType, RuleMeta } from '../ast.ts';

export type CompiledCorrelation = {
  rule: RuleMeta;
  type: CorrelationType;
  /** The referenced rules (detections or correlations), resolved from id or name, in the order given. */
  references: readonly RuleMeta[];
  /** `group-by` as written: the keys of a firing's `group`. */
  groupBy: readonly string[];
  /** Per reference, the event field that holds each `group-by` entry (aliases resolved). */
  groupFields: readonly (readonly string[])[];
  /** Per reference, the event field(s) `condition.field` reads (aliases resolved); empty without a field. */
  valueFields: readonly (readonly string[])[];
  timespanMs: number;
  /** null: temporal types without a condition, meaning every referenced rule must be seen. */
  condition: CorrelationCondition | null;
  generate: boolean;
};

export type CorrelationFiring = {
  rule: RuleMeta;
  type: CorrelationType;
  group: Record<string, unknown>;
  /** The events that contributed, most recent last, at most `maxFiringIndexes` of them. */
  eventIndexes: number[];
  /** The count, distinct count, sum, average, share or number of rules seen that met the condition. */
  value: number;
  timeMs: number;
};
