/** Plain-text table of a benchmark run: medians and ratios to the baseline. */
import { type BenchResults, formatRatio, formatValue } from "./harness.ts";

function pad(s: string, n: number, right = false): string {
  return right ? s.padStart(n) : s.padEnd(n);
}

export function formatTable(results: BenchResults): string {
  const cols = results.contenders;
  const base = results.meta.baseline;
  const header = ["workload", ...cols.map((c) => c.id)];
  const rows: string[][] = [];
  for (const w of results.workloads) {
    const row = [`${w.name}${w.higherIsBetter ? "" : " (lower=better)"}`];
    for (const c of cols) {
      const cell = results.cells.find((x) => x.workload === w.name && x.contender === c.id);
      if (!cell || cell.status === "skipped") row.push("skipped");
      else if (cell.median === null) row.push("ERROR");
      else {
        const ratio = cell.medianRatio === null ? "" : ` (${formatRatio(cell.medianRatio)})`;
        row.push(
          `${formatValue(cell.median, w.unit)}${ratio}${cell.status === "partial" ? " !" : ""}`,
        );
      }
    }
    rows.push(row);
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((s, i) => pad(s, widths[i]!, i > 0)).join("  ");
  const sep = widths.map((w) => "-".repeat(w)).join("  ");
  const notes = [
    `medians of ${results.meta.runs} run(s)${results.meta.warmup ? " after 1 warm-up round" : ""}, scale ${results.meta.scale}, ${passesText(results.meta.warmupPasses ?? 1)} in each child`,
    base
      ? `(N.NNx) = median of same-run ratios to ${base}; > 1 means better than ${base} (throughput: contender/${base}; s and bytes/task: ${base}/contender)`
      : "no baseline: no ratios",
    "! = some runs failed or gave a wrong check (see results.json)",
  ];
  return [line(header), sep, ...rows.map(line), "", ...notes].join("\n");
}

/** "2 warm-up passes", "1 warm-up pass", "no warm-up pass" */
export function passesText(n: number): string {
  return n === 0 ? "no warm-up pass" : `${n} warm-up pass${n === 1 ? "" : "es"}`;
}
