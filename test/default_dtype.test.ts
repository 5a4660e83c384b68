// torch.set_default_dtype / get_default_dtype / set_default_tensor_type: the default float dtype
// decides the dtype of float factories, of a JS float in promotion, of integer true division and
// float math, of new module parameters and buffers, and which dtype a printed tensor leaves unnamed.
import { afterEach, describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import { backends, useBackend } from "./helpers/backends.js";

afterEach(() => torch.setDefaultDtype("float32"));

describe.each(backends())("default dtype [%s]", (name) => {
  useBackend(name);

  it("is float32 until set, and only floating dtypes are accepted", () => {
    expect(torch.getDefaultDtype()).toBe("float32");
    expect(() => torch.setDefaultDtype("int64")).toThrow("only floating-point types are supported as the default type");
    expect(() => torch.setDefaultDtype("float" + "x")).toThrow(/must be torch.dtype/);
    torch.setDefaultDtype(torch.float64);
    expect(torch.getDefaultDtype()).toBe("float64");
    torch.setDefaultDtype("torch.float16");
    expect(torch.getDefaultDtype()).toBe("float16");
  });

  it("float factories follow it; integer and explicit dtypes do not", () => {
    torch.setDefaultDtype("float64");
    for (const t of [torch.tensor([1.5]), torch.tensor(0.25), torch.zeros(2), torch.ones(2), torch.empty(2), torch.full([2], 1.5), torch.rand(2), torch.randn(2), torch.arange(0, 1, 0.25), torch.linspace(0, 1, 3), torch.logspace(0, 1, 3), torch.eye(2)]) {
      expect(t.dtype).toBe("float64");
    }
    expect(torch.tensor([1.5], { dtype: "float32" }).dtype).toBe("float32");
    expect(torch.arange(3).dtype).toBe("int64");
    expect(torch.full([2], true).dtype).toBe("bool");
    expect(torch.ones(2).float().dtype).toBe("float32");
    // the float64 values are PyTorch's float64 draws (53-bit uniforms), not the float32 ones widened
    torch.manualSeed(0);
    const u64 = torch.rand(100).tolist() as number[];
    torch.manualSeed(0);
    const u32 = torch.rand(100, { dtype: "float32" }).tolist() as number[];
    expect(u64.filter((v) => Math.fround(v) !== v).length).toBeGreaterThan(90);
    expect(u64).not.toEqual(u32);
    torch.manualSeed(0);
    expect(torch.empty(100).uniform_().tolist()).toEqual(u64);
  });

  it("is the dtype of a JS float in promotion, of integer division and of float math on integers", () => {
    torch.setDefaultDtype("float64");
    const i = torch.tensor([1, 2], { dtype: "int64" });
    expect(i.add(2.5).dtype).toBe("float64");
    expect(i.div(2).dtype).toBe("float64");
    expect(i.sqrt().dtype).toBe("float64");
    expect(i.clamp(0.5).dtype).toBe("float64");
    expect(torch.resultType(i, 2.5)).toBe("float64");
    // a float tensor keeps its own dtype against a JS float
    expect(torch.ones(2, { dtype: "float32" }).mul(2.5).dtype).toBe("float32");
    torch.setDefaultDtype("float32");
    expect(i.div(2).dtype).toBe("float32");
  });

  it("new modules' parameters and buffers take it, and a model trains in it end to end", () => {
    torch.setDefaultDtype("float64");
    const model = new torch.nn.Sequential(
      new torch.nn.Conv2d(1, 2, 3), new torch.nn.BatchNorm2d(2), new torch.nn.ReLU(), new torch.nn.Flatten(), new torch.nn.Linear(8, 3),
    );
    for (const [, t] of [...model.namedParameters(), ...model.namedBuffers()]) if (t.dtype !== "int64") expect(t.dtype).toBe("float64");
    for (const m of [new torch.nn.LSTM(2, 3), new torch.nn.Embedding(3, 2), new torch.nn.LayerNorm(4), new torch.nn.MultiheadAttention(4, 2), new torch.nn.PReLU()]) {
      for (const p of m.parameters()) expect(p.dtype).toBe("float64");
    }
    const opt = new torch.optim.SGD(model.parameters(), { lr: 0.1 });
    const x = torch.randn(4, 1, 4, 4);
    const y = torch.tensor([0, 1, 2, 0], { dtype: "int64" });
    const loss = torch.nn.functional.crossEntropy(model.forward(x), y);
    expect(loss.dtype).toBe("float64");
    loss.backward();
    for (const p of model.parameters()) expect(p.grad!.dtype).toBe("float64");
    opt.step();
  });

  it("printing leaves the default dtype unnamed and names float32 when it is not the default", () => {
    torch.setDefaultDtype("float64");
    expect(String(torch.tensor([1.5, 2]))).toBe("tensor([1.5000, 2.0000])");
    expect(String(torch.tensor([1.5], { dtype: "float32" }))).toBe("tensor([1.5000], dtype=torch.float32)");
    expect(String(torch.zeros(0, { dtype: "float32" }))).toBe("tensor([], dtype=torch.float32)");
    torch.setDefaultDtype("float32");
    expect(String(torch.tensor([1.5], { dtype: "float64" }))).toBe("tensor([1.5000], dtype=torch.float64)");
  });

  it("set_default_tensor_type takes the legacy type names and constructors", () => {
    torch.setDefaultTensorType("torch.DoubleTensor");
    expect(torch.getDefaultDtype()).toBe("float64");
    torch.setDefaultTensorType(torch.FloatTensor);
    expect(torch.getDefaultDtype()).toBe("float32");
    expect(() => torch.setDefaultTensorType("torch.LongTensor")).toThrow("only floating-point types are supported as the default type");
    expect(() => torch.setDefaultTensorType("torch.Nope")).toThrow(/invalid type/);
  });
});
