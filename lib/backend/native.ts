// The Backend of the native addon: packs each call's views into one Float64Array and calls the
// addon, which checks them and runs the SIMD, multi-threaded kernels. Delegated to the JS backend
// (same semantics, see js.ts): int64 math (unary, clamp, arithmetic, comparisons, reductions),
// fills of int64, float32 -> int64 copies (the JS rules throw on NaN/Inf), 0-d argReduce / gather /
// scatterAdd, views of more than addon.maxDims dims, anything not float32 in reduce/index ops, and
// every op touching a float16, bfloat16, int32, int16, int8 or uint8 view (see fits()). float64
// runs natively in fill, copy (to and from float64, bool and int64, and float64 -> float32), where,
// unary, clamp, binary (arithmetic and comparisons), reduce, argReduce, matmul and softmax (see
// fitsF64()) and float32 -> float64 copies (copyToF64); its other ops (gather, scatterAdd, the fused updates) run
// on the JS kernels.

import { loadAddon, type NativeAddon } from "./addon.js";
import { jsBackend } from "./js.js";
import { tinyBinary, tinyCopy, tinyFill, tinyUnary, tinyWhere } from "./tiny.js";
import { dtypeOfStorage, isNativeStorage } from "../dtype.js";
import type {
  AdamScalars, ArgReduceOp, AvgPoolWindow, Backend, BackendInfo, BinaryOp, ConvGeometry, PaddedConvGeometry, PoolWindow, ReduceOp,
  Storage, UnaryOp, View,
} from "./types.js";

/** A per-channel vector as a 1-D view, for meta(). */
const vec = (data: Float32Array | Float64Array): View => ({ typedArray: data, offset: 0, shape: [data.length], strides: [1] });

/** A view's storage as the Float32Array the caller checked it is. */
const f32 = (v: View): Float32Array => v.typedArray as Float32Array;

/** name -> op code, from the order the addon exports. */
function codes(names: readonly string[]): Map<string, number> {
  return new Map(names.map((n, i) => [n, i]));
}

export class NativeBackend implements Backend {
  private readonly unaryCodes: Map<string, number>;
  private readonly binaryCodes: Map<string, number>;
  private readonly reduceCodes: Map<string, number>;
  private readonly argCodes: Map<string, number>;
  // NOTE: one scratch array per metadata length, reused: the addon copies the numbers out before
  // it runs anything, and calls on one thread never overlap.
  private readonly scratch: Float64Array[] = [];

  constructor(private readonly addon: NativeAddon) {
    this.unaryCodes = codes(addon.unaryOps);
    this.binaryCodes = codes(addon.binaryOps);
    this.reduceCodes = codes(addon.reduceOps);
    this.argCodes = codes(addon.argReduceOps);
  }

  info(): BackendInfo {
    const i = this.addon.info();
    return { name: "native", isa: i.isa, threads: i.threads, mallocTuning: i.mallocTuning, caches: i.caches };
  }

  adviseFresh(s: Storage): void {
    if (s.byteLength >= this.addon.hugePageAdviceBytes) this.addon.adviseHugePages(s.buffer as ArrayBuffer);
  }

  /** [ndim, offset, ...shape, ...strides] per view, in argument order. */
  private meta(...views: View[]): Float64Array {
    let len = 0;
    for (const v of views) len += 2 + 2 * v.shape.length;
    const m = (this.scratch[len] ??= new Float64Array(len));
    let p = 0;
    for (const v of views) {
      const nd = v.shape.length;
      m[p++] = nd;
      m[p++] = v.offset;
      for (let d = 0; d < nd; d++) m[p++] = v.shape[d];
      // NOTE: a missing stride becomes NaN, which the addon rejects with a RangeError.
      for (let d = 0; d < nd; d++) m[p++] = v.strides[d];
    }
    return m;
  }

