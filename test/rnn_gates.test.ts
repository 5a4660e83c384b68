// The fused LSTM/GRU cell kernels (Backend.lstmCellForward ..., native/rnn_cell.cc and its JS twin
// lib/backend/js/rnn_cell.ts) and the layers built on them (lib/nn/rnn_lstm_layer.ts, rnn_gru_layer.ts):
// - each backend's fused step equals its own composed tensor ops bit for bit (lstmGates/gruGates
//   forward, and the backward written out here as the ops the layers composed before fusion);
// - native equals JS: the backward bit for bit (adds and multiplies only), the forward within the
//   sigmoid/tanh tolerance, on every ISA this CPU runs;
// - native is bit-identical for 1, 2 and 3 threads (row counts spanning several chunks);
// - the layers on every ISA: outputs bit for bit equal to the unrolled ops, padded and packed, and
//   bit-identical gradients across thread counts; float64 layers pass gradcheck (the JS twin);
// - bad operands throw (shapes, overlap), the backward's in-place state update is allowed.
import { describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import { jsBackend } from "../lib/backend/js.js";
import { setIsa, setNumThreads } from "../lib/backend/native.js";
import type { Backend, View } from "../lib/backend/types.js";
import { GRULayer, gruGates, gruUnrolled } from "../lib/nn/rnn_gru_layer.js";
import { LSTMLayer, lstmGates, lstmUnrolled } from "../lib/nn/rnn_lstm_layer.js";
import { nativeUnderTest } from "./helpers/native.js";

const nat = nativeUnderTest();
type Tensor = torch.Tensor;

/** The values of a float view, row-major (views here are contiguous). */
const valuesOf = (v: View): number[] => Array.from((v.typedArray as Float32Array).subarray(v.offset, v.offset + v.shape.reduce((a, b) => a * b, 1)));
const tvals = (t: Tensor): number[] => Array.from(t.detach().contiguous().storage() as Float32Array);

/** A fresh contiguous [n, w] float32 view of standard normal values times `scale`. */
function randView(n: number, w: number, scale = 1): View {
  const data = Float32Array.from(tvals(torch.randn([n, w]).mul(scale)));
  return { typedArray: data, offset: 0, shape: [n, w], strides: [w, 1] };
}
const empty = (n: number, w: number): View => ({ typedArray: new Float32Array(n * w), offset: 0, shape: [n, w], strides: [w, 1] });
const asTensor = (v: View): Tensor => torch.tensor(valuesOf(v)).reshape([v.shape[0], v.shape[1]]);

/** Every operand of one LSTM step, inputs random. */
function lstmOperands(n: number, H: number) {
  return {
    gi: randView(n, 4 * H, 2), hh: randView(n, 4 * H), cPrev: randView(n, H), dh: randView(n, H), gY: randView(n, H), dc: randView(n, H),
  };
}

/** The fused LSTM step forward and backward on backend B: every output's values. */
function lstmFused(B: Backend, o: ReturnType<typeof lstmOperands>, H: number) {
  const n = o.cPrev.shape[0];
  const gates = empty(n, 4 * H), c = empty(n, H), tanhC = empty(n, H), h = empty(n, H), dPre = empty(n, 4 * H);
  B.lstmCellForward(o.gi, o.hh, o.cPrev, gates, c, tanhC, h);
  const dc = { ...o.dc, typedArray: Float32Array.from(o.dc.typedArray as Float32Array) }; // updated in place
  B.lstmCellBackward(o.dh, o.gY, dc, gates, tanhC, o.cPrev, dPre, dc);
  return { gates: valuesOf(gates), c: valuesOf(c), tanhC: valuesOf(tanhC), h: valuesOf(h), dPre: valuesOf(dPre), dcPrev: valuesOf(dc) };
}

/** The same step as tensor ops on the current backend (the layers' composition before fusion). */
function lstmComposed(o: ReturnType<typeof lstmOperands>) {
  const oneMinus = (x: Tensor) => x.neg().add(1);
  const s = lstmGates(asTensor(o.gi), asTensor(o.hh), asTensor(o.cPrev));
  const { i, f, g, o: og, tc } = s;
  const dhT = asTensor(o.dh).add(asTensor(o.gY));
  const dcT = asTensor(o.dc).add(dhT.mul(og).mul(oneMinus(tc.mul(tc))));
  const dPre = torch.cat([
    dcT.mul(g).mul(oneMinus(i)).mul(i), dcT.mul(asTensor(o.cPrev)).mul(oneMinus(f)).mul(f),
    dcT.mul(i).mul(oneMinus(g.mul(g))), dhT.mul(tc).mul(oneMinus(og)).mul(og),
  ], 1);
  return { gates: tvals(torch.cat([i, f, g, og], 1)), c: tvals(s.c), tanhC: tvals(tc), h: tvals(s.h), dPre: tvals(dPre), dcPrev: tvals(dcT.mul(f)) };
}

function gruOperands(n: number, H: number) {
  return { gi: randView(n, 3 * H, 2), hh: randView(n, 3 * H), hPrev: randView(n, H), dh: randView(n, H), gY: randView(n, H) };
}

function gruFused(B: Backend, o: ReturnType<typeof gruOperands>, H: number) {
  const n = o.hPrev.shape[0];
  const gates = empty(n, 3 * H), h = empty(n, H), dGi = empty(n, 3 * H), dGh = empty(n, 3 * H);
  B.gruCellForward(o.gi, o.hh, o.hPrev, gates, h);
  const dh = { ...o.dh, typedArray: Float32Array.from(o.dh.typedArray as Float32Array) }; // dDiff in place
  B.gruCellBackward(dh, o.gY, gates, o.hh, o.hPrev, dGi, dGh, dh);
  return { gates: valuesOf(gates), h: valuesOf(h), dGi: valuesOf(dGi), dGh: valuesOf(dGh), dDiff: valuesOf(dh) };
}

function gruComposed(o: ReturnType<typeof gruOperands>, H: number) {
  const oneMinus = (x: Tensor) => x.neg().add(1);
  const hPrev = asTensor(o.hPrev);
  const s = gruGates(asTensor(o.gi), asTensor(o.hh), hPrev);
  const D = asTensor(o.dh).add(asTensor(o.gY));
  const dDiff = D.mul(s.z);
  const dz = D.mul(hPrev.sub(s.n));
  const da = D.sub(dDiff).mul(oneMinus(s.n.mul(s.n)));
  const dRpre = da.mul(s.hn).mul(oneMinus(s.r)).mul(s.r);
  const dZpre = dz.mul(oneMinus(s.z)).mul(s.z);
  return {
    gates: tvals(torch.cat([s.r, s.z, s.n], 1)), h: tvals(s.h), dGi: tvals(torch.cat([dRpre, dZpre, da], 1)),
    dGh: tvals(torch.cat([dRpre, dZpre, da.mul(s.r)], 1)), dDiff: tvals(dDiff),
  };
}

/** Same values, NaN equal to NaN (toEqual does that), with the first differing index in the message. */
function expectSame(what: string, got: number[], want: number[]): void {
  const k = got.findIndex((g, i) => !Object.is(g, want[i]) && !(Number.isNaN(g) && Number.isNaN(want[i])));
  expect(k === -1 ? "same" : `${what}[${k}]: ${got[k]} vs ${want[k]}`).toBe("same");
  expect(got.length).toBe(want.length);
}

/** Within the sigmoid/tanh tolerance of native/elementwise_simd.h (a few ulp), compounded through
 *  the cell's few further operations: relative to the array's largest value, as c = f*c + i*g may
 *  cancel (a small c carries its terms' absolute error). */
function expectClose(what: string, got: number[], want: number[]): void {
  expect(got.length).toBe(want.length);
  const scale = want.reduce((m, x) => Math.max(m, Math.abs(x)), 1e-30);
  let worst = 0;
  for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]) / scale);
  expect(worst, what).toBeLessThan(3e-6);
}

