// Triangular solves: torch.linalg.solve_triangular (a Function with PyTorch's gradient rule) and
// the solvers built on it: torch.triangular_solve (the older argument order, also returning a copy
// of A), torch.cholesky_solve, torch.cholesky_inverse and torch.linalg.lu_solve / torch.lu_solve
// (compositions of triangular solves, so their gradients follow; grad_fn renamed as PyTorch's).
// ref: PyTorch 1.13 aten/src/ATen/native/BatchLinearAlgebra.cpp (linalg_solve_triangular,
// triangular_solve, cholesky_solve, cholesky_inverse, linalg_lu_solve), derivatives.yaml
// (linalg_solve_triangular: grad_B = solve_triangular(A^H, g), grad_A = -grad_B X^H on A's triangle).
import type { FunctionCtx } from "../autograd/function.js";
import { Function } from "../autograd/function.js";
import { rename } from "../autograd/node.js";
import { warnOnce } from "../optim/args.js";
import { broadcastShapes, numelOf } from "../shape.js";
import { scalarTypeName } from "../dtype.js";
import { Tensor } from "../tensor.js";
import { cast } from "./elementwise.js";
import { expand } from "./views.js";
import { checkFloat, checkKernelDtype, checkMatrix, keywords, checkSquare, emptyOf, identityLike, lazyFunction, matrixAt, sumToShape } from "./linalg_common.js";
import { pivotsToPermutation, triangularSolve } from "./linalg_kernels.js";

export interface SolveTriangularOptions {
  upper: boolean;
  left?: boolean;
  unitriangular?: boolean;
}

/** A's triangle that a solve reads: triu / tril, strictly so when the diagonal is implied ones. */
function triangleOf(x: Tensor, upper: boolean, unit: boolean): Tensor {
  return upper ? x.triu(unit ? 1 : 0) : x.tril(unit ? -1 : 0);
}

const solveTriangularFn = lazyFunction(() => class LinalgSolveTriangular extends Function {
  static override gradFnName = "LinalgSolveTriangularBackward0";
  static override forward(ctx: FunctionCtx, a: Tensor, b: Tensor, upper: boolean, left: boolean, unit: boolean): Tensor {
    const n = a.shape[a.ndim - 1];
    const [rows, cols] = b.shape.slice(-2);
    const batch = broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2));
    const ea = expand(a, [...batch, n, n]).contiguous().storage() as ArrayLike<number>;
    const eb = expand(b, [...batch, rows, cols]).contiguous().storage() as ArrayLike<number>;
    const out = emptyOf([...batch, rows, cols], a.dtype);
    for (let i = 0; i < numelOf(batch); i++) {
      const x = triangularSolve(matrixAt(ea, i, n * n), n, matrixAt(eb, i, rows * cols), rows, cols, upper, left, unit);
      (out.typedArray as Float64Array).set(x, i * rows * cols);
    }
    ctx.flags = { upper, left, unit };
    ctx.bShape = b.shape;
    ctx.saveForBackward(a, out);
    return out;
  }
  static override backward(ctx: FunctionCtx, g: Tensor): (Tensor | null)[] {
    const [a, x] = ctx.savedTensors as Tensor[];
    const { upper, left, unit } = ctx.flags as { upper: boolean; left: boolean; unit: boolean };
    const [needA, needB] = ctx.needsInputGrad;
    const gb = solveTriangular(a.mT, g, { upper: !upper, left, unitriangular: unit });
    const ga = needA ? triangleOf(left ? gb.matmul(x.mT).neg() : x.mT.matmul(gb).neg(), upper, unit) : null;
    const bShape = ctx.bShape as number[];
    return [ga && sumToShape(ga, a.shape), needB ? sumToShape(gb, bShape) : null, null, null, null];
  }
});

/** torch.linalg.solve_triangular(A, B, { upper, left = true, unitriangular = false }): X with
 *  A X = B (left) or X A = B, reading only A's upper or lower triangle; batch dims broadcast. */
