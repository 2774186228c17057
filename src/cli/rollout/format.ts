// How rollouts look to people: a status block, the transitions with their reasons, and each
// verdict's evidence (hard limits and the Mann-Whitney comparison) as tables.
import type { RolloutStatusView, RolloutView, VerdictView } from '../../server/rollouts/index.ts';
import { formatTable } from '../server/table.ts';

export function formatRolloutList(rollouts: readonly RolloutView[]): string {
  return formatTable(['ID', 'VERSION', 'FROM', 'PHASE', 'RING', 'CREATED', 'ENDED'],
    rollouts.map((r) => [r.id, r.version, r.previousVersion ?? '-', phaseText(r), ringText(r), r.createdAt, r.endedAt ?? '-']));
}

export function formatRolloutStatus(s: RolloutStatusView): string {
  const lines = [
    `rollout ${s.id}: ${s.version} (from ${s.previousVersion ?? 'unknown'})`,
    `phase:    ${phaseText(s)} in ${ringText(s)}${s.bakeEndsAt ? `, bake ends ${s.bakeEndsAt}` : ''}`,
    `exposure: ${s.exposure.running} running, ${s.exposure.delivered} told, ${s.exposure.planned} in exposed rings, of ${s.exposure.fleet} hosts`,
    `rings:    ${s.plan.rings.map((r, i) => `${i}:${r.selector.kind === 'tag' ? `tag ${r.selector.tag}` : `${r.selector.percent}%`} bake ${r.bakeSeconds}s${r.requireApproval ? ' (approval)' : ''}`).join(' | ')}`,
    '',
    'transitions:',
    formatTable(['AT', 'EVENT', 'FROM', 'TO', 'REASON'], s.transitions.map((t) => [t.at, t.event, t.from, t.to, t.reason])).trimEnd(),
  ];
  for (const verdict of s.verdicts) lines.push('', formatVerdict(verdict, 'verdict'));
  if (s.live) lines.push('', formatVerdict(s.live, 'current bake window (not final)'));
  return `${lines.join('\n')}\n`;
}

export function formatVerdict(v: VerdictView, title: string): string {
  const e = v.evidence;
  const head = `${title} ${v.id}: ${v.kind.toUpperCase()} in ring ${v.ring} at ${v.at} — ${e.canaryHosts} canary vs ${e.controlHosts} control hosts, window ${iso(e.window.from)} .. ${iso(e.window.to)}`;
  const reasons = v.reasons.map((r) => `  - ${r}`).join('\n');
  const limits = formatTable(['HARD LIMIT', 'CANARY', 'CONTROL', 'OUTCOME', 'LIMIT'], e.hardLimits.map((c) => [
    c.name, `${c.canary.affected}/${c.canary.hosts} (${pct(c.canary.rate)})`, `${c.control.affected}/${c.control.hosts} (${pct(c.control.rate)})`, c.outcome, c.limit,
  ]));
  const metrics = formatTable(['METRIC', 'CANARY MEDIAN', 'CONTROL MEDIAN', 'RATIO', 'U', 'Z', 'P', 'P(C>K)', 'OUTCOME'], e.metrics.map((m) => [
    m.metric, fixed(m.canaryMedian), fixed(m.controlMedian), fixed(m.ratio), fixed(m.u), fixed(m.z), m.pValue.toExponential(2), fixed(m.superiority), m.outcome,
  ]));
  return `${head}\n${reasons}\n${indent(limits)}${indent(metrics)}  (Mann-Whitney U, one-sided, ${e.confidence * 100}% confidence across the metrics)`;
}

function phaseText(r: RolloutView): string {
  return r.by ? `${r.phase} (by ${r.by})` : r.phase;
}

function ringText(r: RolloutView): string {
  return r.ring < 0 ? 'no ring yet' : `ring ${r.ring}`;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function pct(rate: number): string {
  return `${(rate * 100).toFixed(1)}%`;
}

function fixed(value: number): string {
  return Number.isFinite(value) ? (Math.round(value * 100) / 100).toString() : String(value);
}

function indent(text: string): string {
  return text.split('\n').map((line) => (line === '' ? line : `  ${line}`)).join('\n');
}
