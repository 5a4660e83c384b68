// torch.linalg.inv / solve / det for small float32 and float64 matrices (and batches of them): LU factorisation
// with partial pivoting (LAPACK getrf's row choice: the largest |pivot|), computed in float64 and
// rounded once to the input's dtype. Each is one recorded primitive with its gradient rule in grads.ts.
// NOTE: plain TypeScript loops, O(n^3) per matrix, identical on both backends; meant for the sizes
// a model's small linear algebra uses, not for large systems.
// ref: PyTorch 1.13 docs of torch.linalg.inv / solve / det; derivatives.yaml (linalg_inv_ex,
// linalg_solve, linalg_det); Golub & Van Loan, Matrix Computations, algorithm 3.4.1.
import { record } from "../autograd/node.js";
import { scalarTypeName } from "../dtype.js";
import { broadcastShapes, numelOf } from "../shape.js";
import { Tensor } from "../tensor.js";
import { matmul } from "./matmul.js";
import { expand, reshape, unsqueeze } from "./views.js";

interface Factored {
  /** L (unit diagonal, below) and U (on and above the diagonal) in one n x n row-major array. */
  lu: Float64Array;
  /** Row i of the factored matrix is row perm[i] of A. */
  perm: Int32Array;
  /** +1 or -1: the parity of the row swaps. */
  sign: number;
  /** 1-based index of the first exactly-zero pivot (LAPACK's info), 0 when none. */
  zeroPivot: number;
}

/** PA = LU of one n x n matrix (a is copied). */
function factor(a: ArrayLike<number>, n: number): Factored {
  const lu = Float64Array.from(a);
  const perm = Int32Array.from({ length: n }, (_, i) => i);
  let sign = 1;
  let zeroPivot = 0;
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(lu[i * n + k]) > Math.abs(lu[p * n + k])) p = i;
    if (p !== k) {
      for (let j = 0; j < n; j++) [lu[k * n + j], lu[p * n + j]] = [lu[p * n + j], lu[k * n + j]];
      [perm[k], perm[p]] = [perm[p], perm[k]];
      sign = -sign;
    }
    const pivot = lu[k * n + k];
    if (pivot === 0) {
      if (zeroPivot === 0) zeroPivot = k + 1;
      continue;
    }
    for (let i = k + 1; i < n; i++) {
      const f = (lu[i * n + k] /= pivot);
      if (f !== 0) for (let j = k + 1; j < n; j++) lu[i * n + j] -= f * lu[k * n + j];
    }
  }
  return { lu, perm, sign, zeroPivot };
}

/** X = A^-1 B for B of n x k (row-major), from A's factors; returns X in float64. */
function solveFactored(f: Factored, n: number, b: ArrayLike<number>, k: number): Float64Array {
  const { lu, perm } = f;
  const x = new Float64Array(n * k);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) x[i * k + j] = b[perm[i] * k + j];
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < i; r++) {
      const l = lu[i * n + r];
      if (l !== 0) for (let j = 0; j < k; j++) x[i * k + j] -= l * x[r * k + j];
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    for (let r = i + 1; r < n; r++) {
      const u = lu[i * n + r];
      if (u !== 0) for (let j = 0; j < k; j++) x[i * k + j] -= u * x[r * k + j];
    }
    const d = lu[i * n + i];
    for (let j = 0; j < k; j++) x[i * k + j] /= d;
  }
  return x;
}

function checkSquare(a: Tensor, fn: string): number {
  if (!(a instanceof Tensor)) throw new TypeError(`${fn}: A must be a Tensor`);
  if (a.dtype !== "float32" && a.dtype !== "float64") throw new TypeError(`${fn}: Expected a floating point or complex tensor as input. Got ${scalarTypeName(a.dtype)}`);
  if (a.ndim < 2) throw new RangeError(`${fn}: The input tensor A must have at least 2 dimensions.`);
  const [r, c] = a.shape.slice(-2);
  if (r !== c) throw new RangeError(`${fn}: A must be batches of square matrices, but they are ${r} by ${c} matrices`);
  return r;
}

/** Calls fn(batch index, matrix) for each n x n matrix of a (contiguous copies). */
function eachMatrix(a: Tensor, n: number, fn: (b: number, m: Float32Array | Float64Array) => void): void {
  const data = a.contiguous().storage() as Float32Array | Float64Array;
  const count = numelOf(a.shape.slice(0, -2));
  for (let b = 0; b < count; b++) fn(b, data.subarray(b * n * n, (b + 1) * n * n));
}

function singular(fn: string, batched: boolean, b: number, at: number): never {
  const where = batched ? `(Batch element ${b}): ` : "";
  throw new Error(
    fn === "linalg.inv"
      ? `linalg.inv: ${where}The diagonal element ${at} is zero, the inversion could not be completed because the input matrix is singular.`
      : `torch.linalg.solve: ${where}The solver failed because the input matrix is singular.`,
  );
}

/** The n x n identity, row-major: the right-hand side whose solution is the inverse. */
function identity(n: number): Float64Array {
  const eye = new Float64Array(n * n);
  for (let i = 0; i < n; i++) eye[i * n + i] = 1;
  return eye;
}

/** torch.linalg.inv. */
export function inv(a: Tensor): Tensor {
  const n = checkSquare(a, "linalg.inv");
  const out = Tensor.empty(a.shape, a.dtype);
  const eye = identity(n);
  eachMatrix(a, n, (b, m) => {
    const f = factor(m, n);
    if (f.zeroPivot) singular("linalg.inv", a.ndim > 2, b, f.zeroPivot);
    out.typedArray.set(solveFactored(f, n, eye, n), b * n * n);
  });
  return record("inv", [a], out);
}

