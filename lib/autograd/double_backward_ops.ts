// Differentiable forms of the gradient rules of tensor ops, part 1 (diagonal, cumsum, cumprod, prod,
// solve, det, svdvals), whose direct forms are kernels or JS loops that record nothing. grads.ts
// picks these when a rule runs with grad enabled (createGraph), so the gradient they produce can be
// differentiated again; under noGrad (every plain backward) the rules keep their direct form.
// ref: PyTorch 1.13 tools/autograd/derivatives.yaml and FunctionsManual.cpp (cumprod_backward,
// prod_backward, linalg_det_backward, svd_backward), whose double backwards these match.
import type { Tensor } from "../tensor.js";
import { Function, type FunctionCtx } from "./function.js";
import { eye, ones, zeros } from "../ops/creation.js";
import { where } from "../ops/elementwise.js";
import { diagonal, diagonalView, triu } from "../ops/triangular.js";
import { inv, det, solve } from "../ops/lu.js";
import { svdFactors } from "../ops/svd.js";
import { tensor } from "../ops/creation.js";

export interface DiagonalArgs {
  inShape: number[];
  offset: number;
  d1: number;
  d2: number;
}

// NOTE: the classes are made on first use (see double_backward.ts: an import cycle with function.ts).
let diagonalFn: typeof Function | null = null;
let svdFnClass: typeof Function | null = null;

/** diagonal's gradient (g written into the diagonal of zeros) as a Function: its own gradient is
 *  the same diagonal of the incoming gradient. */
export function diagonalBackwardFn(): typeof Function {
  return (diagonalFn ??= class DiagonalBackwardFn extends Function {
    static override gradFnName = "DiagonalBackwardBackward0";
    static override forward(ctx: FunctionCtx, g: Tensor, a: DiagonalArgs): Tensor {
      ctx.args = a;
      const full = zeros(a.inShape, { dtype: g.dtype });
      diagonalView(full, a.offset, a.d1, a.d2).copy_(g);
      return full;
    }
    static override backward(ctx: FunctionCtx, gg: Tensor): (Tensor | null)[] {
      const a: DiagonalArgs = ctx.args;
      return [diagonal(gg, a.offset, a.d1, a.d2), null];
    }
  });
}

/** cumsum's gradient, the reversed running sums of g, from recorded flips and a cumsum. */
export function cumsumBackwardDiff(g: Tensor, dim: number): Tensor {
  return g.flip(dim).cumsum(dim).flip(dim);
}

/** x's lines along dim as [..., n (k), n (i)] copies with x[k] replaced by 1 in row k (recorded):
 *  products over i then leave element k out, with no division (exact with zeros, as PyTorch). */
function leaveOneOut(x: Tensor, dim: number): Tensor {
  const xt = x.movedim(dim, -1);
  const n = xt.shape[xt.ndim - 1];
  const rows = xt.unsqueeze(-2).expand([...xt.shape.slice(0, -1), n, n]);
  return where(eye(n).eq(1), 1, rows);
}

/** prod's gradient along dim: g (keepdim layout) times the product of the other elements. */
export function prodBackwardDiff(g: Tensor, x: Tensor, dim: number): Tensor {
  if (x.ndim === 0) return g.mul(1);
  return g.mul(leaveOneOut(x, dim).prod(-1).movedim(-1, dim));
}

/** cumprod's gradient: dx[k] = sum over j >= k of g[j] * prod(x[i] for i <= j, i != k). */
export function cumprodBackwardDiff(g: Tensor, x: Tensor, dim: number): Tensor {
  if (x.ndim === 0) return g.mul(1);
  const n = x.shape[dim];
  const partial = leaveOneOut(x, dim).cumprod(-1); // [..., k, j]
  const later = triu(ones([n, n])).eq(1); // j >= k
  return where(later, partial.mul(g.movedim(dim, -1).unsqueeze(-2)), 0).sum(-1).movedim(-1, dim);
}

/** solve's dB = A^-T g as a recorded solve. */
export function solveBackwardDiff(g: Tensor, a: Tensor, x: Tensor): [Tensor, Tensor] {
  const gb = solve(a.mT, g);
  return [gb.matmul(x.mT).neg(), gb];
}

/** det's gradient g * cofactor(A): g det(A) A^-T when every matrix is invertible, else the
 *  cofactors as determinants of the minors (both recorded, so differentiable again). */
export function detBackwardDiff(g: Tensor, a: Tensor, d: Tensor): Tensor {
  const n = a.shape[a.ndim - 1];
  const gm = g.unsqueeze(-1).unsqueeze(-1);
  if (d.contiguous().storage().every((v) => v !== 0)) return gm.mul(d.unsqueeze(-1).unsqueeze(-1)).mul(inv(a).mT);
  if (n === 1) return gm.mul(ones(a.shape));
  const keep: number[] = []; // for each i, the n - 1 indices other than i
  for (let i = 0; i < n; i++) for (let r = 0; r < n; r++) if (r !== i) keep.push(r);
  const idx = tensor(keep, { dtype: "int64" });
  const batch = a.shape.slice(0, -2);
  const rows = a.indexSelect(-2, idx).reshape([...batch, n, n - 1, n]); // [..., i, r, :]
  const minors = rows.indexSelect(-1, idx).reshape([...batch, n, n - 1, n, n - 1]).transpose(-3, -2); // [..., i, j, r, c]
  const signs = tensor(Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => ((i + j) % 2 === 0 ? 1 : -1))));
  return gm.mul(det(minors).mul(signs));
}