// (n, H): one row, odd H (SIMD tail lanes), a batch, a long block spanning several row chunks.
const SHAPES: [number, number][] = [[1, 1], [3, 5], [4, 7], [20, 17], [1700, 5]];

describe("fused cell kernels equal the composed ops (same backend, bit for bit)", () => {
  for (const name of ["js", ...nat.isas.map((i) => `native ${i}`)]) {
    it(name, () => {
      const B: Backend = name === "js" ? jsBackend : nat.backend;
      const prev = torch.backendInfo().name;
      torch.setBackend(name === "js" ? "js" : "native");
      if (name !== "js") setIsa(name.slice(7));
      try {
        for (const [n, H] of SHAPES.slice(0, 4)) {
          torch.manualSeed(n * 31 + H);
          const lo = lstmOperands(n, H);
          const lf = lstmFused(B, lo, H), lc = lstmComposed(lo);
          for (const k of Object.keys(lf) as (keyof typeof lf)[]) expectSame(`${name} lstm ${n}x${H} ${k}`, lf[k], lc[k]);
          const go = gruOperands(n, H);
          const gf = gruFused(B, go, H), gc = gruComposed(go, H);
          for (const k of Object.keys(gf) as (keyof typeof gf)[]) expectSame(`${name} gru ${n}x${H} ${k}`, gf[k], gc[k]);
        }
      } finally {
        setIsa(nat.info.isa);
        torch.setBackend(prev);
      }
    });
  }
});