export function solveTriangular(a: Tensor, b: Tensor, opts: SolveTriangularOptions): Tensor {
  const fn = "linalg.solve_triangular";
  if (opts === undefined || typeof opts !== "object" || typeof opts.upper !== "boolean") {
    throw new TypeError('linalg_solve_triangular() missing 1 required positional arguments: "upper"');
  }
  opts = keywords("linalg_solve_triangular", opts, ["upper", "left", "unitriangular"]);
  const left = opts.left ?? true;
  const unit = opts.unitriangular ?? false;
  checkKernelDtype(a, "triangular_solve_cpu");
  if (!(b instanceof Tensor)) throw new TypeError(`${fn}: B must be a Tensor`);
  checkMatrix(a, fn);
  checkMatrix(b, fn, "B");
  const n = checkSquare(a, fn);
  if (b.dtype !== a.dtype) b = cast(b, a.dtype);
  const [rows, cols] = b.shape.slice(-2);
  if ((left ? rows : cols) !== n) {
    throw new RangeError(`${fn}: Incompatible shapes of A and B for the equation ${left ? "AX = B" : "XA = B"} (${n}x${n} and ${rows}x${cols})`);
  }
  return solveTriangularFn().apply(a, b, opts.upper, left, unit) as Tensor;
}

/** torch.triangular_solve(b, A, upper = true, transpose = false, unitriangular = false):
 *  [solution, cloned_coefficient] (the older API, deprecated in favour of linalg.solve_triangular). */
export function triangularSolveLegacy(b: Tensor, a: Tensor, upper = true, transpose = false, unitriangular = false): [Tensor, Tensor] & { solution: Tensor; clonedCoefficient: Tensor } {
  warnOnce(
    "torch.triangular_solve is deprecated in favor of torch.linalg.solve_triangularand will be removed in a future PyTorch release.\n" +
      "torch.linalg.solve_triangular has its arguments reversed and does not return a copy of one of the inputs.\n" +
      "X = torch.triangular_solve(B, A).solution\nshould be replaced with\nX = torch.linalg.solve_triangular(A, B).",
  );
  checkKernelDtype(a, "triangular_solve_cpu");
  if (b.ndim < 2) throw new RangeError(`torch.triangular_solve: Expected b to have at least 2 dimensions, but it has ${b.ndim} dimensions instead`);
  if (a.ndim < 2) throw new RangeError(`torch.triangular_solve: Expected A to have at least 2 dimensions, but it has ${a.ndim} dimensions instead`);
  if (b.dtype !== a.dtype) {
    throw new TypeError(`Expected b and A to have the same dtype, but found b of type ${scalarTypeName(b.dtype)} and A of type ${scalarTypeName(a.dtype)} instead.`);
  }
  const n = a.shape[a.ndim - 1];
  if (a.shape[a.ndim - 2] !== n) throw new RangeError(`A must be batches of square matrices, but they are ${a.shape[a.ndim - 2]} by ${n} matrices`);
  if (b.shape[b.ndim - 2] !== n) {
    throw new RangeError(`Incompatible matrix sizes for triangular_solve: each A matrix is ${n} by ${n} but each b matrix is ${b.shape[b.ndim - 2]} by ${b.shape[b.ndim - 1]}`);
  }
  const am = transpose ? a.mT : a;
  const x = rename(solveTriangular(am, b, { upper: transpose ? !upper : upper, unitriangular }), "TriangularSolveBackward0");
  const batch = broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2));
  const coeff = a.expand([...batch, n, n]).clone();
  if (coeff.gradFn) rename(coeff, "TriangularSolveBackward0");
  const r = [x, coeff] as [Tensor, Tensor] & { solution: Tensor; clonedCoefficient: Tensor };
  r.solution = x;
  r.clonedCoefficient = coeff;
  return r;
}

/** torch.cholesky_solve(B, L, upper = false): X with (L L^H) X = B (or U^H U when upper). */
export function choleskySolve(b: Tensor, l: Tensor, upper = false): Tensor {
  checkKernelDtype(l, "cholesky_solve_cpu");
  if (b.ndim < 2) throw new RangeError(`b should have at least 2 dimensions, but has ${b.ndim} dimensions instead`);
  if (l.ndim < 2) throw new RangeError(`u should have at least 2 dimensions, but has ${l.ndim} dimensions instead`);
  if (b.dtype !== l.dtype) {
    throw new TypeError(`Expected b and A to have the same dtype, but found b of type ${scalarTypeName(b.dtype)} and A of type ${scalarTypeName(l.dtype)} instead.`);
  }
  checkSquare(l, "cholesky_solve");
  return choleskySolveFn().apply(b, l, upper) as Tensor;
}

