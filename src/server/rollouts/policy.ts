// Per host group, which release a host follows: the latest (and so takes part in rollouts), one
// release behind the latest, or the latest release once it has been out for a set delay. Groups on
// the last two never serve as canaries: they only receive releases that completed every ring.
import { fail, ok, RolloutCodes, type Result } from './diagnostics.ts';

export type GroupPolicy =
  | { kind: 'follow-latest' }
  | { kind: 'one-behind' }
  | { kind: 'delay'; seconds: number };

export const defaultGroupPolicy: GroupPolicy = { kind: 'follow-latest' };

/** `follow-latest`, `one-behind`, `delay:90s|15m|6h|2d` (or plain seconds), or the JSON object form. */
export function parseGroupPolicy(input: unknown, where = 'policy'): Result<GroupPolicy> {
  if (typeof input === 'string') {
    if (input === 'follow-latest' || input === 'one-behind') return ok({ kind: input });
    const match = /^delay:(.+)$/.exec(input);
    if (match) {
      const seconds = parseDuration(match[1]!);
      return seconds === null ? fail(RolloutCodes.invalidPolicy, `"${match[1]}" is not a duration (e.g. 90s, 15m, 6h, 2d)`, where) : ok({ kind: 'delay', seconds });
    }
    return fail(RolloutCodes.invalidPolicy, `"${input}" is not a policy; use follow-latest, one-behind or delay:<duration>`, where);
  }
  if (typeof input === 'object' && input !== null) {
    const record = input as Record<string, unknown>;
    if (record['kind'] === 'follow-latest' || record['kind'] === 'one-behind') return ok({ kind: record['kind'] });
    if (record['kind'] === 'delay' && typeof record['seconds'] === 'number' && Number.isFinite(record['seconds']) && record['seconds'] >= 0) {
      return ok({ kind: 'delay', seconds: record['seconds'] });
    }
  }
  return fail(RolloutCodes.invalidPolicy, 'must be follow-latest, one-behind or {kind: "delay", seconds}', where);
}

export function formatGroupPolicy(policy: GroupPolicy): string {
  switch (policy.kind) {
    case 'follow-latest': return 'follow-latest';
    case 'one-behind': return 'one-behind';
    case 'delay': return `delay:${policy.seconds}s`;
  }
}

const units: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** Seconds in `90`, `90s`, `15m`, `6h`, `2d`; null when it is none of those. */
export function parseDuration(text: string): number | null {
  const match = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(text.trim());
  if (!match) return null;
  return Number(match[1]) * units[match[2] || 's']!;
}