describe.each(nat.isas)("native fused cells (%s)", (isa) => {
  it("equal the JS twin: the backward bit for bit, the forward within the activations' tolerance", () => {
    setIsa(isa);
    for (const [n, H] of SHAPES) {
      torch.manualSeed(n + 7 * H);
      const lo = lstmOperands(n, H);
      const ln = lstmFused(nat.backend, lo, H), lj = lstmFused(jsBackend, lo, H);
      for (const k of ["gates", "c", "tanhC", "h"] as const) expectClose(`lstm ${n}x${H} ${k}`, ln[k], lj[k]);
      // The backward from the same saved activations: pure IEEE adds and multiplies.
      const gates = { typedArray: Float32Array.from(ln.gates), offset: 0, shape: [n, 4 * H], strides: [4 * H, 1] };
      const tanhC = { typedArray: Float32Array.from(ln.tanhC), offset: 0, shape: [n, H], strides: [H, 1] };
      const bw = (B: Backend) => {
        const dPre = empty(n, 4 * H), dcPrev = empty(n, H);
        B.lstmCellBackward(lo.dh, lo.gY, lo.dc, gates, tanhC, lo.cPrev, dPre, dcPrev);
        return [...valuesOf(dPre), ...valuesOf(dcPrev)];
      };
      expectSame(`lstm backward ${n}x${H}`, bw(nat.backend), bw(jsBackend));
      const go = gruOperands(n, H);
      const gn = gruFused(nat.backend, go, H), gj = gruFused(jsBackend, go, H);
      for (const k of ["gates", "h"] as const) expectClose(`gru ${n}x${H} ${k}`, gn[k], gj[k]);
      const ggates = { typedArray: Float32Array.from(gn.gates), offset: 0, shape: [n, 3 * H], strides: [3 * H, 1] };
      const gbw = (B: Backend) => {
        const dGi = empty(n, 3 * H), dGh = empty(n, 3 * H), dDiff = empty(n, H);
        B.gruCellBackward(go.dh, go.gY, ggates, go.hh, go.hPrev, dGi, dGh, dDiff);
        return [...valuesOf(dGi), ...valuesOf(dGh), ...valuesOf(dDiff)];
      };
      expectSame(`gru backward ${n}x${H}`, gbw(nat.backend), gbw(jsBackend));
    }
    setIsa(nat.info.isa);
  });

  it("are bit-identical for 1, 2 and 3 threads", () => {
    setIsa(isa);
    for (const [n, H] of [[1700, 5], [300, 33]] as [number, number][]) {
      torch.manualSeed(n + H);
      const lo = lstmOperands(n, H), go = gruOperands(n, H);
      const runs = [1, 2, 3].map((t) => {
        setNumThreads(t);
        return { l: lstmFused(nat.backend, lo, H), g: gruFused(nat.backend, go, H) };
      });
      for (const r of runs.slice(1)) {
        for (const k of Object.keys(r.l) as (keyof typeof r.l)[]) expectSame(`lstm ${k}`, r.l[k], runs[0].l[k]);
        for (const k of Object.keys(r.g) as (keyof typeof r.g)[]) expectSame(`gru ${k}`, r.g[k], runs[0].g[k]);
      }
    }
    setNumThreads(nat.info.threads);
    setIsa(nat.info.isa);
  });
});

