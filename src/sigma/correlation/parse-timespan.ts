// `timespan: 90m` → milliseconds. The spec lists s, m, h and d; w (7 days) and y (365 days) are accepted
// too, as other Sigma tools do. `M` (month) is refused: next to `m` it is too easy to misread.
import { describe } from './problems.ts';

const unitMs: Readonly<Record<string, number>> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
  y: 365 * 86_400_000,
};

export type TimespanResult = { ok: true; ms: number } | { ok: false; reason: string };

export function parseTimespan(value: unknown): TimespanResult {
  if (typeof value !== 'string') {
    return { ok: false, reason: `must be a string such as "5m" (a number and one of s, m, h, d, w, y), got ${describe(value)}` };
  }
  const match = /^(\d{1,9})([smhdwy])$/.exec(value);
  if (!match) return { ok: false, reason: `"${value}" is not a number followed by one of s, m, h, d, w, y (e.g. "90m")` };
  const ms = Number(match[1]) * unitMs[match[2]!]!;
  if (ms <= 0) return { ok: false, reason: `"${value}" is empty; a timespan must be longer than zero` };
  if (!Number.isSafeInteger(ms)) return { ok: false, reason: `"${value}" is too long` };
  return { ok: true, ms };
}
