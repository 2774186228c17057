// A simulated rollout from start to end: a fleet on one version, a release started over the admin
// API, then rounds of (clock += one interval, every agent heartbeats, the judge ticks) until the
// rollout completes, halts, is aborted or pauses — and a few rounds more to watch the rollback land.
import type { Logger } from 'pino';
import type { CreatedEnrollmentToken } from '../api/types.ts';
import type { RolloutStatusView, RolloutView } from '../rollouts/api-types.ts';
import { defaultJudgeConfig, type JudgeConfig } from '../rollouts/judge/judge-config.ts';
import { getJson, postJson } from './http-json.ts';
import { createSimFleet, type FleetSpec } from './sim-fleet.ts';
import { startSimServer } from './sim-server.ts';

export type ScenarioSpec = {
  fleet: FleetSpec;
  version: string;
  bakeS: number;
  heartbeatIntervalS: number;
  /** Safety stop, in heartbeat rounds. */
  maxRounds: number;
  /** Rounds to keep running after a halt or abort, so the rollback can be observed. */
  afterRounds: number;
  judge: JudgeConfig;
  db: string;
  onRound?: (round: RoundReport) => void;
  logger?: Logger;
};

export type RoundReport = { round: number; at: string; phase: string; ring: number; running: number; hung: number };

export type ScenarioReport = {
  version: string;
  fleetSize: number;
  outcome: string;
  ring: number;
  rounds: number;
  simulatedMinutes: number;
  /** Hosts that ever ran the version, and the share of the fleet. */
  exposure: { hosts: number; share: number };
  /** Hosts in rings 0..ring at the end, by the server's count: the exposure allowed. */
  allowedExposure: number;
  /** Hosts still on the version at the end, and the hung ones among them. */
  runningAtEnd: number;
  hungHosts: number;
  status: RolloutStatusView;
};

export const defaultScenario: Omit<ScenarioSpec, 'fleet' | 'version'> = {
  bakeS: 600, heartbeatIntervalS: 60, maxRounds: 200, afterRounds: 3, db: ':memory:',
  judge: { ...defaultJudgeConfig, silentAfterSeconds: 180 },
};

export async function runScenario(spec: ScenarioSpec): Promise<ScenarioReport> {
  const server = await startSimServer({ db: spec.db, judge: spec.judge, heartbeatIntervalS: spec.heartbeatIntervalS, start: Date.UTC(2025, 0, 1), ...(spec.logger === undefined ? {} : { logger: spec.logger }) });
  try {
    const admin = server.adminToken;
    const token = await postJson<CreatedEnrollmentToken>(`${server.url}/v1/admin/enrollment-tokens`, { note: 'sim', ttlS: 86400 }, admin);
    if (!token.ok) throw new Error(`Cannot create an enrollment token: ${token.message}`);
    const fleet = createSimFleet(spec.fleet);
    await fleet.enroll(server.url, token.body.token);
    const intervalMs = spec.heartbeatIntervalS * 1000;
    await fleet.heartbeatRound(server.url, server.clock.now(), spec.heartbeatIntervalS);
    const started = await postJson<RolloutView>(`${server.url}/v1/admin/rollouts`, { version: spec.version, bakeS: spec.bakeS }, admin);
    if (!started.ok) throw new Error(`Cannot start the rollout: ${started.message}`);
    let round = 0;
    let after = -1;
    let status: RolloutView | null = null;
    while (round < spec.maxRounds) {
      round += 1;
      server.clock.advance(intervalMs);
      await fleet.heartbeatRound(server.url, server.clock.now(), spec.heartbeatIntervalS);
      const tick = await postJson<{ rollout: RolloutView | null }>(`${server.url}/v1/admin/rollouts/tick`, {}, admin);
      if (!tick.ok || tick.body.rollout === null) throw new Error(`Tick failed: ${tick.ok ? 'no rollout' : tick.message}`);
      status = tick.body.rollout;
      spec.onRound?.({ round, at: new Date(server.clock.now()).toISOString(), phase: status.phase, ring: status.ring, running: fleet.countRunning(spec.version), hung: fleet.agents.filter((a) => a.hung).length });
      if (after > 0) after -= 1;
      if (after === 0) break;
      if (after < 0 && (status.phase === 'halted' || status.phase === 'aborted')) after = spec.afterRounds;
      if (status.phase === 'completed' || (status.phase === 'paused' && status.by === 'judge') || status.phase === 'awaiting-approval') {
        // One more round so every host hears the final assignment.
        server.clock.advance(intervalMs);
        await fleet.heartbeatRound(server.url, server.clock.now(), spec.heartbeatIntervalS);
        break;
      }
    }
    const final = await getJson<RolloutStatusView>(`${server.url}/v1/admin/rollouts/${started.body.id}`, admin);
    if (!final.ok || status === null) throw new Error('The rollout never reported a status');
    const exposed = fleet.countEverRan(spec.version);
    return {
      version: spec.version, fleetSize: spec.fleet.size, outcome: final.body.phase, ring: final.body.ring, rounds: round,
      simulatedMinutes: (round * spec.heartbeatIntervalS) / 60,
      exposure: { hosts: exposed, share: exposed / spec.fleet.size },
      allowedExposure: final.body.exposure.planned,
      runningAtEnd: fleet.countRunning(spec.version), hungHosts: fleet.agents.filter((a) => a.hung).length,
      status: final.body,
    };
  } finally {
    await server.close();
  }
}
