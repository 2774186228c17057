// The health judge: compares hosts on the new version (canary) with hosts still on the current one
// (control) over a bake window. Hard limits first (silence after updating, crashes, quarantined rules,
// sensor drops, alert floods), then a Mann-Whitney U comparison per metric. Pure: data and clock in,
// a verdict with all of its evidence out.
import type { JudgeConfig, MetricName } from './judge-config.ts';
import { metricNames } from './judge-config.ts';
import { mannWhitneyGreater, median } from './mann-whitney.ts';

/** One host's heartbeats inside the window, summed. */
export type HostWindow = {
  hostId: string;
  samples: number;
  cpuPctSum: number;
  rssMbSum: number;
  drops: number;
  alerts: number;
  crashes: number;
  restarts: number;
  quarantinedRulesMax: number;
  lastSeenAt: number;
};

/** A host the server told to take the new version, and when it was last heard from at all. */
export type Delivery = { hostId: string; deliveredAt: number; lastSeenAt: number };

export type JudgeInput = {
  now: number;
  windowStart: number;
  canary: readonly HostWindow[];
  control: readonly HostWindow[];
  deliveries: readonly Delivery[];
};

export type HardLimitCheck = {
  name: 'silent-after-update' | 'crashes' | 'quarantined-rules' | 'sensor-drops' | 'alert-flood';
  canary: { hosts: number; affected: number; rate: number };
  control: { hosts: number; affected: number; rate: number };
  limit: string;
  outcome: 'pass' | 'fail';
};

export type MetricComparison = {
  metric: MetricName;
  canaryMedian: number;
  controlMedian: number;
  ratio: number;
  u: number;
  z: number;
  pValue: number;
  superiority: number;
  outcome: 'pass' | 'marginal' | 'fail' | 'insufficient';
};

export type Evidence = {
  window: { from: number; to: number };
  canaryHosts: number;
  controlHosts: number;
  confidence: number;
  hardLimits: HardLimitCheck[];
  metrics: MetricComparison[];
};

export type JudgeVerdict = {
  kind: 'pass' | 'fail' | 'inconclusive';
  reasons: string[];
  evidence: Evidence;
  /** A hard limit failed: grounds to halt at once, mid-bake. Statistics alone wait for the bake's end. */
  hardFailure: boolean;
};

export function judgeHealth(input: JudgeInput, config: JudgeConfig): JudgeVerdict {
  const canary = input.canary.filter((host) => host.samples > 0);
  const control = input.control.filter((host) => host.samples > 0);
  const hardLimits = checkHardLimits(input, canary, control, config);
  const compareStats = canary.length >= config.minCanaryHosts && control.length >= config.minControlHosts;
  const metrics = metricNames.map((metric) => compareMetric(metric, canary, control, config, compareStats));
  const evidence: Evidence = {
    window: { from: input.windowStart, to: input.now }, canaryHosts: canary.length, controlHosts: control.length,
    confidence: config.confidence, hardLimits, metrics,
  };
  const failures = [
    ...hardLimits.filter((check) => check.outcome === 'fail').map(describeHardLimit),
    ...metrics.filter((m) => m.outcome === 'fail').map((m) => describeMetric(m, 'regressed')),
  ];
  const hardFailure = hardLimits.some((check) => check.outcome === 'fail');
  if (failures.length > 0) return { kind: 'fail', reasons: failures, evidence, hardFailure };
  const doubts = metrics.filter((m) => m.outcome === 'marginal').map((m) => describeMetric(m, 'may have regressed'));
  if (canary.length < config.minCanaryHosts) doubts.push(`only ${canary.length} canary host(s) reported in the window; the comparison needs ${config.minCanaryHosts}`);
  if (doubts.length > 0) return { kind: 'inconclusive', reasons: doubts, evidence, hardFailure };
  const passed = [`${canary.length} canary vs ${control.length} control hosts: no hard limit crossed`];
  if (!compareStats) passed.push('too few control hosts for a statistical comparison; hard limits only');
  else passed.push(`no metric regressed at ${config.confidence * 100}% confidence`);
  return { kind: 'pass', reasons: passed, evidence, hardFailure };
}

