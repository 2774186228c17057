// The exec permission verdict: runs the prevention rules against the exec the kernel holds. Denies
// only when a matching rule carries a prevention tag (default `ring3.prevent`): detection content
// alerts, only content written for prevention blocks. The verdict is reached by exec-decider.ts inside
// the sensor's real-time worker, which answers "allow" at the deadline whatever happens, so a slow
// engine can never hang an exec.
import type { ExecFacts } from '../sensors/index.ts';
import { selectDetections, type DetectionMatch, type SigmaRule } from '../sigma/index.ts';

export const execLogsource = { product: 'linux', category: 'process_creation' } as const;

/** The process_creation event an exec is judged as, with what the kernel cannot tell yet marked missing. */
export function execEvent(exec: ExecFacts, hostName: string): Record<string, unknown> {
  return {
    Image: exec.path,
    ProcessId: exec.pid,
    host: { name: hostName },
    // The new command line is not readable yet; it must not look like an empty one.
    missing: ['CommandLine'],
    ...(exec.currentImage === undefined ? {} : { ParentImage: exec.currentImage }),
  };
}

/** The first matching rule that carries a deny tag. */
export function blockingRule(matches: readonly DetectionMatch[], denyTags: ReadonlySet<string>): DetectionMatch | undefined {
  return matches.find((m) => m.rule.tags.some((tag) => denyTags.has(tag)));
}

/** The rules that can deny, with the filters that narrow them: all the exec decider needs. */
export function preventionRulesOf(parsed: readonly SigmaRule[], denyTags: readonly string[]): SigmaRule[] {
  const deny = new Set(denyTags);
  return selectDetections(parsed, (rule) => rule.tags.some((tag) => deny.has(tag)));
}
