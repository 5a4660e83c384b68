// The rest of torch.linalg: slogdet (and torch.logdet), matrix_power, matrix_exp, matrix_rank,
// pinv (and torch.pinverse), lstsq, multi_dot, cond, vecdot, inv_ex / solve_ex, the small aliases
// (diagonal, matmul, vander, tensorinv, tensorsolve) and eig / eigvals (refused: complex results). slogdet, matrix_exp and pinv are
// autograd Functions with PyTorch's gradient rules (written with recorded ops); the others are
// compositions of recorded ops, so their gradients (and grad_fn names) follow PyTorch's composite
// implementations.
// ref: PyTorch 1.13 aten/src/ATen/native/LinearAlgebra.cpp (linalg_matrix_power, matrix_rank,
// pinv, multi_dot, cond, matrix_exp), BatchLinearAlgebra.cpp (linalg_lstsq), FunctionsManual.cpp
// (slogdet_backward, pinv_backward, linalg_matrix_exp_differential).
import type { FunctionCtx } from "../autograd/function.js";
import { Function } from "../autograd/function.js";
import { rename } from "../autograd/node.js";
import { isFloating, scalarTypeName } from "../dtype.js";
import { broadcastShapes, normDim } from "../shape.js";
import { Tensor } from "../tensor.js";
import { cat } from "./indexing.js";
import { full } from "./creation.js";
import { cast, scalarTensor, where } from "./elementwise.js";
import { matmul } from "./matmul.js";
import { inv, solve } from "./lu.js";
import { svdvals } from "./svd.js";
import { matrixNorm, type Ord } from "./norms.js";
import { eigh, svd } from "./linalg_decomp.js";
import { batchPrefix, checkFloat, checkSquare, emptyOf, identityLike, keywords, lazyFunction, matrices, matrixAt } from "./linalg_common.js";
import * as K from "./linalg_kernels.js";

type Tuple<N extends string> = Tensor[] & { [k in N]: Tensor };
function named<N extends string>(names: readonly N[], values: Tensor[]): Tuple<N> {
  const r = values as Tuple<N>;
  names.forEach((n, i) => Object.defineProperty(r, n, { value: values[i], enumerable: false }));
  return r;
}

const EPS = { float32: 1.1920928955078125e-7, float64: 2.220446049250313e-16 } as Record<string, number>;

// ---- slogdet / logdet ----

const slogdetFn = lazyFunction(() => class LinalgSlogdet extends Function {
  static override gradFnName = "LinalgSlogdetBackward0";
  static override forward(ctx: FunctionCtx, a: Tensor): Tensor[] {
    const { data, count, n } = matrices(a);
    const batch = a.shape.slice(0, -2);
    const sign = emptyOf(batch, a.dtype);
    const logabs = emptyOf(batch, a.dtype);
    for (let b = 0; b < count; b++) {
      const r = K.luFactor(matrixAt(data, b, n * n), n, n);
      let sg = 1, la = 0;
      for (let i = 0; i < n; i++) {
        if (r.piv[i] !== i + 1) sg = -sg;
        const d = r.lu[i * n + i];
        sg *= d > 0 ? 1 : d < 0 ? -1 : 0; // torch.sign: 0 for NaN
        la += Math.log(Math.abs(d));
      }
      (sign.typedArray as Float64Array)[b] = sg;
      (logabs.typedArray as Float64Array)[b] = la;
    }
    ctx.saveForBackward(a);
    ctx.markNonDifferentiable(sign);
    return [sign, logabs];
  }
  static override backward(ctx: FunctionCtx, _gs: Tensor, gl: Tensor): (Tensor | null)[] {
    const [a] = ctx.savedTensors as Tensor[];
    // d logabsdet / dA = A^-T
    return [gl.unsqueeze(-1).unsqueeze(-1).mul(inv(a).mT)];
  }
});

/** torch.linalg.slogdet(A): [sign, logabsdet]; a singular matrix gives sign 0 and -inf. */
export function slogdet(a: Tensor): Tuple<"sign" | "logabsdet"> {
  checkFloat(a, "linalg.slogdet");
  checkSquare(a, "linalg.slogdet");
  return named(["sign", "logabsdet"], slogdetFn().apply(a) as Tensor[]);
}

/** torch.logdet(A): log det(A): NaN for a negative determinant, -inf for a singular matrix. */
export function logdet(a: Tensor): Tensor {
  checkFloat(a, "logdet");
  checkSquare(a, "logdet");
  const [sign, la] = slogdetFn().apply(a) as Tensor[];
  return where(sign.eq(-1), NaN, la);
}

// ---- matrix_power ----

/** torch.linalg.matrix_power(A, n): A^n by repeated squaring (PyTorch's order of products), the
 *  identity for n = 0, inv(A)^|n| for negative n. Integer matrices work for n >= 0. */