  /** True when every view fits the addon's dim limit and is of a dtype the addon's kernels take
   *  (float32, int64, bool); else the JS backend runs the op. NOTE: float64, float16, bfloat16 and
   *  the 32/16/8-bit integers always run on the JS kernels (documented in README). */
  private fits(...views: View[]): boolean {
    for (const v of views) if (v.shape.length > this.addon.maxDims || !isNativeStorage(v.typedArray)) return false;
    return true;
  }

  /** True when every view fits the addon's dim limit and is float64: the addon's f64 kernels. */
  private fitsF64(...views: View[]): boolean {
    for (const v of views) {
      if (v.shape.length > this.addon.maxDims || !(v.typedArray instanceof Float64Array) || dtypeOfStorage(v.typedArray) !== "float64") return false;
    }
    return true;
  }

  private code(table: Map<string, number>, op: string, kind: string): number {
    const c = table.get(op);
    if (c === undefined) throw new TypeError(`native backend: unknown ${kind} op "${op}"`);
    return c;
  }

  fill(out: View, value: number): void {
    if (tinyFill(out, value)) return; // a few float32 elements: cheaper in JS, same bits (tiny.ts)
    // NOTE: a float64 fill stores the number as it is (int64's checks and truncation stay in JS).
    if (this.fitsF64(out)) return this.addon.fill(this.meta(out), out.typedArray, value);
    if (out.typedArray instanceof Float64Array || !this.fits(out)) return jsBackend.fill(out, value);
    this.addon.fill(this.meta(out), out.typedArray, value);
  }

  copy(x: View, out: View): void {
    if (tinyCopy(x, out)) return; // a few float32 elements: cheaper in JS, same bits (tiny.ts)
    // NOTE: the addon reads every Float64Array of a copy as int64, which is exact for float64 to
    // float64/int64-free targets: double -> double, -> float32 (rounded), -> bool (x != 0), and
    // bool/int64 -> float64. float64 -> int64 (checked truncation) and float32 -> float64 (the
    // addon would truncate) stay in JS, except float32 -> float64, which copyToF64 types.
    const xf = this.fitsF64(x), of = this.fitsF64(out);
    if (of && x.typedArray instanceof Float32Array && this.fits(x)) {
      return this.addon.copyToF64(this.meta(x, out), x.typedArray, out.typedArray as Float64Array);
    }
    if (xf || of) {
      const ok = xf ? of || (this.fits(out) && !(out.typedArray instanceof Float64Array)) : this.fits(x) && !(x.typedArray instanceof Float32Array);
      return ok ? this.addon.copy(this.meta(x, out), x.typedArray, out.typedArray) : jsBackend.copy(x, out);
    }
    if ((x.typedArray instanceof Float32Array && out.typedArray instanceof Float64Array) || !this.fits(x, out)) {
      return jsBackend.copy(x, out);
    }
    this.addon.copy(this.meta(x, out), x.typedArray, out.typedArray);
  }

  unary(op: UnaryOp, x: View, out: View): void {
    if (tinyUnary(op, x, out)) return; // a few float32 elements: cheaper in JS, same bits (tiny.ts)
    if (this.fitsF64(x, out)) {
      return this.addon.unary(this.code(this.unaryCodes, op, "unary"), this.meta(x, out), x.typedArray as Float64Array, out.typedArray as Float64Array);
    }
    if (!(x.typedArray instanceof Float32Array) || !this.fits(x, out)) return jsBackend.unary(op, x, out);
    this.addon.unary(this.code(this.unaryCodes, op, "unary"), this.meta(x, out), x.typedArray, out.typedArray as Float32Array);
  }

  clamp(x: View, lo: number, hi: number, out: View): void {
    if (this.fitsF64(x, out)) return this.addon.clamp(this.meta(x, out), x.typedArray as Float64Array, out.typedArray as Float64Array, lo, hi);
    if (!(x.typedArray instanceof Float32Array) || !this.fits(x, out)) return jsBackend.clamp(x, lo, hi, out);
    this.addon.clamp(this.meta(x, out), x.typedArray, out.typedArray as Float32Array, lo, hi);
  }

