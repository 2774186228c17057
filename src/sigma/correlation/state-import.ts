// Reads state written by exportGroups back, checking every part before anything is replaced: a bad
// state is refused with where and why, and the engine keeps the state it had. Groups of correlations
// that are gone (or changed type or group-by) after a content swap are dropped, not refused.
import { appendKey, valueText } from './field-value.ts';
import { createGroup, stateKind, type Group, type GroupState, type Runtime } from './group-state.ts';
import { clearGroups, linkGroup, type GroupTable } from './group-table.ts';
import { maxFiringIndexes, maxShareEvents, windowSlots } from './limits.ts';
import { isMapping } from './problems.ts';
import { stateFormat, stateVersion } from './state-export.ts';

type ImportResult = { ok: boolean; reason?: string };

/** Raised only inside this module, to stop reading at the first bad part; never escapes it. */
class InvalidState {
  readonly reason: string;
  constructor(reason: string) {
    this.reason = reason;
  }
}

export function importGroups(input: unknown, table: GroupTable, runtimes: readonly Runtime[]): ImportResult {
  let groups: Group[];
  let evicted: number;
  try {
    ({ groups, evicted } = readState(input, runtimes));
  } catch (error) {
    return { ok: false, reason: error instanceof InvalidState ? error.reason : 'state could not be read' };
  }
  clearGroups(table, runtimes);
  table.evicted = evicted;
  for (const group of groups.slice(-table.maxGroups)) linkGroup(table, group);
  return { ok: true };
}

function readState(input: unknown, runtimes: readonly Runtime[]): { groups: Group[]; evicted: number } {
  if (!isMapping(input)) fail('state', 'must be an object');
  if (input['format'] !== stateFormat) fail('format', `must be "${stateFormat}"`);
  if (input['version'] !== stateVersion) fail('version', `must be ${stateVersion}`);
  const evicted = input['evictedGroups'];
  if (typeof evicted !== 'number' || !Number.isSafeInteger(evicted) || evicted < 0) fail('evictedGroups', 'must be a count');
  const list = input['groups'];
  if (!Array.isArray(list)) fail('groups', 'must be a list');
  const byId = new Map(runtimes.map((runtime) => [runtime.compiled.rule.id, runtime]));
  const groups: Group[] = [];
  const seen = new Set<string>();
  list.forEach((raw, i) => {
    const group = readGroup(raw, `groups[${i}]`, byId);
    if (!group) return;
    const id = `${group.runtime.index}|${group.key}`;
    if (seen.has(id)) fail(`groups[${i}]`, 'repeats a group listed before');
    seen.add(id);
    groups.push(group);
  });
  return { groups, evicted };
}

function readGroup(raw: unknown, at: string, byId: ReadonlyMap<string, Runtime>): Group | undefined {
  if (!isMapping(raw)) fail(at, 'must be an object');
  const { rule, type, group, lastTime, state } = raw;
  if (typeof rule !== 'string' || typeof type !== 'string') fail(at, 'needs rule and type strings');
  if (!isMapping(group)) fail(`${at}.group`, 'must be an object');
  if (!isFiniteNumber(lastTime)) fail(`${at}.lastTime`, 'must be a finite number');
  if (!isMapping(state)) fail(`${at}.state`, 'must be an object');
  const runtime = byId.get(rule);
  if (!runtime || runtime.compiled.type !== type) return undefined;
  let key = '';
  for (const name of runtime.compiled.groupBy) {
    if (!Object.hasOwn(group, name)) return undefined;
    const text = valueText(group[name]);
    if (text === undefined) fail(`${at}.group.${name}`, 'must be a value');
    key = appendKey(key, text);
  }
  const values = Object.fromEntries(runtime.compiled.groupBy.map((name) => [name, group[name]]));
  const kind = stateKind(runtime.compiled);
  if (state['kind'] !== kind) fail(`${at}.state.kind`, `must be "${kind}" for a ${type} correlation`);
  const read = readKindState(state, `${at}.state`, runtime);
  return read && createGroup(runtime, key, values, lastTime, read);
}

