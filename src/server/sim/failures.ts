// Failure injection: what a content version does to the simulated hosts that match a tag.
//   VERSION:crash[@TAG]       the engine crashes and restarts every heartbeat
//   VERSION:hang[@TAG]        the host goes silent as soon as it takes the version
//   VERSION:cpu:FACTOR[@TAG]  CPU × FACTOR (also rss, drops)
//   VERSION:flood:FACTOR[@TAG] alert volume × FACTOR
export type FailureKind = 'crash' | 'hang' | 'cpu' | 'rss' | 'drops' | 'flood';

export type Failure = { version: string; kind: FailureKind; factor: number; tag: string | null };

export type ParsedFailure = { kind: 'ok'; failure: Failure } | { kind: 'error'; message: string };

const pattern = /^([A-Za-z0-9][A-Za-z0-9._+-]*):(crash|hang|cpu|rss|drops|flood)(?::(\d+(?:\.\d+)?))?(?:@(.+))?$/;

export function parseFailure(text: string): ParsedFailure {
  const match = pattern.exec(text.trim());
  if (!match) return { kind: 'error', message: `Cannot parse failure "${text}": expected VERSION:KIND[:FACTOR][@TAG], KIND one of crash, hang, cpu, rss, drops, flood` };
  const kind = match[2] as FailureKind;
  const factor = match[3] === undefined ? (kind === 'flood' ? 50 : 2) : Number(match[3]);
  return { kind: 'ok', failure: { version: match[1]!, kind, factor, tag: match[4] ?? null } };
}

export function failuresFor(failures: readonly Failure[], version: string | null, tags: readonly string[]): Failure[] {
  return failures.filter((f) => f.version === version && (f.tag === null || tags.includes(f.tag)));
}
