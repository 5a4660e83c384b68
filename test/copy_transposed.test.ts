// Copies whose output is contiguous along one dim while the input is along another (x.t().contiguous(),
// permuted attention heads) go through the ISA's 8x8 transposes (native/elementwise.cc,
// copy_transposed_f32). A copy is exact, so every element must equal the JS backend's, on every ISA
// and thread count: sizes off the 8x8 blocks and the 64-row work items, batch dims around the
// transposed plane, no elements at all, an output that is itself a strided view, a broadcast input,
// and float64 and int64 copies of the same layouts (which keep the plain loop).
import { describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import type { Tensor } from "../lib/index.js";
import { setIsa, setNumThreads } from "../lib/backend/native.js";
import { lcgUniform } from "./helpers/lcg_data.js";
import { nativeUnderTest } from "./helpers/native.js";

const under = nativeUnderTest();

const data = (shape: number[], seed: number): Tensor =>
  torch.tensor(Float32Array.from(lcgUniform(shape.reduce((a, b) => a * b, 1), seed))).reshape(shape);

/** [name, make the source view (from a fresh contiguous tensor)]. */
const CASES: [string, () => Tensor][] = [
  ["37x53 .t()", () => data([53, 37], 1).t()],
  ["1030x2049 .t() (many work items)", () => data([2049, 1030], 2).t()],
  ["5x19x23 transpose(1, 2)", () => data([5, 19, 23], 3).transpose(1, 2)],
  ["heads: [33, 4, 17, 3] permuted", () => data([3, 4, 33, 17], 4).permute(2, 1, 3, 0)],
  ["7x9 .t() (one partial block)", () => data([9, 7], 5).t()],
  ["broadcast rows then .t()", () => data([1, 40], 6).expand(30, 40).t()],
  ["batch between: [6, 70, 11] -> [70, 6, 11] of a [11, 6, 70]", () => data([11, 6, 70], 7).permute(2, 1, 0)],
  ["no elements: a [3, 0, 4] transposed", () => data([3, 0, 4], 8).transpose(0, 2)],
];

function copyOn(backend: "native" | "js", make: () => Tensor, into?: (src: Tensor) => Tensor): number[] {
  const prev = torch.backendInfo().name;
  torch.setBackend(backend);
  try {
    const src = make();
    if (into === undefined) return Array.from(src.contiguous().storage() as Float32Array);
    const dst = into(src);
    dst.copy_(src);
    return dst.flatten().tolist() as number[];
  } finally {
    torch.setBackend(prev);
  }
}

describe("transposing copies: every element as the JS backend's, every ISA and thread count", () => {
  it.each(CASES)("%s", (_name, make) => {
    const want = copyOn("js", make);
    for (const isa of under.isas) {
      setIsa(isa);
      for (const threads of [1, 2, 3]) {
        setNumThreads(threads);
        const got = copyOn("native", make);
        expect(got.length).toBe(want.length);
        let diff = -1;
        for (let i = 0; i < got.length && diff < 0; i++) if (!Object.is(got[i], want[i])) diff = i;
        expect(diff, `${isa} at ${threads} threads: first element that differs`).toBe(-1);
      }
    }
    setIsa(under.info.isa);
    setNumThreads(under.info.threads);
  });

  it("into an output that is itself a view with a longer row stride", () => {
    const make = () => data([50, 30], 8).t();
    const into = () => torch.full([30, 100], -1).narrow(1, 10, 50);
    const want = copyOn("js", make, into);
    for (const isa of under.isas) {
      setIsa(isa);
      expect(copyOn("native", make, into), isa).toEqual(want);
    }
    setIsa(under.info.isa);
  });

  it("float64 and int64 copies of the same layouts stay exact", () => {
    for (const dtype of ["float64", "int64"] as const) {
      const make = () => data([41, 67], 9).mul(1000).to(dtype).t();
      const want = copyOn("js", make, (s) => torch.empty(s.shape, { dtype }));
      expect(copyOn("native", make, (s) => torch.empty(s.shape, { dtype })), dtype).toEqual(want);
    }
  });
});
