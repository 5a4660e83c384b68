// torch.frombuffer (a tensor sharing a typed array's memory: the blitz's NumPy bridge), torch.equal,
// and Tensor.index taking its tuple as one array (as set does). Once per backend.
// ref: PyTorch 1.13 docs for torch.frombuffer and torch.equal.
import { describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import { backends, useBackend, vals } from "./helpers/backends.js";

describe.each(backends())("frombuffer [%s]", (name) => {
  useBackend(name);

  it("shares memory both ways, for each dtype whose storage is its raw bytes", () => {
    const f64 = new Float64Array([1, 2, 3]);
    const t = torch.frombuffer(f64, { dtype: torch.float64 });
    expect(t.dtype).toBe("float64");
    expect(t.shape).toEqual([3]);
    f64[0] = 10;
    t.add_(1);
    expect(Array.from(f64)).toEqual([11, 3, 4]);
    expect(vals(t)).toEqual([11, 3, 4]);
    const bytes = new Uint8Array([1, 2, 255]);
    expect(vals(torch.frombuffer(bytes, { dtype: torch.uint8 }))).toEqual([1, 2, 255]);
    expect(vals(torch.frombuffer(bytes, { dtype: torch.int8 }))).toEqual([1, 2, -1]);
    const i32 = torch.frombuffer(new Int32Array([7, -8]).buffer, { dtype: "int32" });
    expect(i32.dtype).toBe("int32");
    expect(vals(i32)).toEqual([7, -8]);
  });

  it("reads count elements after offset bytes of the array's own window", () => {
    const whole = new Float32Array([0, 1, 2, 3, 4, 5]);
    const window = whole.subarray(1, 5); // 1..4
    const t = torch.frombuffer(window, { dtype: torch.float32, count: 2, offset: 4 });
    expect(vals(t)).toEqual([2, 3]);
    t.mul_(10);
    expect(Array.from(whole)).toEqual([0, 1, 20, 30, 4, 5]);
    expect(vals(t.add(t))).toEqual([40, 60]);
    // Reinterprets bytes: float32 1.0 is 0x3f800000.
    expect(vals(torch.frombuffer(new Float32Array([1]), { dtype: torch.int32 }))).toEqual([0x3f800000]);
  });

  it("throws PyTorch's errors on bad arguments", () => {
    expect(() => torch.frombuffer(new Float32Array(0), { dtype: torch.float32 })).toThrow("both buffer length (0) and count (-1) must not be 0");
    expect(() => torch.frombuffer(new Uint8Array(3), { dtype: torch.int16 })).toThrow("must be a multiple of element size (2)");
    expect(() => torch.frombuffer(new Uint8Array(4), { dtype: torch.uint8, offset: 4 })).toThrow("must be non-negative");
    expect(() => torch.frombuffer(new Uint8Array(4), { dtype: torch.float32, count: 2 })).toThrow("must not be greater than actual buffer length");
    expect(() => torch.frombuffer([1, 2] as any, { dtype: torch.float32 })).toThrow(TypeError);
    expect(() => torch.frombuffer(new Float32Array(2), {} as any)).toThrow("missing required keyword argument 'dtype'");
    expect(() => torch.frombuffer(new BigInt64Array(2), { dtype: torch.int64 })).toThrow(/int64/);
  });

  it("makes a leaf that requires grad when asked", () => {
    const t = torch.frombuffer(new Float32Array([1, 2]), { dtype: torch.float32, requiresGrad: true });
    t.mul(t).sum().backward();
    expect(vals(t.grad!)).toEqual([2, 4]);
  });
});

describe.each(backends())("equal [%s]", (name) => {
  useBackend(name);

  it("is true for the same size and elements, after type promotion", () => {
    expect(torch.equal(torch.tensor([1, 2]), torch.tensor([1, 2]))).toBe(true);
    expect(torch.equal(torch.tensor([1, 2], { dtype: torch.int64 }), torch.tensor([1, 2]))).toBe(true);
    expect(torch.tensor([[1, 2]]).equal(torch.tensor([[1, 3]]))).toBe(false);
    expect(torch.equal(torch.zeros(0, 2), torch.zeros(0, 2))).toBe(true);
  });

  it("is false (not a broadcasting error) for different sizes, and for NaN", () => {
    expect(torch.equal(torch.tensor([1, 2]), torch.tensor([[1, 2]]))).toBe(false);
    expect(torch.equal(torch.tensor([1]), torch.tensor([1, 1]))).toBe(false);
    expect(torch.equal(torch.tensor([NaN]), torch.tensor([NaN]))).toBe(false);
  });
});

describe("Tensor.index with the tuple as one array", () => {
  it("indexes as the spread form does", () => {
    const x = torch.arange(12).view(3, 4);
    expect(vals(x.index([":", 1]))).toEqual(vals(x.index(":", 1)));
    expect(vals(x.index([":", 1]))).toEqual([1, 5, 9]);
    expect(vals(x.index(["...", -1]))).toEqual([3, 7, 11]);
  });
});