function readKindState(state: Record<string, unknown>, at: string, runtime: Runtime): GroupState | undefined {
  const references = runtime.compiled.references.length;
  switch (stateKind(runtime.compiled)) {
    case 'window': {
      const times = numbers(state['times'], `${at}.times`, windowSlots + 1);
      const counts = numbers(state['counts'], `${at}.counts`, windowSlots + 1);
      const sums = numbers(state['sums'], `${at}.sums`, windowSlots + 1);
      if (counts.length !== times.length || sums.length !== times.length) fail(at, 'times, counts and sums must have the same length');
      if (counts.some((c) => !Number.isSafeInteger(c) || c < 1)) fail(`${at}.counts`, 'must be positive whole numbers');
      return {
        kind: 'window', times, counts, sums,
        count: counts.reduce((a, b) => a + b, 0), sum: sums.reduce((a, b) => a + b, 0),
        recent: readRecent(state['recent'], `${at}.recent`),
      };
    }
    case 'distinct': {
      const values = state['values'];
      if (!Array.isArray(values)) fail(`${at}.values`, 'must be a list');
      const lastSeen = new Map<string, number>();
      values.forEach((entry, i) => {
        if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== 'string' || !isFiniteNumber(entry[1])) {
          fail(`${at}.values[${i}]`, 'must be a [value, time] pair');
        }
        lastSeen.delete(entry[0]);
        lastSeen.set(entry[0], entry[1]);
      });
      // The content may have lowered the cap since: keep the most recent values.
      for (const value of lastSeen.keys()) {
        if (lastSeen.size <= runtime.distinctCap) break;
        lastSeen.delete(value);
      }
      return { kind: 'distinct', lastSeen, oldestAtLeast: -Infinity, recent: readRecent(state['recent'], `${at}.recent`) };
    }
    case 'share': {
      const times = numbers(state['times'], `${at}.times`, maxShareEvents);
      const values = state['values'];
      if (!Array.isArray(values) || values.length !== times.length || !values.every((v) => typeof v === 'string')) {
        fail(`${at}.values`, 'must be a list of strings as long as times');
      }
      const counts = new Map<string, number>();
      for (const value of values as string[]) counts.set(value, (counts.get(value) ?? 0) + 1);
      return { kind: 'share', times, values: [...(values as string[])], counts };
    }
    case 'temporal':
    case 'ordered': {
      const name = runtime.compiled.type === 'temporal' ? 'lastSeen' : 'starts';
      const times = state[name];
      const indexes = state['indexes'];
      if (!Array.isArray(times) || !Array.isArray(indexes)) fail(at, `needs ${name} and indexes lists`);
      // A different number of referenced rules means the content changed: the group no longer fits.
      if (times.length !== references || indexes.length !== references) return undefined;
      if (!times.every((t) => t === null || isFiniteNumber(t))) fail(`${at}.${name}`, 'must hold times or null');
      const lists = indexes.map((list, i) => numbers(list, `${at}.indexes[${i}]`, maxFiringIndexes));
      const read = times.map((t) => (t === null ? -Infinity : (t as number)));
      return runtime.compiled.type === 'temporal'
        ? { kind: 'temporal', lastSeen: read, indexes: lists }
        : { kind: 'ordered', starts: read, indexes: lists };
    }
  }
}

function readRecent(raw: unknown, at: string): { times: number[]; indexes: number[] } {
  if (!isMapping(raw)) fail(at, 'must be an object');
  const times = numbers(raw['times'], `${at}.times`, maxFiringIndexes);
  const indexes = numbers(raw['indexes'], `${at}.indexes`, maxFiringIndexes);
  if (times.length !== indexes.length) fail(at, 'times and indexes must have the same length');
  return { times, indexes };
}

function numbers(raw: unknown, at: string, max: number): number[] {
  if (!Array.isArray(raw) || !raw.every(isFiniteNumber)) fail(at, 'must be a list of finite numbers');
  if (raw.length > max) fail(at, `holds ${raw.length} entries; at most ${max}`);
  return [...raw];
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function fail(at: string, why: string): never {
  throw new InvalidState(`${at}: ${why}`);
}
