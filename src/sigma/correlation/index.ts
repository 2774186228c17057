// The correlation part of the Sigma engine: parse a `correlation:` section, compile correlations
// against the loaded rules, and run them as a bounded streaming engine.
export { parseCorrelationSection, type CorrelationSection, type ParseCorrelationResult } from './parse-section.ts';
export { parseTimespan, type TimespanResult } from './parse-timespan.ts';
export { compileCorrelations, type CompileCorrelationsResult } from './compile.ts';
export { correlationOnlyRuleIds } from './standalone.ts';
export type { CompiledCorrelation, CorrelationFiring } from './compiled-correlation.ts';
export { createCorrelationEngine, type CorrelationContext, type CorrelationEngine, type CorrelationEngineOptions } from './engine.ts';
export { defaultMaxGroups } from './limits.ts';
