import { afterEach, describe, expect, it, vi } from 'vitest';
import { setCollector, trimHeap } from '../../src/heap.js';

const TRIM = { type: 'major', execution: 'async', flavor: 'last-resort' };
const MB = 1024 * 1024;

describe('trimHeap', () => {
  afterEach(() => {
    vi.runOnlyPendingTimers();
    vi.useRealTimers();
    setCollector(undefined);
  });

  it('asks for the compacting collection only past the RSS threshold, and at most every two seconds', () => {
    vi.useFakeTimers();
    const calls: unknown[] = [];
    setCollector((o) => calls.push(o));
    trimHeap(10_000, () => 80 * MB);
    expect(calls).toHaveLength(0);
    trimHeap(10_001, () => 200 * MB);
    expect(calls).toEqual([TRIM]);
    trimHeap(11_500, () => 200 * MB);
    expect(calls).toHaveLength(1);
    trimHeap(12_002, () => 200 * MB);
    expect(calls).toHaveLength(2);
  });

  it('collects once when the calls stop, whatever the RSS, and not while they go on', () => {
    vi.useFakeTimers();
    const calls: unknown[] = [];
    setCollector((o) => calls.push(o));
    for (let i = 0; i < 5; i++) {
      trimHeap(50_000 + i, () => 10 * MB);
      vi.advanceTimersByTime(1000);
    }
    expect(calls).toHaveLength(0);
    vi.advanceTimersByTime(600);
    expect(calls).toEqual([TRIM]);
    vi.advanceTimersByTime(10_000);
    expect(calls).toHaveLength(1);
  });

  it('does nothing without a collector (tests, tsc output run directly)', () => {
    vi.useFakeTimers();
    trimHeap(90_000, () => 500 * MB);
    vi.advanceTimersByTime(5000);
    expect(vi.getTimerCount()).toBe(0);
  });
});
