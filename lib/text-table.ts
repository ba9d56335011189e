/**
 * Plain-text tables for the reports (`npm run report:cost`, `npm run report:deploy`): a header, a dashed rule
 * and the rows, columns two spaces apart, trailing spaces trimmed.
 */

/** Pads columns: the first `leftColumns` left-aligned (labels), the rest right-aligned (amounts). Defaults to 1. */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[], leftColumns = 1): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i < leftColumns ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)];
}
