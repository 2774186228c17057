// One simulated agent: enrolls over HTTP, heartbeats with metrics drawn from its profile and bent by
// the failures of the content version it runs, and takes the version the server assigns it.
import type { Heartbeat, HeartbeatResponse, EnrollResponse } from '../api/types.ts';
import type { ContentDirectiveView } from '../rollouts/api-types.ts';
import { failuresFor, type Failure } from './failures.ts';
import { postJson } from './http-json.ts';
import type { Random } from './random.ts';

export type AgentProfile = { baseCpuPct: number; baseRssMb: number; alertsPerBeat: number; dropsPerBeat: number };

export type SimAgent = {
  readonly hostname: string;
  readonly tags: readonly string[];
  hostId: string | null;
  contentVersion: string;
  /** Took a version that hangs it: it never calls the server again. */
  hung: boolean;
  /** Every version this host ever ran. */
  readonly ran: Set<string>;
  enroll(baseUrl: string, token: string): Promise<string | null>;
  heartbeat(baseUrl: string, now: number, intervalS: number): Promise<'sent' | 'silent' | 'refused'>;
};

export function createSimAgent(init: { hostname: string; tags: string[]; contentVersion: string; profile: AgentProfile; random: Random; failures: readonly Failure[] }): SimAgent {
  const { profile, random, failures } = init;
  let credential = '';
  let seq = 0;
  const agent: SimAgent = {
    hostname: init.hostname, tags: init.tags, hostId: null, contentVersion: init.contentVersion, hung: false, ran: new Set([init.contentVersion]),
    async enroll(baseUrl, token) {
      const result = await postJson<EnrollResponse>(`${baseUrl}/v1/enroll`, { token, hostname: init.hostname, tags: init.tags, agentVersion: 'sim' });
      if (!result.ok) return `enroll ${init.hostname}: HTTP ${result.status} ${result.message}`;
      credential = result.body.credential;
      agent.hostId = result.body.hostId;
      return null;
    },
    async heartbeat(baseUrl, now, intervalS) {
      if (agent.hung) return 'silent';
      seq += 1;
      const effects = failuresFor(failures, agent.contentVersion, init.tags);
      const factor = (kind: Failure['kind']) => effects.filter((f) => f.kind === kind).reduce((product, f) => product * f.factor, 1);
      const crashing = effects.some((f) => f.kind === 'crash');
      const alerts = Math.round(profile.alertsPerBeat * 2 * random() * factor('flood'));
      const body: Heartbeat = {
        bootId: `${init.hostname}-boot`, seq, sentAt: new Date(now).toISOString(), intervalS,
        versions: { agent: 'sim', content: agent.contentVersion }, ring: null, tags: [...init.tags],
        sensors: [{ name: 'sim', state: 'running', eventsPerS: 50 * (0.8 + 0.4 * random()), drops: Math.round(profile.dropsPerBeat * 2 * random() * factor('drops')) }],
        cpuPct: profile.baseCpuPct * (0.9 + 0.2 * random()) * factor('cpu'),
        rssMb: profile.baseRssMb * (0.97 + 0.06 * random()) * factor('rss'),
        engineCrashes: crashing ? 1 : 0, engineRestarts: crashing ? 1 : 0, quarantinedRules: [],
        alertCounts: alerts > 0 ? { 'sim-rule': alerts } : {},
      };
      const result = await postJson<HeartbeatResponse>(`${baseUrl}/v1/agents/heartbeat`, body, credential);
      if (!result.ok) return 'refused';
      const content = result.body.directives['content'] as ContentDirectiveView | undefined;
      if (content?.version && content.version !== agent.contentVersion) {
        agent.contentVersion = content.version;
        agent.ran.add(content.version);
        if (failuresFor(failures, content.version, init.tags).some((f) => f.kind === 'hang')) agent.hung = true;
      }
      return 'sent';
    },
  };
  return agent;
}