function checkHardLimits(input: JudgeInput, canary: readonly HostWindow[], control: readonly HostWindow[], config: JudgeConfig): HardLimitCheck[] {
  const silentMs = config.silentAfterSeconds * 1000;
  const limits = config.limits;
  // Only hosts that had time to be missed count: told at least `silentAfter` ago.
  const due = input.deliveries.filter((d) => input.now - d.deliveredAt >= silentMs);
  const silentCanary = due.filter((d) => input.now - d.lastSeenAt >= silentMs).length;
  const silentControl = control.filter((host) => input.now - host.lastSeenAt >= silentMs).length;
  const checks: HardLimitCheck[] = [];
  checks.push(excessCheck('silent-after-update', due.length, silentCanary, control.length, silentControl, limits.silentExcess,
    `silent for ${config.silentAfterSeconds}s after taking the version`));
  checks.push(excessCheck('crashes', canary.length, count(canary, crashed), control.length, count(control, crashed), limits.crashExcess,
    'an engine crash or restart in the window'));
  checks.push(excessCheck('quarantined-rules', canary.length, count(canary, (h) => h.quarantinedRulesMax > 0), control.length,
    count(control, (h) => h.quarantinedRulesMax > 0), limits.quarantineExcess, 'one or more rules quarantined'));
  const dropping = (h: HostWindow) => h.drops / h.samples > limits.dropsPerBeat;
  checks.push(excessCheck('sensor-drops', canary.length, count(canary, dropping), control.length, count(control, dropping), limits.dropsExcess,
    `more than ${limits.dropsPerBeat} dropped events per heartbeat`));
  const flooding = (h: HostWindow) => h.alerts / h.samples > limits.alertFloodPerBeat;
  const floodCanary = count(canary, flooding);
  checks.push({
    name: 'alert-flood', limit: `no more than half the canaries above ${limits.alertFloodPerBeat} alerts per heartbeat`,
    canary: { hosts: canary.length, affected: floodCanary, rate: rate(floodCanary, canary.length) },
    control: { hosts: control.length, affected: count(control, flooding), rate: rate(count(control, flooding), control.length) },
    outcome: canary.length > 0 && floodCanary * 2 > canary.length ? 'fail' : 'pass',
  });
  return checks;
}

function excessCheck(name: HardLimitCheck['name'], canaryHosts: number, canaryAffected: number, controlHosts: number, controlAffected: number, excess: number, what: string): HardLimitCheck {
  const canaryRate = rate(canaryAffected, canaryHosts);
  const controlRate = rate(controlAffected, controlHosts);
  return {
    name, limit: `${what}: canary rate at most the control's + ${(excess * 100).toFixed(1)}%`,
    canary: { hosts: canaryHosts, affected: canaryAffected, rate: canaryRate },
    control: { hosts: controlHosts, affected: controlAffected, rate: controlRate },
    outcome: canaryAffected > 0 && canaryRate > controlRate + excess ? 'fail' : 'pass',
  };
}

function compareMetric(metric: MetricName, canary: readonly HostWindow[], control: readonly HostWindow[], config: JudgeConfig, compare: boolean): MetricComparison {
  const canaryValues = canary.map((host) => metricValue(host, metric));
  const controlValues = control.map((host) => metricValue(host, metric));
  const rule = config.metrics[metric];
  const canaryMedian = median(canaryValues);
  const controlMedian = median(controlValues);
  const ratio = (canaryMedian + rule.floor) / (controlMedian + rule.floor);
  const test = mannWhitneyGreater(canaryValues, controlValues);
  const base = { metric, canaryMedian, controlMedian, ratio, u: test.u, z: test.z, pValue: test.pValue, superiority: test.superiority };
  if (!compare) return { ...base, outcome: 'insufficient' };
  // Bonferroni: four metrics tested at once must not quadruple the chance of failing a good release.
  const alpha = (1 - config.confidence) / metricNames.length;
  if (test.pValue < alpha && ratio >= rule.failRatio) return { ...base, outcome: 'fail' };
  if (test.pValue < alpha && ratio >= rule.warnRatio) return { ...base, outcome: 'marginal' };
  if (test.pValue < config.marginalPValue && ratio >= rule.failRatio) return { ...base, outcome: 'marginal' };
  return { ...base, outcome: 'pass' };
}

export function metricValue(host: HostWindow, metric: MetricName): number {
  switch (metric) {
    case 'cpuPct': return host.cpuPctSum / host.samples;
    case 'rssMb': return host.rssMbSum / host.samples;
    case 'dropsPerBeat': return host.drops / host.samples;
    case 'alertsPerBeat': return host.alerts / host.samples;
  }
}

function crashed(host: HostWindow): boolean {
  return host.crashes + host.restarts > 0;
}

function count(hosts: readonly HostWindow[], predicate: (host: HostWindow) => boolean): number {
  return hosts.reduce((total, host) => total + (predicate(host) ? 1 : 0), 0);
}

function rate(affected: number, hosts: number): number {
  return hosts === 0 ? 0 : affected / hosts;
}

function describeHardLimit(check: HardLimitCheck): string {
  return `${check.name}: ${check.canary.affected}/${check.canary.hosts} canary hosts (${pct(check.canary.rate)}) vs ${check.control.affected}/${check.control.hosts} control (${pct(check.control.rate)})`;
}

function describeMetric(m: MetricComparison, verb: string): string {
  return `${m.metric} ${verb}: canary median ${round(m.canaryMedian)} vs control ${round(m.controlMedian)} (×${round(m.ratio)}, p=${m.pValue.toExponential(2)})`;
}

function pct(value: number): string {
  return `${(value * 100).toFixed(1)}%`;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
