// Coded diagnostics of the rollout domain. Domain code returns them; the HTTP routes turn them into
// 4xx responses and the CLI into exit codes.

export const RolloutCodes = {
  invalidPlan: 'rollout-invalid-plan',
  invalidPolicy: 'rollout-invalid-policy',
  invalidTransition: 'rollout-invalid-transition',
  alreadyActive: 'rollout-already-active',
  notFound: 'rollout-not-found',
  badVersion: 'rollout-bad-version',
  invalidRequest: 'rollout-invalid-request',
} as const;

export type RolloutCode = (typeof RolloutCodes)[keyof typeof RolloutCodes];

export type RolloutDiagnostic = {
  code: RolloutCode;
  /** Why, in one sentence. */
  message: string;
  /** Where, e.g. `plan.rings[2].percent` or `rollout r-12`. */
  where?: string;
};

export type Result<T> = { kind: 'ok'; value: T } | { kind: 'error'; diagnostics: RolloutDiagnostic[] };

export function ok<T>(value: T): Result<T> {
  return { kind: 'ok', value };
}

export function fail<T>(code: RolloutCode, message: string, where?: string): Result<T> {
  return { kind: 'error', diagnostics: [where === undefined ? { code, message } : { code, message, where }] };
}

export function formatRolloutDiagnostic(d: RolloutDiagnostic): string {
  return d.where ? `${d.where}: ${d.message}` : d.message;
}
