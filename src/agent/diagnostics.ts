// Coded diagnostics for the agent's boundaries (config file, rule files, spool, control plane): each
// says where (file, line, key) and why. The step runner and the CLI turn them into messages and exit codes.

export const AgentCodes = {
  configUnreadable: 'agent.config.unreadable',
  configSyntax: 'agent.config.syntax',
  configInvalid: 'agent.config.invalid',
  rulesUnreadable: 'agent.rules.unreadable',
  rulesRejected: 'agent.rules.rejected',
  rulesEmpty: 'agent.rules.empty',
  contentUnavailable: 'agent.content.unavailable',
  sensorsInvalid: 'agent.sensors.invalid',
  spoolUnavailable: 'agent.spool.unavailable',
  outputUnavailable: 'agent.output.unavailable',
  credentialInvalid: 'agent.credential.invalid',
  stepFailed: 'agent.step.failed',
} as const;
export type AgentCode = (typeof AgentCodes)[keyof typeof AgentCodes];

export type AgentDiagnostic = { code: AgentCode; message: string; file?: string; line?: number; key?: string };

export function agentDiagnostic(code: AgentCode, message: string, where: Omit<AgentDiagnostic, 'code' | 'message'> = {}): AgentDiagnostic {
  return { code, message, ...where };
}

/** `file:line: key: message (code)`, leaving out what is unknown. */
export function formatAgentDiagnostic(d: AgentDiagnostic): string {
  const place = [d.file, d.line === undefined ? undefined : String(d.line)].filter((p) => p !== undefined).join(':');
  return `${place === '' ? '' : `${place}: `}${d.key === undefined ? '' : `${d.key}: `}${d.message} (${d.code})`;
}

export type AgentResult<T> = { ok: true; value: T } | { ok: false; diagnostics: AgentDiagnostic[] };
