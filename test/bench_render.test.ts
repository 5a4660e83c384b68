// The bench's tables (scripts/bench/render.ts) for issue 16's rows: a row that isn't bandwidth-bound
// (the small-op overhead) gets no fraction of the copy's GB/s, the others do; the train table names
// each MLP case by its label, and rows of files written before the label existed by the lecture's step.
// The GC table gives mark-compacts per 100 calls and the pause share of the mean call, per thread count.
import { describe, expect, it } from "vitest";
import { type EwSection, renderElementwise, renderTrain } from "../scripts/bench/render.js";
import { renderGcShare } from "../scripts/bench/gc_share.js";
import { collectGarbage, measure } from "../scripts/bench/harness.js";

const stat = (ms: number) => ({ medianMs: ms, minMs: ms, meanMs: ms, samples: 5, callsPerSample: 1 });

describe("bench tables", () => {
  it("shows x/copy for bandwidth-bound rows only", () => {
    const sec: EwSection = {
      numel: 1 << 24,
      plainCopy: stat(10),
      rows: [
        { id: "copy_", label: "copy_", bytes: 8e6, results: { "native-1t": stat(1), "native-2t": stat(1), js: stat(4) } },
        { id: "chain4m", label: "chain", bytes: 4e6, results: { "native-1t": stat(1), "native-2t": stat(1), js: stat(4) } },
        { id: "small_add", label: "small", bytes: 192, bandwidthBound: false, results: { "native-1t": stat(1), "native-2t": stat(1), js: stat(4) } },
      ],
    };
    const lines = renderElementwise(sec, "median").split("\n");
    const cells = (label: string) => lines.find((l) => l.startsWith(label))!.trim().split(/\s+/);
    // label, nat 1T, nat 2T, JS, 1T/copy, 2T/copy, JS/copy, nat1T/JS
    expect(cells("chain").slice(4, 6)).toEqual(["0.50", "0.50"]);
    expect(cells("small")).toHaveLength(5);  // label, three rates, nat1T/JS
  });

  it("names train rows by their label, old rows by the lecture's step", () => {
    const text = renderTrain(
      [
        { id: "wide2048-b512:SGD", label: "784-2048-2048-10, batch 512, SGD", optimizer: "SGD", results: { "native-1t": stat(100) } },
        { optimizer: "Adam", results: { "native-1t": stat(3) } },
      ],
      "median",
    );
    expect(text).toContain("784-2048-2048-10, batch 512, SGD");
    expect(text).toContain("lecture 784-512-512-10, batch 64, Adam");
  });

  it("reports V8's collections per call, and nothing for results without counts", () => {
    const gc = (major: number, pauseMs: number) => ({ major, minor: 0, pauseMs });
    const text = renderGcShare("sequence", [
      { label: "step", results: { "native-1t": { ...stat(10), gc: gc(0.25, 0.5) }, "native-2t": { ...stat(5), gc: gc(0.5, 1) } } },
    ]);
    const cells = text.split("\n").find((l) => l.startsWith("step"))!.trim().split(/\s+/);
    expect(cells.slice(1)).toEqual(["25.0", "5.0", "50.0", "20.0"]);
    expect(renderGcShare("train", [{ label: "old", results: { "native-1t": stat(1) } }])).toBe("");
  });

  it("counts the collections of the timed calls (each call here forces a full one)", () => {
    const r = measure(collectGarbage, { warmupMs: 0, budgetMs: 0, minSamples: 3, maxSamples: 3 });
    expect(r.gc!.major).toBeGreaterThanOrEqual(1);
    expect(r.gc!.pauseMs).toBeGreaterThan(0);
    const quiet = measure(() => 1 + 1, { warmupMs: 0, budgetMs: 0, minSamples: 3, maxSamples: 3 });
    expect(quiet.gc!.major).toBe(0);
  });
});
