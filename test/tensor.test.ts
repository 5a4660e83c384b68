// The tensor core's public API beyond the conformance cases: creation and seeding, views sharing
// storage, indexing and assignment, printing, PyTorch's error messages, and autograd engine limits
// (long chains, freed graphs, retainGraph). Every test runs once per backend that loads here.
// ref: PyTorch 1.13 (values and messages below were read off python3-torch 1.13.1).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import { Tensor } from "../lib/index.js";
import { backends, vals, f32, useBackend } from "./helpers/backends.js";



describe.each(backends())("tensor core [%s]", (name) => {
  useBackend(name);

  describe("creation", () => {
    it("tensor() infers shape and dtype from nested arrays", () => {
      const t = torch.tensor([[1, 2, 3], [4, 5, 6]]);
      expect(t.shape).toEqual([2, 3]);
      expect(t.dtype).toBe("float32");
      expect(torch.tensor([true, false]).dtype).toBe("bool");
      expect(torch.tensor([1, 2], { dtype: "int64" }).dtype).toBe("int64");
      expect(torch.tensor(3.5).shape).toEqual([]);
      expect(() => torch.tensor([[1, 2], [3]])).toThrow(/expected sequence of length 2/);
    });

    it("zeros / ones / full / empty and the *Like forms", () => {
      expect(vals(torch.zeros(2, 2))).toEqual([0, 0, 0, 0]);
      expect(torch.ones([2, 3]).shape).toEqual([2, 3]);
      expect(vals(torch.full([3], 7))).toEqual([7, 7, 7]);
      expect(torch.empty(4, { dtype: "int64" }).dtype).toBe("int64");
      const i = torch.tensor([1, 2], { dtype: "int64" });
      expect(torch.zerosLike(i).dtype).toBe("int64");
      expect(vals(torch.onesLike(i))).toEqual([1, 1]);
      expect(vals(torch.fullLike(torch.zeros(2), 2.5))).toEqual([2.5, 2.5]);
    });

    it("arange: int64 for integer arguments, float32 otherwise", () => {
      const a = torch.arange(5);
      expect(a.dtype).toBe("int64");
      expect(vals(a)).toEqual([0, 1, 2, 3, 4]);
      const b = torch.arange(1, 3, 0.5);
      expect(b.dtype).toBe("float32");
      expect(vals(b)).toEqual([1, 1.5, 2, 2.5]);
      expect(torch.arange(0, 1, 0.1).numel()).toBe(10);
      expect(vals(torch.arange(5, 0, -2))).toEqual([5, 3, 1]);
      expect(() => torch.arange(0, 1, 0)).toThrow(/step must be nonzero/);
    });

    it("linspace computes in float32 like PyTorch, from both ends", () => {
      expect(vals(torch.linspace(0, 1, 5))).toEqual([0, 0.25, 0.5, 0.75, 1]);
      // PyTorch 1.13: torch.linspace(-1, 1, 7)[3] is -2.9802e-08, not 0
      expect(vals(torch.linspace(-1, 1, 7))[3]).toBe(-2.9802322387695312e-8);
      expect(vals(torch.linspace(2, 3, 1))).toEqual([2]);
      expect(vals(torch.linspace(0, 10, 4, { dtype: "int64" }))).toEqual([0, 3, 6, 10]);
    });

    it("eye", () => {
      expect(torch.eye(3).tolist()).toEqual([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
      expect(torch.eye(2, 3).tolist()).toEqual([[1, 0, 0], [0, 1, 0]]);
    });

    it("manualSeed gives PyTorch's CPU streams for rand, randint, randperm, randn", () => {
      torch.manualSeed(0);
      expect(vals(torch.rand(3))).toEqual([0.49625658988952637, 0.7682217955589294, 0.08847743272781372]);
      expect(vals(torch.randint(0, 10, [5]))).toEqual([0, 3, 9, 7, 3]);
      expect(vals(torch.randperm(6))).toEqual([1, 4, 3, 5, 0, 2]);
      const n = vals(torch.randn(3));
      [-0.33539512753486633, 0.45635277032852173, -0.6254658102989197].forEach((want, i) => expect(n[i]).toBeCloseTo(want, 6));
      torch.manualSeed(42);
      const m = vals(torch.randn(20));
      expect(m[0]).toBeCloseTo(1.9269152879714966, 6);
      expect(m[19]).toBeCloseTo(-0.6215953826904297, 6);
    });

    it("manualSeed repeats runs exactly; a Generator is its own stream", () => {
      torch.manualSeed(123);
      const a = [vals(torch.rand(50)), vals(torch.randn(33)), vals(torch.randint(-5, 5, [40])), vals(torch.randperm(17))];
      torch.manualSeed(123);
      const b = [vals(torch.rand(50)), vals(torch.randn(33)), vals(torch.randint(-5, 5, [40])), vals(torch.randperm(17))];
      expect(b).toEqual(a);
      const g = new torch.Generator(7);
      const first = vals(torch.rand(5, { generator: g }));
      torch.rand(100); // the default stream moving on doesn't touch g
      expect(vals(torch.rand(5, { generator: new torch.Generator(7) }))).toEqual(first);
    });

    it("randint stays in [low, high) as int64; randperm is a permutation", () => {
      const r = torch.randint(3, 9, [1000]);
      expect(r.dtype).toBe("int64");
      expect(vals(r).every((v) => Number.isInteger(v) && v >= 3 && v < 9)).toBe(true);
      expect(vals(torch.randint(4, [10])).every((v) => v >= 0 && v < 4)).toBe(true);
      const p = vals(torch.randperm(100)).sort((x, y) => x - y);
      expect(p).toEqual([...Array(100).keys()]);
    });
  });

  describe("views and copies", () => {
    it("view, transpose, narrow, slicing and expand share storage", () => {
      const a = torch.arange(6, undefined, 1, { dtype: "float32" });
      const v = a.view(2, 3);
      v.set([1, 2], 100);
      expect(vals(a)[5]).toBe(100);
      const t = v.t();
      expect(t.isContiguous()).toBe(false);
      t.set([0, 1], -1);
      expect(vals(a)[3]).toBe(-1);
      a.narrow(0, 1, 2).fill_(9);
      expect(vals(a).slice(0, 4)).toEqual([0, 9, 9, -1]);
      a.index("4:").zero_();
      expect(vals(a)).toEqual([0, 9, 9, -1, 0, 0]);
      const e = torch.tensor([1, 2, 3]).unsqueeze(0).expand(4, 3);
      expect(e.strides).toEqual([0, 1]);
      expect(e.sum().item()).toBe(24);
    });

    it("reshape is a view when it can be, a copy when it can't; contiguous() copies", () => {
      const a = torch.zeros(2, 3);
      const r = a.reshape(3, 2);
      r.set([0, 0], 1);
      expect(a.index(0, 0).item()).toBe(1);
      const t = a.t();
      const flat = t.reshape(-1);
      flat.set([0], 5);
      expect(a.index(0, 0).item()).toBe(1); // the copy, not a
      expect(vals(flat)).toEqual([5, 0, 0, 0, 0, 0]);
      const c = t.contiguous();
      expect(c.isContiguous()).toBe(true);
      c.set([0, 0], 7);
      expect(a.index(0, 0).item()).toBe(1);
      expect(() => t.view(6)).toThrow(
        "view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.",
      );
    });

    it("flatten, squeeze/unsqueeze, permute, .T and .mT", () => {
      const x = torch.zeros(2, 1, 3, 4);
      expect(x.flatten().shape).toEqual([24]);
      expect(x.flatten(1).shape).toEqual([2, 12]);
      expect(x.squeeze().shape).toEqual([2, 3, 4]);
      expect(x.squeeze(0).shape).toEqual([2, 1, 3, 4]);
      expect(x.unsqueeze(-1).shape).toEqual([2, 1, 3, 4, 1]);
      expect(x.permute(3, 0, 2, 1).shape).toEqual([4, 2, 3, 1]);
      expect(x.T.shape).toEqual([4, 3, 1, 2]);
      expect(x.mT.shape).toEqual([2, 1, 4, 3]);
      expect(() => x.reshape(5, -1)).toThrow("shape '[5, -1]' is invalid for input of size 24");
    });
  });

  describe("indexing and assignment", () => {
    const m = () => torch.arange(12).reshape(3, 4);

    it("ints, slices, ..., null and index tensors", () => {
      expect(m().index(1).tolist()).toEqual([4, 5, 6, 7]);
      expect(m().index(-1, 0).item()).toBe(8);
      expect(m().index(":", 1).tolist()).toEqual([1, 5, 9]);
      expect(m().index("1:3", "::2").tolist()).toEqual([[4, 6], [8, 10]]);
      expect(m().index(torch.slice(null, null, 2)).shape).toEqual([2, 4]);
      expect(m().index("...", 3).tolist()).toEqual([3, 7, 11]);
      expect(m().index(null).shape).toEqual([1, 3, 4]);
      expect(m().index(torch.tensor([2, 0, 2], { dtype: "int64" })).tolist()).toEqual([[8, 9, 10, 11], [0, 1, 2, 3], [8, 9, 10, 11]]);
      const x = m();
      expect(x.index(x.gt(8)).tolist()).toEqual([9, 10, 11]);
      const rows = torch.tensor([0, 2], { dtype: "int64" });
      const cols = torch.tensor([1, 3], { dtype: "int64" });
      expect(m().index(rows, cols).tolist()).toEqual([1, 11]);
    });

    it("set: target[2] = 1, slices, masks and index tensors", () => {
      const a = torch.zeros(5);
      a.set(2, 1);
      expect(vals(a)).toEqual([0, 0, 1, 0, 0]);
      const b = torch.zeros(2, 3);
      b.set([":", 1], torch.tensor([5, 6]));
      expect(b.tolist()).toEqual([[0, 5, 0], [0, 6, 0]]);
      const c = torch.zeros(4);
      c.set([c.eq(0)], 3);
      expect(vals(c)).toEqual([3, 3, 3, 3]);
      const d = torch.zeros(4);
      d.set([torch.tensor([0, 2], { dtype: "int64" })], torch.tensor([7, 8]));
      expect(vals(d)).toEqual([7, 0, 8, 0]);
    });

    it("out-of-range indices give PyTorch's IndexError message", () => {
      expect(() => torch.zeros(64).index(70)).toThrow("index 70 is out of bounds for dimension 0 with size 64");
      expect(() => torch.zeros(64).index(torch.tensor([1, 70], { dtype: "int64" }))).toThrow("index 70 is out of bounds for dimension 0 with size 64");
      expect(() => torch.zeros(2, 3).index(0, 0, 0)).toThrow("too many indices for tensor of dimension 2");
    });
  });

  describe("printing", () => {
    const p = (t: Tensor) => String(t);
    it("floats, ints, bools, scalars", () => {
      expect(p(torch.tensor([0.5565, 0.1124, 0.1494]))).toBe("tensor([0.5565, 0.1124, 0.1494])");
      expect(p(torch.tensor(1.6776))).toBe("tensor(1.6776)");
      expect(p(torch.tensor([1, 2, 3]))).toBe("tensor([1., 2., 3.])");
      expect(p(torch.tensor([1, 2, 3], { dtype: "int64" }))).toBe("tensor([1, 2, 3])");
      expect(p(torch.tensor([true, false]))).toBe("tensor([ True, False])");
      expect(p(torch.tensor([NaN, Infinity, 1.5]))).toBe("tensor([   nan,    inf, 1.5000])");
      expect(p(torch.tensor([-0, 0]))).toBe("tensor([-0., 0.])");
      expect(p(torch.zeros(2, 0))).toBe("tensor([], size=(2, 0))");
      // Python rounds ties to even: 0.03125 -> 0.0312
      expect(p(torch.tensor([0.03125, 1.5]))).toBe("tensor([0.0312, 1.5000])");
    });

    it("scientific notation when the range calls for it", () => {
      expect(p(torch.tensor([1e-5, 1, 100]))).toBe("tensor([1.0000e-05, 1.0000e+00, 1.0000e+02])");
      expect(p(torch.tensor([1e10, 1]))).toBe("tensor([1.0000e+10, 1.0000e+00])");
      expect(p(torch.tensor([123456.789, 0.001]))).toBe("tensor([1.2346e+05, 1.0000e-03])");
      expect(p(torch.tensor([[1000, 1]]))).toBe("tensor([[1000.,    1.]])");
      expect(p(torch.tensor([[1001, 1]]))).toBe("tensor([[1.0010e+03, 1.0000e+00]])");
    });

    it("2-D, 3-D and summarised tensors", () => {
      expect(p(torch.tensor([[1.5, -2.25], [3, 4]]))).toBe("tensor([[ 1.5000, -2.2500],\n        [ 3.0000,  4.0000]])");
      expect(p(torch.arange(12).reshape(3, 4))).toBe("tensor([[ 0,  1,  2,  3],\n        [ 4,  5,  6,  7],\n        [ 8,  9, 10, 11]])");
      expect(p(torch.ones(2, 2, 2))).toBe("tensor([[[1., 1.],\n         [1., 1.]],\n\n        [[1., 1.],\n         [1., 1.]]])");
      expect(p(torch.arange(2000, undefined, 1, { dtype: "float32" }))).toBe(
        "tensor([0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 1.9970e+03, 1.9980e+03,\n        1.9990e+03])",
      );
      expect(p(torch.arange(0, 1, 0.1))).toBe(
        "tensor([0.0000, 0.1000, 0.2000, 0.3000, 0.4000, 0.5000, 0.6000, 0.7000, 0.8000,\n        0.9000])",
      );
    });

    it("requires_grad and grad_fn", () => {
      const x = torch.tensor([[1, -2], [3, 4]], { requiresGrad: true });
      expect(p(torch.tensor([1, 2], { requiresGrad: true }))).toBe("tensor([1., 2.], requires_grad=True)");
      expect(p(x.mul(2))).toBe("tensor([[ 2., -4.],\n        [ 6.,  8.]], grad_fn=<MulBackward0>)");
      expect(p(x.mean())).toBe("tensor(1.5000, grad_fn=<MeanBackward0>)");
      expect(p(x.matmul(x))).toBe("tensor([[ -5., -10.],\n        [ 15.,  10.]], grad_fn=<MmBackward0>)");
      expect(p(x.relu())).toBe("tensor([[1., 0.],\n        [3., 4.]], grad_fn=<ReluBackward0>)");
      expect(p(x.index(0))).toBe("tensor([ 1., -2.], grad_fn=<SelectBackward0>)");
      expect(p(x.sum(1))).toBe("tensor([-1.,  7.], grad_fn=<SumBackward1>)");
      expect(p(x.mul(x).sum())).toBe("tensor(30., grad_fn=<SumBackward0>)");
      expect(p(torch.noGrad(() => x.mul(2)))).toBe("tensor([[ 2., -4.],\n        [ 6.,  8.]])");
    });
  });

  describe("errors with PyTorch's messages", () => {
    it("shape mismatches", () => {
      expect(() => torch.zeros(64, 784).matmul(torch.zeros(512, 10))).toThrow("mat1 and mat2 shapes cannot be multiplied (64x784 and 512x10)");
      expect(() => torch.zeros(2, 3).add(torch.zeros(2, 4))).toThrow(
        "The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1",
      );
      expect(() => torch.zeros(3).sum(1)).toThrow("Dimension out of range (expected to be in range of [-1, 0], but got 1)");
    });

    it("dtype rules", () => {
      expect(() => torch.tensor([1, 2], { dtype: "int64" }).mean()).toThrow(/mean\(\): could not infer output dtype/);
      expect(() => torch.zeros(3, { dtype: "int64" }).requiresGrad_()).toThrow("only Tensors of floating point dtype can require gradients");
      expect(() => torch.zeros(3).item()).toThrow(/only one element tensors can be converted to Python scalars/);
      expect(() => torch.tensor([true]).sub(torch.tensor([true]))).toThrow(/Subtraction, the `-` operator, with two bool tensors is not supported/);
    });

    it("bad arguments are JS errors, never crashes", () => {
      expect(() => torch.zeros(-1)).toThrow(/negative dimension -1/);
      expect(() => torch.zeros(2).to("complex64")).toThrow(/unsupported dtype complex64/);
      expect(() => torch.setBackend("gpu" as "js")).toThrow(/unknown backend/);
      expect(() => torch.zeros(2, 2).index("1:x")).toThrow(/cannot parse "1:x" as a slice/);
    });
  });

  describe("type promotion", () => {
    it("follows PyTorch's categories", () => {
      const i = torch.tensor([1, 2, 3], { dtype: "int64" });
      expect(i.add(i).dtype).toBe("int64");
      expect(i.div(i).dtype).toBe("float32");
      expect(i.mul(2.5).dtype).toBe("float32");
      expect(i.add(torch.tensor([0.5, 0.5, 0.5])).dtype).toBe("float32");
      expect(torch.tensor([true, false]).sum().dtype).toBe("int64");
      expect(torch.tensor([true, false]).add(torch.tensor([true, true])).dtype).toBe("bool");
      expect(vals(i.div(torch.tensor([2, 2, 2], { dtype: "int64" }), { roundingMode: "floor" }))).toEqual([0, 1, 1]);
    });
  });

  describe("autograd engine", () => {
    it("a 10,000-op chain runs backward without overflowing the stack", () => {
      const x = torch.tensor([1, 2], { requiresGrad: true });
      let y = x;
      for (let i = 0; i < 10_000; i++) y = y.mul(1.0001).sub(0.0001);
      y.sum().backward();
      const want = Math.fround(1.0001) ** 10_000;
      vals(x.grad!).forEach((g) => expect(Math.abs(g - want) / want).toBeLessThan(1e-3));
    }, 60_000);

    it("backward twice through a freed graph errors; retainGraph keeps it", () => {
      const x = torch.tensor([1, 2, 3], { requiresGrad: true });
      const y = x.mul(x).sum();
      y.backward();
      expect(() => y.backward()).toThrow(/Trying to backward through the graph a second time/);
      const z = x.mul(x).sum();
      x.grad = null;
      z.backward(undefined, { retainGraph: true });
      z.backward();
      expect(vals(x.grad!)).toEqual([4, 8, 12]); // 2 * 2x
    });

    it("gradients accumulate over uses and calls; noGrad and detach stop them", () => {
      const x = torch.tensor([1, 2], { requiresGrad: true });
      const w = torch.tensor([3, 4]);
      x.mul(w).add(x).sum().backward();
      expect(vals(x.grad!)).toEqual([4, 5]);
      x.mul(w).sum().backward();
      expect(vals(x.grad!)).toEqual([7, 9]);
      const y = torch.noGrad(() => x.mul(2));
      expect(y.requiresGrad).toBe(false);
      expect(y.gradFn).toBe(null);
      x.grad = null;
      x.mul(x.detach()).sum().backward();
      expect(vals(x.grad!)).toEqual([1, 2]);
    });

    it("non-scalar backward needs a gradient of the output's shape", () => {
      const x = torch.tensor([1, 2], { requiresGrad: true });
      const y = x.mul(3);
      expect(() => y.backward()).toThrow("grad can be implicitly created only for scalar outputs");
      expect(() => y.backward(torch.ones(3))).toThrow(/Mismatch in shape/);
      y.backward(torch.tensor([1, 10]));
      expect(vals(x.grad!)).toEqual([3, 30]);
      expect(() => torch.zeros(2).sum().backward()).toThrow("element 0 of tensors does not require grad and does not have a grad_fn");
    });

    it("in-place ops refuse leaves that require grad unless under noGrad", () => {
      const x = torch.tensor([1, 2], { requiresGrad: true });
      expect(() => x.add_(1)).toThrow(/a leaf Variable that requires grad is being used in an in-place operation/);
      torch.noGrad(() => x.sub_(torch.tensor([0.5, 0.5])));
      expect(vals(x)).toEqual(f32([0.5, 1.5]));
      expect(x.isLeaf && x.requiresGrad).toBe(true);
    });
  });
});
