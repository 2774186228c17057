// Events reach the agent's engine in batches: a sensor worker posts an array of events, structured
// clone decodes the whole message, and only then does the main thread evaluate its events one by one
// (src/sensors/worker-sensor.ts; the readers post up to 512–1,024 events per read). The Sigma
// benchmarks run that shape over JSON Lines: decode a batch of lines, then evaluate its events.
// Decoding and evaluating alternately per event (`perEvent`) is timed beside it: each then evicts
// the other's code and data from the first-level caches, which costs the pair ~5 % more.

/** Events per decoded batch: fewer than a sensor read delivers under load (the figures hardly move
 * between 8 and 500). */
export const batchEvents = 64;

export type Decoded = Record<string, unknown>;

const batch: Decoded[] = new Array<Decoded>(batchEvents);

/** Lines [from, to) decoded batch by batch, each batch then handed to `evaluate` event by event
 * (`index`: the line's index). Without `evaluate`, only the decoding: the floor. */
export function inBatches(lines: readonly string[], from: number, to: number, evaluate?: (event: Decoded, index: number) => void): void {
  for (let start = from; start < to; start += batchEvents) {
    const end = Math.min(to, start + batchEvents);
    for (let i = start; i < end; i++) batch[i - start] = JSON.parse(lines[i]!) as Decoded;
    if (evaluate) for (let i = start; i < end; i++) evaluate(batch[i - start]!, i);
  }
}

/** Each line decoded and evaluated before the next is decoded. */
export function perEvent(lines: readonly string[], from: number, to: number, evaluate: (event: Decoded, index: number) => void): void {
  for (let i = from; i < to; i++) evaluate(JSON.parse(lines[i]!) as Decoded, i);
}
