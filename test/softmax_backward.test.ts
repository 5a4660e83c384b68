// Softmax's fused backward (native/softmax_backward*, lib/backend/js/softmax_backward.ts): the native
// row kernel against its JS twin bit for bit on every ISA this CPU runs and at 1-3 threads (row
// lengths around the 8 lanes, special values, out = g in place); the autograd rule that takes it
// against a float64 reference, along any dim, with createGraph still differentiable; the binding's
// rejection of bad input.
import { describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import type { Tensor } from "../lib/index.js";
import type { View } from "../lib/backend/types.js";
import { jsBackend as J } from "../lib/backend/js.js";
import { setIsa, setNumThreads } from "../lib/backend/native.js";
import { gradgradcheck } from "../lib/autograd/gradcheck.js";
import { contiguousView, lcgUniform } from "./helpers/lcg_data.js";
import { backends, useBackend, vals } from "./helpers/backends.js";
import { nativeUnderTest } from "./helpers/native.js";

const { backend: N, addon, isas: ISAS } = nativeUnderTest();
const CONFIGS = ISAS.flatMap((isa) => [1, 2, 3].map((threads) => ({ isa, threads })));

/** Softmax rows (y) of random logits, and a random upstream gradient (g), [rows, n]. */
function rowsOf(rows: number, n: number, seed: number): { y: Float32Array; g: Float32Array } {
  const logits = lcgUniform(rows * n, seed).map((u) => (u - 0.5) * 16);
  const y = new Float32Array(rows * n);
  for (let r = 0; r < rows; r++) {
    const row = logits.subarray(r * n, (r + 1) * n);
    const m = Math.max(...row);
    const e = row.map((v) => Math.exp(v - m));
    const s = e.reduce((a, b) => a + b, 0);
    e.forEach((v, j) => (y[r * n + j] = v / s));
  }
  const g = Float32Array.from(lcgUniform(rows * n, seed + 1), (u) => (u - 0.5) * 4);
  return { y, g };
}

const view = (data: Float32Array, rows: number, n: number): View => contiguousView(data, [rows, n]);

describe("softmaxBackward: native vs JS twin", () => {
  const SHAPES = [[1, 1], [3, 7], [5, 8], [4, 9], [2, 17], [300, 128], [9, 1000], [70000, 1]];
  for (const { isa, threads } of CONFIGS) {
    it(`bit-identical rows (${isa}, ${threads} threads)`, () => {
      setIsa(isa);
      setNumThreads(threads);
      for (const [rows, n] of SHAPES) {
        const { y, g } = rowsOf(rows, n, rows + n);
        const want = new Float32Array(rows * n);
        const got = new Float32Array(rows * n).fill(NaN);
        J.softmaxBackward(view(y, rows, n), view(g, rows, n), view(want, rows, n));
        N.softmaxBackward(view(y, rows, n), view(g, rows, n), view(got, rows, n));
        expect(Array.from(got)).toEqual(Array.from(want));
        // In place (out = g), as the autograd rule does with a gradient it owns.
        const gi = g.slice();
        N.softmaxBackward(view(y, rows, n), view(gi, rows, n), view(gi, rows, n));
        expect(Array.from(gi)).toEqual(Array.from(want));
      }
    });
  }

  it("special values: NaN and infinities in g spread to their row only; -0 and 0 as the formula gives", () => {
    const y = Float32Array.from([0.25, 0.25, 0.5, 0, 1, 0, 0.5, 0.5, 0, 0, 0, 1]);
    const g = Float32Array.from([1, NaN, 2, 0, 0, 0, Infinity, 1, -0, 0, 0, -0]);
    for (const isa of ISAS) {
      setIsa(isa);
      const [want, got] = [new Float32Array(12), new Float32Array(12)];
      J.softmaxBackward(view(y, 4, 3), view(g, 4, 3), view(want, 4, 3));
      N.softmaxBackward(view(y, 4, 3), view(g, 4, 3), view(got, 4, 3));
      expect(Array.from(got)).toEqual(Array.from(want));
      expect(Array.from(want.subarray(0, 3)).every(Number.isNaN)).toBe(true);
      expect(Array.from(want.subarray(3, 6))).toEqual([0, 0, 0]);
      expect(Number.isNaN(want[6])).toBe(true);
    }
  });

  it("the binding refuses non-contiguous views, mismatched shapes and an out overlapping y", () => {
    const { y, g } = rowsOf(4, 6, 1);
    const out = new Float32Array(24);
    const meta = (...vs: View[]) => (N as unknown as { meta(...v: View[]): Float64Array }).meta(...vs);
    const yt: View = { typedArray: y, offset: 0, shape: [6, 4], strides: [1, 6] };
    expect(() => addon.softmaxBackward(meta(yt, view(g, 6, 4), view(out, 6, 4)), y, g, out)).toThrow(/y must be contiguous/);
    expect(() => addon.softmaxBackward(meta(view(y, 4, 6), view(g, 6, 4), view(out, 4, 6)), y, g, out)).toThrow(/g has shape/);
    expect(() => addon.softmaxBackward(meta(view(y, 4, 6), view(g, 4, 6), view(y, 4, 6)), y, g, y)).toThrow(/out must not overlap y/);
    const half = g.subarray(0, 24);
    const shifted: View = { typedArray: g, offset: 1, shape: [1, 23], strides: [23, 1] };
    expect(() => addon.softmaxBackward(meta({ typedArray: y, offset: 0, shape: [1, 23], strides: [23, 1] }, { typedArray: half, offset: 0, shape: [1, 23], strides: [23, 1] }, shifted), y, half, g)).toThrow(/out must not overlap g/);
  });
});

describe.each(backends())("softmax's gradient [%s]", (name) => {
  useBackend(name);

  /** The gradient of softmax along dim, in float64 from the same float32 values. */
  const reference = (x: Tensor, g: Tensor, dim: number): number[] => {
    const y = x.double().softmax(dim);
    const gd = g.double();
    return vals(y.mul(gd.sub(gd.mul(y).sum(dim, true))));
  };

  it("matches a float64 reference along every dim, with a shared or an owned upstream gradient", () => {
    torch.manualSeed(4);
    for (const [shape, dim] of [[[6, 128], -1], [[3, 5, 33], 1], [[4, 9], 0], [[7], 0]] as [number[], number][]) {
      const x = torch.randn(shape).mul(4).requiresGrad_(true);
      const g = torch.randn(shape);
      x.softmax(dim).backward(g);
      const want = reference(x.detach(), g, dim);
      vals(x.grad!).forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThanOrEqual(2e-7 + 2e-6 * Math.abs(want[i])));
      // Through a multiply: the engine owns the gradient reaching softmax and it is overwritten.
      const x2 = x.detach().clone().requiresGrad_(true);
      x2.softmax(dim).mul(g).sum().backward();
      expect(vals(x2.grad!)).toEqual(vals(x.grad!));
    }
  });

  it("createGraph keeps it differentiable (gradgradcheck, float64)", () => {
    const x = torch.randn([3, 5]).double().requiresGrad_(true);
    expect(gradgradcheck((t: Tensor) => t.softmax(-1).mul(torch.arange(5).double()), [x])).toBe(true);
  });
});