  binary(op: BinaryOp, a: View, b: View, out: View): void {
    if (tinyBinary(op, a, b, out)) return; // a few float32 elements: cheaper in JS, same bits (tiny.ts)
    if (this.fitsF64(a, b) && (this.fitsF64(out) || (out.typedArray instanceof Uint8Array && this.fits(out)))) {
      return this.addon.binary(this.code(this.binaryCodes, op, "binary"), this.meta(a, b, out), a.typedArray, b.typedArray, out.typedArray);
    }
    const native = a.typedArray instanceof Float32Array || (a.typedArray instanceof Uint8Array && (op === "and" || op === "or" || op === "xor"));
    if (!native || !this.fits(a, b, out)) return jsBackend.binary(op, a, b, out);
    this.addon.binary(this.code(this.binaryCodes, op, "binary"), this.meta(a, b, out), a.typedArray, b.typedArray, out.typedArray);
  }

  where(cond: View, a: View, b: View, out: View): void {
    if (tinyWhere(cond, a, b, out)) return; // a few float32 elements: cheaper in JS, same bits (tiny.ts)
    // NOTE: the addon's where moves 8-byte elements for int64 and float64 alike.
    if (this.fits(cond) && this.fitsF64(a, b, out)) {
      return this.addon.where(this.meta(cond, a, b, out), cond.typedArray as Uint8Array, a.typedArray, b.typedArray, out.typedArray);
    }
    if (!this.fits(cond, a, b, out)) return jsBackend.where(cond, a, b, out);
    this.addon.where(this.meta(cond, a, b, out), cond.typedArray as Uint8Array, a.typedArray, b.typedArray, out.typedArray);
  }

  reluBackward(grad: View, result: View, out: View): void {
    if (!(out.typedArray instanceof Float32Array) || !this.fits(grad, result, out)) return jsBackend.reluBackward(grad, result, out);
    this.addon.reluBackward(this.meta(grad, result, out), f32(grad), f32(result), f32(out));
  }

  reduce(op: ReduceOp, x: View, out: View): void {
    if (this.fitsF64(x, out)) {
      return this.addon.reduce(this.code(this.reduceCodes, op, "reduce"), this.meta(x, out), x.typedArray as Float64Array, out.typedArray as Float64Array);
    }
    if (!(x.typedArray instanceof Float32Array && out.typedArray instanceof Float32Array) || !this.fits(x, out)) {
      return jsBackend.reduce(op, x, out);
    }
    this.addon.reduce(this.code(this.reduceCodes, op, "reduce"), this.meta(x, out), x.typedArray, out.typedArray);
  }

  argReduce(op: ArgReduceOp, x: View, dim: number, out: View): void {
    if (x.shape.length > 0 && this.fitsF64(x) && this.fits(out)) {
      return this.addon.argReduce(this.code(this.argCodes, op, "argReduce"), this.meta(x, out), x.typedArray as Float64Array, out.typedArray as Float64Array, dim);
    }
    if (!(x.typedArray instanceof Float32Array) || x.shape.length === 0 || !this.fits(x, out)) {
      return jsBackend.argReduce(op, x, dim, out);
    }
    this.addon.argReduce(this.code(this.argCodes, op, "argReduce"), this.meta(x, out), x.typedArray, out.typedArray as Float64Array, dim);
  }

  matmul(a: View, b: View, out: View, accumulate = false): void {
    if (this.fitsF64(a, b, out)) {
      return this.addon.matmul(this.meta(a, b, out), a.typedArray as Float64Array, b.typedArray as Float64Array, out.typedArray as Float64Array, accumulate);
    }
    if (!(a.typedArray instanceof Float32Array)) return jsBackend.matmul(a, b, out, accumulate);
    this.addon.matmul(this.meta(a, b, out), a.typedArray as Float32Array, b.typedArray as Float32Array, out.typedArray as Float32Array, accumulate);
  }

