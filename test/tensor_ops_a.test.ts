// The tensor ops of part 1 (issue 12) beyond the conformance cases: split / chunk / unbind,
// movedim, repeat / tile / repeatInterleave, flip / roll, tril / triu / diag / diagonal / trace,
// cumsum / cumprod / prod, norms, einsum, outer / addmm / addmv / baddbmm, clamp with tensor
// bounds, where with scalars, arange / linspace / logspace dtypes, std / var argument forms.
// Values, views, edge cases (empty, 0-d, dim -1, non-contiguous inputs), PyTorch's error wording,
// and gradcheck of each op's gradient. Every test runs once per backend that loads here.
// ref: PyTorch 1.13 (messages and edge values read off python3-torch 1.13).
import { describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import { Tensor } from "../lib/index.js";
import { gradcheck } from "../lib/autograd/gradcheck.js";
import { backends, f32, useBackend, vals } from "./helpers/backends.js";
import { seeded } from "./helpers/grad_cases.js";

const long = (v: number[] | number[][]) => torch.tensor(v, { dtype: "int64" });
/** 0, 1, 2, ... as float32 in the given shape. */
const iota = (...shape: number[]) => torch.arange(shape.reduce((a, b) => a * b, 1)).float().reshape(shape);

describe.each(backends())("tensor ops, part 1 [%s]", (name) => {
  useBackend(name);

  describe("split / chunk / unbind", () => {
    it("split by size and by sections, as views", () => {
      const x = iota(5, 2);
      const parts = torch.split(x, 2);
      expect(parts.map((p) => p.shape)).toEqual([[2, 2], [2, 2], [1, 2]]);
      expect(vals(parts[2])).toEqual([8, 9]);
      expect(parts[1].typedArray).toBe(x.typedArray); // a view
      const cols = x.split([1, 1], -1);
      expect(cols.map(vals)).toEqual([[0, 2, 4, 6, 8], [1, 3, 5, 7, 9]]);
      expect(torch.split(torch.zeros(0), 2).map((p) => p.shape)).toEqual([[0]]);
      expect(torch.split(iota(3), 5).map((p) => p.shape)).toEqual([[3]]);
    });

    it("split errors use PyTorch's wording", () => {
      const x = torch.zeros(3, 4);
      expect(() => torch.split(x, 0)).toThrow("split_size can only be 0 if dimension size is 0, but got dimension size of 3");
      expect(() => torch.split(x, -1)).toThrow("split expects split_size be non-negative, but got split_size=-1");
      expect(() => torch.split(x, [1, 1])).toThrow(
        "split_with_sizes expects split_sizes to sum exactly to 3 (input tensor's size at dimension 0), but got split_sizes=[1, 1]",
      );
      expect(() => torch.split(torch.tensor(1), 1)).toThrow(/at least a 1-dimensional tensor/);
      expect(() => torch.split(x, 1, 2)).toThrow(/Dimension out of range/);
    });

    it("chunk: ceil-sized pieces, so fewer may come back; empty dims give `chunks` pieces", () => {
      expect(torch.chunk(iota(6), 4).map((p) => p.shape)).toEqual([[2], [2], [2]]);
      expect(iota(2, 5).chunk(2, 1).map((p) => p.shape)).toEqual([[2, 3], [2, 2]]);
      expect(torch.chunk(torch.zeros(0), 3).map((p) => p.shape)).toEqual([[0], [0], [0]]);
      expect(() => torch.chunk(iota(3), 0)).toThrow("chunk expects `chunks` to be greater than 0, got: 0");
    });

    it("unbind removes the dim; 0-d refuses", () => {
      const rows = torch.unbind(iota(2, 3), 1);
      expect(rows.map(vals)).toEqual([[0, 3], [1, 4], [2, 5]]);
      expect(rows[0].shape).toEqual([2]);
      expect(() => torch.unbind(torch.tensor(1))).toThrow("Dimension specified as 0 but tensor has no dimensions");
    });

    it("gradients of the pieces land in their rows", () => {
      expect(gradcheck((x) => { const [a, b, c] = x.split([1, 2, 1], 1); return a.mul(2).add(b.sum(1, true)).add(c.exp()); }, [seeded(1, 3, 4)])).toBe(true);
      expect(gradcheck((x) => torch.stack(x.chunk(3, 0).map((p, i) => p.mul(i + 1))), [seeded(2, 6, 2)])).toBe(true);
      expect(gradcheck((x) => x.unbind(-1)[1].mul(x.unbind(-1)[0]), [seeded(3, 3, 2)])).toBe(true);
    });
  });

  describe("movedim / repeat / tile / repeatInterleave", () => {
    it("movedim moves the named dims and keeps the others in order", () => {
      const x = torch.zeros(2, 3, 4, 5);
      expect(torch.movedim(x, 0, -1).shape).toEqual([3, 4, 5, 2]);
      expect(x.movedim([0, 1], [2, 0]).shape).toEqual([3, 4, 2, 5]);
      expect(torch.moveaxis(x, 3, 0).shape).toEqual([5, 2, 3, 4]);
      expect(vals(iota(2, 3).movedim(1, 0))).toEqual([0, 3, 1, 4, 2, 5]);
      expect(() => torch.movedim(x, [0, 1], [1])).toThrow(
        "movedim: Invalid source or destination dims: source ([0, 1] dims) should contain the same number of dims as destination ([1] dims)",
      );
      expect(() => torch.movedim(x, [0, 0], [1, 0])).toThrow("movedim: repeated dim in `source` ([0, 0])");
    });

    it("repeat tiles along dims, prepending new ones; tile pads reps with 1s", () => {
      expect(vals(torch.tensor([1, 2]).repeat(2, 2))).toEqual([1, 2, 1, 2, 1, 2, 1, 2]);
      expect(torch.tensor([1, 2]).repeat(3, 1, 2).shape).toEqual([3, 1, 4]);
      expect(vals(long([[1, 2]]).repeat([2, 1]))).toEqual([1, 2, 1, 2]);
      expect(torch.tile(iota(2, 3), [2]).shape).toEqual([2, 6]);
      expect(iota(3).tile(2, 2).shape).toEqual([2, 6]);
      expect(torch.zeros(2, 0).repeat(2, 3).shape).toEqual([4, 0]);
      expect(() => iota(2, 3).repeat(2)).toThrow("Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor");
      expect(gradcheck((x) => x.repeat(2, 1, 3), [seeded(4, 2, 3)])).toBe(true);
    });

    it("repeatInterleave: int and per-element repeats, flattened without dim, and the index form", () => {
      expect(vals(torch.repeatInterleave(torch.tensor([1, 2, 3]), 2))).toEqual([1, 1, 2, 2, 3, 3]);
      expect(vals(torch.repeatInterleave(iota(2, 2), 2, 0))).toEqual([0, 1, 0, 1, 2, 3, 2, 3]);
      expect(vals(iota(2, 3).repeatInterleave(long([1, 0, 2]), 1))).toEqual([0, 2, 2, 3, 5, 5]);
      expect(vals(iota(2, 2).repeatInterleave(torch.tensor(2, { dtype: "int64" }), -1))).toEqual([0, 0, 1, 1, 2, 2, 3, 3]);
      const idx = torch.repeatInterleave(long([1, 0, 3]));
      expect(idx.dtype).toBe("int64");
      expect(vals(idx)).toEqual([0, 2, 2, 2]);
      expect(() => iota(2, 2).repeatInterleave(long([1, 2, 3]), 0)).toThrow(/repeats must have the same size as input along dim/);
      expect(() => iota(2).repeatInterleave(-1)).toThrow("repeats can not be negative");
      expect(() => iota(2).repeatInterleave(2, 0, { outputSize: 5 })).toThrow(/output_size/);
      expect(gradcheck((x) => x.repeatInterleave(long([2, 0, 1]), 1), [seeded(5, 2, 3)])).toBe(true);
      expect(gradcheck((x) => x.repeatInterleave(3), [seeded(6, 2, 2)])).toBe(true);
    });
  });

  describe("flip / roll", () => {
    it("flip copies reversed along dims, any dtype, non-contiguous inputs too", () => {
      const x = iota(2, 3);
      expect(vals(torch.flip(x, [0]))).toEqual([3, 4, 5, 0, 1, 2]);
      expect(vals(x.flip(0, 1))).toEqual([5, 4, 3, 2, 1, 0]);
      expect(vals(x.t().flip(-1))).toEqual([3, 0, 4, 1, 5, 2]);
      expect(vals(long([1, 2, 3]).flip(0))).toEqual([3, 2, 1]);
      expect(vals(torch.tensor([true, false]).flip(0))).toEqual([0, 1]);
      expect(torch.fliplr(x).shape).toEqual([2, 3]);
      expect(vals(torch.flipud(x))).toEqual([3, 4, 5, 0, 1, 2]);
      const s = torch.tensor(2);
      expect(s.flip([]).typedArray).not.toBe(s.typedArray); // always a new tensor
      expect(() => x.flip(0, 0)).toThrow("dim 0 appears multiple times in the list of dims");
      expect(() => torch.fliplr(iota(3))).toThrow("Input must be >= 2-d.");
      expect(gradcheck((t) => t.flip(0, 2).mul(iota(2, 3, 2)), [seeded(7, 2, 3, 2)])).toBe(true);
    });

    it("roll wraps around, flattened without dims; shifts past the size wrap", () => {
      const x = iota(2, 3);
      expect(vals(torch.roll(x, 1))).toEqual([5, 0, 1, 2, 3, 4]);
      expect(vals(x.roll(-1, 0))).toEqual([3, 4, 5, 0, 1, 2]);
      expect(vals(x.roll([1, 4], [0, 1]))).toEqual([5, 3, 4, 2, 0, 1]);
      expect(vals(x.roll(3, 1))).toEqual(vals(x));
      expect(torch.roll(torch.zeros(0, 2), 1, 0).shape).toEqual([0, 2]);
      expect(() => x.roll([1, 2], [0])).toThrow("shifts and dimensions must align. shifts: 2, dims:1");
      expect(() => x.roll([1, 2])).toThrow("shifts and dimensions must align. shifts: 2, dims:0");
      expect(gradcheck((t) => t.roll([1, -2], [0, 1]).mul(iota(3, 4)), [seeded(8, 3, 4)])).toBe(true);
    });
  });

  describe("tril / triu / diagonal / diag / trace", () => {
    it("tril / triu keep a triangle; masked NaN becomes 0; batched over leading dims; dtype kept", () => {
      const x = iota(3, 3);
      expect(vals(torch.tril(x))).toEqual([0, 0, 0, 3, 4, 0, 6, 7, 8]);
      expect(vals(x.triu(1))).toEqual([0, 1, 2, 0, 0, 5, 0, 0, 0]);
      expect(vals(x.tril(-1))).toEqual([0, 0, 0, 3, 0, 0, 6, 7, 0]);
      expect(vals(torch.tensor([[NaN, NaN], [1, 2]]).triu())).toEqual([NaN, NaN, 0, 2]);
      expect(torch.triu(iota(2, 3, 3)).shape).toEqual([2, 3, 3]);
      expect(torch.tril(long([[1, 2], [3, 4]])).dtype).toBe("int64");
      expect(torch.tril(torch.ones(2, 2, { dtype: "bool" })).dtype).toBe("bool");
      expect(() => torch.tril(iota(3))).toThrow(/Dimension out of range/);
      expect(gradcheck((t) => t.tril(1), [seeded(9, 2, 3, 4)])).toBe(true);
    });

    it("diagonal is a view (writes go through) with offsets and dims", () => {
      const x = iota(3, 4);
      expect(vals(x.diagonal())).toEqual([0, 5, 10]);
      expect(vals(x.diagonal(1))).toEqual([1, 6, 11]);
      expect(vals(x.diagonal(-1))).toEqual([4, 9]);
      expect(x.diagonal(5).shape).toEqual([0]);
      expect(torch.diagonal(torch.zeros(2, 3, 4), 0, 0, 2).shape).toEqual([3, 2]);
      expect(vals(iota(2, 2, 2).diagonal(0, 1, 2))).toEqual([0, 3, 4, 7]);
      const y = torch.zeros(3, 3);
      y.diagonal().fill_(1);
      expect(vals(y)).toEqual(vals(torch.eye(3)));
      expect(vals(x.t().diagonal())).toEqual([0, 5, 10]);
      expect(() => x.diagonal(0, 1, 1)).toThrow("diagonal dimensions cannot be identical 1, 1");
      expect(gradcheck((t) => t.diagonal(-1, 2, 0), [seeded(10, 3, 2, 4)])).toBe(true);
    });

    it("diag builds a matrix from a vector and takes a matrix's diagonal (a copy)", () => {
      expect(vals(torch.diag(torch.tensor([1, 2])))).toEqual([1, 0, 0, 2]);
      expect(vals(torch.diag(torch.tensor([1, 2]), 1))).toEqual([0, 1, 0, 0, 0, 2, 0, 0, 0]);
      expect(vals(torch.diag(torch.tensor([1, 2]), -1))).toEqual([0, 0, 0, 1, 0, 0, 0, 2, 0]);
      expect(torch.diag(long([3])).dtype).toBe("int64");
      const m = iota(3, 4);
      const d = m.diag(-1);
      expect(vals(d)).toEqual([4, 9]);
      expect(d.typedArray).not.toBe(m.typedArray);
      expect(() => torch.diag(torch.zeros(2, 2, 2))).toThrow("matrix or a vector expected");
      expect(gradcheck((t) => torch.diag(t, 2), [seeded(11, 3)])).toBe(true);
      expect(gradcheck((t) => t.diag(1), [seeded(12, 3, 3)])).toBe(true);
    });

    it("trace sums the main diagonal, of non-square matrices too", () => {
      expect(torch.trace(iota(3, 3)).item()).toBe(12);
      expect(iota(2, 4).trace().item()).toBe(5);
      expect(long([[1, 2], [3, 4]]).trace().dtype).toBe("int64");
      expect(() => torch.trace(iota(3))).toThrow("trace: expected a matrix, but got tensor with dim 1");
      expect(gradcheck((t) => t.trace(), [seeded(13, 3, 2)])).toBe(true);
    });
  });

  describe("cumsum / cumprod / prod", () => {
    it("cumsum along a dim, int64 for integers and bools, dtype option, 0-d and empty", () => {
      expect(vals(torch.cumsum(iota(2, 3), 1))).toEqual([0, 1, 3, 3, 7, 12]);
      expect(vals(iota(2, 3).cumsum(-2))).toEqual([0, 1, 2, 3, 5, 7]);
      expect(vals(iota(3, 2).t().cumsum(1))).toEqual([0, 2, 6, 1, 4, 9]); // non-contiguous input
      const b = torch.tensor([true, false, true]).cumsum(0);
      expect([b.dtype, vals(b)]).toEqual(["int64", [1, 1, 2]]);
      expect(long([1, 2]).cumsum(0, { dtype: "float32" }).dtype).toBe("float32");
      expect(torch.tensor(2).cumsum(0).shape).toEqual([]);
      expect(torch.zeros(0, 3).cumsum(0).shape).toEqual([0, 3]);
      // float32 running sums accumulate in double, rounded once per element
      expect(vals(torch.tensor([1e8, 1, 1, -1e8]).cumsum(0))).toEqual(f32([1e8, 1e8 + 1, 1e8 + 2, 2]));
      expect(() => iota(2).cumsum(1)).toThrow(/Dimension out of range/);
    });

    it("cumprod, and its gradient with zeros (no 0/0)", () => {
      expect(vals(torch.cumprod(torch.tensor([2, 0, 3, 4]), 0))).toEqual([2, 0, 0, 0]);
      const x = torch.tensor([2, 0, 3, 4], { requiresGrad: true });
      x.cumprod(0).backward(torch.tensor([1, 10, 100, 1000]));
      // d/dx1 = 2*10 + 2*3*100 + 2*3*4*1000; entries after the zero get 0
      expect(vals(x.grad!)).toEqual([1, 2 * 10 + 6 * 100 + 24 * 1000, 0, 0]);
      expect(gradcheck((t) => t.cumprod(1), [seeded(14, 2, 4)])).toBe(true);
      expect(gradcheck((t) => t.cumprod(0), [torch.tensor([[0.5, 0], [0, 1.5], [2, 0.7]], { requiresGrad: true })])).toBe(true);
    });

    it("prod over everything or a dim, keepdim, int64/bool, gradients with zeros", () => {
      expect(torch.prod(torch.tensor([1, 2, 3, 4])).item()).toBe(24);
      const p = iota(2, 3).add(1).prod(1, true);
      expect([p.shape, vals(p)]).toEqual([[2, 1], [6, 120]]);
      expect(torch.prod(long([2, 3])).dtype).toBe("int64");
      expect(torch.prod(torch.tensor([true, true])).dtype).toBe("int64");
      expect(torch.prod(torch.zeros(0)).item()).toBe(1);
      expect(torch.tensor([2, 3]).prod({ dtype: "int64" }).dtype).toBe("int64");
      // PyTorch's prod multiplies in float32, its cumprod in double
      expect(torch.tensor([3e20, 1e20, 1e-20]).prod().item()).toBe(Infinity);
      expect(vals(torch.tensor([3e20, 1e20, 1e-20]).cumprod(0))).toEqual(f32([3e20, Infinity, 3e20]));
      const one = torch.tensor([2, 0, 3, 4], { requiresGrad: true });
      one.prod().backward();
      expect(vals(one.grad!)).toEqual([0, 24, 0, 0]);
      const two = torch.tensor([0, 2, 0], { requiresGrad: true });
      two.prod().backward();
      expect(vals(two.grad!)).toEqual([0, 0, 0]);
      expect(gradcheck((t) => t.prod(0), [seeded(15, 3, 2)])).toBe(true);
    });
  });

  describe("norms", () => {
    const v = () => torch.tensor([3, -4, 0, 1]);
    it("torch.norm and linalg.vector_norm for p = 2, 1, inf, -inf, 0, 3, over dims", () => {
      expect(torch.norm(v()).item()).toBeCloseTo(Math.sqrt(26), 5);
      expect(torch.norm(v(), 1).item()).toBe(8);
      expect(v().norm(Infinity).item()).toBe(4);
      expect(torch.linalg.vectorNorm(v(), -Infinity).item()).toBe(0);
      expect(torch.linalg.vectorNorm(v(), 0).item()).toBe(3);
      expect(torch.norm(v(), 3).item()).toBeCloseTo(Math.cbrt(27 + 64 + 1), 5);
      const m = torch.tensor([[3, 4], [6, 8]]);
      expect(vals(torch.norm(m, "fro", 1))).toEqual([5, 10]);
      expect(torch.norm(m, 2, 0, true).shape).toEqual([1, 2]);
      expect(torch.linalg.vectorNorm(m, 2, null, true).shape).toEqual([1, 1]);
      expect(torch.linalg.norm(m).item()).toBeCloseTo(Math.sqrt(125), 5);
      expect(() => torch.norm(long([1, 2]))).toThrow("norm(): input dtype should be either floating point or complex. Got Long instead.");
      expect(() => torch.linalg.vectorNorm(torch.zeros(0), Infinity)).toThrow(/cannot compute the inf norm on an empty tensor/);
    });

    it("matrix norms: fro, 1, -1, inf, -inf", () => {
      const m = torch.tensor([[1, -2], [3, 4]]);
      expect(torch.linalg.matrixNorm(m, 1).item()).toBe(6); // max column sum
      expect(torch.linalg.matrixNorm(m, -1).item()).toBe(4);
      expect(torch.linalg.matrixNorm(m, Infinity).item()).toBe(7); // max row sum
      expect(torch.linalg.norm(m, -Infinity).item()).toBe(3);
      expect(torch.linalg.matrixNorm(torch.stack([m, m]), "fro").shape).toEqual([2]);
      expect(() => torch.linalg.matrixNorm(m, 3)).toThrow("linalg.matrix_norm: Order 3 not supported.");
      expect(() => torch.linalg.matrixNorm(torch.zeros(3), 1)).toThrow("linalg.matrix_norm: The input tensor A must have at least 2 dimensions.");
      expect(() => torch.linalg.norm(torch.zeros(2, 2, 2), 1)).toThrow(/the input must be 1D or 2D. Got 3D/);
    });

    it("svdvals, and the nuclear and spectral norms from them", () => {
      const d = torch.tensor([[3, 0], [0, -4], [0, 0]]);
      expect(vals(torch.linalg.svdvals(d))).toEqual([4, 3]);
      expect(vals(torch.linalg.svdvals(d.t()))).toEqual([4, 3]);
      const r = torch.tensor([[1, 2], [3, 4]]); // singular values sqrt(15 ± sqrt(221))
      const [s1, s2] = [Math.sqrt(15 + Math.sqrt(221)), Math.sqrt(15 - Math.sqrt(221))];
      expect(torch.linalg.matrixNorm(r, "nuc").item()).toBeCloseTo(s1 + s2, 5);
      expect(torch.linalg.matrixNorm(r, 2).item()).toBeCloseTo(s1, 5);
      expect(torch.linalg.norm(r, -2).item()).toBeCloseTo(s2, 5);
      expect(torch.norm(r, "nuc").item()).toBeCloseTo(s1 + s2, 5);
      expect(torch.linalg.matrixNorm(torch.zeros(2, 3, 4), "nuc", [0, 2], true).shape).toEqual([1, 3, 1]);
      expect(torch.linalg.svdvals(torch.zeros(5, 2, 0)).shape).toEqual([5, 0]);
      expect(gradcheck((x) => torch.linalg.matrixNorm(x, "nuc"), [seeded(50, 3, 2)])).toBe(true);
      expect(gradcheck((x) => torch.linalg.matrixNorm(x, 2, [0, 2]), [seeded(51, 2, 3, 3)])).toBe(true);
    });

    it("gradients: 0 at the zero vector, split among inf ties, gradcheck elsewhere", () => {
      const z = torch.zeros(3, { requiresGrad: true });
      torch.norm(z).backward();
      expect(vals(z.grad!)).toEqual([0, 0, 0]);
      const t = torch.tensor([1, -3, 3], { requiresGrad: true });
      t.norm(Infinity).backward();
      expect(vals(t.grad!)).toEqual([0, -0.5, 0.5]);
      const c = torch.tensor([0, 2, -1], { requiresGrad: true });
      torch.linalg.vectorNorm(c, 0).backward();
      expect(vals(c.grad!)).toEqual([0, 0, 0]);
      expect(gradcheck((x) => x.norm(), [seeded(16, 3, 4)])).toBe(true);
      expect(gradcheck((x) => torch.norm(x, 3, 1), [seeded(17, 3, 4)])).toBe(true);
      expect(gradcheck((x) => torch.linalg.matrixNorm(x, 1), [seeded(18, 3, 3)])).toBe(true);
    });
  });

  describe("einsum", () => {
    const close = (a: Tensor, b: Tensor) => {
      expect(a.shape).toEqual(b.shape);
      vals(a).forEach((v, i) => expect(v).toBeCloseTo(vals(b)[i], 4));
    };
    it("contractions agree with matmul, sum and mul", () => {
      const a = seeded(19, 2, 3).detach();
      const b = seeded(20, 3, 4).detach();
      close(torch.einsum("ij,jk->ik", a, b), a.matmul(b));
      close(torch.einsum("ij,jk", [a, b]), a.matmul(b));
      close(torch.einsum("ij,jk->ki", a, b), a.matmul(b).t());
      close(torch.einsum("ij->", a), a.sum());
      close(torch.einsum("ij->j", a), a.sum(0));
      close(torch.einsum("i,j->ij", a.index(0), b.index(0)), torch.outer(a.index(0), b.index(0)));
      const q = seeded(21, 2, 3, 4, 5).detach();
      const k = seeded(22, 2, 3, 6, 5).detach();
      close(torch.einsum("bhqd,bhkd->bhqk", q, k), q.matmul(k.transpose(-1, -2)));
      close(torch.einsum("ij,ij->i", a, a), a.mul(a).sum(1));
      close(torch.einsum("abc,cd,de->abe", q.index(0), seeded(23, 5, 2).detach(), seeded(24, 2, 3).detach()),
        q.index(0).matmul(seeded(23, 5, 2).detach()).matmul(seeded(24, 2, 3).detach()));
    });

    it("repeated subscripts take diagonals; ellipsis broadcasts; implicit output sorts letters", () => {
      const m = iota(3, 3);
      expect(vals(torch.einsum("ii->i", m))).toEqual([0, 4, 8]);
      expect(torch.einsum("ii", m).item()).toBe(12);
      expect(vals(torch.einsum("iij->j", iota(2, 2, 3)))).toEqual([9, 11, 13]);
      expect(torch.einsum("...ij->...ji", torch.zeros(2, 3, 4, 5)).shape).toEqual([2, 3, 5, 4]);
      expect(torch.einsum("...ij,...jk", torch.zeros(2, 1, 3, 4), torch.zeros(5, 4, 2)).shape).toEqual([2, 5, 3, 2]);
      expect(torch.einsum("ba", torch.zeros(2, 3)).shape).toEqual([3, 2]);
      expect(torch.einsum("bA,Ab", torch.zeros(2, 3), torch.zeros(3, 2)).shape).toEqual([]);
      expect(vals(torch.einsum("i,i", long([1, 2]), long([3, 4])))).toEqual([11]);
      expect(torch.einsum("i,i", long([1, 2]), long([3, 4])).dtype).toBe("int64");
      expect(torch.einsum("ij,jk->ik", torch.zeros(2, 0), torch.zeros(0, 3)).shape).toEqual([2, 3]);
      close(torch.einsum("ij,j->ij", iota(2, 3), torch.ones(1)), iota(2, 3)); // size-1 broadcasts
    });

    it("errors use PyTorch's wording", () => {
      const x = torch.zeros(3, 4);
      expect(() => torch.einsum("ij,jk", x)).toThrow("einsum(): fewer operands were provided than specified in the equation");
      expect(() => torch.einsum("ij", x, x)).toThrow("einsum(): more operands were provided than specified in the equation");
      expect(() => torch.einsum("ij->k", x)).toThrow("einsum(): output subscript k does not appear in the equation for any input operand");
      expect(() => torch.einsum("ij->ii", x)).toThrow("einsum(): output subscript i appears more than once in the output");
      expect(() => torch.einsum("i1", x)).toThrow("einsum(): invalid subscript given at index 1 in the equation string, subscripts must be in [a-zA-Z]");
      expect(() => torch.einsum("ijk", x)).toThrow(
        "einsum(): the number of subscripts in the equation (3) does not match the number of dimensions (2) for operand 0 and no ellipsis was given",
      );
      expect(() => torch.einsum("ii", x)).toThrow("einsum(): subscript i is repeated for operand 0 but the sizes don't match, 4 != 3");
      expect(() => torch.einsum("ij,ij->", x, torch.zeros(3, 5))).toThrow(
        "einsum(): subscript j has size 5 for operand 1 which does not broadcast with previously seen size 4",
      );
    });

    it("gradients through contractions, diagonals and ellipsis", () => {
      expect(gradcheck((a, b) => torch.einsum("bij,bjk->bik", a, b), [seeded(25, 2, 2, 3), seeded(26, 2, 3, 2)])).toBe(true);
      expect(gradcheck((a) => torch.einsum("iij->ji", a), [seeded(27, 3, 3, 2)])).toBe(true);
      expect(gradcheck((a, b) => torch.einsum("...i,i->...", a, b), [seeded(28, 2, 3, 4), seeded(29, 4)])).toBe(true);
    });
  });

  describe("outer / addmm / addmv / baddbmm", () => {
    it("values with beta and alpha; beta = 0 ignores NaN in input", () => {
      expect(vals(torch.outer(torch.tensor([1, 2]), torch.tensor([3, 4, 5])))).toEqual([3, 4, 5, 6, 8, 10]);
      const a = torch.tensor([[1, 2], [3, 4]]);
      const eye = torch.eye(2);
      expect(vals(torch.addmm(torch.ones(2), a, eye, { beta: 2, alpha: 0.5 }))).toEqual([2.5, 3, 3.5, 4]);
      expect(vals(torch.addmm(torch.full([2, 2], NaN), a, eye, { beta: 0 }))).toEqual([1, 2, 3, 4]);
      expect(vals(torch.ones(2).addmv(a, torch.tensor([1, 1]), { alpha: 2 }))).toEqual([7, 15]);
      const b = torch.baddbmm(torch.zeros(1, 2), torch.stack([a, a]), torch.stack([eye, eye.mul(2)]));
      expect([b.shape, vals(b)]).toEqual([[2, 2, 2], [1, 2, 3, 4, 2, 4, 6, 8]]);
      expect(() => torch.outer(a, a)).toThrow("outer: Expected 1-D argument self, but got 2-D");
      expect(() => torch.addmm(a, torch.zeros(3), a)).toThrow("mat1 must be a matrix, got 1-D tensor");
      expect(() => torch.addmv(torch.zeros(2), a, torch.zeros(2, 1))).toThrow("vector + matrix @ vector expected, got 1, 2, 2");
      expect(() => torch.addmv(torch.zeros(3), torch.zeros(3, 4), torch.zeros(5))).toThrow("size mismatch, got 3, 3x4,5");
    });

    it("gradients, including a zero gradient for input when beta = 0", () => {
      expect(gradcheck((i, m1, m2) => torch.addmm(i, m1, m2, { beta: 0.5, alpha: 2 }), [seeded(30, 3), seeded(31, 2, 4), seeded(32, 4, 3)])).toBe(true);
      expect(gradcheck((i, m, v) => torch.addmv(i, m, v, { beta: 3 }), [seeded(33, 2), seeded(34, 2, 3), seeded(35, 3)])).toBe(true);
      expect(gradcheck((i, b1, b2) => torch.baddbmm(i, b1, b2, { alpha: -1 }), [seeded(36, 2, 1), seeded(37, 3, 2, 2), seeded(38, 3, 2, 1)])).toBe(true);
      expect(gradcheck((a, b) => torch.outer(a, b), [seeded(39, 3), seeded(40, 2)])).toBe(true);
      const input = torch.full([2, 2], NaN, { requiresGrad: true });
      torch.addmm(input, torch.eye(2), torch.eye(2), { beta: 0 }).sum().backward();
      expect(vals(input.grad!)).toEqual([0, 0, 0, 0]);
    });
  });

  describe("clamp with tensor bounds", () => {
    it("broadcasts bounds; min > max gives max; grads go to x at x == min, to the bound that wins otherwise", () => {
      const x = torch.tensor([0, 1, 2, 3], { requiresGrad: true });
      const lo = torch.tensor([1, 1, 0, 4], { requiresGrad: true });
      const hi = torch.tensor([2, 2, 1, 3.5], { requiresGrad: true });
      const y = torch.clamp(x, lo, hi);
      expect(vals(y)).toEqual([1, 1, 1, 3.5]);
      y.backward(torch.tensor([1, 10, 100, 1000]));
      expect(vals(x.grad!)).toEqual([0, 10, 0, 0]);
      expect(vals(lo.grad!)).toEqual([1, 0, 0, 0]);
      expect(vals(hi.grad!)).toEqual([0, 0, 100, 1000]);
      const m = iota(2, 3).clamp(torch.tensor([1, 1, 1]));
      expect(vals(m)).toEqual([1, 1, 2, 3, 4, 5]);
      expect(vals(iota(2, 2).clip(null, torch.tensor([[0], [2.5]])))).toEqual([0, 0, 2, 2.5]);
      expect(vals(torch.tensor([NaN, 1]).clamp(torch.zeros(2), torch.ones(2)))).toEqual([NaN, 1]);
      expect(long([1, 5]).clamp(long([2, 2])).dtype).toBe("int64");
      expect(() => iota(2, 3).clamp(torch.zeros(4))).toThrow(/must match the size of tensor b/);
      expect(gradcheck((t, l) => t.clamp(l), [seeded(41, 3, 4), seeded(42, 4)])).toBe(true);
      const t = iota(3).detach().clone();
      t.clamp_(torch.ones(3), torch.full([3], 1.5));
      expect(vals(t)).toEqual([1, 1, 1.5]);
    });
  });

  describe("where with scalars, and creation dtypes", () => {
    it("where: Python-int scalars give int64, a float gives float32, bools give bool", () => {
      const mask = torch.tensor([true, false]);
      expect(torch.where(mask, 1, 0).dtype).toBe("int64");
      expect(vals(torch.where(mask, 1, 0))).toEqual([1, 0]);
      expect(torch.where(mask, 1.5, 0).dtype).toBe("float32");
      expect(torch.where(mask, true, false).dtype).toBe("bool");
      expect(torch.where(mask, true, 0).dtype).toBe("int64");
      expect(torch.where(mask, torch.tensor(1), 0).dtype).toBe("float32");
    });

    it("arange / linspace / logspace take a dtype option; logspace has a base", () => {
      expect(torch.arange(0, 4, { dtype: "float32" }).dtype).toBe("float32");
      expect(torch.arange(3, { dtype: "float32" }).dtype).toBe("float32");
      expect(vals(torch.arange(0, 1, 0.25, { dtype: "float32" }))).toEqual([0, 0.25, 0.5, 0.75]);
      expect(vals(torch.linspace(0, 10, 4, { dtype: "int64" }))).toEqual([0, 3, 6, 10]);
      expect(vals(torch.logspace(0, 2, 3))).toEqual([1, 10, 100]);
      expect(vals(torch.logspace(-1, 1, 3, 2))).toEqual([0.5, 1, 2]);
      expect(vals(torch.logspace(0, 2, 1))).toEqual([1]);
      expect(torch.logspace(0, 2, 3, { dtype: "int64" }).dtype).toBe("int64");
      expect(torch.fullLike(long([1]), 2.5).dtype).toBe("int64");
      expect(torch.fullLike(long([1]), 2.5, { dtype: "float32" }).dtype).toBe("float32");
    });
  });

  describe("linalg.inv / solve / det", () => {
    const A = () => torch.tensor([[0, 2], [1, 1]]); // needs a row swap: det = -2
    it("values: pivoting, vectors and matrices on the right, batches broadcast", () => {
      const plus0 = (t: Tensor) => vals(t).map((v) => v + 0); // -0 and 0 alike
      expect(plus0(torch.linalg.inv(A()))).toEqual([-0.5, 1, 0.5, 0]);
      expect(plus0(A().inverse().matmul(A()))).toEqual([1, 0, 0, 1]);
      expect(torch.linalg.det(A()).item()).toBe(-2);
      expect(vals(torch.det(torch.stack([A(), torch.eye(2).mul(3)])))).toEqual([-2, 9]);
      expect(torch.linalg.det(torch.tensor([[1, 2], [2, 4]])).item()).toBe(-0); // PyTorch (LAPACK) also gives -0 here
      expect(vals(torch.linalg.solve(A(), torch.tensor([4, 3])))).toEqual([1, 2]);
      const x = torch.linalg.solve(A(), torch.tensor([[4, 0], [3, 1]]));
      expect([x.shape, plus0(x)]).toEqual([[2, 2], [1, 1, 2, 0]]);
      expect(torch.linalg.solve(torch.stack([A(), A()]), torch.ones(3, 1, 2, 1)).shape).toEqual([3, 2, 2, 1]);
      expect(torch.linalg.solve(torch.stack([A(), A()]), torch.ones(2, 2)).shape).toEqual([2, 2]); // a batch of vectors
      expect(torch.linalg.det(torch.zeros(0, 0)).item()).toBe(1);
    });

    it("errors use PyTorch's wording", () => {
      expect(() => torch.linalg.inv(torch.zeros(2, 2))).toThrow(
        "linalg.inv: The diagonal element 1 is zero, the inversion could not be completed because the input matrix is singular.",
      );
      expect(() => torch.linalg.inv(torch.zeros(2, 3))).toThrow("linalg.inv: A must be batches of square matrices, but they are 2 by 3 matrices");
      expect(() => torch.linalg.inv(long([[1]]))).toThrow("linalg.inv: Expected a floating point or complex tensor as input. Got Long");
      expect(() => torch.linalg.solve(torch.zeros(2, 2), torch.ones(2))).toThrow("torch.linalg.solve: The solver failed because the input matrix is singular.");
      expect(() => torch.linalg.solve(torch.eye(2), torch.ones(3))).toThrow("linalg.solve: Incompatible shapes of A and B for the equation AX = B (2x2 and 3x1)");
      expect(() => torch.linalg.det(torch.zeros(2, 3))).toThrow("linalg.det: A must be batches of square matrices, but they are 2 by 3 matrices");
    });

    it("gradients, det's at a singular matrix too (the adjugate)", () => {
      const s = torch.tensor([[1, 2], [2, 4]], { requiresGrad: true });
      torch.linalg.det(s).backward();
      expect(vals(s.grad!)).toEqual([4, -2, -2, 1]);
      const m = () => torch.tensor([[2, 0.5, -0.3], [0.4, 1.5, 0.2], [-0.6, 0.1, 1.8]], { requiresGrad: true });
      expect(gradcheck((a) => torch.linalg.inv(a).sum(0), [m()])).toBe(true);
      expect(gradcheck((a, b) => torch.linalg.solve(a, b), [m(), seeded(45, 3)])).toBe(true);
      expect(gradcheck((a, b) => torch.linalg.solve(a, b), [m(), seeded(46, 2, 3, 1)])).toBe(true);
      expect(gradcheck((a) => torch.linalg.det(a), [m()])).toBe(true);
    });
  });

  describe("std / var", () => {
    const x = () => torch.tensor([[1, 2, 3, 4], [2, 4, 6, 8]]);
    it("PyTorch's argument forms: (), (unbiased), (dim, unbiased, keepdim), (dim, { correction, keepdim })", () => {
      expect(x().var().item()).toBeCloseTo(37.5 / 7, 5);
      expect(torch.var(x(), false).item()).toBeCloseTo(37.5 / 8, 5);
      expect(vals(x().var(1))).toEqual(f32([5 / 3, 20 / 3]));
      expect(x().var(1, true, true).shape).toEqual([2, 1]);
      expect(vals(torch.var(x(), 1, false))).toEqual(f32([1.25, 5]));
      expect(vals(x().var(1, { correction: 0 }))).toEqual(f32([1.25, 5]));
      expect(torch.std(x(), [0, 1], { keepdim: true }).shape).toEqual([1, 1]);
      expect(vals(torch.std(x(), 1, false))).toEqual(f32([Math.sqrt(1.25), Math.sqrt(5)]));
      expect(torch.std(torch.tensor([1])).item()).toBeNaN();
      expect(() => torch.var(long([1, 2]))).toThrow(/std and var only support floating point and complex dtypes/);
      expect(() => x().std(1, true, false, { correction: 0 })).toThrow(/both unbiased and correction/);
    });

    it("std's gradient is 0 where std is 0; gradcheck elsewhere", () => {
      const c = torch.ones(3, { requiresGrad: true });
      c.std().backward();
      expect(vals(c.grad!)).toEqual([0, 0, 0]);
      expect(gradcheck((t) => t.std(1), [seeded(43, 3, 4)])).toBe(true);
      expect(gradcheck((t) => torch.var(t, 0, false, true), [seeded(44, 3, 4)])).toBe(true);
    });
  });
});

describe("tensor ops, part 1: the TypeScript kernels give the same bits on every backend", () => {
  it("cumsum / cumprod / prod / inv / det / solve / svdvals", () => {
    const prev = torch.backendInfo().name;
    const run = () => {
      const x = seeded(60, 5, 7).detach();
      const a = seeded(61, 4, 4).detach();
      const out = [x.cumsum(1), x.cumprod(0), x.prod(1), torch.linalg.inv(a), torch.linalg.det(a), torch.linalg.solve(a, x.index(":4", ":3")), torch.linalg.svdvals(x)];
      return out.map((t) => Array.from(t.contiguous().storage() as Float32Array));
    };
    const results = backends().map((b) => {
      torch.setBackend(b);
      return run();
    });
    torch.setBackend(prev);
    for (const r of results.slice(1)) expect(r).toEqual(results[0]);
  });
});
