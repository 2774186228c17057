// The exec permission verdict: asks the running engine's stateless detections about the exec the
// kernel holds. Denies only when a matching rule carries a prevention tag (default `ring3.prevent`):
// detection content alerts, only content written for prevention blocks. The sensor's worker answers
// "allow" at the deadline whatever happens here, so a slow engine can never hang an exec.
import type { ExecRequest, Verdict, VerdictPort } from '../sensors/index.ts';
import type { DetectionEngine } from '../sigma/index.ts';

export type VerdictCounters = { allowed: number; denied: number; errors: number; slowest_ms: number };

export function createVerdictPort(options: { engine: () => DetectionEngine; denyTags: readonly string[]; hostName: string; clock: () => number; onDeny?: (request: ExecRequest, ruleId: string) => void; detections?: () => readonly { meta: { tags: readonly string[] } }[] }): { port: VerdictPort; counters: () => VerdictCounters; needed: () => boolean } {
  const counters: VerdictCounters = { allowed: 0, denied: 0, errors: 0, slowest_ms: 0 };
  const deny = new Set(options.denyTags);
  const port: VerdictPort = (request): Verdict => {
    const start = options.clock();
    try {
      const event: Record<string, unknown> = {
        Image: request.path,
        ProcessId: request.pid,
        host: { name: options.hostName },
        // What the kernel cannot tell yet (the new command line) must not look like an empty one.
        missing: ['CommandLine'],
        ...(request.currentImage === undefined ? {} : { ParentImage: request.currentImage }),
      };
      const matches = options.engine().match(event, { product: 'linux', category: 'process_creation' });
      const blocking = matches.find((m) => m.rule.tags.some((tag) => deny.has(tag)));
      if (blocking) {
        counters.denied += 1;
        options.onDeny?.(request, blocking.rule.id);
        return 'deny';
      }
      counters.allowed += 1;
      return 'allow';
    } catch {
      counters.errors += 1;
      return 'allow';
    } finally {
      counters.slowest_ms = Math.max(counters.slowest_ms, options.clock() - start);
    }
  };
  // Whether any loaded detection carries a deny tag; without one every verdict is allow, and the
  // sensor skips asking (one thread wake per exec instead of a round trip through the main thread).
  // The detections array is the engine's: a new one only when content is reloaded.
  let last: readonly { meta: { tags: readonly string[] } }[] | undefined;
  let lastNeeded = true;
  const needed = () => {
    if (!options.detections) return true;
    const detections = options.detections();
    if (detections !== last) {
      last = detections;
      lastNeeded = detections.some((rule) => rule.meta.tags.some((tag) => deny.has(tag)));
    }
    return lastNeeded;
  };
  return { port, counters: () => ({ ...counters }), needed };
}
