// relu's backward in one pass (Backend.reluBackward: out = result <= 0 ? 0 : grad, PyTorch's
// threshold_backward), which the autograd rule runs without a graph, into the engine's own gradient
// when it may. Checked on both backends: the special values (-0, 0, NaN and infinite results; NaN
// gradients), a broadcast gradient, a strided result, out being grad itself, float64 and float16;
// the native kernel against the JS one at sizes around its chunks on 1-3 threads, bit for bit; the
// rule's gradients equal the differentiable form's (createGraph) with and without a hook making the
// incoming gradient shared; the binding's checks.
import { describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import { jsBackend as J } from "../lib/backend/js.js";
import { allocStorage } from "../lib/dtype.js";
import { setNumThreads } from "../lib/backend/native.js";
import type { View } from "../lib/backend/types.js";
import { backends, useBackend, vals } from "./helpers/backends.js";
import { expectSameBits } from "./helpers/bits.js";
import { nativeUnderTest } from "./helpers/native.js";

const { backend: NB, addon, info: info0 } = nativeUnderTest();

const view = (data: Float32Array | Float64Array, shape: number[], strides?: number[], offset = 0): View => ({
  typedArray: data, offset, shape, strides: strides ?? shape.map((_, d) => shape.slice(d + 1).reduce((p, q) => p * q, 1)),
});

const RESULTS = [-1, -0, 0, 1e-30, 2, NaN, -Infinity, Infinity, 3.5, -7];
const GRADS = [0.5, 1.5, -2, 3, NaN, 4, 5, -6, Infinity, NaN];
const want = (r: number, g: number) => (r <= 0 ? 0 : g);

describe("reluBackward", () => {
  for (const [name, B] of [["js", J], ["native", NB]] as const) {
    it(`${name}: 0 where the result is <= 0 (a +0, also for -0), else the gradient (NaN results pass it on)`, () => {
      for (const dtype of ["float32", "float64"] as const) {
        const of = (xs: number[]) => {
          const a = allocStorage(dtype, xs.length) as Float32Array | Float64Array;
          a.set(xs);
          return a;
        };
        const out = of(RESULTS.map(() => 99));
        B.reluBackward(view(of(GRADS), [10]), view(of(RESULTS), [10]), view(out, [10]));
        RESULTS.forEach((r, i) => expect(Object.is(out[i], dtype === "float32" ? Math.fround(want(r, GRADS[i])) : want(r, GRADS[i])), `${dtype} ${i}`).toBe(true));
      }
    });

    it(`${name}: a broadcast gradient, a strided result, out = grad itself`, () => {
      // grad [2, 5] broadcast from one row; result read every other element of 20.
      const g = Float32Array.from([1, 2, 3, 4, 5]);
      const r = Float32Array.from({ length: 20 }, (_, i) => (i % 3) - 1);
      const out = new Float32Array(10);
      B.reluBackward(view(g, [2, 5], [0, 1]), view(r, [2, 5], [10, 2]), view(out, [2, 5]));
      for (let i = 0; i < 2; i++) for (let j = 0; j < 5; j++) expect(out[i * 5 + j]).toBe(want(r[i * 10 + 2 * j], g[j]));
      const gi = Float32Array.from(GRADS), ri = Float32Array.from(RESULTS);
      B.reluBackward(view(gi, [10]), view(ri, [10]), view(gi, [10]));
      RESULTS.forEach((res, i) => expect(Object.is(gi[i], Math.fround(want(res, GRADS[i])))).toBe(true));
    });
  }

  it("native = JS bit for bit at sizes around the kernel's chunks, on 1-3 threads", () => {
    try {
      for (const n of [1, 7, 32767, 32769, 100003]) {
        const g = Float32Array.from({ length: n }, (_, i) => Math.sin(i) * 3);
        const r = Float32Array.from({ length: n }, (_, i) => (i % 11 === 0 ? -0 : i % 13 === 0 ? NaN : Math.cos(i * 1.7)));
        const ref = new Float32Array(n);
        J.reluBackward(view(g, [n]), view(r, [n]), view(ref, [n]));
        for (const t of [1, 2, 3]) {
          setNumThreads(t);
          const out = new Float32Array(n);
          NB.reluBackward(view(g, [n]), view(r, [n]), view(out, [n]));
          expectSameBits(out, ref, `n=${n} t=${t}`);
        }
      }
    } finally {
      setNumThreads(info0.threads);
    }
  });

  it("the binding rejects shapes that don't match", () => {
    const a = new Float32Array(6), b = new Float32Array(6);
    expect(() => NB.reluBackward(view(a, [2, 3]), view(b, [3, 2]), view(new Float32Array(6), [2, 3]))).toThrow(RangeError);
    expect(typeof addon.reluBackward).toBe("function");
  });

  for (const name of backends()) {
    describe(name, () => {
      useBackend(name);
      it("relu's gradients equal the differentiable form's, the incoming gradient owned or shared; float16", () => {
        for (const dtype of ["float32", "float64", "float16"] as const) {
          torch.manualSeed(1);
          const x0 = torch.randn(5, 7).mul(torch.randint(0, 2, [5, 7])).to(dtype); // exact zeros too
          const grads = (mode: "plain" | "hooked" | "graph") => {
            const x = x0.clone().requiresGrad_(true);
            const h = x.mul(1.5); // relu's incoming gradient: the mul's output's, owned by the engine
            if (mode === "hooked") h.registerHook((g) => g); // ...unless a hook sees it
            const y = h.relu();
            if (mode === "hooked") y.registerHook((g) => g);
            const loss = y.mul(torch.linspace(-1, 1, 35).reshape(5, 7).to(dtype)).sum();
            return vals(torch.autograd.grad([loss], [x], { createGraph: mode === "graph" })[0]!);
          };
          const plain = grads("plain");
          expect(grads("hooked"), dtype).toEqual(plain);
          expect(grads("graph"), dtype).toEqual(plain);
        }
      });
    });
  }
});