export function matrixPower(a: Tensor, n: number): Tensor {
  const fn = "linalg.matrix_power";
  if (!(a instanceof Tensor)) throw new TypeError(`${fn}: expected a Tensor`);
  if (!Number.isInteger(n)) throw new TypeError(`${fn}(): argument 'n' must be int, not ${typeof n === "number" ? "float" : typeof n}`);
  const size = checkSquare(a, fn);
  if (a.dtype === "bool" && n >= 0) throw new TypeError(`"addmm_impl_cpu_" not implemented for 'Bool'`);
  if (!isFloating(a.dtype) && n >= 0) {
    // NOTE: torchlet's matmul is floating-only; integer products are exact in float64 up to 2^53
    // (int64 storage holds doubles anyway), so compute there and cast back.
    return cast(matrixPower(cast(a, "float64"), n), a.dtype);
  }
  if (n === 0) {
    // The identity, connected to A with a zero gradient (PyTorch's copy of eye into A's shape).
    const eyeA = identityLike(a, size).expand([...a.shape]);
    return rename(where(scalarTensor(false, "bool"), a, eyeA), "CopyBackwards");
  }
  let base = a;
  if (n < 0) {
    base = inv(a);
    n = -n;
  }
  if (n === 1) return base.clone();
  if (n === 2) return matmul(base, base);
  if (n === 3) return matmul(matmul(base, base), base);
  let z: Tensor | null = null;
  let result: Tensor | null = null;
  while (n > 0) {
    const bit = n % 2;
    n = Math.floor(n / 2);
    z = z === null ? base : matmul(z, z);
    if (bit === 1) result = result === null ? z : matmul(result, z);
  }
  return result!;
}

// ---- matrix_exp ----

/** exp of one n x n matrix: scaling and squaring with a Taylor series to full float64 precision. */
function expm(a: ArrayLike<number>, n: number): Float64Array {
  let norm = 0;
  for (let j = 0; j < n; j++) {
    let col = 0;
    for (let i = 0; i < n; i++) col += Math.abs(a[i * n + j]);
    norm = Math.max(norm, col);
  }
  if (!Number.isFinite(norm)) return new Float64Array(n * n).fill(NaN);
  const s = norm > 0.5 ? Math.ceil(Math.log2(norm / 0.5)) : 0;
  const scale = 2 ** -s;
  const x = Float64Array.from(a, (v) => v * scale);
  const mul = (p: Float64Array, q: Float64Array): Float64Array<ArrayBuffer> => {
    const r = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) {
      const pik = p[i * n + k];
      if (pik !== 0) for (let j = 0; j < n; j++) r[i * n + j] += pik * q[k * n + j];
    }
    return r;
  };
  let result: Float64Array<ArrayBuffer> = new Float64Array(n * n);
  let term: Float64Array<ArrayBuffer> = new Float64Array(n * n);
  for (let i = 0; i < n; i++) result[i * n + i] = term[i * n + i] = 1;
  for (let k = 1; k < 30; k++) {
    term = mul(term, x);
    let mx = 0;
    for (let i = 0; i < n * n; i++) {
      term[i] /= k;
      result[i] += term[i];
      mx = Math.max(mx, Math.abs(term[i]));
    }
    if (mx <= 1e-18) break;
  }
  for (let i = 0; i < s; i++) result = mul(result, result);
  return result;
}

const matrixExpFn = lazyFunction(() => class LinalgMatrixExp extends Function {
  static override gradFnName = "LinalgMatrixExpBackward0";
  static override forward(ctx: FunctionCtx, a: Tensor): Tensor {
    const { data, count, n } = matrices(a);
    const out = emptyOf(a.shape, a.dtype);
    for (let b = 0; b < count; b++) (out.typedArray as Float64Array).set(expm(matrixAt(data, b, n * n), n), b * n * n);
    ctx.saveForBackward(a);
    return out;
  }
  static override backward(ctx: FunctionCtx, g: Tensor): (Tensor | null)[] {
    const [a] = ctx.savedTensors as Tensor[];
    // The Fréchet derivative's adjoint: the top-right block of exp([[A^T, G], [0, A^T]]).
    const n = a.shape[a.ndim - 1];
    const at = a.mT;
    const top = cat([at, g], -1);
    const bottom = cat([g.mul(0), at], -1);
    const big = matrixExpFn().apply(cat([top, bottom], -2)) as Tensor;
    return [big.narrow(-2, 0, n).narrow(-1, n, n)];
  }
});

/** torch.linalg.matrix_exp(A): the matrix exponential of each square matrix. */
export function matrixExp(a: Tensor): Tensor {
  if (!(a instanceof Tensor)) throw new TypeError("linalg.matrix_exp: expected a Tensor");
  checkSquare(a, "linalg.matrix_exp");
  if (a.dtype !== "float32" && a.dtype !== "float64") {
    throw new TypeError(`matrix_exp: Expected a floating point or complex tensor as input. Got ${scalarTypeName(a.dtype)}`);
  }
  return matrixExpFn().apply(a) as Tensor;
}

