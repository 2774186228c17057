// The rule model after parsing: plain data, no behaviour. Compilation turns it into matchers.

export type Scalar = string | number | boolean | null;

export type Logsource = {
  product?: string;
  category?: string;
  service?: string;
};

/** Descriptive metadata every rule kind carries; alerts and reports show it. */
export type RuleMeta = {
  /** The rule's id, or a stable stand-in derived from the source when it has none. */
  id: string;
  /** The correlation-visible name (`name:` key), if any. */
  name?: string;
  title: string;
  level?: string;
  status?: string;
  description?: string;
  author?: string;
  license?: string;
  tags: string[];
  references: string[];
  falsepositives: string[];
  /** Where the rule came from: file name and 1-based line of its document. */
  source: string;
  line: number;
};

/** One `field|mod1|mod2: values` entry of a selection, or a keyword list when `field` is null. */
export type FieldCondition = {
  field: string | null;
  modifiers: string[];
  values: Scalar[];
  /** Key path inside the rule, and its 1-based line in the source, for diagnostics. */
  keyPath: string;
  line?: number;
};

/** A search identifier: AND of field conditions, or OR of such groups (a list of maps, or keywords). */
export type Selection =
  | { kind: 'and'; conditions: FieldCondition[] }
  | { kind: 'or'; alternatives: Selection[] };

export type Detection = {
  selections: Map<string, Selection>;
  /** One or more conditions; a list is linked with OR. */
  conditions: string[];
};

export type DetectionRule = RuleMeta & {
  kind: 'detection';
  logsource: Logsource;
  detection: Detection;
  fields: string[];
};

export const CorrelationTypes = [
  'event_count', 'value_count', 'temporal', 'temporal_ordered', 'value_sum', 'value_avg', 'value_percentile',
] as const;
export type CorrelationType = (typeof CorrelationTypes)[number];

export const ComparisonOperators = ['gt', 'gte', 'lt', 'lte', 'eq', 'neq'] as const;
export type ComparisonOperator = (typeof ComparisonOperators)[number];

/** A correlation condition: every listed comparison must hold (a range is two of them). */
export type CorrelationCondition = {
  comparisons: { op: ComparisonOperator; value: number }[];
  /** The aggregated field(s) for value_count, value_sum, value_avg, value_percentile. */
  fields: string[];
};

export type CorrelationRule = RuleMeta & {
  kind: 'correlation';
  correlation: {
    type: CorrelationType;
    /** Referenced rule ids or names, in the order given (it matters for temporal_ordered). */
    rules: string[];
    groupBy: string[];
    timespanMs: number;
    condition: CorrelationCondition | null;
    /** alias name -> (rule id or name -> field name in that rule's events). */
    aliases: Map<string, Map<string, string>>;
    /** Whether the referenced rules also alert on their own (default: no). */
    generate: boolean;
  };
};

export type FilterRule = RuleMeta & {
  kind: 'filter';
  logsource: Logsource;
  filter: {
    /** Rule ids or names the filter applies to. */
    rules: string[];
    detection: Detection;
  };
};

export type SigmaRule = DetectionRule | CorrelationRule | FilterRule;
