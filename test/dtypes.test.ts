// The dtypes beyond float32/int64/bool: storage and creation, casts (PyTorch's copy_ rules,
// float16/bfloat16 round to nearest even through float32), printing, tolist/item, type
// promotion (torch.result_type), integer wraparound, float64 compute and autograd, safetensors.
import { describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import { backends, useBackend } from "./helpers/backends.js";
import { toBFloat16Bits, toHalfBits, fromHalfBits, fromBFloat16Bits } from "../lib/half.js";

describe("float16/bfloat16 conversions", () => {
  it("round to nearest even, overflow at 65520, subnormals", () => {
    const h = (v: number) => fromHalfBits(toHalfBits(v));
    expect(h(2049)).toBe(2048);
    expect(h(2051)).toBe(2052);
    expect(h(65519)).toBe(65504);
    expect(h(65520)).toBe(Infinity);
    expect(h(2 ** -25)).toBe(0); // a tie with 0: even
    expect(h(2 ** -25 + 2 ** -40)).toBe(2 ** -24);
    expect(Object.is(h(-0), -0)).toBe(true);
    expect(h(NaN)).toBeNaN();
    // through float32 first: 1 + 2^-11 + 2^-40 double-rounds to 1
    expect(h(1 + 2 ** -11 + 2 ** -40)).toBe(1);
    const b = (v: number) => fromBFloat16Bits(toBFloat16Bits(v));
    expect(b(1.00390625)).toBe(1);
    expect(b(1.01171875)).toBe(1.015625);
    expect(b(3.4028234663852886e38)).toBe(Infinity);
    expect(b(NaN)).toBeNaN();
  });
  it("every float16 pattern reads back to itself", () => {
    for (let bits = 0; bits < 0x10000; bits++) {
      const v = fromHalfBits(bits);
      if (!Number.isNaN(v)) expect(toHalfBits(v)).toBe(bits);
    }
  });
});

for (const name of backends()) {
  describe(`dtypes on ${name}`, () => {
    useBackend(name);

    it("creates each dtype, with names and aliases", () => {
      const cases: [string, string][] = [
        ["float64", "float64"], ["double", "float64"], ["torch.half", "float16"], ["bfloat16", "bfloat16"],
        ["int32", "int32"], ["int", "int32"], ["short", "int16"], ["int8", "int8"], ["uint8", "uint8"],
      ];
      for (const [alias, dt] of cases) {
        const t = torch.tensor([1, 2, 3], { dtype: alias as torch.DType });
        expect(t.dtype).toBe(dt);
        expect(t.tolist()).toEqual([1, 2, 3]);
        expect(torch.zeros([2], { dtype: alias as torch.DType }).dtype).toBe(dt);
      }
      expect(torch.tensor([1, 0], { dtype: "uint8" }).dtype).not.toBe("bool");
      expect(() => torch.tensor([300], { dtype: "uint8" })).toThrow(/without overflow/);
      expect(() => torch.full([2], 200, { dtype: "int8" })).toThrow(/without overflow/);
    });

    it("casts as PyTorch's copy_", () => {
      const f = torch.tensor([-1.7, 1.7, 2.5, -0.5, 3.9]);
      expect(f.int().tolist()).toEqual([-1, 1, 2, 0, 3]);
      expect(torch.tensor([300, -129, 127, 255], { dtype: "int64" }).char().tolist()).toEqual([44, 127, 127, -1]);
      expect(torch.tensor([-1, 256, 257], { dtype: "int64" }).byte().tolist()).toEqual([255, 0, 1]);
      expect(torch.tensor([0, -0, NaN, 0.1]).to("bool").tolist()).toEqual([false, false, true, true]);
      expect(torch.tensor([true, false]).byte().dtype).toBe("uint8");
      expect(torch.tensor([16777217], { dtype: "int32" }).float().item()).toBe(16777216);
      expect(torch.tensor([0.1], { dtype: "float64" }).float().item()).toBe(Math.fround(0.1));
      expect(torch.tensor([0.1]).double().item()).toBe(Math.fround(0.1));
      expect(torch.tensor([2049, 65520], { dtype: "int64" }).half().tolist()).toEqual([2048, Infinity]);
      expect(torch.tensor([0.2, 300.7]).bfloat16().tolist()).toEqual([0.2001953125, 300]);
      expect(torch.tensor([-0.0]).half().to("bool").item()).toBe(0);
    });

    it("prints each dtype as PyTorch", () => {
      expect(String(torch.tensor([1.5, 2.5], { dtype: "float64" }))).toBe("tensor([1.5000, 2.5000], dtype=torch.float64)");
      expect(String(torch.tensor([1, 2], { dtype: "int32" }))).toBe("tensor([1, 2], dtype=torch.int32)");
      expect(String(torch.tensor([1, 2], { dtype: "uint8" }))).toBe("tensor([1, 2], dtype=torch.uint8)");
      expect(String(torch.tensor([1.5, 2], { dtype: "float16" }))).toBe("tensor([1.5000, 2.0000], dtype=torch.float16)");
      expect(String(torch.tensor([0.1, 1e-10], { dtype: "float64" }))).toBe("tensor([1.0000e-01, 1.0000e-10], dtype=torch.float64)");
      expect(torch.tensor(0.1, { dtype: "float16" }).item()).toBe(0.0999755859375);
    });

    it("promotes as torch.result_type", () => {
      const t = (dt: string, shape: number[] = [2]) => torch.zeros(shape, { dtype: dt as torch.DType });
      expect(t("uint8").add(t("int8")).dtype).toBe("int16");
      expect(t("int16").add(t("int32")).dtype).toBe("int32");
      expect(t("float16").add(t("bfloat16")).dtype).toBe("float32");
      expect(t("float32").add(t("float64", [])).dtype).toBe("float32");
      expect(t("int64").add(t("float64", [])).dtype).toBe("float64");
      expect(t("int32").add(t("int64", [])).dtype).toBe("int32");
      expect(t("int32").mul(2.5).dtype).toBe("float32");
      expect(t("uint8").add(300).dtype).toBe("uint8");
      expect(t("bool").add(1).dtype).toBe("int64");
      expect(t("int32").div(t("int32")).dtype).toBe("float32");
      expect(torch.resultType(t("uint8"), t("int8"))).toBe("int16");
      expect(torch.promoteTypes("float16", "bfloat16")).toBe("float32");
      expect(torch.canCast("float64", "int32")).toBe(false);
    });

    it("wraps fixed-width integer arithmetic", () => {
      const u = (xs: number[]) => torch.tensor(xs, { dtype: "uint8" });
      expect(u([250, 100, 255]).add(u([10, 100, 1])).tolist()).toEqual([4, 200, 0]);
      expect(u([3, 0]).sub(u([5, 1])).tolist()).toEqual([254, 255]);
      expect(u([16, 15]).mul(u([16, 17])).tolist()).toEqual([0, 255]);
      expect(u([250, 1]).add(300).tolist()).toEqual([38, 45]);
      expect(u([0, 1, 3, 255]).neg().tolist()).toEqual([0, 255, 253, 1]);
      const i32 = torch.tensor([2147483647, -2147483648], { dtype: "int32" });
      expect(i32.add(torch.tensor([1, -1], { dtype: "int32" })).tolist()).toEqual([-2147483648, 2147483647]);
      expect(torch.tensor([65536, 3], { dtype: "int32" }).mul(torch.tensor([65536, 3], { dtype: "int32" })).tolist()).toEqual([0, 9]);
      expect(torch.tensor([-128, -5], { dtype: "int8" }).abs().tolist()).toEqual([-128, 5]);
      expect(torch.div(torch.tensor([-7, 7], { dtype: "int32" }), torch.tensor([2, -2], { dtype: "int32" }), { roundingMode: "floor" }).tolist()).toEqual([-4, -4]);
      expect(u([200, 100, 255]).sum().dtype).toBe("int64");
      expect(u([200, 100, 255]).sum().item()).toBe(555);
      const x = torch.zeros([2], { dtype: "uint8" });
      x.add_(300);
      expect(x.tolist()).toEqual([44, 44]);
    });

    it("computes float64 in double precision, with gradients", () => {
      const x = torch.tensor([1, 1e-10, 2 ** -40], { dtype: "float64" });
      expect(x.sum().item()).toBe(1 + 1e-10 + 2 ** -40);
      expect(x.mean().dtype).toBe("float64");
      expect(torch.tensor([0.1], { dtype: "float64" }).add(0.2).item()).toBe(0.1 + 0.2);
      const a = torch.tensor([[0.5, -1.25], [2, 3]], { dtype: "float64" }).requiresGrad_();
      const y = a.matmul(a).exp().sum();
      expect(y.dtype).toBe("float64");
      y.backward();
      expect(a.grad!.dtype).toBe("float64");
      expect(torch.gradcheck((t: torch.Tensor) => t.matmul(t).tanh().softmax(-1), [a])).toBe(true);
      const f = torch.tensor([0.5, -1.25]).requiresGrad_();
      f.double().mul(torch.tensor([3], { dtype: "float64" })).sum().backward();
      expect(f.grad!.dtype).toBe("float32");
      expect(f.grad!.tolist()).toEqual([3, 3]);
    });

    it("computes float16/bfloat16 in float32, rounding on store", () => {
      const h = (xs: number[]) => torch.tensor(xs, { dtype: "float16" });
      expect(h([2048, 1, 1]).sum().item()).toBe(2050);
      expect(h([1024, 2048, 65504]).add(h([0.5, 1, 16])).tolist()).toEqual([1024, 2048, Infinity]); // ties to even
      expect(h([300]).mul(h([300])).item()).toBe(Infinity);
      const b = torch.tensor([256, 1], { dtype: "bfloat16" }).add(torch.tensor([1, 0.00390625], { dtype: "bfloat16" }));
      expect(b.tolist()).toEqual([256, 1]);
      expect(h([1, 2]).matmul(h([3, 4])).item()).toBe(11);
    });

    it("fills, scans, sorts and dedups float16/bfloat16 by value, not by bits", () => {
      expect(torch.ones([2], { dtype: "float16" }).tolist()).toEqual([1, 1]);
      expect(torch.full([2], 1.5, { dtype: "bfloat16" }).tolist()).toEqual([1.5, 1.5]);
      expect(torch.zeros([2], { dtype: "float16" }).fill_(0.1).tolist()).toEqual([0.0999755859375, 0.0999755859375]);
      expect(torch.eye(2, { dtype: "float16" }).tolist()).toEqual([[1, 0], [0, 1]]);
      const x = torch.tensor([1.5, -2, 0.5, -2], { dtype: "float16" });
      expect(x.cumsum(0).tolist()).toEqual([1.5, -0.5, 0, -2]);
      expect(x.cumsum(0).dtype).toBe("float16");
      expect(x.sort().values.tolist()).toEqual([-2, -2, 0.5, 1.5]);
      expect(x.sort().values.dtype).toBe("float16");
      expect(x.topk(1).values.tolist()).toEqual([1.5]);
      expect((x.unique() as torch.Tensor).tolist()).toEqual([-2, 0.5, 1.5]);
      expect(x.argmax().item()).toBe(0);
      expect(x.prod().item()).toBe(3);
      expect(torch.isnan(torch.tensor([NaN, 1], { dtype: "float64" })).tolist()).toEqual([true, false]);
      expect(torch.linspace(0, 1, 3, { dtype: "float64" }).tolist()).toEqual([0, 0.5, 1]);
      expect(torch.tensor([0.1, 0.2], { dtype: "float64" }).cumsum(0).tolist()).toEqual([0.1, 0.1 + 0.2]);
    });

    it("remainder takes the divisor's sign, exact for integers, with gradients", () => {
      const a = torch.tensor([5, -5, 5, -5], { dtype: "int64" });
      const b = torch.tensor([3, 3, -3, -3], { dtype: "int64" });
      expect(torch.remainder(a, b).tolist()).toEqual([2, 1, -1, -2]);
      expect(() => torch.remainder(a, torch.zeros([4], { dtype: "int64" }))).toThrow("ZeroDivisionError");
      expect(torch.tensor([5, -7], { dtype: "uint8" }).remainder(3).tolist()).toEqual([2, 0]); // -7 is 249
      const x = torch.tensor([5.5, -5.5, -4]).requiresGrad_();
      const y = torch.tensor([2, -3, 2]).requiresGrad_();
      const r = torch.remainder(x, y);
      expect(r.tolist()).toEqual([1.5, -2.5, -0]);
      r.sum().backward();
      expect(x.grad!.tolist()).toEqual([1, 1, 1]);
      expect(y.grad!.tolist()).toEqual([-2, -1, 2]);
      expect(torch.remainder(torch.tensor([5.5, -1.5], { dtype: "float16" }), 2).dtype).toBe("float16");
    });

    it("converts modules with double(), draws random numbers in any floating dtype", () => {
      torch.manualSeed(0);
      const m = new torch.nn.Sequential(new torch.nn.Linear(3, 4), new torch.nn.Tanh(), new torch.nn.Linear(4, 2));
      const w = m.parameters()[0];
      m.double();
      expect(m.parameters()[0]).toBe(w); // the same Parameter, now float64
      expect(m.parameters().map((p) => p.dtype)).toEqual(["float64", "float64", "float64", "float64"]);
      const x = torch.randn([5, 3], { dtype: "float64" });
      expect(x.dtype).toBe("float64");
      expect(torch.gradcheck((t: torch.Tensor) => (m as any)(t), [x.requiresGrad_()])).toBe(true);
      const bn = new torch.nn.BatchNorm1d(3).double();
      expect(bn.buffers().map((b) => b.dtype)).toEqual(["float64", "float64", "int64"]);
      expect(() => torch.randn([2], { dtype: "int64" })).toThrow(/not implemented for 'Long'/);
      expect(() => m.to("int32")).toThrow(/only accepts floating point/);
      m.float();
      expect(w.dtype).toBe("float32");
      const logits = torch.randn([3, 4], { dtype: "float64" }).requiresGrad_();
      const target = torch.tensor([0, 3, 1], { dtype: "int64" });
      const F = torch.nn.functional;
      expect(torch.gradcheck((t: torch.Tensor) => F.crossEntropy(t, target), [logits])).toBe(true);
      expect(F.mseLoss(logits, torch.zeros([3, 4], { dtype: "float64" })).dtype).toBe("float64");
    });

    it("optimizers update float64 parameters (Adam composed in double, as PyTorch's loop)", () => {
      for (const make of [
        (p: torch.Tensor[]) => new torch.optim.SGD(p, { lr: 0.1, momentum: 0.9 }),
        (p: torch.Tensor[]) => new torch.optim.Adam(p, { lr: 0.1, amsgrad: true }),
        (p: torch.Tensor[]) => new torch.optim.AdamW(p, { lr: 0.1 }),
        (p: torch.Tensor[]) => new torch.optim.RMSprop(p, { lr: 0.01 }),
      ]) {
        const run = (dtype: torch.DType) => {
          const w = torch.tensor([1, -2], { dtype }).requiresGrad_();
          const opt = make([w]);
          for (let i = 0; i < 3; i++) {
            opt.zeroGrad();
            w.mul(w).mul(w).sum().backward();
            opt.step();
          }
          return w;
        };
        const w64 = run("float64");
        expect(w64.dtype).toBe("float64");
        const w32 = run("float32").tolist() as number[];
        (w64.tolist() as number[]).forEach((v, i) => expect(Math.abs(v - w32[i])).toBeLessThan(1e-5));
      }
    });

    it("saves and loads each dtype through safetensors without upcasting", () => {
      const dict: Record<string, torch.Tensor> = {
        f64: torch.tensor([0.1, -2], { dtype: "float64" }),
        f16: torch.tensor([0.1, 65504], { dtype: "float16" }),
        bf16: torch.tensor([0.1, 3], { dtype: "bfloat16" }),
        i32: torch.tensor([-5, 2147483647], { dtype: "int32" }),
        i16: torch.tensor([-5, 300], { dtype: "int16" }),
        i8: torch.tensor([-5, 100], { dtype: "int8" }),
        u8: torch.tensor([5, 255], { dtype: "uint8" }),
      };
      const loaded = torch.safetensors.deserialize(torch.safetensors.serialize(dict)).tensors;
      for (const [k, t] of Object.entries(dict)) {
        expect(loaded[k].dtype).toBe(t.dtype);
        expect(loaded[k].tolist()).toEqual(t.tolist());
      }
    });
  });
}
