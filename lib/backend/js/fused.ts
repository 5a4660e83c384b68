// The fused update primitives of the JS backend: addScaled (out = a + alpha*b, one rounding) and
// adamStep (one Adam/AdamW update of a parameter), over strided float32 views. They define the
// exact float32 operation sequence the native kernels reproduce bit for bit (see ../types.ts).
// ref: PyTorch 1.13 ufunc::add (vec::fmadd) and torch/optim/adam.py _single_tensor_adam.

import type { AdamScalars, View } from "../types.js";
import { fmaf } from "./scalar.js";
import { Loop, checkShaped, checkView, dtypeOf } from "./strided.js";

function checkF32(op: string, views: Record<string, View>, shape: readonly number[]): void {
  for (const [name, v] of Object.entries(views)) {
    checkShaped(op, name, v, shape);
    if (dtypeOf(v.typedArray) !== "float32") throw new TypeError(`${op}(): ${name} must be float32, got ${dtypeOf(v.typedArray)}`);
  }
}

function checkScalar(op: string, name: string, v: unknown): number {
  if (typeof v !== "number") throw new TypeError(`${op}(): ${name} must be a number, got ${typeof v}`);
  return v;
}

export function addScaled(a: View, b: View, alpha: number, out: View): void {
  checkView("addScaled", "out", out);
  checkF32("addScaled", { a, b, out }, out.shape);
  const s = Math.fround(checkScalar("addScaled", "alpha", alpha));
  const L = new Loop(out.shape, [a.strides, b.strides, out.strides], [a.offset, b.offset, out.offset]);
  const ad = a.typedArray, bd = b.typedArray, od = out.typedArray, n = L.n;
  const sa = L.inner[0], sb = L.inner[1], so = L.inner[2];
  for (let r = 0; r < L.rows; r++, L.next()) {
    for (let j = 0, ia = L.off[0], ib = L.off[1], io = L.off[2]; j < n; j++, ia += sa, ib += sb, io += so) {
      od[io] = fmaf(bd[ib], s, ad[ia]);
    }
  }
}

export function adamStep(p: View, grad: View, expAvg: View, expAvgSq: View, maxExpAvgSq: View | null, h: AdamScalars): void {
  const op = "adamStep";
  checkView(op, "p", p);
  const views: Record<string, View> = { p, grad, expAvg, expAvgSq };
  if (maxExpAvgSq !== null) views.maxExpAvgSq = maxExpAvgSq;
  checkF32(op, views, p.shape);
  const f = Math.fround;
  const b1 = f(checkScalar(op, "beta1", h.beta1)), b2 = f(checkScalar(op, "beta2", h.beta2));
  const omb1 = f(1 - h.beta1), omb2 = f(1 - h.beta2);
  const nss = f(checkScalar(op, "negStepSize", h.negStepSize)), bc2 = f(checkScalar(op, "bc2Sqrt", h.bc2Sqrt));
  const eps = f(checkScalar(op, "eps", h.eps)), decay = f(checkScalar(op, "decay", h.decay));
  const decayed = checkScalar(op, "decay", h.decay) !== 1;
  const vs = maxExpAvgSq === null ? [p, grad, expAvg, expAvgSq] : [p, grad, expAvg, expAvgSq, maxExpAvgSq];
  const L = new Loop(p.shape, vs.map((v) => v.strides), vs.map((v) => v.offset));
  const pd = p.typedArray, gd = grad.typedArray, md = expAvg.typedArray, vd = expAvgSq.typedArray, xd = maxExpAvgSq?.typedArray ?? pd;
  const n = L.n, st = L.inner;
  for (let r = 0; r < L.rows; r++, L.next()) {
    let ip = L.off[0], ig = L.off[1], im = L.off[2], iv = L.off[3], ix = L.off[4] ?? 0;
    for (let j = 0; j < n; j++, ip += st[0], ig += st[1], im += st[2], iv += st[3], ix += st[4] ?? 0) {
      const g = gd[ig];
      let pv = pd[ip];
      if (decayed) pv = f(pv * decay);
      const m = fmaf(g, omb1, f(md[im] * b1));
      const v = f(f(vd[iv] * b2) + f(f(omb2 * g) * g));
      md[im] = m;
      vd[iv] = v;
      let w = v;
      if (maxExpAvgSq !== null) {
        const old = xd[ix];
        // NaN-propagating maximum, as torch.maximum
        w = old !== old ? old : v !== v ? v : v > old ? v : old;
        xd[ix] = w;
      }
      const d = f(f(f(Math.sqrt(w)) / bc2) + eps);
      pd[ip] = f(pv + f(f(nss * m) / d));
    }
  }
}
