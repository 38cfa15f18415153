// The completion-index ranges Indexed Jobs report ("0-2,4" in completedIndexes and failedIndexes).

/** "0-2,4" → [0, 1, 2, 4]; at most `max` indexes, so a hostile range cannot exhaust memory. */
export function parseIndexes(s: string | undefined, max = 100_000): number[] {
  const out: number[] = [];
  for (const part of (s ?? '').split(',').filter(Boolean)) {
    const [a, b] = part.split('-').map(Number) as [number, number | undefined];
    for (let i = a; i <= (b ?? a) && out.length < max; i++) out.push(i);
  }
  return out;
}

/** [0, 1, 2, 4] → "0-2,4", as the Job controller writes it. */
export function formatIndexes(list: number[]): string {
  const sorted = [...new Set(list)].sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && (sorted[j + 1] as number) === (sorted[j] as number) + 1) j++;
    out.push(i === j ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return out.join(',');
}
