/**
 * Hand-written SVG grouped bar chart of a benchmark run: for each workload, one bar per
 * contender showing its median same-run ratio to the baseline (CPython asyncio), where
 * > 1 means better. Log scale (bars grow up from 1 when better, down when worse) when
 * the ratios span a wide range, linear (bars from 0) otherwise. No dependencies.
 */
import type { BenchResults, ContenderId } from "./harness.ts";
import { formatRatio, formatValue } from "./harness.ts";
import { passesText } from "./table.ts";

export const CONTENDER_COLORS: Record<ContenderId, string> = {
  cpython: "#0072B2",
  uvloop: "#009E73",
  node: "#7F7F7F",
  "ts-gen": "#E69F00",
  "ts-async": "#D55E00",
};

const esc = (s: string): string =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

const fmt = (x: number): string => (Math.round(x * 10) / 10).toString();

/** 1-2-5 sequence values between lo and hi (inclusive), e.g. 0.1 0.2 0.5 1 2 5 10. */
function ticks125(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(lo)) - 1; e <= Math.ceil(Math.log10(hi)) + 1; e++) {
    for (const m of [1, 2, 5]) {
      const v = Number((m * 10 ** e).toPrecision(12));
      if (v >= lo * 0.999 && v <= hi * 1.001) out.push(v);
    }
  }
  return out;
}

function niceStep(range: number, target: number): number {
  const raw = range / target;
  const e = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * e >= raw) return m * e;
  return 10 * e;
}

function tickLabel(v: number): string {
  if (v >= 1) return `${Number(v.toPrecision(6))}×`;
  return `${Number(v.toPrecision(3))}×`;
}

