// Statistics along a dim: logcumsumexp (a two-level triangular logsumexp scan: blocks of ~sqrt(n),
// each position's prefix within its block, plus the blocks before it; exact in the input's dtype,
// no underflow of far-below-max terms, differentiable), quantile / nanquantile (sort, then PyTorch's
// ranks and interpolation modes), histc (equal-width bins, PyTorch's linear bin formula in the
// input's dtype; no gradient), renorm (rescale each slice along dim whose p-norm exceeds maxnorm).
// ref: aten/src/ATen/native/ReduceOps.cpp (logcumsumexp), Sorting.cpp (quantile_checks,
// quantile_impl), cpu/HistogramKernel.cpp (histogramdd_cpu_contiguous, LINEAR_INTERPOLATION),
// Histogram.cpp (histc's range rules), Normalization/ReduceOps (renorm), PyTorch 1.13.
import { rename } from "../autograd/node.js";
import { isFloating, scalarTypeName } from "../dtype.js";
import { normDim } from "../shape.js";
import { Tensor } from "../tensor.js";
import { arange, full, tensor } from "./creation.js";
import { binary, cast, compare, scalarTensor, unary, where } from "./elementwise.js";
import { cat, gather } from "./indexing.js";
import { mathBinary } from "./math_binary.js";
import { vectorNorm } from "./norms.js";
import { logsumexp, sum } from "./reduce.js";
import { sort } from "./sorting.js";
import { movedim } from "./split.js";
import { expand, narrow, reshape, select, squeeze, unsqueeze } from "./views.js";
import { lerp } from "./pointwise.js";
import { isnan } from "./masking.js";

/** [n, n] bool: j >= i (strict: j > i) for row j, column i. */
function lowerMask(n: number, strict: boolean): Tensor {
  const i = arange(0, n, 1, { dtype: "int64" });
  return compare(strict ? "lt" : "le", reshape(i, [1, n]), reshape(i, [n, 1]));
}

/** logsumexp over i <= j (i < j when strict) of the last dim, for each j. */
function triLogsumexp(x: Tensor, strict: boolean): Tensor {
  const n = x.shape[x.ndim - 1];
  const e = expand(unsqueeze(x, -2), [...x.shape.slice(0, -1), n, n]);
  return logsumexp(where(lowerMask(n, strict), e, -Infinity), [-1], false);
}

/** torch.logcumsumexp: log(cumsum(exp(x))) along dim, computed without overflow or underflow. */
export function logcumsumexp(x: Tensor, dim: number): Tensor {
  if (!isFloating(x.dtype) || x.dtype === "float16") throw new TypeError(`"logcumsumexp_out_cpu" not implemented for '${scalarTypeName(x.dtype)}'`);
  const d = normDim(dim, x.ndim);
  if (x.ndim === 0 || x.shape[d] <= 1) return rename(binary("mul", x, 1), "LogcumsumexpBackward0");
  const n = x.shape[d];
  const xm = movedim(x, d, -1);
  const lead = xm.shape.slice(0, -1);
  const B = n <= 64 ? n : Math.ceil(Math.sqrt(n));
  const nb = Math.ceil(n / B);
  const padded = nb * B === n ? xm : cat([xm, full([...lead, nb * B - n], -Infinity, { dtype: x.dtype })], -1);
  let inner = triLogsumexp(reshape(padded, [...lead, nb, B]), false); // [.., nb, B]
  if (nb > 1) {
    const before = triLogsumexp(select(inner, -1, B - 1), true); // [.., nb]: the blocks before each
    inner = mathBinary("logaddexp", inner, unsqueeze(before, -1));
  }
  const out = narrow(reshape(inner, [...lead, nb * B]), lead.length, 0, n);
  return rename(movedim(out, -1, d), "LogcumsumexpBackward0");
}

export type Interpolation = "linear" | "lower" | "higher" | "midpoint" | "nearest";

export interface QuantileOptions {
  dim?: number | null;
  keepdim?: boolean;
  interpolation?: Interpolation;
}

/** torch.quantile / torch.nanquantile. q: a number or a 0-d / 1-D tensor of x's dtype; a 1-D q
 *  puts its dim first in the result. */