// ---- tolerances: matrix_rank and pinv ----

export interface TolOptions {
  atol?: number | Tensor | null;
  rtol?: number | Tensor | null;
  hermitian?: boolean;
  /** matrix_rank's older tol (atol with rtol 0). */
  tol?: number | Tensor | null;
  /** pinv's older rcond (rtol). */
  rcond?: number | Tensor | null;
}

/** max(atol, rtol * smax) as a tensor of the batch shape (PyTorch's get_atol_rtol: rtol defaults
 *  to eps * max(m, n) when neither is given, and to 0 when only atol is). */
function tolerance(a: Tensor, smax: Tensor, atol: number | Tensor | null | undefined, rtol: number | Tensor | null | undefined): Tensor {
  const [m, n] = a.shape.slice(-2);
  const atolGiven = atol !== null && atol !== undefined;
  const r = rtol ?? (atolGiven && !(typeof atol === "number" && atol <= 0) ? 0 : EPS[a.dtype] * Math.max(m, n));
  const at = atolGiven ? atol! : 0;
  const rt = r instanceof Tensor ? r : scalarTensor(r, a.dtype);
  const att = at instanceof Tensor ? at : scalarTensor(at, a.dtype);
  return att.maximum(rt.mul(smax));
}

/** The singular values (or |eigenvalues| when hermitian), descending, for rank and pinv. */
function spectrum(a: Tensor, hermitian: boolean): Tensor {
  if (!hermitian) return svdvals(a);
  return eigh(a)[0].abs().sort(-1, true)[0];
}

/** torch.linalg.matrix_rank(A, { atol, rtol, hermitian }) (also (A, tol, hermitian), tol as atol
 *  with rtol 0): how many singular values exceed max(atol, rtol * largest); int64. */
export function matrixRank(a: Tensor, tol?: number | Tensor | null | TolOptions, hermitian?: boolean | TolOptions): Tensor {
  let o: TolOptions = {};
  if (tol !== null && typeof tol === "object" && !(tol instanceof Tensor)) {
    const k = keywords("linalg_matrix_rank", tol, ["atol", "rtol", "hermitian", "tol"]);
    o = k.tol !== undefined && k.tol !== null ? { atol: k.tol, rtol: k.rtol ?? 0, hermitian: k.hermitian } : k;
  }
  else {
    if (tol !== undefined && tol !== null) o = { atol: tol, rtol: 0 };
    if (typeof hermitian === "object" && hermitian !== null) o = { ...hermitian, ...o };
    else if (hermitian !== undefined) o = { ...o, hermitian };
  }
  if (!(a instanceof Tensor)) throw new TypeError("torch.linalg.matrix_rank: expected a Tensor");
  if (a.ndim < 2) throw new RangeError("torch.linalg.matrix_rank: The input tensor input must have at least 2 dimensions.");
  if (a.dtype !== "float32" && a.dtype !== "float64") throw new TypeError("This function doesn't handle types other than float and double");
  const [m, n] = a.shape.slice(-2);
  const batch = a.shape.slice(0, -2);
  if (m === 0 || n === 0) return emptyOf(batch, "int64").fill_(0);
  const s = spectrum(a.detach(), o.hermitian ?? false);
  const tolT = tolerance(a, s.narrow(-1, 0, 1).squeeze(-1), o.atol, o.rtol);
  return s.gt(tolT.unsqueeze(-1)).sum(-1);
}

const pinvFn = lazyFunction(() => class LinalgPinv extends Function {
  static override gradFnName = "LinalgPinvBackward0";
  static override forward(ctx: FunctionCtx, a: Tensor, atol: number | Tensor | null, rtol: number | Tensor | null, hermitian: boolean): Tensor {
    let out: Tensor;
    if (hermitian) {
      const [w, v] = eigh(a);
      const abs = w.abs();
      const tol = tolerance(a, abs.amax(-1), atol, rtol);
      const winv = where(abs.gt(tol.unsqueeze(-1)), w.reciprocal(), 0);
      out = v.mul(winv.unsqueeze(-2)).matmul(v.mT);
    } else {
      const [u, s, vh] = svd(a, false);
      const [m, n] = a.shape.slice(-2);
      const smax = m === 0 || n === 0 ? scalarTensor(0, a.dtype) : s.narrow(-1, 0, 1).squeeze(-1);
      const tol = tolerance(a, smax, atol, rtol);
      const sinv = where(s.gt(tol.unsqueeze(-1)), s.reciprocal(), 0);
      out = vh.mT.mul(sinv.unsqueeze(-2)).matmul(u.mT);
    }
    ctx.saveForBackward(a, out);
    return out;
  }
  static override backward(ctx: FunctionCtx, g: Tensor): (Tensor | null)[] {
    const [a, p] = ctx.savedTensors as Tensor[];
    // dP = -P dA P + P P^T dA^T (I - A P) + (I - P A) dA^T P^T P, adjoint:
    // gA = -P^T G P^T + (I - A P) G^T P P^T + P^T P G^T (I - P A).
    const [m, n] = a.shape.slice(-2);
    const ap = a.matmul(p);
    const pa = p.matmul(a);
    const gt = g.mT;
    const t1 = p.mT.matmul(g).matmul(p.mT).neg();
    const t2 = identityLike(a, m).sub(ap).matmul(gt).matmul(p).matmul(p.mT);
    const t3 = p.mT.matmul(p).matmul(gt).matmul(identityLike(a, n).sub(pa));
    return [t1.add(t2).add(t3), null, null, null];
  }
});