  addScaled(a: View, b: View, alpha: number, out: View): void {
    if (!this.fits(a, b, out)) return jsBackend.addScaled(a, b, alpha, out);
    this.addon.addScaled(this.meta(a, b, out), a.typedArray as Float32Array, b.typedArray as Float32Array, out.typedArray as Float32Array, alpha);
  }

  adamStep(p: View, grad: View, expAvg: View, expAvgSq: View, maxExpAvgSq: View | null, h: AdamScalars): void {
    const views = maxExpAvgSq === null ? [p, grad, expAvg, expAvgSq] : [p, grad, expAvg, expAvgSq, maxExpAvgSq];
    if (!this.fits(...views) || !(p.typedArray instanceof Float32Array)) return jsBackend.adamStep(p, grad, expAvg, expAvgSq, maxExpAvgSq, h);
    this.addon.adamStep(
      this.meta(...views), p.typedArray as Float32Array, grad.typedArray as Float32Array, expAvg.typedArray as Float32Array,
      expAvgSq.typedArray as Float32Array, (maxExpAvgSq?.typedArray ?? null) as Float32Array | null,
      h.beta1, h.beta2, h.negStepSize, h.bc2Sqrt, h.eps, h.decay,
    );
  }

  softmax(x: View, out: View, log: boolean): void {
    if (this.fitsF64(x, out)) {
      return this.addon.softmax(this.meta(x, out), x.typedArray as Float64Array, out.typedArray as Float64Array, log);
    }
    if (!this.fits(x, out) || !(x.typedArray instanceof Float32Array)) return jsBackend.softmax(x, out, log);
    this.addon.softmax(this.meta(x, out), x.typedArray as Float32Array, out.typedArray as Float32Array, log);
  }

  softmaxBackward(y: View, g: View, out: View): void {
    const f32 = y.typedArray instanceof Float32Array && g.typedArray instanceof Float32Array && out.typedArray instanceof Float32Array;
    if (!f32 || !this.fits(y, g, out)) return jsBackend.softmaxBackward(y, g, out);
    this.addon.softmaxBackward(this.meta(y, g, out), y.typedArray as Float32Array, g.typedArray as Float32Array, out.typedArray as Float32Array);
  }

  gather(x: View, dim: number, index: View, out: View): void {
    if (!(x.typedArray instanceof Float32Array) || x.shape.length === 0 || !this.fits(x, index, out)) {
      return jsBackend.gather(x, dim, index, out);
    }
    this.addon.gather(this.meta(x, index, out), x.typedArray, index.typedArray as Float64Array, out.typedArray as Float32Array, dim);
  }

  scatterAdd(out: View, dim: number, index: View, src: View): void {
    if (!(out.typedArray instanceof Float32Array) || out.shape.length === 0 || !this.fits(out, index, src)) {
      return jsBackend.scatterAdd(out, dim, index, src);
    }
    this.addon.scatterAdd(this.meta(out, index, src), out.typedArray, index.typedArray as Float64Array, src.typedArray as Float32Array, dim);
  }

  // NOTE: the pooling and batch-norm kernels take float32 (and int64 indices) only, as the JS twins.
  maxPool2d(x: View, w: PoolWindow, out: View, indices: View): void {
    if (!this.fits(x, out, indices) || !(x.typedArray instanceof Float32Array)) return jsBackend.maxPool2d(x, w, out, indices);
    this.addon.maxPool2d(this.meta(x, out, indices), x.typedArray, out.typedArray as Float32Array, indices.typedArray as Float64Array, w.kH, w.kW, w.sH, w.sW, w.pH, w.pW, w.dH, w.dW);
  }

  maxPool2dBackward(grad: View, indices: View, gradInput: View): void {
    if (!this.fits(grad, indices, gradInput) || !(grad.typedArray instanceof Float32Array)) return jsBackend.maxPool2dBackward(grad, indices, gradInput);
    this.addon.maxPool2dBackward(this.meta(grad, indices, gradInput), grad.typedArray, indices.typedArray as Float64Array, gradInput.typedArray as Float32Array);
  }

