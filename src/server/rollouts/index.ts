// The public surface of the rollout engine: what the server's module list, the CLI and the simulator use.
export { createRolloutService, type RolloutService, type RolloutStatus, type TickOutcome, type OperatorAction } from './service.ts';
export { rolloutRoutes, rolloutDirectiveSource } from './routes.ts';
export { rolloutMigrations } from './storage/migrations.ts';
export { startRolloutTicker } from './ticker.ts';
export { defaultJudgeConfig, type JudgeConfig } from './judge/judge-config.ts';
export { defaultRingPlan, parseRingPlan, type RingPlan } from './ring-plan.ts';
export { parseGroupPolicy, parseDuration, formatGroupPolicy, type GroupPolicy } from './policy.ts';
export type * from './api-types.ts';
