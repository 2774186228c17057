// The small part of Semantic Versioning 2.0 that packs need: parse, compare, and ranges made of
// comparators (`>=0.1.0 <1.0.0`, `^1.2.0`, `~1.2.0`, `1.2.3`, `*`). Hand-written because the `semver`
// package ships no types and this subset is a few lines.

export type SemVer = { major: number; minor: number; patch: number; prerelease: string[] };

const pattern = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

export function parseSemVer(text: string): SemVer | undefined {
  const m = pattern.exec(text);
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), prerelease: m[4] ? m[4].split('.') : [] };
}

/** Negative when a < b, zero when equal (build metadata ignored), positive when a > b. */
export function compareSemVer(a: SemVer, b: SemVer): number {
  const core = a.major - b.major || a.minor - b.minor || a.patch - b.patch;
  if (core !== 0) return Math.sign(core);
  if (a.prerelease.length === 0 || b.prerelease.length === 0) return Math.sign(b.prerelease.length - a.prerelease.length);
  for (let i = 0; i < Math.max(a.prerelease.length, b.prerelease.length); i++) {
    const x = a.prerelease[i];
    const y = b.prerelease[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (x === y) continue;
    const xn = /^\d+$/.test(x);
    const yn = /^\d+$/.test(y);
    if (xn && yn) return Math.sign(Number(x) - Number(y));
    if (xn !== yn) return xn ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

/** Compares two version strings; unparsable versions sort first. */
export function compareVersions(a: string, b: string): number {
  const x = parseSemVer(a);
  const y = parseSemVer(b);
  if (!x || !y) return x ? 1 : y ? -1 : 0;
  return compareSemVer(x, y);
}

type Comparator = { op: '>' | '>=' | '<' | '<=' | '='; version: SemVer };

/** Parses a range: OR-ed (`||`) sets of space-separated comparators. Undefined when malformed. */
export function parseRange(text: string): Comparator[][] | undefined {
  const sets: Comparator[][] = [];
  for (const part of text.split('||')) {
    const set: Comparator[] = [];
    for (const token of part.trim().split(/\s+/).filter(Boolean)) {
      const expanded = expandToken(token);
      if (!expanded) return undefined;
      set.push(...expanded);
    }
    sets.push(set);
  }
  return sets.length > 0 ? sets : undefined;
}

function expandToken(token: string): Comparator[] | undefined {
  if (token === '*' || token === 'x') return [];
  const m = /^(\^|~|>=|<=|>|<|=)?(.+)$/.exec(token);
  const version = m ? parseSemVer(m[2]!) : undefined;
  if (!m || !version) return undefined;
  const op = m[1] ?? '=';
  if (op === '^') {
    const upper = version.major > 0 ? { major: version.major + 1, minor: 0, patch: 0 }
      : version.minor > 0 ? { major: 0, minor: version.minor + 1, patch: 0 } : { major: 0, minor: 0, patch: version.patch + 1 };
    return [{ op: '>=', version }, { op: '<', version: { ...upper, prerelease: ['0'] } }];
  }
  if (op === '~') {
    return [{ op: '>=', version }, { op: '<', version: { major: version.major, minor: version.minor + 1, patch: 0, prerelease: ['0'] } }];
  }
  return [{ op: op as Comparator['op'], version }];
}

export function satisfies(version: string, range: string): boolean {
  const v = parseSemVer(version);
  const sets = parseRange(range);
  if (!v || !sets) return false;
  return sets.some((set) => set.every(({ op, version: bound }) => {
    const c = compareSemVer(v, bound);
    switch (op) {
      case '>': return c > 0;
      case '>=': return c >= 0;
      case '<': return c < 0;
      case '<=': return c <= 0;
      case '=': return c === 0;
    }
  }));
}
