// The health judge's thresholds, with defaults. Passed in by the caller (server config, tests).

export type MetricName = 'cpuPct' | 'rssMb' | 'dropsPerBeat' | 'alertsPerBeat';

export type MetricRule = {
  /** Canary/control median ratio at or above which a significant difference fails the release. */
  failRatio: number;
  /** Ratio at or above which a significant difference is worth a person's look (inconclusive). */
  warnRatio: number;
  /** Added to both medians before the ratio, so 0 → 2 alerts is not an infinite regression. */
  floor: number;
};

export type JudgeConfig = {
  /** Confidence of the Mann-Whitney comparison as a whole: 0.99 means a difference counts when p < 0.01 / 4 (four metrics, Bonferroni). */
  confidence: number;
  /** A p-value below this (but not below 1 - confidence) with a failing ratio pauses instead of passing. */
  marginalPValue: number;
  /** Fewer canary hosts than this with data: the statistics cannot decide (inconclusive). */
  minCanaryHosts: number;
  /** Fewer control hosts than this: the comparison is skipped (only hard limits apply). */
  minControlHosts: number;
  /** A host not heard from for this long is silent. Several heartbeat intervals. */
  silentAfterSeconds: number;
  limits: {
    /** Fraction of canaries gone silent after updating, above the control's, that fails the release. */
    silentExcess: number;
    /** Fraction of canaries with an engine crash or restart, above the control's, that fails it. */
    crashExcess: number;
    /** Fraction of canaries with quarantined rules, above the control's, that fails it. */
    quarantineExcess: number;
    /** Fraction of canaries dropping more than `dropsPerBeat` events per heartbeat, above the control's. */
    dropsExcess: number;
    dropsPerBeat: number;
    /** Mean alerts per canary heartbeat that is a flood whatever the control does. */
    alertFloodPerBeat: number;
  };
  metrics: Record<MetricName, MetricRule>;
};

export const defaultJudgeConfig: JudgeConfig = {
  confidence: 0.99,
  marginalPValue: 0.1,
  minCanaryHosts: 3,
  minControlHosts: 3,
  silentAfterSeconds: 300,
  limits: { silentExcess: 0.01, crashExcess: 0.05, quarantineExcess: 0.05, dropsExcess: 0.1, dropsPerBeat: 10_000, alertFloodPerBeat: 500 },
  metrics: {
    cpuPct: { failRatio: 1.5, warnRatio: 1.15, floor: 1 },
    rssMb: { failRatio: 1.3, warnRatio: 1.1, floor: 16 },
    dropsPerBeat: { failRatio: 2, warnRatio: 1.3, floor: 10 },
    alertsPerBeat: { failRatio: 3, warnRatio: 1.5, floor: 1 },
  },
};

export const metricNames: readonly MetricName[] = ['cpuPct', 'rssMb', 'dropsPerBeat', 'alertsPerBeat'];
