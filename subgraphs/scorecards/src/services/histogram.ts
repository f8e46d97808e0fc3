/**
 * Duration histograms that can be added and subtracted, so a median or p90 can be read
 * from any union of rollup cells without keeping every sample. Buckets grow by 10% from
 * one minute up to about a year; each bucket also keeps the sum of its samples, and a
 * percentile reports the mean of the bucket holding it. That is exact whenever the samples
 * in that bucket are equal, and otherwise off by less than the bucket's 10% width.
 */
export const HISTOGRAM_BUCKETS = 140;
const FIRST = 60;
const GROWTH = Math.log(1.1);

/** The bucket of a duration in seconds: 0 holds everything under a minute. */
export function bucketOf(seconds: number): number {
  if (seconds < FIRST) return 0;
  return Math.min(HISTOGRAM_BUCKETS - 1, 1 + Math.floor(Math.log(seconds / FIRST) / GROWTH + 1e-9));
}

export interface Histogram {
  counts: Float64Array;
  sums: Float64Array;
}

export const emptyHistogram = (): Histogram => ({ counts: new Float64Array(HISTOGRAM_BUCKETS), sums: new Float64Array(HISTOGRAM_BUCKETS) });

/** Adds samples to bucket `i` (a typed array ignores a write out of range). */
function addToBucket(h: Histogram, i: number, count: number, sum: number): void {
  h.counts[i] = (h.counts[i] ?? 0) + count;
  h.sums[i] = (h.sums[i] ?? 0) + sum;
}

/** Adds every bucket of `from` to `into`. */
export function addHistogram(into: Histogram, from: Histogram): void {
  from.counts.forEach((count, i) => addToBucket(into, i, count, from.sums[i] ?? 0));
}

export interface DurationSummary {
  samples: number;
  meanSeconds: number | null;
  medianSeconds: number | null;
  p90Seconds: number | null;
}

/** Nearest-rank percentile: the smallest sample with at least q of all samples at or below it. */
export function summarize(h: Histogram): DurationSummary {
  const n = h.counts.reduce((a, b) => a + b, 0);
  const total = h.sums.reduce((a, b) => a + b, 0);
  if (n <= 0) return { samples: 0, meanSeconds: null, medianSeconds: null, p90Seconds: null };
  const at = (q: number) => {
    const rank = Math.max(1, Math.ceil(q * n));
    let seen = 0;
    for (const [i, count] of h.counts.entries()) {
      seen += count;
      if (seen >= rank) return round((h.sums[i] ?? 0) / count);
    }
    return null;
  };
  return { samples: n, meanSeconds: round(total / n), medianSeconds: at(0.5), p90Seconds: at(0.9) };
}

const round = (x: number) => Math.round(x * 10) / 10;

/** Sparse form stored in rollups: `{ "bucket": [count, sum] }`, empty buckets left out. */
export type SparseHistogram = Record<string, [number, number]>;

export function mergeSparse(target: Histogram, sparse: SparseHistogram | null | undefined): void {
  if (!sparse) return;
  for (const [b, [count, sum]] of Object.entries(sparse)) {
    addToBucket(target, Number(b), count, sum);
  }
}

/**
 * A change to one stored histogram: bucket → [count, sum] to add. The projection moves a
 * few samples per cell per batch, so it keeps only the buckets they touch.
 */
export type HistogramDelta = Map<number, [number, number]>;

export function addToDelta(delta: HistogramDelta, seconds: number, sign = 1): void {
  const b = bucketOf(seconds);
  const entry = delta.get(b);
  if (entry) {
    entry[0] += sign;
    entry[1] += sign * seconds;
  } else {
    delta.set(b, [sign, sign * seconds]);
  }
}

/** True when the delta changes nothing (samples that moved out and back into the same bucket with the same sum). */
export const isNoChange = (delta: HistogramDelta) => [...delta.values()].every(([count, sum]) => count === 0 && sum === 0);

/** The stored histogram with the delta added, in stored form (buckets left empty are dropped). */
export function withDelta(stored: SparseHistogram | null | undefined, delta: HistogramDelta): SparseHistogram {
  const out: SparseHistogram = { ...stored };
  for (const [b, [count, sum]] of delta) {
    const cur = out[b];
    const n = count + (cur?.[0] ?? 0);
    if (n === 0) delete out[b];
    // Rounded as toSparse does, so incremental and rebuilt figures stay identical.
    else out[b] = [n, Math.round((sum + (cur?.[1] ?? 0)) * 1000) / 1000];
  }
  return out;
}