/** torch.linalg.det: sign(P) * prod(diag(U)) per matrix. */
export function det(a: Tensor): Tensor {
  const n = checkSquare(a, "linalg.det");
  const out = Tensor.empty(a.shape.slice(0, -2), a.dtype);
  eachMatrix(a, n, (b, m) => {
    const f = factor(m, n);
    let d = f.sign;
    for (let i = 0; i < n; i++) d *= f.lu[i * n + i];
    out.typedArray[b] = d;
  });
  return record("det", [a], out);
}

/** X with A X = B for [..., n, n] A and [..., n, k] B, batch dims broadcast (unrecorded). */
function solveMatrices(a: Tensor, b: Tensor): Tensor {
  const n = a.shape[a.ndim - 1];
  const k = b.shape[b.ndim - 1];
  const batch = broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2));
  const ea = expand(a.detach(), [...batch, n, n]).contiguous().storage();
  const eb = expand(b.detach(), [...batch, n, k]).contiguous().storage();
  const out = Tensor.empty([...batch, n, k], a.dtype);
  for (let i = 0; i < numelOf(batch); i++) {
    const f = factor(ea.subarray(i * n * n, (i + 1) * n * n), n);
    if (f.zeroPivot) singular("linalg.solve", batch.length > 0, i, f.zeroPivot);
    out.typedArray.set(solveFactored(f, n, eb.subarray(i * n * k, (i + 1) * n * k), k), i * n * k);
  }
  return out;
}

/** torch.linalg.solve(A, B, { left = true }): B is a batch of vectors when B.ndim == 1 or
 *  B.shape == A.shape[:-1]; left false solves X A = B (as A^T X^T = B^T; matrices only). */
export function solve(a: Tensor, b: Tensor, opts: { left?: boolean } = {}): Tensor {
  const n = checkSquare(a, "linalg.solve");
  if (!(b instanceof Tensor)) throw new TypeError("linalg.solve: B must be a Tensor");
  if (b.dtype !== a.dtype) {
    throw new TypeError(`linalg.solve: Expected A and B to have the same dtype, but found A of type ${scalarTypeName(a.dtype)} and B of type ${scalarTypeName(b.dtype)} instead`);
  }
  const vector = b.ndim === 1 || (b.ndim === a.ndim - 1 && b.shape.every((s, i) => s === a.shape[i]));
  if (opts.left === false) {
    if (vector || b.ndim < 2 || b.shape[b.ndim - 1] !== n) {
      const shown = vector ? `${b.shape[b.ndim - 1]}x1` : b.shape.slice(-2).join("x");
      throw new RangeError(`linalg.solve: Incompatible shapes of A and B for the equation XA = B (${n}x${n} and ${shown})`);
    }
    return solve(a.mT, b.mT).mT;
  }
  const bm = vector ? unsqueeze(b, -1) : b;
  if (bm.ndim < 2 || bm.shape[bm.ndim - 2] !== n) {
    throw new RangeError(`linalg.solve: Incompatible shapes of A and B for the equation AX = B (${n}x${n} and ${vector ? `${b.shape[b.ndim - 1]}x1` : bm.shape.slice(-2).join("x")})`);
  }
  const x = record("solve", [a, bm], solveMatrices(a, bm));
  return vector ? reshape(x, x.shape.slice(0, -1)) : x;
}

// ---- gradient rules (grads.ts) ----

/** inv: dA = -X^T g X^T with X = A^-1. */
export function invBackward(g: Tensor, x: Tensor): Tensor {
  return matmul(matmul(x.mT, g), x.mT).neg();
}

/** solve: dB = A^-T g (one more solve), dA = -dB X^T (summed over broadcast batch dims by the caller). */
export function solveBackward(g: Tensor, a: Tensor, x: Tensor): [Tensor, Tensor] {
  const gb = solveMatrices(a.mT, g);
  return [matmul(gb, x.mT).neg(), gb];
}

/** det: dA = g det(A) A^-T; for a singular A, g times the transposed adjugate (cofactors). */
export function detBackward(g: Tensor, a: Tensor, d: Tensor): Tensor {
  const n = a.shape[a.ndim - 1];
  const out = Tensor.empty(a.shape, a.dtype);
  const gs = g.contiguous().storage();
  const ds = d.contiguous().storage();
  const eye = identity(n);
  eachMatrix(a, n, (b, m) => {
    const f = factor(m, n);
    const base = b * n * n;
    if (!f.zeroPivot) {
      const ai = solveFactored(f, n, eye, n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out.typedArray[base + i * n + j] = gs[b] * ds[b] * ai[j * n + i];
      return;
    }
    // Cofactor C[i][j] = (-1)^(i+j) det(minor without row i, column j): d det / d A[i][j].
    const minor = new Float64Array((n - 1) * (n - 1));
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let k = 0;
        for (let r = 0; r < n; r++) if (r !== i) for (let c = 0; c < n; c++) if (c !== j) minor[k++] = m[r * n + c];
        const fm = factor(minor, n - 1);
        let dm = fm.sign * ((i + j) % 2 === 0 ? 1 : -1);
        for (let t = 0; t < n - 1; t++) dm *= fm.lu[t * (n - 1) + t];
        out.typedArray[base + i * n + j] = gs[b] * dm;
      }
    }
  });
  return out;
}
