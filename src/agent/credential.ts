// The agent's identity with its server: written once by `ring3 agent enroll`, read at every start.
// Mode 600: the credential is a bearer secret.
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { agentDiagnostic, AgentCodes, type AgentResult } from './diagnostics.ts';

export type AgentCredential = { url: string; hostId: string; credential: string; heartbeatIntervalS: number; enrolledAt: string; ca?: string };

export const credentialFileName = 'credential.json';

export function credentialFile(stateDir: string): string {
  return join(stateDir, credentialFileName);
}

export function writeCredential(file: string, credential: AgentCredential): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(credential, null, 1)}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}

/** `undefined` value when the agent was never enrolled (not an error: it runs stand-alone). */
export function readCredential(file: string): AgentResult<AgentCredential | undefined> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { ok: true, value: undefined };
    return { ok: false, diagnostics: [agentDiagnostic(AgentCodes.credentialInvalid, `cannot read the agent credential: ${(error as Error).message}`, { file })] };
  }
  try {
    const value = JSON.parse(text) as Partial<AgentCredential>;
    if (typeof value.url === 'string' && typeof value.hostId === 'string' && typeof value.credential === 'string') {
      return {
        ok: true,
        value: {
          url: value.url, hostId: value.hostId, credential: value.credential,
          heartbeatIntervalS: typeof value.heartbeatIntervalS === 'number' && value.heartbeatIntervalS > 0 ? value.heartbeatIntervalS : 60,
          enrolledAt: typeof value.enrolledAt === 'string' ? value.enrolledAt : '',
          ...(typeof value.ca === 'string' ? { ca: value.ca } : {}),
        },
      };
    }
  } catch {
    // reported below
  }
  return { ok: false, diagnostics: [agentDiagnostic(AgentCodes.credentialInvalid, 'the agent credential is damaged; enroll again with `ring3 agent enroll URL TOKEN`', { file })] };
}