  avgPool2d(x: View, w: AvgPoolWindow, out: View): void {
    if (!this.fits(x, out) || !(x.typedArray instanceof Float32Array)) return jsBackend.avgPool2d(x, w, out);
    this.addon.avgPool2d(this.meta(x, out), x.typedArray, out.typedArray as Float32Array, w.kH, w.kW, w.sH, w.sW, w.pH, w.pW, w.countIncludePad, w.divisorOverride);
  }

  avgPool2dBackward(grad: View, w: AvgPoolWindow, gradInput: View): void {
    if (!this.fits(grad, gradInput) || !(grad.typedArray instanceof Float32Array)) return jsBackend.avgPool2dBackward(grad, w, gradInput);
    this.addon.avgPool2dBackward(this.meta(grad, gradInput), grad.typedArray, gradInput.typedArray as Float32Array, w.kH, w.kW, w.sH, w.sW, w.pH, w.pW, w.countIncludePad, w.divisorOverride);
  }

  batchNormStats(x: View, mean: Float64Array, variance: Float64Array): void {
    if (!(x.typedArray instanceof Float32Array)) return jsBackend.batchNormStats(x, mean, variance);
    this.addon.batchNormStats(this.meta(x, vec(mean), vec(variance)), x.typedArray, mean, variance);
  }

  batchNormApply(x: View, mean: Float32Array, scale: Float32Array, shift: Float32Array, out: View): void {
    if (!(x.typedArray instanceof Float32Array)) return jsBackend.batchNormApply(x, mean, scale, shift, out);
    this.addon.batchNormApply(this.meta(x, vec(mean), vec(scale), vec(shift), out), x.typedArray, mean, scale, shift, out.typedArray as Float32Array);
  }

  batchNormBackwardReduce(x: View, grad: View, mean: Float64Array, sumGrad: Float64Array, dot: Float64Array): void {
    if (!(x.typedArray instanceof Float32Array)) return jsBackend.batchNormBackwardReduce(x, grad, mean, sumGrad, dot);
    this.addon.batchNormBackwardReduce(this.meta(x, grad, vec(mean), vec(sumGrad), vec(dot)), x.typedArray, grad.typedArray as Float32Array, mean, sumGrad, dot);
  }

  batchNormBackwardInput(x: View, grad: View, mean: Float32Array, gradMean: Float32Array, k: Float32Array, a: Float32Array, gradInput: View): void {
    if (!(x.typedArray instanceof Float32Array)) return jsBackend.batchNormBackwardInput(x, grad, mean, gradMean, k, a, gradInput);
    this.addon.batchNormBackwardInput(
      this.meta(x, grad, vec(mean), vec(gradMean), vec(k), vec(a), gradInput), x.typedArray, grad.typedArray as Float32Array,
      mean, gradMean, k, a, gradInput.typedArray as Float32Array,
    );
  }

  // LayerNorm: float32 on the addon (layer_norm.h); float64 on the JS kernels.
  layerNormForward(x: View, weight: View | null, bias: View | null, eps: number, y: View, mean: View, rstd: View): void {
    if (!(x.typedArray instanceof Float32Array)) return jsBackend.layerNormForward(x, weight, bias, eps, y, mean, rstd);
    const some = [x, weight, bias, y, mean, rstd].filter((v): v is View => v !== null);
    const f32 = (v: View | null) => (v === null ? null : (v.typedArray as Float32Array));
    this.addon.layerNormForward(this.meta(...some), x.typedArray, f32(weight), f32(bias), y.typedArray as Float32Array, mean.typedArray as Float32Array, rstd.typedArray as Float32Array, eps);
  }

