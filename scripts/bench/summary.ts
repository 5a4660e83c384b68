// The last lines of `npm run bench:torch`: per family and over all measured cases, the geometric
// mean and the worst of the torchlet/PyTorch time ratios (issue 16's targets: every ratio <= 1.0,
// geomean <= 0.7). The ratios come from the "cases" list scripts/bench_torch.py writes into its
// bench-torch-*.json (time ratios, > 1 = torchlet slower, rate ratios already inverted there).
// Pure: no measuring, no files.
import { Table } from "./report.js";

/** One measured comparison: torchlet's time over PyTorch's, or null where either side is n/a. */
export interface CaseRatio {
  family: string;
  case: string;
  /** "1T" or "2T". */
  threads: string;
  ratio: number | null;
}

export interface RatioSummary {
  /** The family's name, or "all". */
  group: string;
  /** Ratios that entered the summary (finite and > 0). */
  count: number;
  /** Cases without a usable ratio (n/a on either side). */
  missing: number;
  geomean: number | null;
  worst: CaseRatio | null;
  /** Ratios above 1.0 (torchlet slower). */
  slower: number;
}

const usable = (r: CaseRatio): r is CaseRatio & { ratio: number } => r.ratio !== null && Number.isFinite(r.ratio) && r.ratio > 0;

/** Geomean, worst and count of slower cases of one group of ratios. */
export function summarizeGroup(group: string, ratios: readonly CaseRatio[]): RatioSummary {
  const ok = ratios.filter(usable);
  let worst: CaseRatio | null = null;
  for (const r of ok) if (worst === null || r.ratio > (worst.ratio as number)) worst = r;
  return {
    group,
    count: ok.length,
    missing: ratios.length - ok.length,
    geomean: ok.length ? Math.exp(ok.reduce((s, r) => s + Math.log(r.ratio), 0) / ok.length) : null,
    worst,
    slower: ok.filter((r) => r.ratio > 1).length,
  };
}

/** One summary per family, in the order families first appear, then one over all cases. */
export function summarizeRatios(ratios: readonly CaseRatio[]): RatioSummary[] {
  const families = [...new Set(ratios.map((r) => r.family))];
  return [...families.map((f) => summarizeGroup(f, ratios.filter((r) => r.family === f))), summarizeGroup("all", ratios)];
}

export function renderSummary(ratios: readonly CaseRatio[]): string {
  const tb = new Table(
    "summary: torchlet time / PyTorch time over the measured cases (issue 16 targets: worst <= 1.0, geomean <= 0.7)",
    ["family", "cases", "n/a", "geomean", "worst", "worst case", "> 1.0"],
    [0, 0, 0, 2, 2, 0, 0],
  );
  for (const s of summarizeRatios(ratios)) {
    const w = s.worst;
    tb.add([s.group, String(s.count), String(s.missing), s.geomean ?? NaN, w?.ratio ?? NaN, w ? `${w.case} ${w.threads}` : "-", String(s.slower)]);
  }
  return `${tb}\n  Rates (GFLOP/s, GB/s) enter as their inverse, so every ratio is a time ratio: < 1 = torchlet faster.`;
}
