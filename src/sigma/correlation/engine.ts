// The streaming correlation engine: each detection match feeds the correlations that reference its
// rule; a firing feeds the correlations that reference the firing correlation (chaining). The caller
// passes the clock in; state is bounded by the group cap and per-group caps, and expires with time.
import type { CompiledCorrelation, CorrelationFiring } from './compiled-correlation.ts';
import { appendKey, numericValue, readField, valueText } from './field-value.ts';
import { createGroup, createRuntime, createState, type Group, type Runtime } from './group-state.ts';
import { createGroupTable, insertGroup, removeGroup, sweepAll, sweepRuntime, touchGroup } from './group-table.ts';
import { defaultMaxGroups, maxChainSteps } from './limits.ts';
import { exportGroups } from './state-export.ts';
import { importGroups } from './state-import.ts';
import { updateGroup, type Contribution } from './update-group.ts';

export type CorrelationContext = { timeMs: number; eventIndex: number };
export type CorrelationEngineOptions = { maxGroups?: number };
export type CorrelationEngine = {
  process(ruleId: string, event: Record<string, unknown>, context: CorrelationContext): CorrelationFiring[];
  stats(): { liveGroups: number; evictedGroups: number };
  exportState(): unknown;
  importState(state: unknown): { ok: boolean; reason?: string };
};

type Route = { runtime: Runtime; ref: number };
type Pending = { ruleId: string; event: Record<string, unknown>; indexes: readonly number[] };

export function createCorrelationEngine(compiled: readonly CompiledCorrelation[], options: CorrelationEngineOptions = {}): CorrelationEngine {
  const requested = options.maxGroups;
  const maxGroups = typeof requested === 'number' && Number.isFinite(requested) && requested >= 1 ? Math.floor(requested) : defaultMaxGroups;
  const table = createGroupTable(maxGroups);
  const runtimes = compiled.map(createRuntime);
  const routes = new Map<string, Route[]>();
  for (const runtime of runtimes) {
    runtime.compiled.references.forEach((ref, i) => {
      const list = routes.get(ref.id) ?? [];
      list.push({ runtime, ref: i });
      routes.set(ref.id, list);
    });
  }

  function feed(route: Route, event: Record<string, unknown>, timeMs: number, indexes: number | readonly number[]): CorrelationFiring | undefined {
    const { runtime, ref } = route;
    const compiled = runtime.compiled;
    let key = '';
    for (const field of compiled.groupFields[ref]!) {
      const text = valueText(readField(event, field));
      if (text === undefined) return undefined;
      key = appendKey(key, text);
    }
    const contribution = contributionOf(compiled, ref, event, indexes);
    if (!contribution) return undefined;
    sweepRuntime(table, runtime, timeMs);
    let group = runtime.groups.get(key);
    if (group) {
      // Later than the window the group is in: that event can no longer be correlated.
      if (timeMs <= group.lastTime - compiled.timespanMs) return undefined;
      touchGroup(table, group);
    } else {
      group = newGroup(runtime, key, event, ref, timeMs);
      insertGroup(table, group, timeMs);
    }
    // A group's clock never goes back: a slightly late event counts as happening now.
    const nowMs = Math.max(timeMs, group.lastTime);
    group.lastTime = nowMs;
    const outcome = updateGroup(group, nowMs, contribution);
    if (!outcome) return undefined;
    // One burst, one firing: the events that made it are consumed. value_percentile keeps its
    // baseline, since each rare event is its own finding.
    if (group.state.kind !== 'share') removeGroup(table, group);
    return { rule: compiled.rule, type: compiled.type, group: { ...group.values }, eventIndexes: outcome.eventIndexes, value: outcome.value, timeMs: nowMs };
  }

  function processMatch(ruleId: string, event: Record<string, unknown>, context: CorrelationContext): CorrelationFiring[] {
    const firings: CorrelationFiring[] = [];
    const timeMs = context.timeMs;
    const first = routes.get(ruleId);
    if (!first || typeof timeMs !== 'number' || !Number.isFinite(timeMs)) return firings;
    const pending: Pending[] = [];
    for (const route of first) {
      const firing = feed(route, event, timeMs, context.eventIndex);
      if (firing) record(firing, event, firings, pending);
    }
    let steps = 0;
    while (pending.length > 0 && steps < maxChainSteps) {
      const next = pending.shift()!;
      for (const route of routes.get(next.ruleId) ?? []) {
        steps++;
        const firing = feed(route, next.event, timeMs, next.indexes);
        if (firing) record(firing, next.event, firings, pending);
      }
    }
    sweepAll(table, timeMs);
    return firings;
  }

  function record(firing: CorrelationFiring, event: Record<string, unknown>, firings: CorrelationFiring[], pending: Pending[]): void {
    firings.push(firing);
    if (routes.has(firing.rule.id)) {
      // The chained correlation reads the event that completed this one, with this group's values
      // on top, so that group-by names made of aliases are found too.
      pending.push({ ruleId: firing.rule.id, event: { ...event, ...firing.group }, indexes: firing.eventIndexes });
    }
  }

  return {
    process(ruleId, event, context) {
      try {
        return processMatch(ruleId, event, context);
      } catch {
        // Only a bug (or a hostile getter in the event) gets here; the engine keeps running.
        return [];
      }
    },
    stats: () => ({ liveGroups: table.order.size, evictedGroups: table.evicted }),
    exportState: () => exportGroups(table),
    importState: (state) => importGroups(state, table, runtimes),
  };
}

function newGroup(runtime: Runtime, key: string, event: Record<string, unknown>, ref: number, timeMs: number): Group {
  const fields = runtime.compiled.groupFields[ref]!;
  const values = Object.fromEntries(runtime.compiled.groupBy.map((name, i) => [name, jsonSafe(readField(event, fields[i]!))]));
  return createGroup(runtime, key, values, timeMs, createState(runtime.compiled));
}

/** Group values are exported as JSON: a value JSON cannot carry as it is (Infinity, NaN, a bigint, an
 * object) is kept as its grouping text, which yields the same group key on import. */
function jsonSafe(value: unknown): unknown {
  if (typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) return value;
  return valueText(value);
}

function contributionOf(compiled: CompiledCorrelation, ref: number, event: Record<string, unknown>, indexes: number | readonly number[]): Contribution | undefined {
  const fields = compiled.valueFields[ref]!;
  switch (compiled.type) {
    case 'value_count': {
      let text = '';
      for (const field of fields) {
        const part = valueText(readField(event, field));
        if (part === undefined) return undefined;
        text = fields.length === 1 ? part : appendKey(text, part);
      }
      return { ref, text, amount: 0, indexes };
    }
    case 'value_sum':
    case 'value_avg': {
      const amount = numericValue(readField(event, fields[0] ?? ''));
      return amount === undefined ? undefined : { ref, text: '', amount, indexes };
    }
    case 'value_percentile': {
      const text = valueText(readField(event, fields[0] ?? ''));
      return text === undefined ? undefined : { ref, text, amount: 0, indexes };
    }
    default:
      return { ref, text: '', amount: 0, indexes };
  }
}
