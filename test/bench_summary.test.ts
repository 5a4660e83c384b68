// The bench's closing summary (scripts/bench/summary.ts): geomean and worst torchlet/PyTorch time
// ratio per family and over everything, with n/a cases counted apart and never entering the means.
import { describe, expect, it } from "vitest";
import { type CaseRatio, renderSummary, summarizeGroup, summarizeRatios } from "../scripts/bench/summary.js";

const r = (family: string, c: string, threads: string, ratio: number | null): CaseRatio => ({ family, case: c, threads, ratio });

describe("bench summary", () => {
  it("takes the geometric mean and the largest ratio of a group", () => {
    const s = summarizeGroup("matmul", [r("matmul", "a", "1T", 0.5), r("matmul", "b", "1T", 2), r("matmul", "c", "2T", 1.5)]);
    expect(s.count).toBe(3);
    expect(s.missing).toBe(0);
    expect(s.geomean).toBeCloseTo(Math.cbrt(0.5 * 2 * 1.5), 12);
    expect(s.worst).toEqual(r("matmul", "b", "1T", 2));
    expect(s.slower).toBe(2);
  });

  it("counts n/a, non-finite and non-positive ratios as missing, not as values", () => {
    const s = summarizeGroup("x", [r("x", "a", "1T", null), r("x", "b", "1T", NaN), r("x", "c", "1T", 0), r("x", "d", "2T", 0.25)]);
    expect(s.count).toBe(1);
    expect(s.missing).toBe(3);
    expect(s.geomean).toBe(0.25);
    expect(s.worst?.case).toBe("d");
    expect(s.slower).toBe(0);
  });

  it("gives no geomean and no worst case for an empty group", () => {
    const s = summarizeGroup("empty", [r("empty", "a", "1T", null)]);
    expect(s.geomean).toBeNull();
    expect(s.worst).toBeNull();
  });

  it("summarizes each family in first-seen order, then all cases together", () => {
    const all = [r("train", "SGD", "1T", 0.8), r("matmul", "m", "1T", 1.25), r("train", "Adam", "2T", 0.5), r("matmul", "m", "2T", 0.4)];
    const s = summarizeRatios(all);
    expect(s.map((x) => x.group)).toEqual(["train", "matmul", "all"]);
    expect(s[0].geomean).toBeCloseTo(Math.sqrt(0.8 * 0.5), 12);
    expect(s[1].worst?.ratio).toBe(1.25);
    expect(s[2].count).toBe(4);
    expect(s[2].geomean).toBeCloseTo(Math.pow(0.8 * 1.25 * 0.5 * 0.4, 0.25), 12);
    expect(s[2].worst).toEqual(r("matmul", "m", "1T", 1.25));
    expect(s[2].slower).toBe(1);
  });

  it("prints one line per family and an 'all' line naming the worst case", () => {
    const text = renderSummary([r("matmul", "2048^3", "2T", 1.1), r("elementwise", "sum", "1T", 0.9)]);
    const lines = text.split("\n");
    expect(lines.find((l) => l.startsWith("matmul"))).toContain("2048^3 2T");
    expect(lines.find((l) => l.startsWith("elementwise"))).toContain("sum 1T");
    const allLine = lines.find((l) => l.startsWith("all"))!;
    expect(allLine).toContain("2048^3 2T");
    expect(allLine).toContain(Math.sqrt(1.1 * 0.9).toFixed(2));
  });
});
