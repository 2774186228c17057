// The public surface of src/agent: the daemon (startAgent), its configuration, the control-plane port
// the CLI wires a client into, the credential and status files, and the systemd unit.
export type { AgentRunOptions, AgentEnv, AgentLog, RunningAgent, StartAgentResult } from './agent.ts';
export { startAgent } from './agent.ts';
export type { AgentConfig, ConfigDefaults, FsyncPolicy, SpoolConfig } from './config.ts';
export { defaultAgentConfig, parseAgentConfig, defaultFilePrefixes } from './config.ts';
export type { AgentCode, AgentDiagnostic, AgentResult } from './diagnostics.ts';
export { AgentCodes, formatAgentDiagnostic } from './diagnostics.ts';
export type { ControlPlanePort, HeartbeatPayload, HeartbeatAnswer, PortResult, ContentDirective } from './control-plane.ts';
export { contentDirectiveOf, describePortFailure } from './control-plane.ts';
export type { AlertRecord, AlertUploadPayload } from './alert.ts';
export { toUpload } from './alert.ts';
export type { AgentCredential } from './credential.ts';
export { credentialFile, readCredential, writeCredential } from './credential.ts';
export type { AgentStatus, StatusRead } from './status.ts';
export { readStatusFile } from './status.ts';
export type { Spool, SpoolOptions, SpoolRecord, SpoolStats } from './spool.ts';
export { openSpool } from './spool.ts';
export type { UnitOptions } from './systemd-unit.ts';
export { systemdUnit, unitFileName } from './systemd-unit.ts';
