// The gate's report as text for people: one line per check, then every diagnostic and warning.
import { formatContentDiagnostic } from '../diagnostics.ts';
import type { GateReport } from './gate.ts';

export function formatGateReport(report: GateReport): string {
  const lines = [`${report.pack ?? 'bundle'}: ${report.ok ? 'PASS' : 'FAIL'} (${report.mode} gate)`];
  for (const check of report.checks) {
    lines.push(`  ${check.ok ? 'ok  ' : 'FAIL'} ${check.name.padEnd(11)} ${check.summary}`);
    for (const d of check.diagnostics.slice(0, 50)) lines.push(`         ${formatContentDiagnostic(d)}`);
    if (check.diagnostics.length > 50) lines.push(`         … and ${check.diagnostics.length - 50} more`);
  }
  for (const w of report.warnings.slice(0, 50)) lines.push(`  warn ${formatContentDiagnostic(w)}`);
  return `${lines.join('\n')}\n`;
}
