// A fleet of simulated agents in one process: made from a seed, enrolled over HTTP, and stepped one
// heartbeat round at a time with a bounded number of requests in flight.
import type { Failure } from './failures.ts';
import { seededRandom } from './random.ts';
import { createSimAgent, type SimAgent } from './sim-agent.ts';

export type FleetSpec = {
  size: number;
  seed: number;
  /** Share of hosts tagged `internal` (ring 0). */
  internalShare: number;
  /** Share of hosts tagged `distro:alpine` (the others `distro:debian`), a property failures can aim at. */
  alpineShare: number;
  startVersion: string;
  failures: readonly Failure[];
};

export const defaultFleetSpec: FleetSpec = { size: 1000, seed: 1, internalShare: 0.02, alpineShare: 0.3, startVersion: '1.0.0', failures: [] };

export type SimFleet = {
  agents: readonly SimAgent[];
  enroll(baseUrl: string, token: string): Promise<void>;
  /** One heartbeat from every agent that is not hung. */
  heartbeatRound(baseUrl: string, now: number, intervalS: number): Promise<{ sent: number; silent: number; refused: number }>;
  countRunning(version: string): number;
  countEverRan(version: string): number;
};

export function createSimFleet(spec: FleetSpec, concurrency = 64): SimFleet {
  const random = seededRandom(spec.seed);
  const agents = Array.from({ length: spec.size }, (_, i) => {
    const internal = random() < spec.internalShare;
    const alpine = random() < spec.alpineShare;
    const tags = [internal ? 'internal' : 'env:prod', alpine ? 'distro:alpine' : 'distro:debian'];
    const profile = { baseCpuPct: 2 + 4 * random(), baseRssMb: 80 + 80 * random(), alertsPerBeat: 0.2 + random(), dropsPerBeat: 2 * random() };
    return createSimAgent({ hostname: `sim-${String(i).padStart(5, '0')}`, tags, contentVersion: spec.startVersion, profile, random: seededRandom(spec.seed * 100_003 + i), failures: spec.failures });
  });
  return {
    agents,
    async enroll(baseUrl, token) {
      const problems = (await pooled(agents, concurrency, (agent) => agent.enroll(baseUrl, token))).filter((p) => p !== null);
      if (problems.length > 0) throw new Error(`${problems.length} simulated agents could not enroll; first: ${problems[0]}`);
    },
    async heartbeatRound(baseUrl, now, intervalS) {
      const outcomes = await pooled(agents, concurrency, (agent) => agent.heartbeat(baseUrl, now, intervalS));
      return {
        sent: outcomes.filter((o) => o === 'sent').length,
        silent: outcomes.filter((o) => o === 'silent').length,
        refused: outcomes.filter((o) => o === 'refused').length,
      };
    },
    countRunning: (version) => agents.filter((a) => a.contentVersion === version).length,
    countEverRan: (version) => agents.filter((a) => a.ran.has(version)).length,
  };
}

async function pooled<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