/** svd_backward for the thin A = U diag(S) V^T (PyTorch 1.13 FunctionsManual.cpp, real case), from
 *  recorded ops on U, S, V, so differentiable again: gA = U [(skew(U^T gU) S + S skew(V^T gV)) / E
 *  + diag(gS)] V^T + the parts of gU / gV outside U's / V's span, E[j][k] = S[k]² - S[j]² (1 on the
 *  diagonal). A null gradient is an unused output (and adds no 0 / 0 where S has zeros). */
export function svdBackward(gU: Tensor | null, gS: Tensor | null, gV: Tensor | null, u: Tensor, s: Tensor, v: Tensor): Tensor {
  const m = u.shape[u.ndim - 2];
  const n = v.shape[v.ndim - 2];
  const k = s.shape[s.ndim - 1];
  const diagOf = (t: Tensor) => where(eye(k).eq(1), t.unsqueeze(-2), 0);
  if (gU === null && gV === null) return gS === null ? zeros(u.shape.slice(0, -2).concat([m, n])) : u.mul(gS.unsqueeze(-2)).matmul(v.mT);
  const skew = (t: Tensor) => t.sub(t.mT);
  const s2 = s.mul(s);
  const e = where(eye(k).eq(1), 1, s2.unsqueeze(-2).sub(s2.unsqueeze(-1)));
  const uPart = gU === null ? null : skew(u.mT.matmul(gU)).mul(s.unsqueeze(-2));
  const vPart = gV === null ? null : s.unsqueeze(-1).mul(skew(v.mT.matmul(gV)));
  let inner = (uPart && vPart ? uPart.add(vPart) : (uPart ?? vPart)!).div(e);
  if (gS !== null) inner = inner.add(diagOf(gS));
  if (m > n && gU !== null) {
    const gUSinv = gU.div(s.unsqueeze(-2));
    return u.matmul(inner).add(gUSinv).sub(u.matmul(u.mT.matmul(gUSinv))).matmul(v.mT);
  }
  if (m < n && gV !== null) {
    const sinvGVh = gV.mT.div(s.unsqueeze(-1));
    return u.matmul(inner.matmul(v.mT).add(sinvGVh).sub(sinvGVh.matmul(v).matmul(v.mT)));
  }
  return u.matmul(inner).matmul(v.mT);
}

/** The thin SVD as a Function of A with outputs U, S, V (PyTorch's linalg_svd node), whose rule is
 *  svd_backward over its saved outputs: the singular vectors svdvals' gradient needs, differentiable
 *  to any order while the singular values are distinct (repeated ones give Infinity / NaN, as in
 *  PyTorch). */
export function svdFn(): typeof Function {
  return (svdFnClass ??= class SvdFn extends Function {
    static override gradFnName = "LinalgSvdBackward0";
    static override forward(ctx: FunctionCtx, a: Tensor): Tensor[] {
      const { u, s, v } = svdFactors(a);
      ctx.saveForBackward(u, s, v);
      ctx.setMaterializeGrads(false);
      return [u, s, v];
    }
    static override backward(ctx: FunctionCtx, gU: Tensor | null, gS: Tensor | null, gV: Tensor | null): (Tensor | null)[] {
      const [u, s, v] = ctx.savedTensors as Tensor[];
      return [svdBackward(gU, gS, gV, u, s, v)];
    }
  });
}

/** svdvals' gradient U diag(g) V^T with U and V from svdFn (recorded). */
export function svdvalsBackwardDiff(g: Tensor, a: Tensor): Tensor {
  const [u, , v] = svdFn().apply(a) as Tensor[];
  return u.mul(g.unsqueeze(-2)).matmul(v.mT);
}

let delayedErrorFn: typeof Function | null = null;

/** PyTorch's DelayedError: t passed on unchanged, whose own gradient raises `message` (a gradient
 *  that is right but whose derivative is not supported: differentiating it again must fail loudly). */
export function delayedError(t: Tensor, message: string): Tensor {
  delayedErrorFn ??= class DelayedError extends Function {
    static override gradFnName = "Error"; // as PyTorch prints it
    static override forward(ctx: FunctionCtx, x: Tensor, msg: string): Tensor {
      ctx.message = msg;
      return x.clone();
    }
    static override backward(ctx: FunctionCtx): (Tensor | null)[] {
      throw new Error(ctx.message as string);
    }
  };
  return delayedErrorFn.apply(t, message);
}
