// Coded diagnostics for content: every problem a pack, a bundle, a repository or an update can have,
// with where (file, line, rule) and why. Domain code returns these; the CLI and the agent print them.

export const ContentCodes = {
  manifestMissing: 'manifest-missing',
  manifestInvalid: 'manifest-invalid',
  packLayout: 'pack-layout',
  bundleInvalid: 'bundle-invalid',
  bundleTooLarge: 'bundle-too-large',
  testsInvalid: 'tests-invalid',
  ruleRejected: 'rule-rejected',
  ruleUntested: 'rule-untested',
  testFailed: 'test-failed',
  engineIncompatible: 'engine-incompatible',
  adversarialFailure: 'adversarial-failure',
  throughputDrop: 'throughput-drop',
  repoInvalid: 'repo-invalid',
  keyMissing: 'key-missing',
  tufRejected: 'tuf-rejected',
  downloadFailed: 'download-failed',
  versionRollback: 'version-rollback',
  versionMarkedBad: 'version-marked-bad',
  proofFailed: 'proof-failed',
  storeCorrupt: 'store-corrupt',
  importSkipped: 'import-skipped',
} as const;

export type ContentCode = (typeof ContentCodes)[keyof typeof ContentCodes];

export type ContentDiagnostic = {
  code: ContentCode;
  /** Why, in one sentence. */
  message: string;
  /** The file (path inside a pack, a bundle path, a URL) the problem is in. */
  file?: string;
  line?: number;
  ruleId?: string;
};

export function contentDiagnostic(code: ContentCode, message: string, where: Omit<ContentDiagnostic, 'code' | 'message'> = {}): ContentDiagnostic {
  return { code, message, ...where };
}

/** `file:line: rule: message [code]`, leaving out the parts that are unknown. */
export function formatContentDiagnostic(d: ContentDiagnostic): string {
  const location = d.file ? (d.line ? `${d.file}:${d.line}` : d.file) : undefined;
  const prefix = [location, d.ruleId].filter(Boolean).join(': ');
  return `${prefix ? `${prefix}: ` : ''}${d.message} [${d.code}]`;
}

/** A value or the diagnostics that explain why there is none. */
export type Result<T> = { ok: true; value: T; warnings?: ContentDiagnostic[] } | { ok: false; diagnostics: ContentDiagnostic[] };

export function ok<T>(value: T, warnings?: ContentDiagnostic[]): Result<T> {
  return warnings && warnings.length > 0 ? { ok: true, value, warnings } : { ok: true, value };
}

export function fail<T>(...diagnostics: ContentDiagnostic[]): Result<T> {
  return { ok: false, diagnostics };
}
