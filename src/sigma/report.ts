// Short human text for a diagnostic when file and rule are already shown beside it.
import type { Diagnostic } from './diagnostics.ts';

export function formatReason(d: Diagnostic | undefined): string {
  if (!d) return 'rejected';
  return `${d.keyPath ? `${d.keyPath}: ` : ''}${d.message}${d.line ? ` (line ${d.line})` : ''}`;
}
