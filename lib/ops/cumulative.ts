// Scans and products along one dim: cumsum, cumprod and prod, with their gradient kernels.
// NOTE: no backend primitive: the loops below run in TypeScript over a contiguous copy for both
// backends, so results are bit-identical across backends and thread counts. The scans accumulate in
// float64 and round each output once, as PyTorch's CPU cumsum/cumprod do; prod multiplies in float32.
// ref: PyTorch 1.13 aten/src/ATen/native/cpu/ReduceOpsKernel.cpp (cpu_cum_base_kernel) and
// tools/autograd/derivatives.yaml (cumsum, cumprod_backward, prod_backward).
import { viaFloat32 } from "./half_compute.js";
import type { DType } from "../backend/types.js";
import { record, rename } from "../autograd/node.js";
import { isFloating, parseDType } from "../dtype.js";
import { normDim } from "../shape.js";
import { Tensor } from "../tensor.js";
import { cast } from "./elementwise.js";
import { checkIntResult } from "./int64.js";
import { reduceDims } from "./reduce.js";
import { reshape } from "./views.js";

export interface DTypeOptions {
  dtype?: DType | string | null;
}

/** Lines along `dim` of a contiguous [outer, n, inner] layout: fn(offset of element 0, stride). */
function forEachLine(shape: readonly number[], dim: number, fn: (base: number, stride: number, n: number) => void): void {
  const n = shape.length === 0 ? 1 : shape[dim];
  // NOTE: no line when another dim is empty: O(numel), not one call per line of a huge empty tensor
  if (shape.some((s, i) => s === 0 && i !== dim)) return;
  let outer = 1;
  let inner = 1;
  shape.forEach((s, i) => {
    if (i < dim) outer *= s;
    else if (i > dim) inner *= s;
  });
  for (let o = 0; o < outer; o++) for (let j = 0; j < inner; j++) fn(o * n * inner + j, inner, n);
}

/** The dtype an accumulating op computes in: opts.dtype, else int64 for integers and bools. */
function accDtype(x: Tensor, opts: DTypeOptions | undefined, fn: string): DType {
  if (opts?.dtype !== undefined && opts.dtype !== null) return parseDType(opts.dtype, fn);
  return isFloating(x.dtype) ? x.dtype : "int64";
}

/** out[k] = x[0] + ... + x[k] along dim (reverse: x[k] + ... + x[n-1]), a new contiguous tensor. */
export function cumsumKernel(x: Tensor, dim: number, reverse = false): Tensor {
  const src = x.contiguous().storage();
  const out = Tensor.empty(x.shape, x.dtype);
  const dst = out.typedArray;
  forEachLine(x.shape, dim, (base, stride, n) => {
    let acc = 0;
    for (let i = 0; i < n; i++) {
      const p = base + (reverse ? n - 1 - i : i) * stride;
      acc += src[p];
      dst[p] = acc;
    }
  });
  return out;
}

function cumprodKernel(x: Tensor, dim: number): Tensor {
  const src = x.contiguous().storage();
  const out = Tensor.empty(x.shape, x.dtype);
  const dst = out.typedArray;
  forEachLine(x.shape, dim, (base, stride, n) => {
    let acc = 1;
    for (let i = 0, p = base; i < n; i++, p += stride) {
      acc *= src[p];
      dst[p] = acc;
    }
  });
  return out;
}

/**
 * d cumprod / dx along dim without dividing by x (exact with zeros): with R[k] = g[k] + x[k+1] R[k+1]
 * (R[n-1] = g[n-1]), dx[k] = (x[0] ... x[k-1]) R[k].
 */
export function cumprodBackward(g: Tensor, x: Tensor, dim: number): Tensor {
  const gs = g.contiguous().storage();
  const xs = x.contiguous().storage();
  const out = Tensor.empty(x.shape, x.dtype === "float64" ? "float64" : "float32"); // float64 keeps its precision
  const dst = out.typedArray;
  forEachLine(x.shape, dim, (base, stride, n) => {
    let r = 0;
    for (let i = n - 1; i >= 0; i--) {
      const p = base + i * stride;
      r = i === n - 1 ? gs[p] : gs[p] + xs[p + stride] * r;
      dst[p] = r; // R[k] for now; the prefix product is applied below
    }
    let prefix = 1;
    for (let i = 0, p = base; i < n; i++, p += stride) {
      const rk = dst[p];
      dst[p] = prefix * rk;
      prefix *= xs[p];
    }
  });
  return out;
}

