// Bounds that keep a correlation's cost fixed whatever the content or the event stream says.
// Every figure here is documented in src/sigma/README.md under "Correlations".

/** Default cap on live groups across one engine; the least recently updated group goes first. */
export const defaultMaxGroups = 100_000;
/** Event indexes a firing reports at most (the most recent contributors). */
export const maxFiringIndexes = 32;
/** Time entries per group for event_count / value_sum / value_avg: the window's resolution is timespan / this. */
export const windowSlots = 64;
/** Distinct values a value_count group remembers, at least (raised to just above the largest threshold). */
export const minDistinctValues = 64;
/** The largest threshold a value_count condition may use: it bounds the distinct values kept per group. */
export const maxDistinctThreshold = 10_000;
/** Events a value_percentile group keeps to compute a value's share (the most recent ones in the window). */
export const maxShareEvents = 1_000;
/** Content limits on one correlation section. */
export const maxReferencedRules = 64;
export const maxGroupByFields = 16;
export const maxAliases = 64;
export const maxFieldNameLength = 256;
/** Correlations a single detection match may trigger in a chain before the engine stops following it. */
export const maxChainSteps = 1_000;