/** torch.linalg.pinv(A, { atol, rtol, hermitian }) (also (A, rcond, hermitian), rcond as rtol):
 *  the Moore-Penrose pseudoinverse from the SVD (or eigh when hermitian), singular values at or
 *  below max(atol, rtol * largest) dropped. */
export function pinv(a: Tensor, rcond?: number | Tensor | TolOptions | null, hermitian?: boolean | TolOptions): Tensor {
  let o: TolOptions = {};
  if (rcond !== null && typeof rcond === "object" && !(rcond instanceof Tensor)) {
    const k = keywords("linalg_pinv", rcond, ["atol", "rtol", "hermitian", "rcond"]);
    o = k.rcond !== undefined && k.rcond !== null ? { rtol: k.rcond, hermitian: k.hermitian } : k;
  }
  else {
    if (rcond !== undefined && rcond !== null) o = { rtol: rcond };
    if (typeof hermitian === "object" && hermitian !== null) o = { ...hermitian, ...o };
    else if (hermitian !== undefined) o = { ...o, hermitian };
  }
  if (!(a instanceof Tensor)) throw new TypeError("linalg.pinv: expected a Tensor");
  if (a.ndim < 2 || (a.dtype !== "float32" && a.dtype !== "float64")) {
    throw new TypeError(`linalg.pinv(${scalarTypeName(a.dtype)}{[${a.shape.join(", ")}]}): expected a tensor with 2 or more dimensions of float, double, cfloat or cdouble types`);
  }
  if (o.hermitian) checkSquare(a, "linalg.pinv");
  return pinvFn().apply(a, o.atol ?? null, o.rtol ?? null, o.hermitian ?? false) as Tensor;
}

/** torch.pinverse(A, rcond = 1e-15). */
export function pinverse(a: Tensor, rcond: number | { rcond?: number } = 1e-15): Tensor {
  const r = typeof rcond === "object" && rcond !== null ? (keywords("pinverse", rcond, ["rcond"]).rcond ?? 1e-15) : rcond;
  return pinv(a, { rtol: r });
}

// ---- lstsq ----

export interface LstsqOptions {
  rcond?: number | null;
  driver?: "gels" | "gelsy" | "gelsd" | "gelss" | null;
}

/** torch.linalg.lstsq(A, B, rcond = None, { driver }): [solution, residuals, rank,
 *  singular_values] as PyTorch's CPU drivers fill them: gelsy (the default) gives the rank only,
 *  gels neither rank nor singular values, gelsd / gelss both; residuals (squared norms of
 *  B - A X per column) for m > n (gelsd / gelss: only with every matrix of full rank; gelsy
 *  never). NOTE: rank-deficient A gets the minimum-norm solution from every driver (gels's
 *  own, from QR without pivoting, is numerically meaningless there). The
 *  solution is the minimum-norm least-squares one, pinv(A) B with singular values below
 *  rcond * largest dropped (rcond defaults to eps * max(m, n)). */