export function quantile(x: Tensor, q: number | Tensor, opts: QuantileOptions, ignoreNan: boolean): Tensor {
  const { dim = null, keepdim = false, interpolation = "linear" } = opts;
  if (!["linear", "lower", "higher", "midpoint", "nearest"].includes(interpolation)) {
    throw new Error(`quantile() interpolation must be one of linear, lower, higher, midpoint or nearest, but got ${interpolation}`);
  }
  if (typeof q === "number" && !(q >= 0 && q <= 1)) throw new Error(`quantile() q must be in the range [0, 1] but got ${q}`);
  if (x.numel() === 0) throw new Error("quantile() input tensor must be non-empty");
  const qt = q instanceof Tensor ? q : null;
  if (qt !== null && qt.ndim > 1) throw new Error("quantile() q must be a scalar or 1D tensor");
  if (x.dtype !== "float32" && x.dtype !== "float64") throw new TypeError("quantile() input tensor must be either float or double dtype");
  if (qt !== null && qt.dtype !== x.dtype) throw new TypeError("quantile() q tensor must be same dtype as the input tensor");
  const qs = qt === null ? [q as number] : (Array.from(qt.detach().contiguous().storage() as ArrayLike<number>) as number[]);
  if (qt !== null && !qs.every((v) => v >= 0 && v <= 1)) throw new Error("quantile() q values must be in the range [0, 1]");
  // rows: the values sorted along the last dim (NaN last)
  let src: Tensor, d: number | null;
  if (dim === null || dim === undefined) {
    src = reshape(x, [-1]);
    d = null;
  } else {
    d = normDim(dim, x.ndim);
    src = x.ndim === 0 ? reshape(x, [1]) : movedim(x, d, -1);
  }
  const sorted = sort(src, -1).values; // [...rest, n]
  const n = sorted.shape[sorted.ndim - 1];
  const rest = sorted.shape.slice(0, -1);
  const nq = qs.length;
  const qv = reshape(tensor(qs, { dtype: x.dtype }), [nq, ...rest.map(() => 1), 1]); // [nq, 1.., 1]
  const nanCount = sum(isnan(sorted.detach()), [-1], true); // [...rest, 1] int64
  let ranks: Tensor;
  if (ignoreNan) {
    const valid = binary("sub", n, nanCount);
    ranks = where(compare("eq", valid, 0), 0, binary("mul", qv, cast(binary("sub", valid, 1), x.dtype)));
  } else {
    ranks = where(compare("gt", nanCount, 0), n - 1, binary("mul", qv, n - 1));
  }
  ranks = expand(ranks, [nq, ...rest, 1]);
  const rows = expand(unsqueeze(sorted, 0), [nq, ...rest, n]);
  let out: Tensor;
  if (interpolation === "lower" || interpolation === "higher" || interpolation === "nearest") {
    const r = unary(interpolation === "lower" ? "floor" : interpolation === "higher" ? "ceil" : "round", ranks);
    out = gather(rows, -1, cast(r, "int64"));
  } else {
    const below = unary("floor", ranks);
    const lo = gather(rows, -1, cast(below, "int64"));
    const hi = gather(rows, -1, cast(unary("ceil", ranks), "int64"));
    const w = interpolation === "midpoint" ? scalarTensor(0.5, x.dtype) : binary("sub", ranks, below);
    out = lerp(lo, hi, w);
  }
  // out: [nq, ...rest, 1]
  if (keepdim) {
    if (d === null) out = reshape(out, [nq, ...x.shape.map(() => 1)]);
    else if (x.ndim > 0) out = movedim(out, -1, d + 1);
    else out = reshape(out, [nq]);
  } else out = squeeze(out, -1);
  return qt === null || qt.ndim === 0 ? squeeze(out, 0) : out;
}

/** C's "%g"-like text of a histc range end, as PyTorch prints it (NaN as -nan). */
const edgeText = (v: number) => (Number.isNaN(v) ? "-nan" : v === Infinity ? "inf" : v === -Infinity ? "-inf" : String(v));

/** torch.histc: counts in `bins` equal-width bins over [min, max] (the data's range when both are
 *  0); elements outside are ignored. The result has x's dtype and no gradient. */
export function histc(x: Tensor, bins = 100, min = 0, max = 0): Tensor {
  if (!isFloating(x.dtype)) throw new TypeError(`"histogram_cpu" not implemented for '${scalarTypeName(x.dtype)}'`);
  if (!Number.isInteger(bins) || bins <= 0) throw new Error(`torch.histogram(): bins must be > 0, but got ${bins} for dimension 0`);
  if (min > max) throw new Error("torch.histc: max must be larger than min");
  if (x.dtype === "float16") throw new TypeError(`"${min === max ? "aminmax_cpu" : "histogram_cpu"}" not implemented for 'Half'`);
  const f32 = x.dtype !== "float64";
  const r = f32 ? Math.fround : (v: number) => v;
  // NOTE: bfloat16 is binned in float32 (PyTorch rounds each step to bfloat16)
  const data = Array.from(cast(x.detach(), f32 ? "float32" : "float64").contiguous().storage() as ArrayLike<number>);
  let lo = r(min), hi = r(max);
  if (lo === hi && data.length > 0) {
    lo = Infinity;
    hi = -Infinity;
    for (const v of data) {
      if (Number.isNaN(v)) {
        lo = hi = NaN;
        break;
      }
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  if (lo === hi) {
    lo = r(lo - 1);
    hi = r(hi + 1);
  }
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) throw new Error(`torch.histc: range of [${edgeText(lo)}, ${edgeText(hi)}] is not finite`);
  const counts = new Array<number>(bins).fill(0);
  const width = r(hi - lo);
  for (const v of data) {
    if (!(v >= lo && v <= hi)) continue;
    let pos = Math.trunc(r(r(r(v - lo) * bins) / width));
    if (pos === bins) pos = bins - 1;
    counts[pos] += 1;
  }
  return tensor(counts, { dtype: x.dtype });
}

/** torch.renorm: each slice along dim whose p-norm exceeds maxnorm scaled to norm maxnorm. */
export function renorm(x: Tensor, p: number, dim: number, maxnorm: number): Tensor {
  if (!(p > 0)) throw new Error("renorm: non-positive-norm not supported");
  if (!(maxnorm >= 0)) throw new Error(`renorm: expected maxnorm to be >= 0 but got ${maxnorm}`);
  if (x.ndim <= 1) throw new Error(`renorm: input needs at least 2 dimensions, got ${x.ndim} dimensions`);
  const d = normDim(dim, x.ndim);
  const others = x.shape.map((_, i) => i).filter((i) => i !== d);
  const norms = vectorNorm(x, p, others, true);
  const factor = where(compare("gt", norms, maxnorm), binary("div", maxnorm, binary("add", norms, 1e-7)), 1);
  return rename(binary("mul", x, factor), "RenormBackward0");
}
