// Robust statistics for baselines: median and MAD resist the very outliers we are looking for, where a mean and
// standard deviation would be dragged towards them. Poisson tails judge small counts, where MAD is often zero.

/** Median of `values` (sorted in place). 0 for an empty list. */
export function median(values: number[]): number {
  const n = values.length;
  if (n === 0) return 0;
  values.sort((a, b) => a - b);
  const mid = n >> 1;
  return n % 2 === 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}

export interface Baseline {
  median: number;
  /** 1.4826 × MAD: the standard deviation a normal distribution with this MAD would have. */
  spread: number;
}

/** Median and MAD-derived spread of counts per bucket. `values` is reordered. */
export function baselineOf(values: number[]): Baseline {
  const m = median(values);
  const dev = values.map((v) => Math.abs(v - m));
  return { median: m, spread: 1.4826 * median(dev) };
}

/**
 * How surprising `observed` is above `expected` for a count: -log10 of the Poisson upper tail P(X >= observed).
 * 0 when observed <= expected. Computed in log space so large counts neither overflow nor underflow.
 */
export function poissonSurprise(observed: number, expected: number): number {
  if (observed <= expected || observed <= 0) return 0;
  const lambda = Math.max(expected, 1e-9);
  // P(X >= k) = sum_{i>=k} e^-λ λ^i / i!; summed from k upwards in log space until terms stop mattering.
  const k = Math.floor(observed);
  let logTerm = -lambda + k * Math.log(lambda) - logFactorial(k);
  let logSum = logTerm;
  for (let i = k + 1; i < k + 1000; i++) {
    logTerm += Math.log(lambda / i);
    if (logTerm < logSum - 40) break;
    logSum = logAdd(logSum, logTerm);
  }
  return Math.max(0, -logSum / Math.LN10);
}

/** -log10 of the Poisson lower tail P(X <= observed): how surprising so few events are. 0 when observed >= expected. */
export function poissonLowSurprise(observed: number, expected: number): number {
  if (observed >= expected) return 0;
  const k = Math.max(0, Math.floor(observed));
  let logSum = -Infinity;
  for (let i = 0; i <= k; i++) logSum = logAdd(logSum, -expected + i * Math.log(expected) - logFactorial(i));
  return Math.max(0, -logSum / Math.LN10);
}

function logAdd(a: number, b: number): number {
  if (a === -Infinity) return b;
  const hi = Math.max(a, b);
  return hi + Math.log(Math.exp(a - hi) + Math.exp(b - hi));
}

const LOG_FACTORIALS: number[] = [0];

/** ln(k!) exactly for small k, by Stirling's series beyond. */
export function logFactorial(k: number): number {
  if (k < 256) {
    for (let i = LOG_FACTORIALS.length; i <= k; i++) LOG_FACTORIALS.push(LOG_FACTORIALS[i - 1] + Math.log(i));
    return LOG_FACTORIALS[k];
  }
  return k * Math.log(k) - k + 0.5 * Math.log(2 * Math.PI * k) + 1 / (12 * k);
}

/** Maps a non-negative strength onto 0..1 smoothly: `half` gives 0.5, large values approach 1. */
export function saturate(x: number, half: number): number {
  return x <= 0 ? 0 : x / (x + half);
}