export function lstsq(a: Tensor, b: Tensor, rcond?: number | null | LstsqOptions, opts: LstsqOptions = {}): Tuple<"solution" | "residuals" | "rank" | "singularValues"> {
  if (rcond !== null && typeof rcond === "object") {
    opts = rcond;
    rcond = rcond.rcond;
  }
  opts = keywords("linalg_lstsq", opts, ["rcond", "driver"]);
  const fn = "torch.linalg.lstsq";
  if (!(a instanceof Tensor) || !(b instanceof Tensor)) throw new TypeError(`${fn}: expected Tensors`);
  if (a.dtype !== b.dtype) {
    throw new TypeError(`${fn}: Expected input and other to have the same dtype, but got input's dtype ${scalarTypeName(a.dtype)} and other's dtype ${scalarTypeName(b.dtype)}`);
  }
  if (a.ndim < 2) throw new RangeError(`${fn}: input must have at least 2 dimensions.`);
  if (a.dtype !== "float32" && a.dtype !== "float64") throw new TypeError("This function doesn't handle types other than float and double");
  const driver = opts.driver ?? "gelsy";
  if (!["gels", "gelsy", "gelsd", "gelss"].includes(driver)) {
    throw new RangeError(`${fn}: parameter \`driver\` should be one of (gels, gelsy, gelsd, gelss)`);
  }
  const vector = b.ndim === a.ndim - 1;
  const bm = vector ? b.unsqueeze(-1) : b;
  if (bm.ndim < 2) throw new RangeError(`${fn}: other must have at least 1 dimension.`);
  const [m, n] = a.shape.slice(-2);
  if (bm.shape[bm.ndim - 2] !== m) {
    throw new RangeError(vector ? `${fn}: input.size(-2) should match other.size(-1)` : `${fn}: input.size(-2) should match other.size(-2)`);
  }
  const batch = broadcastShapes(a.shape.slice(0, -2), bm.shape.slice(0, -2));
  const k = bm.shape[bm.ndim - 1];
  const ea = a.expand([...batch, m, n]);
  const eb = bm.expand([...batch, m, k]);
  const rc = rcond === undefined || rcond === null || rcond < 0 ? EPS[a.dtype] * Math.max(m, n) : rcond;
  let x = rename(pinv(ea, { rtol: rc }).matmul(eb), "LinalgLstsqBackward0");
  const sv = svdvals(ea.detach());
  const rank = driver === "gels" ? emptyOf([0], "int64") : m === 0 || n === 0 ? emptyOf(batch, "int64").fill_(0) : sv.gt(sv.narrow(-1, 0, 1).mul(rc)).sum(-1);
  const singular = driver === "gelsd" || driver === "gelss" ? sv : emptyOf([0], a.dtype);
  let residuals = emptyOf([0], a.dtype);
  if (driver !== "gelsy" && m > n && m > 0 && n > 0) {
    // gels never estimates the rank: it reports residuals whenever m > n (gelsd / gelss only at full rank).
    const full = driver === "gels" || sv.narrow(-1, n - 1, 1).gt(sv.narrow(-1, 0, 1).mul(rc)).all().item();
    if (full) residuals = eb.detach().sub(ea.detach().matmul(x.detach())).square().sum(-2);
  }
  if (vector) x = x.squeeze(-1);
  return named(["solution", "residuals", "rank", "singularValues"], [x, residuals, rank, singular]);
}

// ---- multi_dot ----

/** torch.linalg.multi_dot(tensors): the chained product in the cheapest order (the first tensor may
 *  be 1-D, a row vector; the last 1-D, a column vector; their dims are dropped from the result). */
export function multiDot(tensors: readonly Tensor[]): Tensor {
  const k = tensors.length;
  if (k < 2) throw new RangeError(`multi_dot(): expected at least 2 tensors but got ${k}`);
  const first = tensors[0], last = tensors[k - 1];
  if (first.ndim !== 1 && first.ndim !== 2) throw new RangeError(`multi_dot(): the first tensor must be 1D or 2D but got ${first.ndim}D`);
  if (last.ndim !== 1 && last.ndim !== 2) throw new RangeError(`multi_dot(): the last tensor must be 1D or 2D but got ${last.ndim}D`);
  for (let i = 1; i < k - 1; i++) {
    if (tensors[i].ndim !== 2) throw new RangeError(`multi_dot(): tensor ${i} must be 2D but got ${tensors[i].ndim}D`);
  }
  const names: Record<string, string> = { float32: "float", float64: "double", int64: "long int", int32: "int", bool: "bool", float16: "c10::Half", uint8: "unsigned char", int8: "signed char", int16: "short int", bfloat16: "c10::BFloat16" };
  for (let i = 1; i < k; i++) {
    if (tensors[i].dtype !== first.dtype) {
      throw new TypeError(`multi_dot(): all tensors must have be the same dtype but tensor 0 is ${names[first.dtype]} and tensor ${i} ${names[tensors[i].dtype]}`);
    }
  }
  if (!isFloating(first.dtype)) {
    if (first.dtype === "bool") throw new TypeError(`"addmm_impl_cpu_" not implemented for 'Bool'`);
    // NOTE: torchlet's matmul is floating-only: integer chains run in float64 (exact to 2^53).
    return cast(multiDot(tensors.map((t) => cast(t, "float64"))), first.dtype);
  }
  const mats = tensors.map((t, i) => (i === 0 && t.ndim === 1 ? t.unsqueeze(0) : i === k - 1 && t.ndim === 1 ? t.unsqueeze(1) : t));
  for (let i = 0; i + 1 < k; i++) {
    if (mats[i].shape[1] !== mats[i + 1].shape[0]) {
      throw new RangeError(`multi_dot(): tensors ${i} and ${i + 1} with shapes [${tensors[i].shape.join(", ")}] and [${tensors[i + 1].shape.join(", ")}] cannot be multiplied`);
    }
  }
  let result: Tensor;
  if (k === 2) result = matmul(mats[0], mats[1]);
  else {
    // Matrix-chain order by dynamic programming on the p dims (costs in scalar multiplications).
    const p = [mats[0].shape[0], ...mats.map((t) => t.shape[1])];
    const cost: number[][] = Array.from({ length: k }, () => new Array(k).fill(0));
    const split: number[][] = Array.from({ length: k }, () => new Array(k).fill(0));
    for (let len = 1; len < k; len++) {
      for (let i = 0; i + len < k; i++) {
        const j = i + len;
        cost[i][j] = Infinity;
        for (let s = i; s < j; s++) {
          const c = cost[i][s] + cost[s + 1][j] + p[i] * p[s + 1] * p[j + 1];
          if (c < cost[i][j]) {
            cost[i][j] = c;
            split[i][j] = s;
          }
        }
      }
    }
    const chain = (i: number, j: number): Tensor => (i === j ? mats[i] : matmul(chain(i, split[i][j]), chain(split[i][j] + 1, j)));
    result = chain(0, k - 1);
  }
  if (first.ndim === 1 && last.ndim === 1) return result.reshape([]);
  if (first.ndim === 1) return result.squeeze(0);
  if (last.ndim === 1) return result.squeeze(1);
  return result;
}

