import { addToDelta, bucketOf, emptyHistogram, isNoChange, mergeSparse, summarize, withDelta, type HistogramDelta } from './histogram';

describe('histogram deltas (what the projection applies to stored cells)', () => {
  it('adds and removes samples, dropping buckets left empty and rounding sums as stored', () => {
    const delta: HistogramDelta = new Map();
    addToDelta(delta, 3600);
    addToDelta(delta, 3600.0004);
    addToDelta(delta, 30, -1);
    const stored = { [bucketOf(30)]: [1, 30] as [number, number], [bucketOf(86400)]: [2, 172800] as [number, number] };
    expect(withDelta(stored, delta)).toEqual({ [bucketOf(3600)]: [2, 7200], [bucketOf(86400)]: [2, 172800] });
    expect(withDelta(undefined, delta)).toEqual({ [bucketOf(30)]: [-1, -30], [bucketOf(3600)]: [2, 7200] });
    expect(stored[bucketOf(30)]).toEqual([1, 30]);
  });

  it('sees a change of sum within one bucket as a change, and a sample moved out and back as none', () => {
    const moved: HistogramDelta = new Map();
    addToDelta(moved, 3600, -1);
    addToDelta(moved, 3610);
    expect(bucketOf(3600)).toBe(bucketOf(3610));
    expect(isNoChange(moved)).toBe(false);
    expect(withDelta({ [bucketOf(3600)]: [1, 3600] }, moved)).toEqual({ [bucketOf(3600)]: [1, 3610] });
    const back: HistogramDelta = new Map();
    addToDelta(back, 3600, -1);
    addToDelta(back, 3600);
    expect(isNoChange(back)).toBe(true);
  });

  it('reads the median and p90 as the mean of the bucket holding that rank', () => {
    const h = emptyHistogram();
    mergeSparse(h, { [bucketOf(1800)]: [2, 3600], [bucketOf(14400)]: [1, 14400], [bucketOf(36000)]: [1, 36000] });
    expect(summarize(h)).toEqual({ samples: 4, meanSeconds: 13500, medianSeconds: 1800, p90Seconds: 36000 });
  });
});