export function renderSvg(results: BenchResults): string {
  const { meta } = results;
  const baseline = meta.baseline;
  const baseLabel = baseline
    ? (results.contenders.find((c) => c.id === baseline)?.label ?? baseline)
    : "baseline";
  const workloads = results.workloads;
  const cell = (w: string, c: ContenderId) =>
    results.cells.find((x) => x.workload === w && x.contender === c);

  // Contenders drawn as bars: everything but the baseline that has at least one ratio.
  const drawn = results.contenders
    .map((c) => c.id)
    .filter((id) => id !== baseline)
    .filter((id) => workloads.some((w) => cell(w.name, id)?.medianRatio != null));
  const notDrawn = results.contenders
    .filter((c) => c.id !== baseline && !drawn.includes(c.id))
    .map((c) => {
      const why =
        c.reason ??
        workloads.map((w) => cell(w.name, c.id)?.reason).find((r) => r !== undefined) ??
        "no results";
      return `${c.id} (${c.available ? why : (c.reason ?? "unavailable")})`;
    });

  const ratios: number[] = [1];
  for (const w of workloads) {
    for (const id of drawn) {
      const r = cell(w.name, id)?.medianRatio;
      if (r != null && r > 0) ratios.push(r);
    }
  }
  const lo = Math.min(...ratios);
  const hi = Math.max(...ratios);
  const logScale = hi / lo > 8;

  // Layout.
  const barW = 16;
  const groupW = Math.max(64, Math.max(1, drawn.length) * barW + 28);
  const marginL = 84;
  const marginR = 28;
  const plotTop = 124;
  const plotH = 340;
  const plotBottom = plotTop + plotH;
  const plotW = workloads.length * groupW;
  const width = Math.max(980, marginL + plotW + marginR);
  const xLabelH = 128;
  const footY = plotBottom + xLabelH;
  const height = footY + 66;
  const plotLeft = marginL + Math.max(0, (width - marginL - marginR - plotW) / 2);

  // Y scale.
  let y: (v: number) => number;
  let ticks: number[];
  let barBase: number;
  if (logScale) {
    // Room beyond the extreme bars for their rotated value labels.
    const dLo = Math.min(0.5, lo / 2);
    const dHi = Math.max(2, hi * 2);
    const allTicks = ticks125(dLo, dHi);
    const l0 = Math.log10(dLo);
    const l1 = Math.log10(dHi);
    y = (v) => plotBottom - ((Math.log10(v) - l0) / (l1 - l0)) * plotH;
    const isPow10 = (t: number) => Math.abs(Math.log10(t) - Math.round(Math.log10(t))) < 1e-9;
    ticks = allTicks.length > 13 ? allTicks.filter(isPow10) : allTicks;
    barBase = 1;
  } else {
    const top = hi * 1.15;
    const step = niceStep(top, 6);
    const dHi = Math.ceil(top / step) * step;
    y = (v) => plotBottom - (v / dHi) * plotH;
    ticks = [];
    for (let t = 0; t <= dHi + step / 2; t += step) ticks.push(Number(t.toPrecision(10)));
    barBase = 0;
  }

  const out: string[] = [];
  const push = (s: string) => out.push(s);
  push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" role="img">`,
  );
  push(
    `<title>asyncio-ts benchmarks: speed relative to ${esc(baseLabel)} (higher is better)</title>`,
  );
  push(`<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`);

  // Title and subtitle.
  push(
    `<text x="${marginL}" y="30" font-size="20" font-weight="bold" fill="#222">asyncio-ts benchmarks — relative to ${esc(baseLabel)} (higher is better)</text>`,
  );
  push(
    `<text x="${marginL}" y="52" font-size="12.5" fill="#444">Each bar: median over ${meta.runs} run${meta.runs === 1 ? "" : "s"} of the contender's ratio to ${esc(baseLabel)} measured in the same run.</text>`,
  );
  push(
    `<text x="${marginL}" y="69" font-size="12.5" fill="#444">Throughput workloads: contender ÷ baseline. Seconds (tree_*) and bytes/task (memory): baseline ÷ contender. Up is always better.</text>`,
  );

  // Legend.
  let lx = marginL;
  const ly = 96;
  push(
    `<line x1="${lx}" y1="${ly}" x2="${lx + 26}" y2="${ly}" stroke="#222" stroke-width="2" stroke-dasharray="6 3"/>`,
  );
  const baseText = `${baseLabel} = 1× (baseline)`;
  push(`<text x="${lx + 32}" y="${ly + 4}" font-size="13" fill="#222">${esc(baseText)}</text>`);
  lx += 40 + baseText.length * 7;
  for (const id of drawn) {
    const label = results.contenders.find((c) => c.id === id)?.label ?? id;
    push(
      `<rect x="${lx}" y="${ly - 7}" width="14" height="14" fill="${CONTENDER_COLORS[id]}" rx="2"/>`,
    );
    push(`<text x="${lx + 20}" y="${ly + 4}" font-size="13" fill="#222">${esc(label)}</text>`);
    lx += 34 + label.length * 7;
  }

  // Group bands, grid and ticks.
  workloads.forEach((_, i) => {
    if (i % 2 === 1) {
      push(
        `<rect x="${fmt(plotLeft + i * groupW)}" y="${plotTop}" width="${groupW}" height="${plotH}" fill="#f3f5f8"/>`,
      );
    }
  });
  for (const t of ticks) {
    const ty = y(t);
    if (ty < plotTop - 0.5 || ty > plotBottom + 0.5) continue;
    push(
      `<line x1="${plotLeft}" y1="${fmt(ty)}" x2="${fmt(plotLeft + plotW)}" y2="${fmt(ty)}" stroke="#d9dde3" stroke-width="1"/>`,
    );
    push(
      `<text x="${plotLeft - 8}" y="${fmt(ty + 4)}" font-size="12" fill="#333" text-anchor="end">${tickLabel(t)}</text>`,
    );
  }
  push(
    `<line x1="${plotLeft}" y1="${plotTop}" x2="${plotLeft}" y2="${plotBottom}" stroke="#333" stroke-width="1"/>`,
  );
  push(
    `<line x1="${plotLeft}" y1="${plotBottom}" x2="${fmt(plotLeft + plotW)}" y2="${plotBottom}" stroke="#333" stroke-width="1"/>`,
  );
  const yMid = plotTop + plotH / 2;
  const yTitle = `× ${baseLabel} (higher is better${logScale ? ", log scale" : ""})`;
  push(
    `<text x="22" y="${yMid}" font-size="13" fill="#222" text-anchor="middle" transform="rotate(-90 22 ${yMid})">${esc(yTitle)}</text>`,
  );

  // Bars.
  const y1 = y(1);
  const yBase = y(barBase);
  workloads.forEach((w, i) => {
    const gx = plotLeft + i * groupW + (groupW - drawn.length * barW) / 2;
    drawn.forEach((id, j) => {
      const c = cell(w.name, id);
      const x = gx + j * barW;
      const cx = x + barW / 2;
      const r = c?.medianRatio;
      if (r == null || !(r > 0)) {
        const why = c?.status === "skipped" ? "skipped" : c?.status === "error" ? "error" : "n/a";
        push(
          `<text x="${fmt(cx + 3)}" y="${fmt(yBase - 4)}" font-size="9.5" fill="#999" transform="rotate(-90 ${fmt(cx + 3)} ${fmt(yBase - 4)})">${why}</text>`,
        );
        return;
      }
      const ry = Math.min(plotBottom, Math.max(plotTop, y(r)));
      const top = Math.min(ry, yBase);
      const h = Math.max(1, Math.abs(yBase - ry));
      const tip = `${w.name} — ${results.contenders.find((k) => k.id === id)?.label ?? id}: ${formatRatio(r)} (median ${c?.median != null ? formatValue(c.median, w.unit) : "?"}${c?.status === "partial" ? ", some runs failed" : ""})`;
      push(
        `<rect x="${fmt(x + 1)}" y="${fmt(top)}" width="${barW - 2}" height="${fmt(h)}" fill="${CONTENDER_COLORS[id]}"><title>${esc(tip)}</title></rect>`,
      );
      const up = ry <= yBase;
      const ty = up ? ry - 4 : ry + 4;
      push(
        `<text x="${fmt(cx + 3.5)}" y="${fmt(ty)}" font-size="10" fill="#222" text-anchor="${up ? "start" : "end"}" transform="rotate(-90 ${fmt(cx + 3.5)} ${fmt(ty)})">${formatRatio(r)}${c?.status === "partial" ? "!" : ""}</text>`,
      );
    });
    // Workload label (rotated) and unit.
    const lxw = plotLeft + i * groupW + groupW / 2;
    const lyw = plotBottom + 16;
    push(
      `<text x="${fmt(lxw)}" y="${lyw}" font-size="12.5" fill="#222" text-anchor="end" transform="rotate(-35 ${fmt(lxw)} ${lyw})">${esc(w.name)}<tspan fill="#777" font-size="10.5" dx="5">(${esc(w.unit)})</tspan></text>`,
    );
  });

  // Baseline reference line at 1x, drawn over the bars.
  push(
    `<line x1="${plotLeft}" y1="${fmt(y1)}" x2="${fmt(plotLeft + plotW)}" y2="${fmt(y1)}" stroke="#222" stroke-width="2" stroke-dasharray="6 3"/>`,
  );

  // Footnote.
  const foot1 = `${meta.date.slice(0, 16).replace("T", " ")} UTC · ${meta.host.cpu} (${meta.host.cores} cores) · Node ${meta.node}${meta.python ? ` · Python ${meta.python}` : ""}${meta.uvloop ? ` · uvloop ${meta.uvloop}` : ""}${meta.commit ? ` · commit ${meta.commit}` : ""}`;
  const foot2 = `scale ${meta.scale}${meta.scale === 1 ? " (full sizes)" : ""} · ${meta.runs} run${meta.runs === 1 ? "" : "s"}${meta.warmup ? " after 1 warm-up round" : ", no warm-up round"} · each run of each contender in its own process, after ${passesText(meta.warmupPasses ?? 1)}`;
  const foot3 = notDrawn.length ? `not shown: ${notDrawn.join(", ")}` : "";
  push(`<text x="${marginL}" y="${footY + 18}" font-size="11" fill="#555">${esc(foot1)}</text>`);
  push(`<text x="${marginL}" y="${footY + 36}" font-size="11" fill="#555">${esc(foot2)}</text>`);
  if (foot3) {
    push(`<text x="${marginL}" y="${footY + 54}" font-size="11" fill="#555">${esc(foot3)}</text>`);
  }
  push("</svg>");
  return `${out.join("\n")}\n`;
}
