// Mann-Whitney U test, one-sided ("is the canary sample stochastically greater than the control?"),
// with the normal approximation, tie correction and continuity correction — the test canary-analysis
// systems use because it assumes nothing about the shape of CPU, memory or alert distributions.

export type MannWhitneyResult = {
  /** U of the first sample: how many (canary, control) pairs have canary > control, ties counting ½. */
  u: number;
  /** u / (n1 · n2): probability that a random canary value exceeds a random control value. */
  superiority: number;
  z: number;
  /** One-sided p-value for "first sample greater than second". 1 when there is no variation at all. */
  pValue: number;
  n1: number;
  n2: number;
};

export function mannWhitneyGreater(first: readonly number[], second: readonly number[]): MannWhitneyResult {
  const n1 = first.length;
  const n2 = second.length;
  if (n1 === 0 || n2 === 0) return { u: 0, superiority: 0.5, z: 0, pValue: 1, n1, n2 };
  const pooled = [...first.map((value) => ({ value, fromFirst: true })), ...second.map((value) => ({ value, fromFirst: false }))];
  pooled.sort((a, b) => a.value - b.value);
  const n = n1 + n2;
  let rankSumFirst = 0;
  let tieTerm = 0;
  for (let start = 0; start < n;) {
    let end = start;
    while (end + 1 < n && pooled[end + 1]!.value === pooled[start]!.value) end += 1;
    const averageRank = (start + end) / 2 + 1;
    const ties = end - start + 1;
    tieTerm += ties ** 3 - ties;
    for (let i = start; i <= end; i += 1) if (pooled[i]!.fromFirst) rankSumFirst += averageRank;
    start = end + 1;
  }
  const u = rankSumFirst - (n1 * (n1 + 1)) / 2;
  const mean = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  const superiority = u / (n1 * n2);
  if (variance <= 0) return { u, superiority, z: 0, pValue: 1, n1, n2 };
  // One-sided continuity correction: always half a step against "greater", as scipy does.
  const z = (u - mean - 0.5) / Math.sqrt(variance);
  return { u, superiority, z, pValue: 1 - standardNormalCdf(z), n1, n2 };
}

/** Φ(z) through a Chebyshev fit of erfc (fractional error below 1.2e-7), enough for p-values near 0.001. */
export function standardNormalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

function erfc(x: number): number {
  const t = 1 / (1 + 0.5 * Math.abs(x));
  const y = t * Math.exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
    t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? y : 2 - y;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