// ---- cond ----

/** torch.linalg.cond(A, p = None): the condition number; p None / 2 / -2 from the singular values
 *  (any shape), 'fro', 'nuc', ±1, ±inf as norm(A) * norm(A^-1) (square A; inf for singular). */
export function cond(a: Tensor, p: Ord | null | { p?: Ord | null } = null): Tensor {
  if (p !== null && typeof p === "object") p = keywords("linalg_cond", p, ["p"]).p ?? null;
  if (!(a instanceof Tensor)) throw new TypeError("linalg.cond: expected a Tensor");
  if (a.ndim < 2) throw new RangeError("linalg.cond: The input tensor must have at least 2 dimensions.");
  const valid = [null, 2, -2, 1, -1, Infinity, -Infinity, "fro", "nuc"];
  if (!valid.includes(p as never)) throw new RangeError(`linalg.cond got an invalid norm type: ${String(p)}`);
  if (p === null || p === 2 || p === -2) {
    checkFloat(a, "linalg.svd");
    const s = svdvals(a);
    const [m, n] = a.shape.slice(-2);
    if (m === 0 || n === 0) return emptyOf(a.shape.slice(0, -2), a.dtype).fill_(0);
    const k = Math.min(m, n);
    const big = s.narrow(-1, 0, 1), small = s.narrow(-1, k - 1, 1);
    return (p === -2 ? small.div(big) : big.div(small)).squeeze(-1);
  }
  checkSquare(a, `linalg.cond(ord=${p === Infinity ? "inf" : p === -Infinity ? "-inf" : p})`);
  checkFloat(a, "linalg.inv");
  const n = a.shape[a.ndim - 1];
  if (n === 0) return emptyOf(a.shape.slice(0, -2), a.dtype).fill_(0);
  // Singular matrices: PyTorch's inv_ex gives inf there; each matrix is checked on its own.
  const { data, count } = matrices(a.detach());
  const singular: boolean[] = [];
  for (let b = 0; b < count; b++) singular.push(K.luFactor(matrixAt(data, b, n * n), n, n).info > 0);
  const anySingular = singular.some(Boolean);
  if (!anySingular) return matrixNorm(a, p!).mul(matrixNorm(inv(a), p!));
  const safe = where(maskOf(a, singular), identityLike(a, n), a);
  const r = matrixNorm(a, p!).mul(matrixNorm(inv(safe), p!));
  return where(maskOf(a, singular).squeeze(-1).squeeze(-1), Infinity, r);
}

/** A bool [..., 1, 1] tensor: which batch elements are flagged. */
function maskOf(a: Tensor, flags: boolean[]): Tensor {
  const t = emptyOf([...a.shape.slice(0, -2), 1, 1], "bool");
  flags.forEach((f, i) => ((t.typedArray as Uint8Array)[i] = f ? 1 : 0));
  return t;
}

// ---- vecdot ----

/** torch.linalg.vecdot(x, y, { dim = -1 }): sum over dim of x * y, broadcasting (real dtypes). */
export function vecdot(x: Tensor, y: Tensor, dim: number | { dim?: number } = -1): Tensor {
  const d = typeof dim === "object" && dim !== null ? (keywords("linalg_vecdot", dim, ["dim"]).dim ?? -1) : dim;
  checkFloat(x, "linalg.vecdot");
  if (y.dtype !== x.dtype) {
    throw new TypeError(`linalg.vecdot: Expected x and y to have the same dtype, but found x of type ${scalarTypeName(x.dtype)} and y of type ${scalarTypeName(y.dtype)} instead`);
  }
  const prod = x.mul(y);
  return prod.sum(normDim(d, prod.ndim, "linalg.vecdot"));
}


// ---- inv_ex / solve_ex ----

/** Per matrix of a square batch: LAPACK's info of its LU (0, or the first zero pivot, 1-based). */
function luInfos(a: Tensor): number[] {
  const { data, count, n } = matrices(a.detach());
  const infos: number[] = [];
  for (let b = 0; b < count; b++) infos.push(K.luFactor(matrixAt(data, b, n * n), n, n).info);
  return infos;
}

