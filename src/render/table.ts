// A cell or value never spans lines: cluster text in it cannot fake a row or a line of ours.
const flat = (s: string) => (/[\r\n\t\v\f\u2028\u2029]/.test(s) ? s.replace(/\s+/g, ' ') : s);

/** Left-aligned columns separated by three spaces, like kubectl's tab writer. */
export function table(headers: readonly string[], cells: readonly (readonly string[])[]): string {
  const rows = cells.map((r) => r.map(flat));
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('   ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

/** "key: value" lines with aligned values, skipping empty values. */
export function fields(pairs: readonly (readonly [string, string | number | boolean | undefined | null])[]): string {
  const kept = pairs.filter(([, v]) => v !== undefined && v !== null && v !== '');
  const w = Math.max(0, ...kept.map(([k]) => k.length)) + 1;
  return kept.map(([k, v]) => `${`${k}:`.padEnd(w)} ${flat(String(v))}`).join('\n');
}