/** Layer inputs (LSTM: gi, h0, c0, w, b; GRU: gi, h0, w, b), padded [T, N, G] or packed [sum, G]. */
function layerInputs(lstm: boolean, T: number, N: number, H: number, batchSizes: number[] | null, dtype: "float32" | "float64" = "float32"): Tensor[] {
  const G = (lstm ? 4 : 3) * H;
  const make = (...shape: number[]) => torch.randn(shape, { dtype }).mul(0.5).requiresGrad_();
  const gi = batchSizes === null ? make(T, N, G) : make(batchSizes.reduce((a, b) => a + b, 0), G);
  return lstm ? [gi, make(N, H), make(N, H), make(G, H), make(G)] : [gi, make(N, H), make(G, H), make(G)];
}

function runLayer(lstm: boolean, xs: Tensor[], reverse: boolean, bs: number[] | null, unrolled = false): Tensor[] {
  if (lstm) {
    const [gi, h0, c0, w, b] = xs;
    return unrolled ? lstmUnrolled(gi, h0, c0, w, b, reverse, bs) : (LSTMLayer.apply(gi, h0, c0, w, b, reverse, bs) as Tensor[]);
  }
  const [gi, h0, w, b] = xs;
  return unrolled ? gruUnrolled(gi, h0, w, b, reverse, bs) : (GRULayer.apply(gi, h0, w, b, reverse, bs) as Tensor[]);
}

/** Outputs and the gradients of every input under a loss weighing each output differently. */
function outputsAndGrads(lstm: boolean, xs: Tensor[], reverse: boolean, bs: number[] | null, unrolled = false): number[][] {
  const outs = runLayer(lstm, xs, reverse, bs, unrolled);
  const loss = outs.reduce((acc, o, k) => acc.add(o.mul(k + 1).sin().sum()), torch.zeros([]));
  const grads = torch.autograd.grad(loss, xs, { allowUnused: true });
  return [...outs.map(tvals), ...grads.map((g) => (g === null ? [] : tvals(g)))];
}

describe.each(nat.isas)("fused layers on native %s", (isa) => {
  const cases: [string, number, number, number, number[] | null][] = [
    ["padded", 6, 4, 9, null],
    ["packed", 4, 5, 7, [5, 3, 3, 1]],
    ["n=1", 3, 1, 3, null],
  ];
  for (const lstm of [true, false]) {
    for (const [tag, T, N, H, bs] of cases) {
      it(`${lstm ? "LSTM" : "GRU"} ${tag}: outputs equal the unrolled ops, gradients close to them and equal for 1/2/3 threads`, () => {
        torch.setBackend("native");
        setIsa(isa);
        for (const reverse of [false, true]) {
          torch.manualSeed(T * 10 + N + (reverse ? 1 : 0));
          const xs = layerInputs(lstm, T, N, H, bs);
          const nOut = lstm ? 3 : 2;
          const runs = [1, 2, 3].map((t) => {
            setNumThreads(t);
            return outputsAndGrads(lstm, xs, reverse, bs);
          });
          setNumThreads(nat.info.threads);
          for (const r of runs.slice(1)) r.forEach((v, k) => expectSame(`threads: output/grad ${k}`, v, runs[0][k]));
          const plain = outputsAndGrads(lstm, xs, reverse, bs, true);
          runs[0].forEach((v, k) => {
            if (k < nOut) expectSame(`output ${k}`, v, plain[k]);
            // Gradients: autograd's sigmoid/tanh rules group (1 - y) * y differently, and the weight
            // gradient is one GEMM over all steps, so these agree to rounding only.
            else v.forEach((x, i) => expect(Math.abs(x - plain[k][i]), `grad ${k - nOut}[${i}]`).toBeLessThan(1e-5 * (1 + Math.abs(plain[k][i]))));
          });
        }
        setIsa(nat.info.isa);
      });
    }
  }
});

