// torch.linalg decompositions and solvers (cholesky, qr, eigh, svd, slogdet, matrix_power,
// matrix_rank, pinv, lstsq, solve_triangular, lu_factor / lu / lu_solve, multi_dot, matrix_exp,
// cond, vecdot) and the older torch.* forms. Expected values come from identities (A = QR with Q
// orthonormal, A = U S Vh, A V = V diag(w), L L^T = A, P L U = A, the Moore-Penrose conditions,
// the normal equations, exp of a rotation generator, a Taylor series) or small hand-derived cases,
// never from PyTorch's printed output; gradients by gradcheck / gradgradcheck in float64.
import { describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import type { Tensor } from "../lib/index.js";
import { backends, useBackend, vals } from "./helpers/backends.js";

const L = torch.linalg;
const d64 = { dtype: "float64" as const };
const f64 = (x: number[][] | number[][][]) => torch.tensor(x, d64);

/** max |a - b| over all elements (shapes must match). */
function maxDiff(a: Tensor, b: Tensor): number {
  expect(a.shape).toEqual(b.shape);
  const x = vals(a), y = vals(b);
  return x.reduce((m, v, i) => Math.max(m, Math.abs(v - y[i])), 0);
}
const eyeLike = (n: number, dtype: "float32" | "float64" = "float64") => torch.eye(n, { dtype });
/** A random symmetric positive-definite batch: X X^T + n I. */
function spd(shape: number[], dtype: "float32" | "float64" = "float64"): Tensor {
  const n = shape[shape.length - 1];
  const x = torch.randn([...shape, n], { dtype });
  return x.matmul(x.mT).add(eyeLike(n, dtype).mul(n));
}
const rnd = (...s: number[]) => torch.randn(s, d64).requiresGrad_();
const spdOf = (x: Tensor) => x.matmul(x.mT).add(torch.eye(x.shape[x.ndim - 1], d64));
const gc = (f: (...x: Tensor[]) => Tensor, inputs: Tensor[]) => torch.autograd.gradcheck(f, inputs, { raiseException: false });
const ggc = (f: (...x: Tensor[]) => Tensor, inputs: Tensor[]) => torch.autograd.gradgradcheck(f, inputs, null, { raiseException: false });

describe.each(backends())("linalg extras [%s]", (name) => {
  useBackend(name);

  describe("cholesky", () => {
    it("L L^T = A with L lower and a positive diagonal, batched, float32 and float64; upper gives L^T", () => {
      torch.manualSeed(1);
      for (const dtype of ["float32", "float64"] as const) {
        const a = spd([2, 4], dtype);
        const l = L.cholesky(a);
        expect(l.dtype).toBe(dtype);
        expect(maxDiff(l.matmul(l.mT), a)).toBeLessThan(dtype === "float32" ? 1e-4 : 1e-12);
        expect(maxDiff(l, l.tril())).toBe(0);
        expect(vals(l.diagonal(0, -2, -1)).every((v) => v > 0)).toBe(true);
        expect(maxDiff(L.cholesky(a, { upper: true }), l.mT)).toBeLessThan(1e-6);
      }
      // By hand: [[4, 2], [2, 5]] = [[2, 0], [1, 2]] [[2, 1], [0, 2]].
      expect(vals(L.cholesky(f64([[4, 2], [2, 5]])))).toEqual([2, 0, 1, 2]);
    });
    it("reads only the lower triangle (upper: the upper one)", () => {
      const a = f64([[4, 100], [2, 5]]);
      expect(vals(L.cholesky(a))).toEqual([2, 0, 1, 2]);
      expect(vals(L.cholesky(f64([[4, 2], [100, 5]]), { upper: true }))).toEqual([2, 1, 0, 2]);
    });
    it("errors as PyTorch: not positive-definite (with the minor's order and batch element), shape, dtype", () => {
      expect(() => L.cholesky(f64([[1, 2], [2, 1]]))).toThrow(
        "linalg.cholesky: The factorization could not be completed because the input is not positive-definite (the leading minor of order 2 is not positive-definite).",
      );
      expect(() => L.cholesky(f64([[[4, 2], [2, 3]], [[1, 2], [2, 1]]]))).toThrow(/^linalg.cholesky: \(Batch element 1\): The factorization/);
      expect(() => L.cholesky(torch.ones([2, 3]))).toThrow("linalg.cholesky: A must be batches of square matrices, but they are 2 by 3 matrices");
      expect(() => L.cholesky(torch.ones([3]))).toThrow("linalg.cholesky: The input tensor A must have at least 2 dimensions.");
      expect(() => L.cholesky(torch.eye(2, { dtype: "int64" }))).toThrow("linalg.cholesky: Expected a floating point or complex tensor as input. Got Long");
    });
    it("gradients (symmetrised, as PyTorch's) pass gradcheck and gradgradcheck", () => {
      torch.manualSeed(2);
      expect(gc((x) => L.cholesky(spdOf(x)), [rnd(2, 3, 3)])).toBe(true);
      expect(gc((x) => L.cholesky(spdOf(x), { upper: true }), [rnd(3, 3)])).toBe(true);
      expect(ggc((x) => L.cholesky(spdOf(x)), [rnd(3, 3)])).toBe(true);
      const x = spd([3]).requiresGrad_();
      expect(L.cholesky(x).gradFn?.name).toBe("LinalgCholeskyExBackward0");
    });
  });

  describe("qr", () => {
    it("A = QR, Q orthonormal, R upper with geqrf's signs (R[0,0] = -sign(a00) ||a_0||), every mode and shape", () => {
      torch.manualSeed(3);
      for (const [m, n] of [[5, 3], [3, 3], [3, 5]]) {
        for (const dtype of ["float32", "float64"] as const) {
          const a = torch.randn([2, m, n], { dtype });
          const tol = dtype === "float32" ? 1e-5 : 1e-12;
          const k = Math.min(m, n);
          const [q, r] = L.qr(a);
          expect(q.shape).toEqual([2, m, k]);
          expect(r.shape).toEqual([2, k, n]);
          expect(maxDiff(q.matmul(r), a)).toBeLessThan(tol * 10);
          expect(maxDiff(q.mT.matmul(q), eyeLike(k, dtype).expand([2, k, k]))).toBeLessThan(tol * 10);
          expect(maxDiff(r, r.triu())).toBe(0);
          // LAPACK's reflector: R's first diagonal entry is -sign(A[0,0]) times the first column's norm.
          const a0 = vals(a.index(0)), r0 = vals(r.index(0));
          const colNorm = Math.hypot(...Array.from({ length: m }, (_, i) => a0[i * n]));
          expect(r0[0]).toBeCloseTo(-Math.sign(a0[0]) * colNorm, dtype === "float32" ? 4 : 10);
          const [qc, rc] = L.qr(a, "complete");
          expect(qc.shape).toEqual([2, m, m]);
          expect(rc.shape).toEqual([2, m, n]);
          expect(maxDiff(qc.matmul(rc), a)).toBeLessThan(tol * 10);
          expect(maxDiff(qc.mT.matmul(qc), eyeLike(m, dtype).expand([2, m, m]))).toBeLessThan(tol * 10);
          const rOnly = L.qr(a, "r");
          expect(rOnly.Q.shape).toEqual([0]);
          expect(maxDiff(rOnly.R, r)).toBe(0);
        }
      }
    });
    it("a column that is already zero below the diagonal is left alone (tau = 0)", () => {
      const [q, r] = L.qr(f64([[-2, 1], [0, 3]]));
      expect(vals(q)).toEqual([1, 0, 0, 1]);
      expect(vals(r)).toEqual([-2, 1, 0, 3]);
    });
    it("gradients for tall, square and wide inputs; mode 'r' and complete tall refuse as PyTorch", () => {
      torch.manualSeed(4);
      const f = (x: Tensor) => { const [q, r] = L.qr(x); return q.mul(2).sum().add(r.square().sum()); };
      expect(gc(f, [rnd(4, 3)])).toBe(true);
      expect(gc(f, [rnd(2, 3, 3)])).toBe(true);
      expect(gc(f, [rnd(3, 5)])).toBe(true);
      expect(ggc(f, [rnd(4, 3)])).toBe(true);
      const x = rnd(3, 3);
      expect(() => L.qr(x, "r")[1].sum().backward()).toThrow(
        "The derivative of linalg.qr depends on Q, which is not computed when mode='r'. Please use linalg.qr(A, mode='reduced') if you are going to differentiate through linalg.qr.",
      );
      expect(() => L.qr(rnd(4, 3), "complete")[0].sum().backward()).toThrow("The QR decomposition is not differentiable when mode='complete' and nrows > ncols.");
      expect(() => L.qr(x, "x" as never)).toThrow("qr received unrecognized mode 'x' but expected one of 'reduced' (default), 'r', or 'complete'");
      expect(() => L.qr(torch.ones([3]))).toThrow("linalg.qr: The input tensor A must have at least 2 dimensions.");
    });
  });

  describe("eigh / eigvalsh", () => {
    it("A V = V diag(w), V orthonormal, w ascending; UPLO picks the triangle", () => {
      torch.manualSeed(5);
      for (const dtype of ["float32", "float64"] as const) {
        const a = spd([3, 4], dtype).sub(eyeLike(4, dtype).mul(6));
        const [w, v] = L.eigh(a);
        const tol = dtype === "float32" ? 1e-4 : 1e-11;
        expect(maxDiff(a.matmul(v), v.mul(w.unsqueeze(-2)))).toBeLessThan(tol);
        expect(maxDiff(v.mT.matmul(v), eyeLike(4, dtype).expand([3, 4, 4]))).toBeLessThan(tol);
        const ws = vals(w);
        for (let b = 0; b < 3; b++) for (let i = 0; i < 3; i++) expect(ws[b * 4 + i]).toBeLessThanOrEqual(ws[b * 4 + i + 1]);
        expect(maxDiff(L.eigvalsh(a), w)).toBeLessThan(tol);
      }
      // [[2, 1], [1, 2]] has eigenvalues 1 and 3; the ignored triangle holds junk.
      expect(vals(L.eigvalsh(f64([[2, 99], [1, 2]])))).toEqual([expect.closeTo(1, 12), expect.closeTo(3, 12)]);
      expect(vals(L.eigvalsh(f64([[2, 1], [99, 2]]), "U"))).toEqual([expect.closeTo(1, 12), expect.closeTo(3, 12)]);
      expect(() => L.eigh(f64([[1, 0], [0, 1]]), "X" as never)).toThrow("Expected UPLO argument to be 'L' or 'U', but got X");
      expect(() => L.eigh(torch.ones([2, 3]))).toThrow("linalg.eigh: A must be batches of square matrices, but they are 2 by 3 matrices");
      expect(() => L.eigvalsh(torch.eye(2, { dtype: "int64" }))).toThrow(`"linalg_eigh_cpu" not implemented for 'Long'`);
    });
    it("gradients of sign-invariant functions pass gradcheck and gradgradcheck", () => {
      torch.manualSeed(6);
      const f = (x: Tensor) => { const [w, v] = L.eigh(x.add(x.mT)); return w.square().sum().add(v.mul(w.unsqueeze(-2)).matmul(v.mT).sum()).add(v.abs().sum()); };
      expect(gc(f, [rnd(2, 3, 3)])).toBe(true);
      expect(ggc(f, [rnd(3, 3)])).toBe(true);
      expect(gc((x) => L.eigvalsh(x.add(x.mT), "U"), [rnd(3, 3)])).toBe(true);
      expect(L.eigvalsh(rnd(2, 2)).gradFn?.name).toBe("LinalgEighBackward0");
      // torch.symeig: the upper triangle by default, eigenvectors only when asked.
      const junk = f64([[2, 1], [99, 2]]);
      const se = torch.symeig(junk);
      expect(vals(se.eigenvalues)).toEqual([expect.closeTo(1, 12), expect.closeTo(3, 12)]);
      expect(se.eigenvectors.shape).toEqual([0]);
      const sl = junk.symeig({ eigenvectors: true, upper: false });
      expect(sl.eigenvectors.shape).toEqual([2, 2]);
      expect(maxDiff(sl.eigenvalues, L.eigvalsh(junk))).toBe(0);
    });
  });

  describe("svd", () => {
    it("A = U diag(S) Vh with orthonormal U, Vh, S descending; full_matrices completes the bases (rank-deficient too)", () => {
      torch.manualSeed(7);
      for (const [m, n] of [[5, 3], [3, 5], [4, 4]]) {
        for (const dtype of ["float32", "float64"] as const) {
          const a = torch.randn([2, m, n], { dtype });
          const tol = dtype === "float32" ? 1e-4 : 1e-11;
          const k = Math.min(m, n);
          const [u, s, vh] = L.svd(a, false);
          expect([u.shape, s.shape, vh.shape]).toEqual([[2, m, k], [2, k], [2, k, n]]);
          expect(maxDiff(u.mul(s.unsqueeze(-2)).matmul(vh), a)).toBeLessThan(tol);
          const [uf, sf, vhf] = L.svd(a);
          expect([uf.shape, vhf.shape]).toEqual([[2, m, m], [2, n, n]]);
          expect(maxDiff(uf.mT.matmul(uf), eyeLike(m, dtype).expand([2, m, m]))).toBeLessThan(tol);
          expect(maxDiff(vhf.matmul(vhf.mT), eyeLike(n, dtype).expand([2, n, n]))).toBeLessThan(tol);
          expect(maxDiff(sf, s)).toBe(0);
          expect(maxDiff(L.svdvals(a), s)).toBeLessThan(tol);
        }
      }
      // Rank 1: [[1, 1], [1, 1]] = 2 * (1/√2, 1/√2)(1/√2, 1/√2)^T; U stays orthonormal.
      const [u, s] = L.svd(f64([[1, 1], [1, 1]]));
      expect(vals(s)).toEqual([expect.closeTo(2, 12), 0]);
      expect(maxDiff(u.mT.matmul(u), eyeLike(2))).toBeLessThan(1e-12);
    });
    it("gradients (U, S, Vh through sign-invariant uses) and torch.svd's V / compute_uv / some", () => {
      torch.manualSeed(8);
      const f = (x: Tensor) => { const [u, s, vh] = L.svd(x, false); return u.abs().sum().add(s.sum()).add(vh.abs().sum()); };
      expect(gc(f, [rnd(4, 3)])).toBe(true);
      expect(gc((x) => { const [u, s, vh] = L.svd(x, false); return u.mul(s.unsqueeze(-2)).matmul(vh); }, [rnd(2, 3, 5)])).toBe(true);
      expect(ggc(f, [rnd(3, 3)])).toBe(true);
      const a = torch.randn([4, 3], d64);
      const [u, s, v] = torch.svd(a);
      expect(v.shape).toEqual([3, 3]);
      expect(maxDiff(u.mul(s.unsqueeze(-2)).matmul(v.mT), a)).toBeLessThan(1e-12);
      expect(torch.svd(a, false)[0].shape).toEqual([4, 4]);
      const none = torch.svd(a, true, false);
      expect([none.U.shape, none.V.shape]).toEqual([[4, 4], [3, 3]]);
      expect(vals(none.U).every((x) => x === 0)).toBe(true);
      expect(maxDiff(none.S, s)).toBeLessThan(1e-12);
      expect(() => L.svd(torch.eye(2, { dtype: "int64" }))).toThrow("linalg.svd: Expected a floating point or complex tensor as input. Got Long");
      const nan = f64([[[1, 2], [3, 4]], [[1, NaN], [0, 1]]]);
      expect(() => L.svd(nan)).toThrow("linalg.svd: (Batch element 1): The algorithm failed to converge because the input matrix contained non-finite values.");
      expect(() => L.svdvals(nan)).toThrow(/Batch element 1/);
    });
  });

  describe("slogdet / logdet / det", () => {
    it("sign * exp(logabsdet) = det by the permutation expansion; singular gives (0, -inf); logdet NaN for det < 0", () => {
      const a = f64([[[2, 1, 0], [1, 3, 1], [0, 1, 4]], [[0, 1, 0], [1, 0, 0], [0, 0, 5]]]);
      // det by cofactors: 2(12 - 1) - 1(4 - 0) = 18; the second is a swap times 5: -5.
      const { sign, logabsdet } = L.slogdet(a);
      expect(vals(sign)).toEqual([1, -1]);
      expect(vals(logabsdet)).toEqual([expect.closeTo(Math.log(18), 12), expect.closeTo(Math.log(5), 12)]);
      const sing = L.slogdet(f64([[1, 2], [2, 4]]));
      expect(Math.abs(vals(sing.sign)[0])).toBe(0);
      expect(vals(sing.logabsdet)).toEqual([-Infinity]);
      expect(vals(torch.logdet(a))).toEqual([expect.closeTo(Math.log(18), 12), NaN]);
      expect(torch.logdet(f64([[1, 2], [2, 4]])).item()).toBe(-Infinity);
      expect(vals(a.slogdet()[0])).toEqual([1, -1]);
      expect(torch.det(a.index(0)).item()).toBeCloseTo(18, 10);
      expect(() => L.slogdet(torch.ones([2, 3]))).toThrow("linalg.slogdet: A must be batches of square matrices, but they are 2 by 3 matrices");
    });
    it("logabsdet's gradient is A^-T; sign needs none", () => {
      torch.manualSeed(9);
      expect(gc((x) => L.slogdet(x)[1], [rnd(2, 3, 3)])).toBe(true);
      expect(ggc((x) => L.slogdet(x)[1], [rnd(3, 3)])).toBe(true);
      const x = rnd(3, 3);
      const [sg, la] = L.slogdet(x);
      expect(sg.requiresGrad).toBe(false);
      expect(la.gradFn?.name).toBe("LinalgSlogdetBackward0");
      expect(gc((y) => torch.logdet(spdOf(y)), [rnd(3, 3)])).toBe(true);
      expect(gc((y) => torch.det(y), [rnd(3, 3)])).toBe(true);
    });
  });

  describe("matrix_power / matrix_exp", () => {
    it("A^n by products, the identity for 0, inv(A)^|n| for negative n; integer matrices for n >= 0", () => {
      torch.manualSeed(10);
      const a = torch.randn([2, 3, 3], d64);
      let p = a;
      for (let n = 2; n <= 6; n++) {
        p = p.matmul(a);
        expect(maxDiff(L.matrixPower(a, n), p)).toBeLessThan(1e-10);
      }
      expect(maxDiff(L.matrixPower(a, 0), eyeLike(3).expand([2, 3, 3]))).toBe(0);
      expect(maxDiff(L.matrixPower(a, -2).matmul(a.matmul(a)), eyeLike(3).expand([2, 3, 3]))).toBeLessThan(1e-9);
      const fib = torch.tensor([[1, 1], [1, 0]], { dtype: "int64" });
      expect(vals(torch.matrixPower(fib, 10))).toEqual([89, 55, 55, 34]);
      expect(torch.matrixPower(fib, 10).dtype).toBe("int64");
      expect(() => L.matrixPower(fib, -1)).toThrow("linalg.inv: Expected a floating point or complex tensor as input. Got Long");
      expect(() => L.matrixPower(torch.eye(2, { dtype: "bool" }), 2)).toThrow(`"addmm_impl_cpu_" not implemented for 'Bool'`);
      // n = 0 gives the identity, still connected to A (a zero gradient, as PyTorch's copy).
      const x0 = rnd(2, 2);
      L.matrixPower(x0, 0).sum().backward();
      expect(vals(x0.grad!)).toEqual([0, 0, 0, 0]);
      expect(() => L.matrixPower(torch.ones([2, 3]), 2)).toThrow("linalg.matrix_power: A must be batches of square matrices, but they are 2 by 3 matrices");
      expect(gc((x) => L.matrixPower(x, -3), [rnd(3, 3)])).toBe(true);
    });
    it("exp of t [[0, 1], [-1, 0]] is the rotation by t; a general matrix matches its Taylor series; gradients", () => {
      for (const dtype of ["float32", "float64"] as const) {
        const r = L.matrixExp(torch.tensor([[0, 0.7], [-0.7, 0]], { dtype }));
        const c = Math.cos(0.7), s = Math.sin(0.7);
        expect(maxDiff(r, torch.tensor([[c, s], [-s, c]], { dtype }))).toBeLessThan(dtype === "float32" ? 1e-6 : 1e-14);
      }
      torch.manualSeed(11);
      const a = torch.randn([2, 3, 3], d64).mul(2);
      // Taylor series in double, summed in JS per batch element.
      const av = vals(a);
      const expect3 = (b: number): number[] => {
        let term = [1, 0, 0, 0, 1, 0, 0, 0, 1], sum = [...term];
        for (let k = 1; k < 80; k++) {
          const next = new Array(9).fill(0);
          for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) for (let t = 0; t < 3; t++) next[i * 3 + j] += (term[i * 3 + t] * av[b * 9 + t * 3 + j]) / k;
          term = next;
          sum = sum.map((v, i) => v + term[i]);
        }
        return sum;
      };
      const got = vals(torch.matrixExp(a));
      [...expect3(0), ...expect3(1)].forEach((v, i) => expect(got[i]).toBeCloseTo(v, 9));
      expect(gc((x) => L.matrixExp(x), [rnd(2, 3, 3)])).toBe(true);
      expect(ggc((x) => L.matrixExp(x), [rnd(2, 2)])).toBe(true);
      expect(() => L.matrixExp(torch.eye(2, { dtype: "int64" }))).toThrow("matrix_exp: Expected a floating point or complex tensor as input. Got Long");
    });
  });

  describe("matrix_rank / pinv / lstsq", () => {
    it("rank counts singular values above max(atol, rtol * largest); hermitian uses |eigenvalues|", () => {
      const a = f64([[1, 2, 3], [2, 4, 6], [1, 0, 1]]); // row 2 = 2 * row 1: rank 2
      expect(L.matrixRank(a).item()).toBe(2);
      expect(L.matrixRank(a).dtype).toBe("int64");
      expect(L.matrixRank(f64([[1, 0], [0, 1e-3]]), { atol: 0.01 }).item()).toBe(1);
      expect(L.matrixRank(f64([[1, 0], [0, 1e-3]]), { rtol: 0.01 }).item()).toBe(1);
      expect(L.matrixRank(f64([[1, 0], [0, 1e-3]]), 1e-4).item()).toBe(2);
      expect(L.matrixRank(f64([[1, 0], [0, 1e-3]]), { tol: 0.01 }).item()).toBe(1);
      // snake_case keywords bind as PyTorch's names; unknown ones are PyTorch's TypeError.
      expect(L.svd(f64([[1, 0], [0, 2], [0, 0]]), { full_matrices: false } as never).U.shape).toEqual([3, 2]);
      expect(() => L.cholesky(f64([[1]]), { uper: true } as never)).toThrow("linalg_cholesky() got an unexpected keyword argument 'uper'");
      expect(L.matrixRank(f64([[2, 0], [0, -3]]), { hermitian: true }).item()).toBe(2);
      expect(vals(L.matrixRank(torch.zeros([3, 2, 2], d64)))).toEqual([0, 0, 0]);
      expect(() => L.matrixRank(torch.eye(2, { dtype: "int64" }))).toThrow("This function doesn't handle types other than float and double");
    });
    it("pinv satisfies the Moore-Penrose conditions (tall, wide, rank-deficient, hermitian)", () => {
      torch.manualSeed(12);
      const cases = [torch.randn([5, 3], d64), torch.randn([2, 3, 6], d64), f64([[1, 2, 3], [2, 4, 6], [1, 0, 1]])];
      for (const a of cases) {
        const p = L.pinv(a);
        expect(maxDiff(a.matmul(p).matmul(a), a)).toBeLessThan(1e-10);
        expect(maxDiff(p.matmul(a).matmul(p), p)).toBeLessThan(1e-10);
        const ap = a.matmul(p), pa = p.matmul(a);
        expect(maxDiff(ap, ap.mT)).toBeLessThan(1e-10);
        expect(maxDiff(pa, pa.mT)).toBeLessThan(1e-10);
      }
      const h = f64([[2, 1], [1, 2]]);
      expect(maxDiff(L.pinv(h, { hermitian: true }), L.inv(h))).toBeLessThan(1e-12);
      expect(maxDiff(torch.pinverse(h), L.inv(h))).toBeLessThan(1e-12);
      expect(vals(L.pinv(f64([[1, 0], [0, 1e-3]]), { atol: 0.01 }))).toEqual([1, 0, 0, 0]);
      expect(() => L.pinv(torch.ones([3]))).toThrow("linalg.pinv(Float{[3]}): expected a tensor with 2 or more dimensions of float, double, cfloat or cdouble types");
      expect(gc((x) => L.pinv(x), [rnd(4, 3)])).toBe(true);
      expect(gc((x) => L.pinv(x), [rnd(2, 5)])).toBe(true);
      expect(L.pinv(rnd(3, 2)).gradFn?.name).toBe("LinalgPinvBackward0");
    });
    it("lstsq solves the normal equations; fields as each driver fills them", () => {
      torch.manualSeed(13);
      const a = torch.randn([2, 6, 3], d64), b = torch.randn([2, 6, 2], d64);
      const r = L.lstsq(a, b);
      expect(maxDiff(a.mT.matmul(a).matmul(r.solution), a.mT.matmul(b))).toBeLessThan(1e-10);
      expect(r.residuals.shape).toEqual([0]);
      expect(vals(r.rank)).toEqual([3, 3]);
      expect(r.singularValues.shape).toEqual([0]);
      const d = L.lstsq(a, b, null, { driver: "gelsd" });
      const res = b.sub(a.matmul(d.solution)).square().sum(-2);
      expect(maxDiff(d.residuals, res)).toBeLessThan(1e-10);
      expect(maxDiff(d.singularValues, L.svdvals(a))).toBeLessThan(1e-12);
      const g = L.lstsq(a, b, { driver: "gels" });
      expect([g.rank.shape, g.singularValues.shape]).toEqual([[0], [0]]);
      // A vector right-hand side, and a rank-deficient A: the minimum-norm solution.
      const v = L.lstsq(f64([[1, 1], [1, 1], [1, 1]]), torch.tensor([1, 2, 3], d64));
      expect(vals(v.solution)).toEqual([expect.closeTo(1, 12), expect.closeTo(1, 12)]);
      expect(v.rank.item()).toBe(1);
      expect(() => L.lstsq(torch.ones([3, 2]), torch.ones([2, 1]))).toThrow("torch.linalg.lstsq: input.size(-2) should match other.size(-2)");
      expect(gc((x, y) => L.lstsq(x, y)[0], [rnd(5, 3), rnd(5, 2)])).toBe(true);
    });
  });

  describe("triangular solves", () => {
    it("solve_triangular: A X = B and X A = B on A's triangle only, unitriangular ignores the diagonal, batches broadcast", () => {
      torch.manualSeed(14);
      const a = torch.randn([2, 1, 3, 3], d64).add(eyeLike(3).mul(5));
      const b = torch.randn([4, 3, 2], d64);
      const x = L.solveTriangular(a, b, { upper: true });
      expect(x.shape).toEqual([2, 4, 3, 2]);
      expect(maxDiff(a.triu().matmul(x), b.expand([2, 4, 3, 2]))).toBeLessThan(1e-12);
      const unitA = a.tril(-1).add(eyeLike(3));
      const xl = L.solveTriangular(a, b.mT, { upper: false, left: false, unitriangular: true });
      expect(maxDiff(xl.matmul(unitA), b.mT.expand([2, 4, 2, 3]))).toBeLessThan(1e-12);
      expect(() => L.solveTriangular(f64([[1, 0], [0, 1]]), torch.ones([3, 1], d64), { upper: true })).toThrow(
        "linalg.solve_triangular: Incompatible shapes of A and B for the equation AX = B (2x2 and 3x1)",
      );
      expect(() => L.solveTriangular(f64([[1, 0], [0, 1]]), torch.ones([2, 1], d64), {} as never)).toThrow(/missing 1 required positional arguments: "upper"/);
      expect(gc((p, q) => L.solveTriangular(p, q, { upper: true }), [a.index(0).detach().requiresGrad_(), rnd(2, 3, 2)])).toBe(true);
      expect(gc((p, q) => L.solveTriangular(p, q, { upper: false, left: false, unitriangular: true }), [rnd(3, 3), rnd(2, 3)])).toBe(true);
    });
    it("torch.triangular_solve(b, A): [solution, cloned_coefficient], transpose; cholesky_solve / cholesky_inverse", () => {
      const a = f64([[2, 1], [0, 4]]);
      const b = f64([[4], [8]]);
      const { solution, clonedCoefficient } = torch.triangularSolve(b, a);
      expect(vals(solution)).toEqual([1, 2]); // 2x + y = 4, 4y = 8
      expect(vals(clonedCoefficient)).toEqual([2, 1, 0, 4]);
      expect(vals(torch.triangularSolve(b, a, true, true)[0])).toEqual([2, 1.5]); // A^T x = b: 2x = 4, x + 4y = 8
      expect(vals(torch.triangularSolve(b, a, false)[0])).toEqual([2, 2]); // lower of A: diag(2, 4)
      torch.manualSeed(15);
      const s = spd([2, 3]);
      const l = L.cholesky(s);
      const rhs = torch.randn([2, 3, 2], d64);
      expect(maxDiff(s.matmul(torch.choleskySolve(rhs, l)), rhs)).toBeLessThan(1e-12);
      expect(maxDiff(s.matmul(torch.choleskySolve(rhs, l.mT, true)), rhs)).toBeLessThan(1e-12);
      expect(maxDiff(torch.choleskyInverse(l).matmul(s), eyeLike(3).expand([2, 3, 3]))).toBeLessThan(1e-12);
      expect(maxDiff(l.mT.choleskyInverse(true).matmul(s), eyeLike(3).expand([2, 3, 3]))).toBeLessThan(1e-12);
      expect(() => torch.choleskySolve(torch.eye(2, { dtype: "int64" }), torch.eye(2, { dtype: "int64" }))).toThrow(`"cholesky_solve_cpu" not implemented for 'Long'`);
      expect(() => L.solveTriangular(torch.eye(2, { dtype: "int64" }), torch.eye(2, { dtype: "int64" }), { upper: true })).toThrow(
        `"triangular_solve_cpu" not implemented for 'Long'`,
      );
      expect(gc((q, x) => torch.choleskySolve(q, L.cholesky(spdOf(x))), [rnd(3, 2), rnd(3, 3)])).toBe(true);
      expect(torch.choleskySolve(rnd(3, 1), L.cholesky(spd([3]))).gradFn?.name).toBe("CholeskySolveBackward0");
      expect(gc((x) => torch.choleskyInverse(L.cholesky(spdOf(x))), [rnd(3, 3)])).toBe(true);
      expect(ggc((q, x) => torch.choleskySolve(q, L.cholesky(spdOf(x))), [rnd(3, 2), rnd(3, 3)])).toBe(true);
      // PyTorch's rule treats L as a full matrix: its gradient -(C + C^T) L (C = gB X^T) also fills
      // the upper triangle, which the forward never reads.
      const lf = L.cholesky(spd([3])).requiresGrad_();
      const xs = torch.choleskySolve(torch.ones([3, 1], d64), lf);
      xs.sum().backward();
      const gbT = torch.choleskySolve(torch.ones([3, 1], d64), lf.detach());
      const cT = gbT.matmul(xs.detach().mT);
      expect(maxDiff(lf.grad!, cT.add(cT.mT).matmul(lf.detach()).neg())).toBeLessThan(1e-12);
      expect(vals(lf.grad!.triu(1)).some((v) => v !== 0)).toBe(true);
    });
  });

  describe("LU", () => {
    it("lu_factor: getrf's largest-pivot rows and 1-based int32 pivots; lu gives P L U = A (square, tall, wide)", () => {
      // By hand: pivot on 3 (row 2), then rows swap back: [[3, 4], [1, 2]] -> L = [[1, 0], [1/3, 1]], U = [[3, 4], [0, 2/3]].
      const { LU, pivots } = L.luFactor(f64([[1, 2], [3, 4]]));
      expect(pivots.dtype).toBe("int32");
      expect(vals(pivots)).toEqual([2, 2]);
      expect(vals(LU)).toEqual([3, 4, expect.closeTo(1 / 3, 14), expect.closeTo(2 / 3, 14)]);
      torch.manualSeed(16);
      for (const [m, n] of [[4, 4], [5, 3], [3, 5]]) {
        const a = torch.randn([2, m, n], d64);
        const { P, L: l, U: u } = L.lu(a);
        const k = Math.min(m, n);
        expect([P.shape, l.shape, u.shape]).toEqual([[2, m, m], [2, m, k], [2, k, n]]);
        expect(maxDiff(P.matmul(l).matmul(u), a)).toBeLessThan(1e-12);
        expect(maxDiff(l, l.tril())).toBe(0);
        expect(maxDiff(u, u.triu())).toBe(0);
        expect(vals(l.abs()).every((v) => v <= 1 + 1e-15)).toBe(true); // partial pivoting bound
        const f = L.luFactor(a);
        const un = torch.luUnpack(f.LU, f.pivots);
        expect(maxDiff(un.P, P)).toBe(0);
        expect(maxDiff(un.L, l)).toBe(0);
        expect(maxDiff(un.U, u)).toBe(0);
      }
    });
    it("singular input: lu_factor errors as PyTorch, lu_factor_ex reports info, lu goes through", () => {
      const z = f64([[0, 0], [0, 0]]);
      expect(() => L.luFactor(z)).toThrow(
        "torch.linalg.lu_factor: U[1,1] is zero and using it on lu_solve would result in a division by zero. If you still want to perform the factorization, consider calling linalg.lu(A, pivot) or linalg.lu_factor_ex(A, pivot)",
      );
      expect(vals(L.luFactorEx(f64([[1, 2], [2, 4]])).info)).toEqual([2]);
      expect(vals(L.lu(z).U)).toEqual([0, 0, 0, 0]);
      expect(() => L.luFactor(torch.eye(2, d64), { pivot: false })).toThrow("linalg.lu_factor: LU without pivoting is not implemented on the CPU");
      expect(() => L.luFactor(torch.ones([3]))).toThrow("torch.lu_factor: Expected tensor with 2 or more dimensions. Got size: [3] instead");
    });
    it("lu_solve (left / right, adjoint) and torch.lu / torch.lu_solve; gradients", () => {
      torch.manualSeed(17);
      const a = torch.randn([2, 3, 3], d64);
      const b = torch.randn([2, 3, 2], d64);
      const { LU, pivots } = L.luFactor(a);
      expect(maxDiff(a.matmul(L.luSolve(LU, pivots, b)), b)).toBeLessThan(1e-11);
      expect(maxDiff(a.mT.matmul(L.luSolve(LU, pivots, b, { adjoint: true })), b)).toBeLessThan(1e-11);
      expect(maxDiff(L.luSolve(LU, pivots, b.mT, { left: false }).matmul(a), b.mT)).toBeLessThan(1e-11);
      expect(maxDiff(L.luSolve(LU, pivots, b.mT, { left: false, adjoint: true }).matmul(a.mT), b.mT)).toBeLessThan(1e-11);
      const [lu2, piv2] = torch.lu(a);
      expect(maxDiff(a.matmul(torch.luSolve(b, lu2, piv2)), b)).toBeLessThan(1e-11);
      expect(torch.lu(a, true, true).length).toBe(3);
      expect(vals(torch.lu(torch.zeros([2, 2], d64), true, true)[2])).toEqual([1]); // no error, info 1
      expect(torch.lu(torch.zeros([2, 2], d64)).length).toBe(2);
      expect(() => L.luSolve(LU, pivots.long(), b)).toThrow("linalg.lu_solve: pivots should be a Tensor of scalar type torch.int32");
      expect(gc((x) => L.luFactor(x)[0], [rnd(3, 5)])).toBe(true);
      expect(ggc((x) => L.luFactor(x)[0], [rnd(3, 3)])).toBe(true);
      expect(gc((x) => { const [, l, u] = L.lu(x); return l.square().sum().add(u.square().sum()); }, [rnd(5, 3)])).toBe(true);
      expect(gc((x, y) => { const f = L.luFactor(x); return L.luSolve(f.LU, f.pivots, y); }, [rnd(3, 3), rnd(3, 2)])).toBe(true);
    });
  });

  describe("multi_dot / cond / vecdot", () => {
    it("multi_dot multiplies the chain (1-D ends as vectors) and checks shapes and dtypes", () => {
      torch.manualSeed(18);
      const a = torch.randn([3, 4], d64), b = torch.randn([4, 5], d64), c = torch.randn([5, 2], d64), v = torch.randn([3], d64), w = torch.randn([2], d64);
      expect(maxDiff(L.multiDot([a, b, c]), a.matmul(b).matmul(c))).toBeLessThan(1e-12);
      expect(L.multiDot([v, a, b, c, w]).shape).toEqual([]);
      expect(L.multiDot([v, a, b, c, w]).item()).toBeCloseTo(v.matmul(a).matmul(b).matmul(c).matmul(w).item(), 10);
      expect(L.multiDot([a, b, c, w]).shape).toEqual([3]);
      const ia = torch.tensor([[1, 2], [3, 4]], { dtype: "int64" });
      expect(vals(L.multiDot([ia, ia, ia]))).toEqual([37, 54, 81, 118]);
      expect(L.multiDot([ia, ia]).dtype).toBe("int64");
      expect(maxDiff(torch.chainMatmul(a, b, c), a.matmul(b).matmul(c))).toBeLessThan(1e-12);
      expect(() => torch.chainMatmul(v, a)).toThrow("Tensor dimension is 1, expected 2 instead.");
      expect(() => L.multiDot([a])).toThrow("multi_dot(): expected at least 2 tensors but got 1");
      expect(() => L.multiDot([a, c])).toThrow("multi_dot(): tensors 0 and 1 with shapes [3, 4] and [5, 2] cannot be multiplied");
      expect(() => L.multiDot([a, torch.ones([4, 2, 2], d64)])).toThrow("multi_dot(): the last tensor must be 1D or 2D but got 3D");
      expect(() => L.multiDot([torch.ones([2, 2]), torch.eye(2, { dtype: "int64" })])).toThrow(
        "multi_dot(): all tensors must have be the same dtype but tensor 0 is float and tensor 1 long int",
      );
    });
    it("cond: largest / smallest singular value for p = None / 2 (any shape), norm(A) norm(A^-1) otherwise, inf when singular", () => {
      const a = f64([[3, 0], [0, 0.5]]);
      expect(L.cond(a).item()).toBeCloseTo(6, 12);
      expect(L.cond(a, -2).item()).toBeCloseTo(1 / 6, 12);
      expect(L.cond(a, 1).item()).toBeCloseTo(6, 12);
      expect(L.cond(a, "fro").item()).toBeCloseTo(Math.hypot(3, 0.5) * Math.hypot(1 / 3, 2), 12);
      expect(L.cond(f64([[1, 0, 0], [0, 2, 0]])).item()).toBeCloseTo(2, 12);
      expect(vals(L.cond(f64([[[1, 2], [2, 4]], [[1, 0], [0, 1]]]), Infinity))).toEqual([Infinity, 1]);
      expect(() => L.cond(torch.ones([2, 3]), "fro")).toThrow("linalg.cond(ord=fro): A must be batches of square matrices, but they are 2 by 3 matrices");
      expect(() => L.cond(a, 3)).toThrow("linalg.cond got an invalid norm type: 3");
      expect(() => L.cond(torch.ones([3]))).toThrow("linalg.cond: The input tensor must have at least 2 dimensions.");
      expect(gc((x) => L.cond(x, "nuc"), [rnd(3, 3)])).toBe(true);
    });
    it("cross: e_x × e_y = e_z and its cyclic shifts, broadcasting, dim, integers; gradients", () => {
      const e = torch.eye(3, d64);
      const r = L.cross(e, e.roll(-1, 0)); // rows: e0×e1, e1×e2, e2×e0
      expect(vals(r)).toEqual(vals(e.roll(-2, 0)));
      expect(vals(L.cross(f64([[1, 0, 0]]), f64([[0, 1, 0], [0, 0, 1]])))).toEqual([0, 0, 1, 0, -1, 0]);
      expect(vals(L.cross(e.mT, e.roll(-1, 0).mT, { dim: 0 }))).toEqual(vals(e.roll(-2, 0).mT));
      const iv = L.cross(torch.tensor([1, 2, 3], { dtype: "int64" }), torch.tensor([4, 5, 6], { dtype: "int64" }));
      expect([iv.dtype, vals(iv)]).toEqual(["int64", [-3, 6, -3]]); // (2*6-3*5, 3*4-1*6, 1*5-2*4)
      expect(() => L.cross(torch.ones([2]), torch.ones([2]))).toThrow("linalg.cross: inputs dimension -1 must have length 3. Got 2 and 2");
      expect(() => L.cross(torch.ones([3]), torch.ones([1, 3]))).toThrow("linalg.cross: inputs must have the same number of dimensions.");
      expect(gc((p, q) => L.cross(p, q), [rnd(2, 3), rnd(1, 3)])).toBe(true);
    });
    it("vecdot sums x * y over dim, broadcasting", () => {
      const x = f64([[1, 2, 3], [4, 5, 6]]);
      expect(vals(L.vecdot(x, torch.tensor([1, 0, -1], d64)))).toEqual([-2, -2]);
      expect(vals(L.vecdot(x, x, { dim: 0 }))).toEqual([17, 29, 45]);
      expect(() => L.vecdot(torch.ones([2], { dtype: "int64" }), torch.ones([2], { dtype: "int64" }))).toThrow(
        "linalg.vecdot: Expected a floating point or complex tensor as input. Got Long",
      );
    });
  });

  describe("the _ex forms and the small ones (diagonal, matmul, vander, tensorinv, tensorsolve)", () => {
    it("cholesky_ex reports info and leaves potf2's partial factor; inv_ex / solve_ex report LAPACK's info", () => {
      const a = f64([[4, 2, 1, 7], [2, 1, 3, 8], [1, 3, 6, 9], [7, 8, 9, 10]]);
      // Column 0: 2, 1, 0.5, 3.5; column 1's pivot 1 - 1 = 0 fails: it is kept, the rest stays A's.
      const { L: l, info } = L.choleskyEx(a);
      expect(info.dtype).toBe("int32");
      expect(info.item()).toBe(2);
      expect(vals(l)).toEqual([2, 0, 0, 0, 1, 0, 0, 0, 0.5, 3, 6, 0, 3.5, 8, 9, 10]);
      expect(vals(L.choleskyEx(a, { upper: true }).L)).toEqual(vals(l.mT));
      expect(vals(L.choleskyEx(torch.stack([a, eyeLike(4)])).info)).toEqual([2, 0]);
      expect(() => L.choleskyEx(a, { checkErrors: true })).toThrow(/^linalg.cholesky_ex: The factorization could not be completed/);
      const ok = spd([3]);
      expect(maxDiff(L.choleskyEx(ok).L, L.cholesky(ok))).toBe(0);
      // [[1, 2], [2, 4]]: pivot 2, then 4 - 0.5 * 4 * 2 = 0 at the second pivot.
      const sing = f64([[1, 2], [2, 4]]);
      const ie = L.invEx(sing);
      expect(ie.info.item()).toBe(2);
      expect(vals(ie.inverse)).toEqual([-Infinity, Infinity, Infinity, -Infinity]);
      expect(() => L.invEx(sing, { checkErrors: true })).toThrow("linalg.inv_ex: The diagonal element 2 is zero, the inversion could not be completed because the input matrix is singular.");
      const good = f64([[1, 2], [3, 4]]);
      expect(maxDiff(L.invEx(good).inverse, L.inv(good))).toBe(0);
      expect(L.invEx(good).info.item()).toBe(0);
      const xr = L.solve(good, torch.ones([3, 2], d64), { left: false });
      expect(maxDiff(xr.matmul(good), torch.ones([3, 2], d64))).toBeLessThan(1e-14);
      expect(() => L.solve(good, torch.ones([2], d64), { left: false })).toThrow("linalg.solve: Incompatible shapes of A and B for the equation XA = B (2x2 and 2x1)");
      // Values near 1e±200: the Jacobi sums of squares are scaled (exactly, by a power of two).
      const big = f64([[2e200, 1e200], [1e200, 3e200]]);
      const ev = vals(L.eigvalsh(big)), sv = vals(L.svdvals(big));
      expect(ev[0] / 1e200).toBeCloseTo((5 - Math.sqrt(5)) / 2, 12);
      expect(sv[0] / 1e200).toBeCloseTo((5 + Math.sqrt(5)) / 2, 12);
      const se = L.solveEx(good, torch.ones([3, 2], d64), { left: false });
      expect(maxDiff(se.result.matmul(good), torch.ones([3, 2], d64))).toBeLessThan(1e-14);
      expect(() => L.solveEx(sing, torch.ones([2], d64), { checkErrors: true })).toThrow("torch.linalg.solve_ex: The solver failed because the input matrix is singular.");
    });
    it("diagonal, matmul, vander, tensorinv and tensorsolve", () => {
      expect(vals(L.diagonal(torch.arange(8).reshape([2, 2, 2])))).toEqual([0, 3, 4, 7]);
      expect(vals(L.vander(torch.tensor([1, 2, 3])))).toEqual([1, 1, 1, 1, 2, 4, 1, 3, 9]);
      const iv = L.vander(torch.tensor([2, 3], { dtype: "int64" }), { N: 4 });
      expect([iv.dtype, vals(iv)]).toEqual(["int64", [1, 2, 4, 8, 1, 3, 9, 27]]);
      torch.manualSeed(19);
      const a = torch.randn([6, 2, 3], d64);
      const ai = L.tensorinv(a, { ind: 1 });
      expect(ai.shape).toEqual([2, 3, 6]);
      expect(maxDiff(a.reshape([6, 6]).matmul(ai.reshape([6, 6])), eyeLike(6))).toBeLessThan(1e-12);
      expect(() => L.tensorinv(torch.randn([6, 2, 2]), { ind: 1 })).toThrow("Expected self to satisfy the requirement prod(self.shape[ind:]) == prod(self.shape[:ind]), but got 4 != 6");
      const b = torch.randn([2, 3], d64);
      const x = L.tensorsolve(a.reshape([2, 3, 6]), b);
      expect(x.shape).toEqual([6]);
      expect(maxDiff(a.reshape([6, 6]).matmul(x), b.reshape([6]))).toBeLessThan(1e-12);
      expect(maxDiff(L.matmul(a.reshape([6, 6]), x), a.reshape([6, 6]).matmul(x))).toBe(0);
    });
  });

  describe("Householder forms: geqrf, householder_product / orgqr, ormqr", () => {
    it("householder_product of geqrf's output is linalg.qr's Q; ormqr applies the complete Q or Q^T on either side", () => {
      torch.manualSeed(20);
      const a0 = torch.randn([2, 5, 3], d64);
      const { a, tau } = torch.geqrf(a0);
      const [q, r] = L.qr(a0);
      expect(tau.shape).toEqual([2, 3]);
      expect(maxDiff(a.triu().narrow(-2, 0, 3), r)).toBeLessThan(1e-14);
      expect(maxDiff(L.householderProduct(a, tau), q)).toBeLessThan(1e-14);
      expect(maxDiff(torch.orgqr(a, tau), q)).toBeLessThan(1e-14);
      const qc = L.qr(a0, "complete").Q;
      const c = torch.randn([2, 5, 2], d64), cr = torch.randn([2, 2, 5], d64);
      expect(maxDiff(torch.ormqr(a, tau, c), qc.matmul(c))).toBeLessThan(1e-13);
      expect(maxDiff(torch.ormqr(a, tau, c, true, true), qc.mT.matmul(c))).toBeLessThan(1e-13);
      expect(maxDiff(torch.ormqr(a, tau, cr, false), cr.matmul(qc))).toBeLessThan(1e-13);
      expect(maxDiff(a.ormqr(tau, cr, { left: false, transpose: true }), cr.matmul(qc.mT))).toBeLessThan(1e-13);
      // The first reflector by hand for a column (3, 4): beta = -5, tau = (beta - alpha) / beta = 1.6.
      expect(vals(torch.geqrf(f64([[3], [4]])).tau)).toEqual([1.6]);
      expect(gc((p, t) => L.householderProduct(p, t), [a.index(0).clone().requiresGrad_(), tau.index(0).clone().requiresGrad_()])).toBe(true);
      const g = torch.geqrf(rnd(3, 2));
      expect(g.a.gradFn?.name).toBe("GeqrfBackward0");
      expect(() => g.a.sum().backward()).toThrow("the derivative for 'geqrf' is not implemented.");
      expect(() => L.householderProduct(torch.ones([2, 3], d64), torch.ones([2], d64))).toThrow(
        "torch.linalg.householder_product: input.shape[-2] must be greater than or equal to input.shape[-1]",
      );
    });
  });

  describe("eig / eigvals", () => {
    it("refuse (complex results) and point to eigh / eigvalsh", () => {
      expect(() => L.eig(torch.eye(2))).toThrow(/linalg.eig: its results are complex tensors.*linalg.eigh/);
      expect(() => L.eigvals(torch.eye(2))).toThrow(/linalg.eigvals: .*linalg.eigvalsh/);
    });
  });

  describe("empty and float32 inputs", () => {
    it("0 x 0 and batch-0 matrices give empty results; float32 inputs give float32 results", () => {
      expect(L.cholesky(torch.zeros([0, 0], d64)).shape).toEqual([0, 0]);
      expect(L.qr(torch.zeros([3, 0], d64)).Q.shape).toEqual([3, 0]);
      expect(L.eigh(torch.zeros([0, 2, 2], d64))[0].shape).toEqual([0, 2]);
      expect(L.svd(torch.zeros([2, 0], d64)).U.shape).toEqual([2, 2]);
      expect(L.matrixExp(torch.zeros([0, 0], d64)).shape).toEqual([0, 0]);
      const a = torch.tensor([[2, 1], [1, 2]]);
      for (const t of [L.cholesky(a), L.qr(a).R, L.eigh(a)[1], L.svd(a).S, L.slogdet(a)[1], L.pinv(a), L.matrixExp(a), L.lu(a).U]) expect(t.dtype).toBe("float32");
    });
  });
});