/** (L L^H)^-1 B (U^H U when upper) from triangular solves; B's and L's batch dims broadcast. */
function choleskySolveRaw(b: Tensor, l: Tensor, upper: boolean): Tensor {
  const lower = upper ? l.mT : l;
  return solveTriangular(lower.mT, solveTriangular(lower, b, { upper: false }), { upper: true });
}

// NOTE: PyTorch's rules for these two treat the factor as a full matrix (their gradients have
// entries in the triangle the forward never reads); they are followed as written so the numbers
// are PyTorch's: cholesky_solve_backward and cholesky_inverse_backward, FunctionsManual.cpp.
const choleskySolveFn = lazyFunction(() => class CholeskySolve extends Function {
  static override gradFnName = "CholeskySolveBackward0";
  static override forward(ctx: FunctionCtx, b: Tensor, l: Tensor, upper: boolean): Tensor {
    const x = choleskySolveRaw(b, l, upper);
    ctx.upper = upper;
    ctx.saveForBackward(b, l, x);
    return x;
  }
  static override backward(ctx: FunctionCtx, g: Tensor): (Tensor | null)[] {
    const [b, l, x] = ctx.savedTensors as Tensor[];
    const upper = ctx.upper as boolean;
    // gB = A^-1 g; gL = -(C + C^H) L (or -U (C + C^H)), C = gB X^H.
    const gb = choleskySolveRaw(g, l, upper);
    const c = gb.matmul(x.mT);
    const sym = c.add(c.mT);
    const gl = upper ? l.matmul(sym).neg() : sym.matmul(l).neg();
    return [sumToShape(gb, b.shape), sumToShape(gl, l.shape), null];
  }
});

/** torch.cholesky_inverse(L, upper = false): (L L^H)^-1 (or (U^H U)^-1) from the factor. */
export function choleskyInverse(l: Tensor, upper = false): Tensor {
  checkKernelDtype(l, "cholesky_inverse_out_cpu");
  checkSquare(l, "cholesky_inverse");
  return choleskyInverseFn().apply(l, upper) as Tensor;
}

const choleskyInverseFn = lazyFunction(() => class CholeskyInverse extends Function {
  static override gradFnName = "CholeskyInverseBackward0";
  static override forward(ctx: FunctionCtx, l: Tensor, upper: boolean): Tensor {
    const n = l.shape[l.ndim - 1];
    const lower = upper ? l.mT : l;
    const linv = solveTriangular(lower, identityLike(l, n), { upper: false });
    const out = linv.mT.matmul(linv);
    ctx.upper = upper;
    ctx.saveForBackward(l, out);
    return out;
  }
  static override backward(ctx: FunctionCtx, g: Tensor): (Tensor | null)[] {
    const [l, inv] = ctx.savedTensors as Tensor[];
    // gL = -R (G + G^H) R L (or -U R (G + G^H) R), R = (L L^H)^-1.
    const common = inv.matmul(g.add(g.mT)).matmul(inv);
    return [(ctx.upper as boolean) ? l.matmul(common).neg() : common.matmul(l).neg(), null];
  }
});

/** P^T B for 1-based LAPACK pivots [..., k] and B [..., m, c] (batch dims broadcast). */
export function applyPivots(b: Tensor, pivots: Tensor, inverse: boolean): Tensor {
  const m = b.shape[b.ndim - 2];
  const batch = broadcastShapes(b.shape.slice(0, -2), pivots.shape.slice(0, -1));
  const k = pivots.shape[pivots.ndim - 1];
  const piv = expand(pivots, [...batch, k]).contiguous().storage() as ArrayLike<number>;
  const idx = emptyOf([...batch, m, 1], "int64");
  for (let i = 0; i < numelOf(batch); i++) {
    const perm = pivotsToPermutation(matrixAt(piv, i, k), m);
    if (inverse) {
      const inv = new Int32Array(m);
      perm.forEach((p, r) => (inv[p] = r));
      for (let r = 0; r < m; r++) (idx.typedArray as Float64Array)[i * m + r] = inv[r];
    } else for (let r = 0; r < m; r++) (idx.typedArray as Float64Array)[i * m + r] = perm[r];
  }
  const c = b.shape[b.ndim - 1];
  const eb = b.expand([...batch, m, c]);
  return eb.gather(-2, idx.expand([...batch, m, c]));
}