  layerNormBackward(x: View, grad: View, mean: View, rstd: View, weight: View | null, gradInput: View | null, gradWeight: View | null, gradBias: View | null): void {
    if (!(x.typedArray instanceof Float32Array)) return jsBackend.layerNormBackward(x, grad, mean, rstd, weight, gradInput, gradWeight, gradBias);
    const some = [x, grad, mean, rstd, weight, gradInput, gradWeight, gradBias].filter((v): v is View => v !== null);
    const f32 = (v: View | null) => (v === null ? null : (v.typedArray as Float32Array));
    this.addon.layerNormBackward(
      this.meta(...some), x.typedArray, grad.typedArray as Float32Array, mean.typedArray as Float32Array, rstd.typedArray as Float32Array,
      f32(weight), f32(gradInput), f32(gradWeight), f32(gradBias),
    );
  }

  dropoutMask(state: Int32Array, index: number, keep: number, scale: number, mask: Float32Array, x: Float32Array | null, out: Float32Array | null): number {
    return this.addon.dropoutMask(state, index, keep, scale, mask, x, out);
  }

  im2col(x: View, cols: View, g: ConvGeometry): void {
    if (!(x.typedArray instanceof Float32Array && cols.typedArray instanceof Float32Array) || !this.fits(x, cols)) return jsBackend.im2col(x, cols, g);
    this.addon.im2col(this.meta(x, cols), x.typedArray, cols.typedArray, g.kh, g.kw, g.padTop, g.padLeft, g.strideH, g.strideW, g.dilationH, g.dilationW);
  }

  col2im(cols: View, out: View, g: ConvGeometry): void {
    if (!(cols.typedArray instanceof Float32Array && out.typedArray instanceof Float32Array) || !this.fits(cols, out)) return jsBackend.col2im(cols, out, g);
    this.addon.col2im(this.meta(cols, out), cols.typedArray, out.typedArray, g.kh, g.kw, g.padTop, g.padLeft, g.strideH, g.strideW, g.dilationH, g.dilationW);
  }

  // NOTE: the fused cell steps run natively on float32 only; float64 (gradcheck) takes the JS twin.
  lstmCellForward(gi: View, hh: View, cPrev: View, gates: View, c: View, tanhC: View, h: View): void {
    if (!this.allF32(gi, hh, cPrev, gates, c, tanhC, h)) return jsBackend.lstmCellForward(gi, hh, cPrev, gates, c, tanhC, h);
    this.addon.lstmCellForward(this.meta(gi, hh, cPrev, gates, c, tanhC, h), f32(gi), f32(hh), f32(cPrev), f32(gates), f32(c), f32(tanhC), f32(h));
  }

  lstmCellBackward(dh: View, gY: View, dc: View, gates: View, tanhC: View, cPrev: View, dPre: View, dcPrev: View): void {
    if (!this.allF32(dh, gY, dc, gates, tanhC, cPrev, dPre, dcPrev)) return jsBackend.lstmCellBackward(dh, gY, dc, gates, tanhC, cPrev, dPre, dcPrev);
    this.addon.lstmCellBackward(this.meta(dh, gY, dc, gates, tanhC, cPrev, dPre, dcPrev), f32(dh), f32(gY), f32(dc), f32(gates), f32(tanhC), f32(cPrev), f32(dPre), f32(dcPrev));
  }

  gruCellForward(gi: View, hh: View, hPrev: View, gates: View, h: View): void {
    if (!this.allF32(gi, hh, hPrev, gates, h)) return jsBackend.gruCellForward(gi, hh, hPrev, gates, h);
    this.addon.gruCellForward(this.meta(gi, hh, hPrev, gates, h), f32(gi), f32(hh), f32(hPrev), f32(gates), f32(h));
  }

  gruCellBackward(dh: View, gY: View, gates: View, hh: View, hPrev: View, dGi: View, dGh: View, dDiff: View): void {
    if (!this.allF32(dh, gY, gates, hh, hPrev, dGi, dGh, dDiff)) return jsBackend.gruCellBackward(dh, gY, gates, hh, hPrev, dGi, dGh, dDiff);
    this.addon.gruCellBackward(this.meta(dh, gY, gates, hh, hPrev, dGi, dGh, dDiff), f32(dh), f32(gY), f32(gates), f32(hh), f32(hPrev), f32(dGi), f32(dGh), f32(dDiff));
  }