function infoTensor(batch: readonly number[], infos: number[]): Tensor {
  const t = emptyOf(batch, "int32");
  (t.typedArray as Int32Array).set(infos);
  return t;
}

/** X = A^-1 B per matrix from getrf + getrs (singular: the infinities / NaN the division gives). */
function luSolveRaw(a: Tensor, b: Tensor): Tensor {
  const n = a.shape[a.ndim - 1];
  const k = b.shape[b.ndim - 1];
  const batch = broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2));
  const ea = matrices(a.detach().expand([...batch, n, n]));
  const eb = matrices(b.detach().expand([...batch, n, k]));
  const out = emptyOf([...batch, n, k], a.dtype);
  for (let i = 0; i < ea.count; i++) {
    const f = K.luFactor(matrixAt(ea.data, i, n * n), n, n);
    const perm = K.pivotsToPermutation(f.piv, n);
    const rhs = matrixAt(eb.data, i, n * k);
    const pb = new Float64Array(n * k);
    for (let r = 0; r < n; r++) for (let c = 0; c < k; c++) pb[r * k + c] = rhs[perm[r] * k + c];
    const y = K.triangularSolve(f.lu, n, pb, n, k, false, true, true);
    (out.typedArray as Float64Array).set(K.triangularSolve(f.lu, n, y, n, k, true, true, false), i * n * k);
  }
  return out;
}

export interface ExOptions {
  checkErrors?: boolean;
}

/** torch.linalg.inv_ex(A, { check_errors = false }): [inverse, info]; info (int32) is LAPACK's:
 *  0, or the 1-based index of the first zero pivot, where the inverse holds infinities / NaN. */
export function invEx(a: Tensor, opts: ExOptions = {}): Tuple<"inverse" | "info"> {
  opts = keywords("linalg_inv_ex", opts, ["checkErrors"]);
  checkFloat(a, "linalg.inv_ex");
  const n = checkSquare(a, "linalg.inv_ex");
  const infos = luInfos(a);
  const bad = infos.findIndex((i) => i > 0);
  if (bad >= 0 && opts.checkErrors) {
    throw new Error(`linalg.inv_ex: ${batchPrefix(a, bad)}The diagonal element ${infos[bad]} is zero, the inversion could not be completed because the input matrix is singular.`);
  }
  const inverse = bad < 0 ? inv(a) : luSolveRaw(a, identityLike(a, n));
  return named(["inverse", "info"], [inverse, infoTensor(a.shape.slice(0, -2), infos)]);
}

export interface SolveExOptions extends ExOptions {
  left?: boolean;
}

/** torch.linalg.solve_ex(A, B, { left = true, check_errors = false }): [result, info], info as
 *  inv_ex's; B a vector (batch) when B.ndim == 1 or B.shape == A.shape[:-1], as linalg.solve. */
export function solveEx(a: Tensor, b: Tensor, opts: SolveExOptions = {}): Tuple<"result" | "info"> {
  opts = keywords("linalg_solve_ex", opts, ["left", "checkErrors"]);
  checkFloat(a, "linalg.solve_ex");
  checkSquare(a, "linalg.solve_ex");
  const left = opts.left ?? true;
  if (!left) {
    const r = solveEx(a.mT, b.ndim === 1 ? b : b.mT, { checkErrors: opts.checkErrors });
    return named(["result", "info"], [b.ndim === 1 ? r[0] : r[0].mT, r[1]]);
  }
  const infos = luInfos(a);
  const bad = infos.findIndex((i) => i > 0);
  if (bad >= 0 && opts.checkErrors) {
    throw new Error(`torch.linalg.solve_ex: ${batchPrefix(a, bad)}The solver failed because the input matrix is singular.`);
  }
  let result: Tensor;
  if (bad < 0) result = solve(a, b);
  else {
    const vector = b.ndim === 1 || (b.ndim === a.ndim - 1 && b.shape.every((s, i) => s === a.shape[i]));
    const r = luSolveRaw(a, vector ? b.unsqueeze(-1) : b);
    result = vector ? r.squeeze(-1) : r;
  }
  return named(["result", "info"], [result, infoTensor(a.shape.slice(0, -2), infos)]);
}

// ---- aliases and tensor forms ----

/** torch.linalg.diagonal(A, { offset = 0, dim1 = -2, dim2 = -1 }): A.diagonal with matrix dims. */
export function diagonal(a: Tensor, opts: { offset?: number; dim1?: number; dim2?: number } = {}): Tensor {
  opts = keywords("linalg_diagonal", opts, ["offset", "dim1", "dim2"]);
  return a.diagonal(opts.offset ?? 0, opts.dim1 ?? -2, opts.dim2 ?? -1);
}

/** torch.linalg.matmul: torch.matmul. */
export const linalgMatmul = (a: Tensor, b: Tensor): Tensor => matmul(a, b);