describe("fused layers in float64 (the JS twin)", () => {
  for (const lstm of [true, false]) {
    for (const bs of [null, [3, 2, 1]]) {
      it(`${lstm ? "LSTM" : "GRU"} ${bs === null ? "padded" : "packed"} passes gradcheck`, () => {
        torch.manualSeed(5);
        const xs = layerInputs(lstm, 3, 3, 2, bs, "float64");
        for (const reverse of [false, true]) {
          expect(torch.autograd.gradcheck((...a: Tensor[]) => runLayer(lstm, a, reverse, bs), xs)).toBe(true);
        }
      });
    }
  }
});

describe("fused cell operands are checked", () => {
  const n = 2, H = 3;
  const ok = () => ({ gi: randView(n, 4 * H), hh: randView(n, 4 * H), c: randView(n, H) });
  for (const [name, B] of [["native", nat.backend], ["js", jsBackend]] as [string, Backend][]) {
    it(`${name}: wrong shapes and non-contiguous views throw RangeError`, () => {
      const o = ok();
      const out = () => [empty(n, 4 * H), empty(n, H), empty(n, H), empty(n, H)] as const;
      const [g, c, t, h] = out();
      expect(() => B.lstmCellForward(o.gi, o.hh, o.c, empty(n, 3 * H), c, t, h)).toThrow(RangeError);
      expect(() => B.lstmCellForward(randView(n + 1, 4 * H), o.hh, o.c, g, c, t, h)).toThrow(RangeError);
      const strided: View = { typedArray: new Float32Array(2 * n * H), offset: 0, shape: [n, H], strides: [2 * H, 1] };
      expect(() => B.lstmCellForward(o.gi, o.hh, o.c, g, strided, t, h)).toThrow(RangeError);
      expect(() => B.gruCellForward(o.gi, o.hh, o.c, g, h)).toThrow(RangeError);
    });
  }
  it("native: outputs overlapping inputs or each other throw; the backward's in-place state is allowed", () => {
    const B = nat.backend;
    const o = ok();
    const [c, t, h] = [empty(n, H), empty(n, H), empty(n, H)];
    // gates written over gi
    expect(() => B.lstmCellForward(o.gi, o.hh, o.c, o.gi, c, t, h)).toThrow(/overlap/);
    // c and h the same memory
    const g = empty(n, 4 * H);
    expect(() => B.lstmCellForward(o.gi, o.hh, o.c, g, c, t, c)).toThrow(/overlap/);
    B.lstmCellForward(o.gi, o.hh, o.c, g, c, t, h);
    const dc = randView(n, H);
    expect(() => B.lstmCellBackward(randView(n, H), randView(n, H), dc, g, t, o.c, empty(n, 4 * H), dc)).not.toThrow();
    // a shifted alias of dc is not the same view: refused
    const big: View = { typedArray: new Float32Array(n * H + 1), offset: 0, shape: [n, H], strides: [H, 1] };
    expect(() => B.lstmCellBackward(randView(n, H), randView(n, H), big, g, t, o.c, empty(n, 4 * H), { ...big, offset: 1 })).toThrow(/overlap/);
  });
});
