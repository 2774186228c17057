// Reads the server's Prometheus text between two scrapes: request latency and grouped-write figures
// for one benchmark step, as the server itself saw them.

type Sample = { name: string; labels: Record<string, string>; value: number };
export type Scrape = Sample[];

/** `token`: an admin or metrics token (/metrics is not public by default). */
export async function scrape(url: string, token: string): Promise<Scrape> {
  const response = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  if (!response.ok) throw new Error(`GET /metrics answered ${response.status}`);
  const text = await response.text();
  const samples: Sample[] = [];
  for (const match of text.matchAll(/^([a-zA-Z_:][\w:]*)(?:\{([^}]*)\})? (\S+)$/gm)) {
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)) labels[pair[1]!] = pair[2]!;
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

function pick(samples: Scrape, name: string, labels: Record<string, string>): Sample[] {
  return samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
}

function total(samples: Scrape, name: string, labels: Record<string, string>): number {
  return pick(samples, name, labels).reduce((sum, s) => sum + s.value, 0);
}

/** Upper bound (ms) of the histogram bucket holding the p-th quantile of what was observed between the scrapes. */
export function quantileAtMost(before: Scrape, after: Scrape, histogram: string, labels: Record<string, string>, p: number): number | null {
  const bucketName = `${histogram}_bucket`;
  const count = total(after, bucketName, { ...labels, le: '+Inf' }) - total(before, bucketName, { ...labels, le: '+Inf' });
  if (count === 0) return null;
  const bounds = [...new Set(pick(after, bucketName, labels).map((s) => s.labels.le!))].filter((le) => le !== '+Inf').map(Number).sort((a, b) => a - b);
  for (const le of bounds) {
    const key = { ...labels, le: String(le) };
    if (total(after, bucketName, key) - total(before, bucketName, key) >= count * p) return le * 1000;
  }
  return Infinity;
}

/** Grouped writes of one table between the scrapes: how many, rows per write, and write time (round trip). */
export function writeBatches(before: Scrape, after: Scrape, table: string) {
  const labels = { table };
  const diff = (name: string) => total(after, name, labels) - total(before, name, labels);
  const batches = diff('ring3_store_write_batch_size_count');
  if (batches === 0) return { batches: 0 };
  const round = (n: number) => Math.round(n * 10) / 10;
  // The size histogram's bounds are row counts; quantileAtMost reads bounds as seconds.
  const rowsMax = quantileAtMost(before, after, 'ring3_store_write_batch_size', labels, 1);
  return {
    batches,
    rows_mean: round(diff('ring3_store_write_batch_size_sum') / batches),
    rows_max_at_most: rowsMax === null ? null : rowsMax / 1000,
    ms_mean: round((diff('ring3_store_write_batch_seconds_sum') / batches) * 1000),
    ms_p99_at_most: quantileAtMost(before, after, 'ring3_store_write_batch_seconds', labels, 0.99),
  };
}