/** torch.linalg.vander(x, { N }): columns x^0, x^1, ..., x^(N-1) (N defaults to x.shape[-1]). */
export function vander(x: Tensor, opts: { N?: number | null } = {}): Tensor {
  opts = keywords("linalg_vander", opts, ["N"]);
  if (x.ndim < 1) throw new RangeError("linalg.vander: x must have at least one dimension.");
  const n = opts.N ?? x.shape[x.ndim - 1];
  if (n <= 1) throw new RangeError("N must be greater than 1.");
  // Running products, as PyTorch's cumprod of [1, x, x, ...] (integers stay integers).
  const ones = full([...x.shape, 1], 1, { dtype: x.dtype });
  const reps = x.unsqueeze(-1).expand([...x.shape, n - 1]);
  return cat([ones, reps], -1).cumprod(-1);
}

/** torch.linalg.tensorinv(A, { ind = 2 }): the inverse of A read as a prod(shape[:ind]) square
 *  matrix, shaped shape[ind:] + shape[:ind]. */
export function tensorinv(a: Tensor, opts: { ind?: number } = {}): Tensor {
  opts = keywords("linalg_tensorinv", opts, ["ind"]);
  const ind = opts.ind ?? 2;
  if (!(ind > 0)) throw new RangeError(`Expected a strictly positive integer for 'ind', but got ${ind}`);
  const front = a.shape.slice(0, ind), back = a.shape.slice(ind);
  const p = front.reduce((x, y) => x * y, 1), q = back.reduce((x, y) => x * y, 1);
  if (p !== q) throw new RangeError(`Expected self to satisfy the requirement prod(self.shape[ind:]) == prod(self.shape[:ind]), but got ${q} != ${p}`);
  return inv(a.reshape([p, p])).reshape([...back, ...front]);
}

/** torch.linalg.tensorsolve(A, B, { dims }): X with tensordot(A, X, X.ndim) = B. */
export function tensorsolve(a: Tensor, b: Tensor, opts: { dims?: readonly number[] | null } = {}): Tensor {
  opts = keywords("linalg_tensorsolve", opts, ["dims"]);
  if (opts.dims) {
    const dims = opts.dims.map((d) => normDim(d, a.ndim, "linalg.tensorsolve"));
    a = a.movedim(dims, dims.map((_, i) => a.ndim - dims.length + i));
  }
  const front = a.shape.slice(0, b.ndim), back = a.shape.slice(b.ndim);
  const p = front.reduce((x, y) => x * y, 1), q = back.reduce((x, y) => x * y, 1);
  if (p !== q) {
    throw new RangeError(`Expected self to satisfy the requirement prod(self.shape[other.ndim:]) == prod(self.shape[:other.ndim]), but got ${q} != ${p}`);
  }
  return solve(a.reshape([p, p]), b.reshape([p])).reshape(back);
}

// ---- eig / eigvals: complex results ----

/** torch.linalg.eig / eigvals return complex tensors, which torchlet does not have: refused with a
 *  pointer to eigh / eigvalsh (real symmetric input), never a silently different result. */
export function eig(a: Tensor): never {
  void a;
  throw new Error("linalg.eig: its results are complex tensors, which torchlet does not support; for a symmetric (Hermitian) matrix use torch.linalg.eigh");
}
export function eigvals(a: Tensor): never {
  void a;
  throw new Error("linalg.eigvals: its results are complex tensors, which torchlet does not support; for a symmetric (Hermitian) matrix use torch.linalg.eigvalsh");
}

// ---- cross ----

/** torch.linalg.cross(x, y, { dim = -1 }): the 3-vector cross product along dim, batch dims
 *  broadcast (inputs of the same ndim and dtype, as PyTorch requires). */
export function cross(x: Tensor, y: Tensor, opts: { dim?: number } = {}): Tensor {
  opts = keywords("linalg_cross", opts, ["dim"]);
  if (x.ndim !== y.ndim) throw new RangeError("linalg.cross: inputs must have the same number of dimensions.");
  if (x.dtype !== y.dtype) throw new TypeError(`expected scalar type ${scalarTypeName(x.dtype)} but found ${scalarTypeName(y.dtype)}`);
  const dim = normDim(opts.dim ?? -1, x.ndim, "linalg.cross");
  if (x.shape[dim] !== 3 || y.shape[dim] !== 3) {
    throw new RangeError(`linalg.cross: inputs dimension ${opts.dim ?? -1} must have length 3. Got ${x.shape[dim]} and ${y.shape[dim]}`);
  }
  const c = (t: Tensor, i: number) => t.narrow(dim, i, 1);
  const part = (i: number, j: number) => c(x, i).mul(c(y, j)).sub(c(x, j).mul(c(y, i)));
  return rename(cat([part(1, 2), part(2, 0), part(0, 1)], dim), "LinalgCrossBackward0");
}
