// The public surface of src/content: pack format, release gate, TUF repository and client, and the
// on-host content store the agent calls (see README.md and docs/content.md).
export type { ContentCode, ContentDiagnostic, Result } from './diagnostics.ts';
export { ContentCodes, formatContentDiagnostic } from './diagnostics.ts';
export type { PackManifest, RuleAttribution } from './manifest.ts';
export { parseManifest, packId, manifestFile } from './manifest.ts';
export type { Pack, PackFile } from './bundle.ts';
export { decodeBundle, encodeBundle, bundleExtension, sha256Hex } from './bundle.ts';
export { buildPack, loadPack, readPackDir, writeFileAtomic } from './pack-dir.ts';
export { compareVersions, satisfies } from './semver.ts';
// Release gate
export type { GateReport, GateSettings, GateCheck } from './gate/gate.ts';
export { runGate } from './gate/gate.ts';
export { runGateInWorker, defaultReleaseLimits, defaultHostLimits } from './gate/run-in-worker.ts';
export type { WorkerLimits } from './gate/run-in-worker.ts';
export { formatGateReport } from './gate/report.ts';
export { currentEngineVersion } from './gate/engine-version.ts';
export { compilePackRules } from './gate/pack-rules.ts';
// TUF
export { initRepo, publishBundle, refreshTimestamp, rotateKeys, delegate } from './tuf/repo.ts';
export type { InitOptions, PublishResult } from './tuf/repo.ts';
export { repoPaths } from './tuf/repo-metadata.ts';
export { generateSigningKey, saveSigningKey, loadSigningKeyFile } from './tuf/keys.ts';
export type { PublicKeyJson } from './tuf/keys.ts';
export { checkForUpdate } from './tuf/client.ts';
export type { TufClientOptions, UpdateCheck } from './tuf/client.ts';
// On-host store, update path, crash-loop guard, run-time budget
export { openStore } from './store/store.ts';
export type { ContentStore, ActiveContent, StoreStatus } from './store/store.ts';
export type { StoreEvent, VersionRef } from './store/store-state.ts';
export { runUpdate, startUpdateLoop, nextPollDelayMs } from './store/update.ts';
export type { UpdateOptions, UpdateOutcome, Prover, ProofReport, UpdateLoop } from './store/update.ts';
export { createWorkerProver } from './store/prove.ts';
export { guardAgentStart, confirmIfStable, defaultCrashLoopPolicy } from './store/crash-guard.ts';
export type { CrashLoopPolicy, StartDecision } from './store/crash-guard.ts';
// The starter pack shipped with ring3 (what `npm start` runs with until the first update).
export { starterPackDir } from './starter.ts';
