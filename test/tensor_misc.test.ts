// Tensor and torch.* odds and ends PyTorch programs call: a real tensor's complex views (conj,
// real, imag, H, angle), storage identity (data_ptr, is_set_to), resize_, x.new(...), apply_/map_,
// numpy(), cumsum_/cumprod_, torch.finfo/iinfo, constants, typename, empty_strided, inference_mode,
// torch.utils.data. Expected values follow from the definitions.
import { describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import { backends, useBackend, vals } from "./helpers/backends.js";

describe.each(backends())("tensor misc [%s]", (name) => {
  useBackend(name);

  it("a real tensor is its own conjugate and real part; imag and H follow PyTorch", () => {
    const x = torch.tensor([1, -2, 0, NaN]);
    expect(x.conj()).toBe(x);
    expect(torch.conj(x)).toBe(x);
    expect(x.real).toBe(x);
    expect(x.isConj() || x.isNeg()).toBe(false);
    expect(() => x.imag).toThrow("imag is not implemented for tensors with non-complex dtypes.");
    expect(() => x.H).toThrow("tensor.H is only supported on matrices (2-D tensors). Got 1-D tensor.");
    const m = torch.arange(6, { dtype: "float32" }).reshape(2, 3);
    expect(m.H.equal(m.t())).toBe(true);
    expect(m.mH.equal(m.transpose(-2, -1))).toBe(true);
    expect(torch.adjoint(m).shape).toEqual([3, 2]);
  });

  it("angle is 0 or π by sign, keeps NaN, makes integers float, and has a zero gradient", () => {
    const a = torch.tensor([1, -2, 0, NaN]).angle();
    expect(vals(a).slice(0, 3)).toEqual([0, Math.fround(Math.PI), 0]);
    expect(vals(a)[3]).toBeNaN();
    expect(torch.tensor([3, -1], { dtype: "int64" }).angle().dtype).toBe("float32");
    const x = torch.tensor([1.5, -2], { dtype: "float64", requiresGrad: true });
    x.angle().sum().backward();
    expect(x.grad!.tolist()).toEqual([0, 0]);
    expect(x.angle().gradFn!.name).toBe("AngleBackward0");
  });

  it("data_ptr and is_set_to tell shared storage and element apart", () => {
    const y = torch.arange(6, { dtype: "float32" });
    expect(y.dataPtr()).toBe(y.detach().dataPtr());
    expect(y.dataPtr()).toBe(y.view(2, 3).dataPtr());
    expect(y.index("2:").dataPtr() - y.dataPtr()).toBe(8);
    expect(y.clone().dataPtr()).not.toBe(y.dataPtr());
    expect(y.isSetTo(y.detach())).toBe(true);
    expect(y.isSetTo(y.view(2, 3))).toBe(false);
  });

  it("resize_ keeps the storage's leading elements, grows into new zeros, refuses grad", () => {
    const z = torch.arange(6, { dtype: "float32" }).reshape(2, 3);
    z.resize_(4);
    expect(z.tolist()).toEqual([0, 1, 2, 3]);
    z.resize_([2, 5]);
    expect(z.tolist()).toEqual([[0, 1, 2, 3, 4], [5, 0, 0, 0, 0]]);
    z.resizeAs_(torch.zeros(3));
    expect(z.shape).toEqual([3]);
    expect(() => torch.ones(2, { requiresGrad: true }).resize_(3)).toThrow("cannot resize variables that require grad");
    expect(() => z.resize_(-1)).toThrow(/negative dimension/);
  });

  it("x.new builds a tensor of x's dtype from nothing, sizes or data", () => {
    const i = torch.tensor([1], { dtype: "int64" });
    expect(i.new().shape).toEqual([0]);
    expect(i.new(2, 3).shape).toEqual([2, 3]);
    expect(i.new(2, 3).dtype).toBe("int64");
    expect(i.new([1.5, 2]).tolist()).toEqual([1, 2]); // truncated to int64, as PyTorch
  });

  it("apply_ / map_ / map2_ call a JS function per element, in place", () => {
    const w = torch.arange(6, { dtype: "float32" }).reshape(2, 3);
    expect(w.apply_((v) => v * 2).tolist()).toEqual([[0, 2, 4], [6, 8, 10]]);
    expect(w.map_(torch.tensor([1, 2, 3]), (a, b) => a + b).tolist()).toEqual([[1, 4, 7], [7, 10, 13]]);
    expect(w.map2_(torch.ones(3), torch.full([2, 1], 2), (a, b, c) => a * b * c).tolist()).toEqual([[2, 8, 14], [14, 20, 26]]);
    expect(() => torch.ones(2, { requiresGrad: true }).apply_((v) => v)).toThrow(/requires grad/);
  });

  it("numpy() is the typed array (refused under requires_grad); cumsum_/cumprod_ are recorded", () => {
    const t = torch.tensor([1, 2, 3]);
    expect(Array.from(t.numpy())).toEqual([1, 2, 3]);
    expect(() => torch.ones(2, { requiresGrad: true }).numpy()).toThrow("Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.");
    const c = torch.tensor([1, 2, 3], { dtype: "float64", requiresGrad: true });
    const d = c.mul(1);
    d.cumsum_(0);
    expect(d.tolist()).toEqual([1, 3, 6]);
    d.sum().backward();
    expect(c.grad!.tolist()).toEqual([3, 2, 1]);
    expect(torch.tensor([1, 2, 3]).cumprod_(0).tolist()).toEqual([1, 2, 6]);
    expect(torch.tensor([1, 2]).ger(torch.tensor([3, 4])).tolist()).toEqual([[3, 4], [6, 8]]);
  });
});

describe("torch.* misc", () => {
  it("finfo and iinfo give the dtypes' limits and PyTorch's errors", () => {
    const f = torch.finfo("float32");
    expect(f.eps).toBe(Math.fround(1 + 2 ** -23) - 1);
    expect(f.max).toBe(Math.fround(3.4028234663852886e38));
    expect(f.tiny).toBe(2 ** -126);
    expect(torch.finfo().dtype).toBe("float32");
    expect(torch.finfo("float16").max).toBe(65504);
    expect(torch.finfo("float64").eps).toBe(Number.EPSILON);
    expect(torch.iinfo("uint8")).toMatchObject({ bits: 8, min: 0, max: 255 });
    expect(torch.iinfo("int32").max).toBe(2147483647);
    expect(() => torch.finfo("int64")).toThrow("torch.finfo() requires a floating point input type. Use torch.iinfo to handle 'torch.finfo'");
    expect(() => torch.iinfo("float32")).toThrow("torch.iinfo() requires an integer input type. Use torch.finfo to handle 'torch.iinfo'");
  });

  it("constants, Size, typename, scalar_tensor, empty_strided, chain_matmul", () => {
    expect([torch.pi, torch.e, torch.inf]).toEqual([Math.PI, Math.E, Infinity]);
    expect(torch.nan).toBeNaN();
    expect(torch.zeros(2, 3).shape).toEqual(torch.Size([2, 3]));
    expect(torch.typename(torch.ones(1))).toBe("torch.FloatTensor");
    expect(torch.typename(torch.ones(1, { dtype: "int64" }))).toBe("torch.LongTensor");
    expect(torch.scalarTensor(3).shape).toEqual([]);
    const s = torch.emptyStrided([2, 3], [1, 2]);
    expect(s.stride()).toEqual([1, 2]);
    expect(s.typedArray.length).toBe(6);
    expect(torch.chainMatmul(torch.ones(2, 3), torch.ones(3, 4), torch.ones(4, 1)).tolist()).toEqual([[12], [12]]);
  });

  it("new torch.Tensor(data) / (2, 3), PyTorch's legacy forms, point to torch.tensor and the typed constructors", () => {
    expect(() => new (torch.Tensor as any)([1, 2])).toThrow(/use torch.tensor\(data\), torch.empty\(2, 3\), or torch.FloatTensor/);
    expect(() => new (torch.Tensor as any)(2, 3)).toThrow(/PyTorch's legacy torch.Tensor\(data\)/);
    expect(torch.FloatTensor([1, 2]).tolist()).toEqual([1, 2]);
  });

  it("inference_mode turns recording off inside and says so; torch.utils.data is torch.data", () => {
    expect(torch.isInferenceModeEnabled()).toBe(false);
    const y = torch.inferenceMode(() => {
      expect(torch.isInferenceModeEnabled()).toBe(true);
      return torch.ones(2, { requiresGrad: true }).mul(2);
    });
    expect(y.requiresGrad).toBe(false);
    expect(torch.isInferenceModeEnabled()).toBe(false);
    expect(torch.inferenceMode(false, () => torch.ones(2, { requiresGrad: true }).mul(2)).requiresGrad).toBe(true);
    expect(torch.utils.data.DataLoader).toBe(torch.data.DataLoader);
    torch.useDeterministicAlgorithms(true);
    expect(torch.areDeterministicAlgorithmsEnabled()).toBe(true);
    torch.useDeterministicAlgorithms(false);
  });
});

describe("signal windows", () => {
  const cosWindow = (n: number, a: number, b: number, periodic: boolean) => {
    const N = periodic ? n + 1 : n;
    return Array.from({ length: n }, (_, k) => a - b * Math.cos((2 * Math.PI * k) / (N - 1)));
  };
  it("hann / hamming / blackman follow their cosine sums; periodic drops the last of N + 1", () => {
    for (const periodic of [true, false]) {
      const o = { periodic, dtype: "float64" as const };
      (torch.hannWindow(9, o).tolist() as number[]).forEach((v, k) => expect(v).toBeCloseTo(cosWindow(9, 0.5, 0.5, periodic)[k], 14));
      (torch.hammingWindow(9, o).tolist() as number[]).forEach((v, k) => expect(v).toBeCloseTo(cosWindow(9, 0.54, 0.46, periodic)[k], 14));
      const N = periodic ? 10 : 9;
      (torch.blackmanWindow(9, o).tolist() as number[]).forEach((v, k) =>
        expect(v).toBeCloseTo(0.42 - 0.5 * Math.cos((2 * Math.PI * k) / (N - 1)) + 0.08 * Math.cos((4 * Math.PI * k) / (N - 1)), 14),
      );
    }
    expect(torch.hannWindow(5).dtype).toBe("float32");
    expect(torch.hannWindow(1).tolist()).toEqual([1]);
    expect(torch.hannWindow(0).shape).toEqual([0]);
  });
  it("bartlett is the exact triangle; kaiser peaks at 1 in the middle and is symmetric", () => {
    expect(torch.bartlettWindow(5, { periodic: false }).tolist()).toEqual([0, 0.5, 1, 0.5, 0]);
    const k = torch.kaiserWindow(7, { periodic: false, dtype: "float64" }).tolist() as number[];
    expect(k[3]).toBeCloseTo(1, 14);
    k.forEach((v, i) => expect(v).toBeCloseTo(k[6 - i], 14));
    expect(k[0]).toBeCloseTo(1 / 18948.9261, 8); // 1 / I0(12)
  });
  it("refuses negative lengths and integer dtypes as PyTorch", () => {
    expect(() => torch.hannWindow(-1)).toThrow("hann_window requires non-negative window_length, got window_length=-1");
    expect(() => torch.blackmanWindow(3, { dtype: "int64" })).toThrow(/blackman_window expects floating point dtypes/);
  });
});