  /** True when every view is float32 and fits the addon's dim limit. */
  private allF32(...views: View[]): boolean {
    for (const v of views) if (!(v.typedArray instanceof Float32Array)) return false;
    return this.fits(...views);
  }

  convMatmul(a: View, b: View, out: View, accumulate = false): void {
    if (!(a.typedArray instanceof Float32Array && b.typedArray instanceof Float32Array && out.typedArray instanceof Float32Array) || !this.fits(a, b, out)) {
      return this.matmul(a, b, out, accumulate);
    }
    this.addon.convMatmul(this.meta(a, b, out), a.typedArray, b.typedArray, out.typedArray, accumulate);
  }

  matmulUnfolded(a: View, b: View, out: View, accumulate = false): void {
    if (this.fitsF64(a, b, out)) {
      return this.addon.matmulUnfolded(this.meta(a, b, out), a.typedArray as Float64Array, b.typedArray as Float64Array, out.typedArray as Float64Array, accumulate);
    }
    if (!(a.typedArray instanceof Float32Array) || !this.fits(a, b, out)) return jsBackend.matmulUnfolded(a, b, out, accumulate);
    this.addon.matmulUnfolded(this.meta(a, b, out), a.typedArray as Float32Array, b.typedArray as Float32Array, out.typedArray as Float32Array, accumulate);
  }

  // float32 only: other dtypes take conv_padded_rows.ts's loop over the backend's steps.
  convPaddedForward(x: View, weight: View, bias: View | null, out: View, g: PaddedConvGeometry): boolean {
    const some = [x, weight, bias, out].filter((v): v is View => v !== null);
    if (!some.every((v) => v.typedArray instanceof Float32Array) || !this.fits(...some)) return false;
    this.addon.convPaddedForward(this.meta(...some), f32(x), f32(weight), bias === null ? null : f32(bias), f32(out), g.kh, g.kw, g.dilH, g.dilW, g.padTop, g.padLeft, g.Hp, g.Wp, g.groups, g.imagesPerChunk, g.exact);
    return true;
  }
}

let backend: NativeBackend | null = null;

/** The native backend, or null and the reason the addon could not be loaded. */
export function loadNativeBackend(): { backend: NativeBackend; error: null } | { backend: null; error: Error } {
  const load = loadAddon();
  if (load.addon === null) return { backend: null, error: load.error };
  backend ??= new NativeBackend(load.addon);
  return { backend, error: null };
}

/** Threads of this thread's native pool (1 when the addon isn't loaded: the JS backend is serial). */
export function getNumThreads(): number {
  const { addon } = loadAddon();
  return addon === null ? 1 : addon.info().threads;
}

/** Sets the native pool's size; without the addon it only checks n (the JS backend is serial). */
export function setNumThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`setNumThreads: n must be a positive integer, got ${n}`);
  loadAddon().addon?.setNumThreads(n);
}

/** Forces the native kernels' ISA ("scalar", "avx2", "avx512", "neon"); for tests. */
export function setIsa(name: string): void {
  // NOTE: checked here, exactly: the addon reads a C string, so "scalar\0avx2" would pass as "scalar".
  const known = ["scalar", "avx2", "avx512", "neon"];
  if (typeof name !== "string" || !known.includes(name)) {
    throw new RangeError(`setIsa: unknown instruction set ${JSON.stringify(name) ?? String(name)} (expected one of ${known.join(", ")})`);
  }
  const load = loadAddon();
  if (load.addon === null) throw load.error;
  load.addon.setIsa(name);
}

/** The ISA the native kernels use now, and what this CPU and binary offer. */
export function nativeInfo(): ReturnType<NativeAddon["info"]> | null {
  return loadAddon().addon?.info() ?? null;
}

