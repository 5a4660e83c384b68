// torch.remainder / Tensor.remainder: Python's modulo (the sign of the divisor), float32 bit-equal to
// PyTorch's fmod-based kernel, int64 exact with ZeroDivisionError, scalar forms, type promotion,
// broadcasting and the gradient (gradcheck). Once per backend.
// ref: PyTorch 1.13 torch.remainder docs, aten/src/ATen/native/cpu/BinaryOpsKernel.cpp.
import { describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import { gradcheck } from "../lib/autograd/gradcheck.js";
import { backends, useBackend, vals } from "./helpers/backends.js";

const long = (xs: number[]) => torch.tensor(xs, { dtype: "int64" });

describe.each(backends())("remainder [%s]", (name) => {
  useBackend(name);

  it("has the sign of the divisor, for float32 and int64", () => {
    expect(vals(torch.remainder(torch.tensor([5, -5, 5, -5]), torch.tensor([3, 3, -3, -3])))).toEqual([2, 1, -1, -2]);
    const i = torch.remainder(long([5, -5, 5, -5, -6]), long([3, 3, -3, -3, 3]));
    expect(i.dtype).toBe("int64");
    expect(vals(i)).toEqual([2, 1, -1, -2, 0]);
    expect(Object.is(vals(i)[4], 0)).toBe(true);
  });

  it("is exact where a - floor(a/b)*b is not (fmod first, as PyTorch)", () => {
    // 7 / 0.1f rounds to 70 in float32, so the naive formula gives a small negative number.
    const r = vals(torch.remainder(torch.tensor([7]), torch.tensor([0.1])));
    expect(r[0]).toBe(Math.fround(7 % Math.fround(0.1)));
    expect(r[0]).toBeGreaterThan(0);
    const z = vals(torch.remainder(torch.tensor([-0, 1]), torch.tensor([3, 0])));
    expect(Object.is(z[0], -0)).toBe(true);
    expect(Number.isNaN(z[1])).toBe(true);
  });

  it("takes a number on either side, broadcasts and promotes", () => {
    expect(vals(torch.tensor([[5, -5], [1, -1]]).remainder(3))).toEqual([2, 1, 1, 2]);
    expect(vals(torch.remainder(-7, torch.tensor([3, -3])))).toEqual([2, -1]);
    const p = long([5, -5]).remainder(2.5);
    expect(p.dtype).toBe("float32");
    expect(vals(p)).toEqual([0, -0]); // fmod keeps the dividend's signed zero, as PyTorch
    expect(torch.remainder(torch.ones(2, 1), torch.ones(3)).shape).toEqual([2, 3]);
  });

  it("refuses int64 division by zero and bool operands", () => {
    expect(() => torch.remainder(long([1]), 0)).toThrow("ZeroDivisionError");
    expect(() => torch.remainder(torch.tensor([true]), torch.tensor([true]))).toThrow(`"remainder_cpu" not implemented for 'Bool'`);
  });

  it("gradients: 1 for input, -floor(input / other) for other (gradcheck, broadcast)", () => {
    const a = torch.tensor([[5.3, -4.2], [7.1, 1.4]]).requiresGrad_(true);
    const b = torch.tensor([2.1, -1.3]).requiresGrad_(true);
    expect(gradcheck((x, y) => torch.remainder(x, y), [a, b], { eps: 1e-3, atol: 1e-2, rtol: 1e-2 })).toBe(true);
    const y = a.remainder(b);
    expect((y.grad_fn as any).name).toBe("RemainderBackward1");
    expect((a.remainder(2).grad_fn as any).name).toBe("RemainderBackward0");
    y.sum().backward();
    expect(vals(b.grad!)).toEqual([-(Math.floor(5.3 / 2.1) + Math.floor(7.1 / 2.1)), -(Math.floor(-4.2 / -1.3) + Math.floor(1.4 / -1.3))]);
  });
});