export interface LuSolveOptions {
  left?: boolean;
  adjoint?: boolean;
}

/** Checks LU's pivots: an int32 tensor of LU's batch shape and min(m, n) entries. */
export function checkPivots(pivots: Tensor, fn: string): void {
  if (!(pivots instanceof Tensor) || pivots.dtype !== "int32") throw new TypeError(`${fn}: pivots should be a Tensor of scalar type torch.int32`);
}

/** torch.linalg.lu_solve(LU, pivots, B, { left = true, adjoint = false }): X with A X = B (or
 *  X A = B, A^H in place of A with adjoint) from linalg.lu_factor's output. */
export function luSolve(lu: Tensor, pivots: Tensor, b: Tensor, opts: LuSolveOptions = {}): Tensor {
  const fn = "linalg.lu_solve";
  opts = keywords("linalg_lu_solve", opts, ["left", "adjoint"]);
  const left = opts.left ?? true;
  const adjoint = opts.adjoint ?? false;
  checkFloat(lu, "torch.linalg.lu_solve");
  checkPivots(pivots, fn);
  checkMatrix(lu, fn, "LU");
  checkMatrix(b, fn, "B");
  const n = checkSquare(lu, fn, "LU");
  if (b.dtype !== lu.dtype) {
    throw new TypeError(`${fn}: Expected LU and B to have the same dtype, but found LU of type ${scalarTypeName(lu.dtype)} and B of type ${scalarTypeName(b.dtype)} instead`);
  }
  const [rows, cols] = b.shape.slice(-2);
  if ((left ? rows : cols) !== n) {
    throw new RangeError(`${fn}: Incompatible shapes of A and B for the equation ${left ? "AX = B" : "XA = B"} (${n}x${n} and ${rows}x${cols})`);
  }
  if (pivots.shape[pivots.ndim - 1] !== n) throw new RangeError(`${fn}: Number of pivots per batch should be same as the dimension of the matrix`);
  const l = lu.tril(-1).add(identityLike(lu, n));
  const u = lu.triu();
  let x: Tensor;
  // A = P L U.
  if (left && !adjoint) {
    // X = U^-1 L^-1 P^T B
    const pb = applyPivots(b, pivots, false);
    x = solveTriangular(u, solveTriangular(l, pb, { upper: false, unitriangular: true }), { upper: true });
  } else if (left && adjoint) {
    // A^T X = B: U^T L^T P^T X = B -> X = P L^-T U^-T B
    const y = solveTriangular(l.mT, solveTriangular(u.mT, b, { upper: false }), { upper: true, unitriangular: true });
    x = applyPivots(y, pivots, true);
  } else if (!left && !adjoint) {
    // X P L U = B -> X = B U^-1 L^-1 P^T, i.e. X^T = P L^-T U^-T B^T
    const y = solveTriangular(l.mT, solveTriangular(u.mT, b.mT, { upper: false }), { upper: true, unitriangular: true });
    x = applyPivots(y, pivots, true).mT;
  } else {
    // X A^T = B -> A X^T = B^T
    const pb = applyPivots(b.mT, pivots, false);
    x = solveTriangular(u, solveTriangular(l, pb, { upper: false, unitriangular: true }), { upper: true }).mT;
  }
  return rename(x, "LinalgLuSolveBackward0");
}

/** torch.lu_solve(b, LU_data, LU_pivots) (deprecated order of linalg.lu_solve's arguments). */
export function luSolveLegacy(b: Tensor, lu: Tensor, pivots: Tensor): Tensor {
  warnOnce(
    "torch.lu_solve is deprecated in favor of torch.linalg.lu_solveand will be removed in a future PyTorch release.\n" +
      "Note that torch.linalg.lu_solve has its arguments reversed.\nX = torch.lu_solve(B, LU, pivots)\nshould be replaced with\nX = torch.linalg.lu_solve(LU, pivots, B)",
  );
  return luSolve(lu, pivots, b);
}
