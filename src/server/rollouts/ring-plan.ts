// A rollout plan: the rings a release goes through, each with who is in it, how long it bakes and
// whether a person must approve widening into it. Rings are cumulative: ring k holds every host of
// rings 0..k, so exposure only ever grows while a release advances.
import { fail, ok, RolloutCodes, type Result } from './diagnostics.ts';

export type RingSelector =
  | { kind: 'tag'; tag: string }
  | { kind: 'percent'; percent: number };

export type RingSpec = {
  name: string;
  selector: RingSelector;
  bakeSeconds: number;
  /** A person must approve before the release widens into this ring. */
  requireApproval: boolean;
};

export type RingPlan = { rings: RingSpec[] };

export const defaultBakeSeconds = 3600;

export function defaultRingPlan(options: { bakeSeconds?: number; approvalRings?: readonly number[] } = {}): RingPlan {
  const bakeSeconds = options.bakeSeconds ?? defaultBakeSeconds;
  const approval = new Set(options.approvalRings ?? []);
  const selectors: RingSelector[] = [
    { kind: 'tag', tag: 'internal' },
    { kind: 'percent', percent: 1 },
    { kind: 'percent', percent: 10 },
    { kind: 'percent', percent: 100 },
  ];
  return { rings: selectors.map((selector, index) => ({ name: `ring ${index}`, selector, bakeSeconds, requireApproval: approval.has(index) })) };
}

/** Validates a plan that arrived from outside (an HTTP body, a file). */
export function parseRingPlan(input: unknown, where = 'plan'): Result<RingPlan> {
  if (!isRecord(input) || !Array.isArray(input['rings'])) return fail(RolloutCodes.invalidPlan, 'must be an object with a "rings" array', where);
  const rings: RingSpec[] = [];
  let lastPercent = 0;
  for (const [index, raw] of input['rings'].entries()) {
    const at = `${where}.rings[${index}]`;
    if (!isRecord(raw)) return fail(RolloutCodes.invalidPlan, 'must be an object', at);
    const selector = raw['selector'];
    const bakeSeconds = raw['bakeSeconds'];
    if (typeof bakeSeconds !== 'number' || !Number.isFinite(bakeSeconds) || bakeSeconds < 0) {
      return fail(RolloutCodes.invalidPlan, 'bakeSeconds must be a number of seconds, 0 or more', `${at}.bakeSeconds`);
    }
    let parsedSelector: RingSelector;
    if (isRecord(selector) && selector['kind'] === 'tag' && typeof selector['tag'] === 'string' && selector['tag'] !== '') {
      parsedSelector = { kind: 'tag', tag: selector['tag'] };
    } else if (isRecord(selector) && selector['kind'] === 'percent' && typeof selector['percent'] === 'number') {
      const percent = selector['percent'];
      if (!(percent > 0 && percent <= 100)) return fail(RolloutCodes.invalidPlan, 'percent must be in (0, 100]', `${at}.selector.percent`);
      if (percent < lastPercent) return fail(RolloutCodes.invalidPlan, `percent ${percent} is below an earlier ring's ${lastPercent}; rings only widen`, `${at}.selector.percent`);
      lastPercent = percent;
      parsedSelector = { kind: 'percent', percent };
    } else {
      return fail(RolloutCodes.invalidPlan, 'selector must be {kind: "tag", tag} or {kind: "percent", percent}', `${at}.selector`);
    }
    const name = typeof raw['name'] === 'string' && raw['name'] !== '' ? raw['name'] : `ring ${index}`;
    rings.push({ name, selector: parsedSelector, bakeSeconds, requireApproval: raw['requireApproval'] === true });
  }
  if (rings.length === 0) return fail(RolloutCodes.invalidPlan, 'needs at least one ring', `${where}.rings`);
  const last = rings[rings.length - 1]!.selector;
  if (last.kind !== 'percent' || last.percent !== 100) return fail(RolloutCodes.invalidPlan, 'the last ring must be {kind: "percent", percent: 100}, or the release never reaches everyone', `${where}.rings[${rings.length - 1}]`);
  return ok({ rings });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