/** The product along dim in keepdim layout. */
function prodKernel(x: Tensor, dim: number): Tensor {
  const src = x.contiguous().storage();
  const keep = x.shape.map((s, i) => (i === dim ? 1 : s));
  const out = Tensor.empty(keep, x.dtype);
  const dst = out.typedArray;
  const f32 = x.dtype === "float32";
  let k = 0;
  forEachLine(x.shape, dim, (base, stride, n) => {
    let acc = 1;
    // NOTE: unlike the scans, PyTorch's prod reduction multiplies in float32 (so 3e20 * 1e20 * 1e-20
    // is Infinity there): each step is rounded to float32 as well.
    if (f32) for (let i = 0, p = base; i < n; i++, p += stride) acc = Math.fround(acc * src[p]);
    else for (let i = 0, p = base; i < n; i++, p += stride) acc *= src[p];
    // NOTE: lines come in [outer, inner] order, which is the keepdim output's row-major order.
    dst[k++] = acc;
  });
  return out;
}

/** d prod / dx along dim: g times the product of the others, from prefix and suffix products
 *  (no division, so one zero gives its neighbours' product and two zeros give 0 everywhere). */
export function prodBackward(g: Tensor, x: Tensor, dim: number): Tensor {
  const gs = g.contiguous().storage(); // keepdim layout: one value per line
  const xs = x.contiguous().storage();
  const out = Tensor.empty(x.shape, x.dtype === "float64" ? "float64" : "float32"); // float64 keeps its precision
  const dst = out.typedArray;
  let k = 0;
  forEachLine(x.shape, dim, (base, stride, n) => {
    const gk = gs[k++];
    let suffix = 1;
    for (let i = n - 1; i >= 0; i--) {
      const p = base + i * stride;
      dst[p] = suffix;
      suffix *= xs[p];
    }
    let prefix = 1;
    for (let i = 0, p = base; i < n; i++, p += stride) {
      dst[p] = gk * (prefix * dst[p]);
      prefix *= xs[p];
    }
  });
  return out;
}

/** cumsum / cumprod: the dim checked, x cast to the accumulating dtype, int64 results kept exact. */
function scan(fn: "cumsum" | "cumprod", kernel: (x: Tensor, dim: number) => Tensor, x: Tensor, dim: number, opts?: DTypeOptions): Tensor {
  if (typeof dim !== "number") throw new TypeError(`${fn}() missing required argument 'dim' (pos 2)`);
  const d = normDim(dim, x.ndim, fn);
  const input = cast(x, accDtype(x, opts, fn));
  // an empty scan writes nothing: no walk over the lines of its other (maybe huge) dims
  const out = input.numel() === 0 ? Tensor.empty(input.shape, input.dtype) : kernel(input, d);
  if (out.dtype === "int64") checkIntResult(out, fn);
  return record(fn, [input], out, { dim: d });
}

/** torch.cumsum: running sums along dim (int64 for integer and bool inputs unless dtype says). */
export function cumsum(x: Tensor, dim: number, opts?: DTypeOptions): Tensor {
  const h = opts?.dtype == null ? viaFloat32(x, (f) => cumsum(f, dim)) : null;
  if (h !== null) return h;
  return scan("cumsum", cumsumKernel, x, dim, opts);
}

/** torch.cumprod: running products along dim. */
export function cumprod(x: Tensor, dim: number, opts?: DTypeOptions): Tensor {
  const h = opts?.dtype == null ? viaFloat32(x, (f) => cumprod(f, dim)) : null;
  if (h !== null) return h;
  return scan("cumprod", cumprodKernel, x, dim, opts);
}

/** torch.prod: the product of all elements, or along one dim (keepdim as sum's). */
export function prod(x: Tensor, dim?: number | null | DTypeOptions, keepdim: boolean | DTypeOptions = false, opts?: DTypeOptions): Tensor {
  if (typeof dim === "object" && dim !== null) [dim, opts] = [undefined, dim];
  if (typeof keepdim === "object") [keepdim, opts] = [false, keepdim];
  const h = opts?.dtype == null ? viaFloat32(x, (f) => prod(f, dim as number | null | undefined, keepdim as boolean)) : null;
  if (h !== null) return h;
  const input = cast(x, accDtype(x, opts, "prod"));
  if (dim === undefined || dim === null) {
    const flat = reshape(input, [-1]);
    const all = record("prod", [flat], prodKernel(flat, 0), { dim: 0 });
    if (all.dtype === "int64") checkIntResult(all, "prod");
    return rename(reshape(all, []), "ProdBackward0");
  }
  if (Array.isArray(dim)) throw new TypeError("prod(): argument 'dim' must be int, not list");
  const d = reduceDims(input, dim, "prod")[0] ?? 0;
  const out = record("prod", [input], prodKernel(input, d), { dim: d });
  if (out.dtype === "int64") checkIntResult(out, "prod");
  const res = keepdim || input.ndim === 0 ? out : reshape(out, input.shape.filter((_, i) => i !== d));
  return rename(res, "ProdBackward1");
}
