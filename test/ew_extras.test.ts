// Elementwise extras: the bitwise and logical ops, in-place comparisons and comparison aliases,
// arithmetic aliases, special functions (lgamma, digamma, polygamma, i0, ...), predicates and the
// torch.x_ in-place function forms. Expected values come from each op's definition (two's
// complement arithmetic done with BigInt, series and recurrences in double, Float32Array /
// Float64Array bit steps), never from PyTorch's printed output; gradients by gradcheck in float64.
import { describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import { backends, useBackend, vals } from "./helpers/backends.js";

const long = (xs: number[]) => torch.tensor(xs, { dtype: "int64" });
const f64 = (xs: number[]) => torch.tensor(xs, { dtype: "float64" });
const typed = (xs: number[], dtype: torch.DType) => torch.tensor(xs, { dtype });

/** Two's complement reference: x op y on a `bits`-wide signed (or unsigned) integer. */
function ref(op: "and" | "or" | "xor", x: number, y: number, bits: number, signed = true): number {
  const X = BigInt(x), Y = BigInt(y);
  const r = op === "and" ? X & Y : op === "or" ? X | Y : X ^ Y;
  return Number(signed ? BigInt.asIntN(bits, r) : BigInt.asUintN(bits, r));
}

describe.each(backends())("elementwise extras [%s]", (name) => {
  useBackend(name);

  describe("bitwise ops", () => {
    it("and / or / xor follow two's complement on every integer dtype, with broadcasting", () => {
      const xs = [0, 1, -1, 5, -6, 127, -128, 100];
      const ys = [3, -2, 7, 12, -1, 1, 64, -100];
      for (const [dtype, bits, signed] of [["int8", 8, true], ["int16", 16, true], ["int32", 32, true], ["int64", 64, true]] as const) {
        const a = typed(xs, dtype), b = typed(ys, dtype);
        for (const op of ["and", "or", "xor"] as const) {
          const fn = op === "and" ? torch.bitwiseAnd : op === "or" ? torch.bitwiseOr : torch.bitwiseXor;
          const r = fn(a, b);
          expect(r.dtype).toBe(dtype);
          expect(vals(r)).toEqual(xs.map((x, i) => ref(op, x, ys[i], bits, signed)));
        }
      }
      const u = typed([0, 200, 255, 17], "uint8");
      expect(vals(u.bitwiseXor(typed([255, 55, 1, 17], "uint8")))).toEqual([255, 200 ^ 55, 254, 0]);
      // large int64 values go through exact 64-bit arithmetic
      const big = 2 ** 52 + 3;
      expect(vals(long([big, -big]).bitwiseAnd(long([2 ** 52 + 1, -1])))).toEqual([ref("and", big, 2 ** 52 + 1, 64), -big]);
      expect(vals(long([big]).bitwiseXor(long([-1])))).toEqual([-big - 1]);
      const m = long([1, 2, 3]).reshape(3, 1).bitwiseOr(long([4, 8]));
      expect(m.shape).toEqual([3, 2]);
      expect(vals(m)).toEqual([5, 9, 6, 10, 7, 11]);
      expect(torch.bitwiseAnd(long([]), 1).shape).toEqual([0]);
      expect(vals(torch.bitwiseAnd(torch.tensor(6, { dtype: "int64" }), 3))).toEqual([2]);
    });

    it("promotes as PyTorch: bool & bool is bool, bool & int is int64, a scalar wraps to the tensor's dtype", () => {
      const b = torch.tensor([true, false, true]);
      const c = torch.tensor([true, true, false]);
      expect(torch.bitwiseAnd(b, c).dtype).toBe("bool");
      expect(vals(torch.bitwiseAnd(b, c))).toEqual([1, 0, 0]);
      expect(vals(torch.bitwiseOr(b, c))).toEqual([1, 1, 1]);
      expect(vals(torch.bitwiseXor(b, c))).toEqual([0, 1, 1]);
      expect(vals(torch.bitwiseAnd(b, true))).toEqual([1, 0, 1]);
      const bi = torch.bitwiseAnd(b, 1);
      expect(bi.dtype).toBe("int64");
      expect(vals(bi)).toEqual([1, 0, 1]);
      const s = torch.bitwiseAnd(typed([1, 2], "int8"), typed([3], "uint8"));
      expect(s.dtype).toBe("int16");
      expect(vals(s)).toEqual([1, 2]);
      // 300 wraps to int8 as 44 (0b101100)
      const w = torch.bitwiseXor(typed([1, 2], "int8"), 300);
      expect(w.dtype).toBe("int8");
      expect(vals(w)).toEqual([1 ^ 44, 2 ^ 44]);
      // a 0-d tensor counts by category only
      expect(torch.bitwiseAnd(torch.tensor(5, { dtype: "int64" }), typed([3], "int8")).dtype).toBe("int8");
      expect(vals(torch.bitwiseAnd(3, long([1, 2])))).toEqual([1, 2]);
    });

    it("refuses floating operands with PyTorch's kernel errors, and float scalars with integer tensors", () => {
      const f = torch.tensor([1, 2]);
      expect(() => torch.bitwiseAnd(f, f)).toThrow(/"bitwise_and_cpu" not implemented for 'Float'/);
      expect(() => torch.bitwiseOr(f, 1)).toThrow(/"bitwise_or_cpu" not implemented for 'Float'/);
      expect(() => torch.bitwiseXor(long([1]), f)).toThrow(/"bitwise_xor_cpu" not implemented for 'Float'/);
      expect(() => long([1]).bitwiseAnd(1.5)).toThrow(/"bitwise_and_cpu" not implemented for 'Float'/);
      expect(() => torch.bitwiseNot(f64([1]))).toThrow(/"bitwise_not_cpu" not implemented for 'Double'/);
      expect(() => torch.bitwiseLeftShift(f, 1)).toThrow(/"lshift_cpu" not implemented for 'Float'/);
      expect(() => torch.bitwiseRightShift(long([1]), f)).toThrow(/"rshift_cpu" not implemented for 'Float'/);
      const b = torch.tensor([true]);
      expect(() => torch.bitwiseLeftShift(b, b)).toThrow(/"lshift_cpu" not implemented for 'Bool'/);
      expect(() => torch.bitwiseAnd(long([1, 2]), long([1, 2, 3]))).toThrow(/must match the size/);
    });

    it("not is ~x (-x - 1) on integers and logical not on bool", () => {
      expect(vals(long([0, 5, -6]).bitwiseNot())).toEqual([-1, -6, 5]);
      expect(vals(typed([0, 5], "uint8").bitwiseNot())).toEqual([255, 250]);
      expect(vals(typed([127, -128], "int8").bitwiseNot())).toEqual([-128, 127]);
      const nb = torch.bitwiseNot(torch.tensor([true, false]));
      expect(nb.dtype).toBe("bool");
      expect(vals(nb)).toEqual([0, 1]);
    });

    it("shifts as PyTorch 1.13's CPU kernel: C shifts, the count taken modulo the promoted width", () => {
      expect(vals(long([3, 5]).bitwiseLeftShift(2))).toEqual([12, 20]);
      expect(vals(long([-5]).bitwiseLeftShift(2))).toEqual([-20]);
      expect(vals(long([-5, 12]).bitwiseRightShift(1))).toEqual([-3, 6]); // floor(x / 2)
      // int64: the count modulo 64 (70 is 6)
      expect(vals(long([3, 5]).bitwiseLeftShift(70))).toEqual([3 * 64, 5 * 64]);
      expect(vals(long([1024]).bitwiseRightShift(66))).toEqual([256]);
      expect(vals(long([-3, -5]).bitwiseRightShift(70))).toEqual([-1, -1]);
      // a wrap past 64 bits: 2^52 << 12 is 2^64, 0
      expect(vals(long([2 ** 52]).bitwiseLeftShift(12))).toEqual([0]);
      // narrower dtypes shift as 32-bit ints (count modulo 32), then wrap to the dtype
      expect(vals(typed([1], "uint8").bitwiseLeftShift(7))).toEqual([128]);
      expect(vals(typed([1], "uint8").bitwiseLeftShift(8))).toEqual([0]);
      expect(vals(typed([1], "int8").bitwiseLeftShift(7))).toEqual([-128]);
      expect(vals(typed([3], "int16").bitwiseLeftShift(17))).toEqual([0]); // 3 * 2^17 wraps to 0
      expect(vals(typed([3], "int16").bitwiseLeftShift(33))).toEqual([6]); // 33 mod 32 = 1
      expect(vals(typed([3], "int32").bitwiseLeftShift(33))).toEqual([6]);
      expect(vals(typed([-1024], "int16").bitwiseRightShift(17))).toEqual([-1]);
      expect(vals(typed([200], "uint8").bitwiseRightShift(9))).toEqual([0]);
      expect(vals(torch.bitwiseLeftShift(3, long([1, 3])))).toEqual([6, 24]);
      expect(vals(long([1, 2, 3]).bitwiseRightShift(long([0, 1, 1])))).toEqual([1, 1, 1]);
      // a result outside what torchlet stores exactly is refused, not rounded
      expect(() => long([1]).bitwiseLeftShift(63)).toThrow(/int64/);
    });

    it("in place: the result cast to self's dtype where PyTorch allows it", () => {
      const a = typed([1, 2], "int32");
      const r = a.bitwiseAnd_(long([3, 1]));
      expect(r).toBe(a);
      expect(a.dtype).toBe("int32");
      expect(vals(a)).toEqual([1, 0]);
      const x = long([1, 2, 4]);
      x.bitwiseOr_(1).bitwiseXor_(long([1, 0, 0])).bitwiseLeftShift_(1);
      expect(vals(x)).toEqual([0, 6, 10]);
      x.bitwiseRightShift_(1);
      expect(vals(x)).toEqual([0, 3, 5]);
      x.bitwiseNot_();
      expect(vals(x)).toEqual([-1, -4, -6]);
      expect(() => torch.tensor([true]).bitwiseAnd_(long([1]))).toThrow(/result type Long can't be cast to the desired output type Bool/);
      expect(() => typed([1], "uint8").bitwiseAnd_(long([1, 2]))).toThrow(/output with shape \[1\] doesn't match the broadcast shape \[2\]/);
      expect(() => torch.tensor([1, 2]).bitwiseAnd_(1)).toThrow(/"bitwise_and_cpu" not implemented for 'Float'/);
      const out = long([0, 0]);
      expect(torch.bitwiseOr(long([1, 2]), 4, { out })).toBe(out);
      expect(vals(out)).toEqual([5, 6]);
    });

    it("logical_xor and the logical ops in place keep self's dtype", () => {
      const r = torch.logicalXor(torch.tensor([1, 0, 2, 0]), long([0, 0, 3, 5]));
      expect(r.dtype).toBe("bool");
      expect(vals(r)).toEqual([1, 0, 0, 1]);
      expect(vals(torch.tensor([NaN, 0]).logicalXor(torch.tensor([0, 0])))).toEqual([1, 0]);
      expect(() => torch.logicalXor(torch.tensor([1]), 1 as unknown as torch.Tensor)).toThrow(/logical_xor\(\): argument 'other' \(position 2\) must be Tensor, not int/);
      const a = torch.tensor([1, 2, 0]);
      a.logicalXor_(long([0, 3, 0]));
      expect(a.dtype).toBe("float32");
      expect(vals(a)).toEqual([1, 0, 0]);
      const b = torch.tensor([0.5, 0, 3]);
      b.logicalAnd_(torch.tensor([1, 1, 0]));
      expect(vals(b)).toEqual([1, 0, 0]);
      const c = long([0, 4]);
      c.logicalOr_(torch.tensor([false, false]));
      expect(vals(c)).toEqual([0, 1]);
      c.logicalNot_();
      expect(c.dtype).toBe("int64");
      expect(vals(c)).toEqual([1, 0]);
      expect(() => torch.tensor([1]).logicalAnd_(torch.tensor([1, 2]))).toThrow(/doesn't match the broadcast shape/);
    });
  });
  describe("comparisons in place and comparison aliases", () => {
    it("eq_ ... ge_ store the comparison in self's dtype, broadcasting other to self", () => {
      const a = torch.tensor([1, 2, 3]);
      expect(a.clone().eq_(2).dtype).toBe("float32");
      expect(vals(torch.tensor([1, 2, 3]).eq_(2))).toEqual([0, 1, 0]);
      expect(vals(torch.tensor([1, 2, 3]).ne_(2))).toEqual([1, 0, 1]);
      expect(vals(long([1, 2, 3]).lt_(2.5))).toEqual([1, 1, 0]);
      expect(vals(long([1, 2, 3]).le_(long([1])))).toEqual([1, 0, 0]);
      expect(vals(torch.tensor([1, 2, 3]).gt_(torch.tensor([0, 2, 4])))).toEqual([1, 0, 0]);
      expect(vals(f64([1, 2, NaN]).ge_(2))).toEqual([0, 1, 0]);
      const b = torch.tensor([true, false]);
      b.gt_(torch.tensor([0.5, -1]));
      expect(b.dtype).toBe("bool");
      expect(vals(b)).toEqual([1, 1]);
      expect(() => torch.tensor([1, 2, 3]).eq_(torch.tensor([[1], [2]]))).toThrow(/output with shape \[3\] doesn't match the broadcast shape \[2, 3\]/);
      const c = long([1, 5]);
      expect(c.greater_(2)).toBe(c);
      expect(vals(c)).toEqual([0, 1]);
      expect(vals(torch.tensor([1, 2]).greaterEqual_(2))).toEqual([0, 1]);
      expect(vals(torch.tensor([1, 2]).less_(2))).toEqual([1, 0]);
      expect(vals(torch.tensor([1, 2]).lessEqual_(1))).toEqual([1, 0]);
      expect(vals(torch.tensor([1, 2]).notEqual_(1))).toEqual([0, 1]);
    });

    it("greater / greater_equal / less / less_equal / not_equal are gt / ge / lt / le / ne", () => {
      const x = torch.tensor([1, 2, 3]), y = torch.tensor([3, 2, 1]);
      const pairs: [torch.Tensor, torch.Tensor][] = [
        [torch.greater(x, y), x.gt(y)], [torch.greaterEqual(x, y), x.ge(y)], [torch.less(x, 2), x.lt(2)],
        [torch.lessEqual(x, 2), x.le(2)], [torch.notEqual(x, y), x.ne(y)], [x.greater(2), x.gt(2)],
        [x.greaterEqual(y), x.ge(y)], [x.less(y), x.lt(y)], [x.lessEqual(y), x.le(y)], [x.notEqual(2), x.ne(2)],
      ];
      for (const [a, b] of pairs) {
        expect(a.dtype).toBe("bool");
        expect(vals(a)).toEqual(vals(b));
      }
      expect(vals(torch.greater(x, y))).toEqual([0, 0, 1]);
    });
  });

  describe("arithmetic aliases", () => {
    it("divide / multiply / subtract / true_divide forward to div / mul / sub", () => {
      const x = long([7, -7, 6]);
      expect(vals(torch.divide(x, 2))).toEqual([3.5, -3.5, 3]);
      expect(vals(torch.divide(x, 2, { roundingMode: "floor" }))).toEqual([3, -4, 3]);
      expect(vals(x.divide(2, { roundingMode: "trunc" }))).toEqual([3, -3, 3]);
      expect(torch.trueDivide(x, 2).dtype).toBe("float32");
      expect(vals(x.trueDivide(2))).toEqual([3.5, -3.5, 3]);
      expect(vals(torch.multiply(x, 2))).toEqual([14, -14, 12]);
      expect(vals(x.multiply(long([1, 0, 2])))).toEqual([7, 0, 12]);
      expect(vals(torch.subtract(torch.tensor([1, 2, 3]), 1, { alpha: 2 }))).toEqual([-1, 0, 1]);
      expect(vals(torch.tensor([1, 2, 3]).subtract(torch.tensor([1, 1, 1]), { alpha: 3 }))).toEqual([-2, -1, 0]);
      const y = long([7, -7]);
      y.divide_(2, { roundingMode: "floor" });
      expect(vals(y)).toEqual([3, -4]);
      expect(() => long([7]).divide_(2)).toThrow(/result type Float can't be cast to the desired output type Long/);
      expect(() => long([7]).trueDivide_(2)).toThrow(/result type Float can't be cast to the desired output type Long/);
      const z = torch.tensor([1, 2]);
      z.multiply_(3).subtract_(1, { alpha: 2 }).trueDivide_(2);
      expect(vals(z)).toEqual([0.5, 2]);
      expect(() => x.divide(2, { roundingMode: "round" as "floor" })).toThrow(/rounding_mode/);
    });

    it("floor_divide rounds toward -inf (1.13), refuses an integer division by zero and has no derivative", () => {
      expect(vals(torch.floorDivide(long([-7, 7, -8]), 2))).toEqual([-4, 3, -4]);
      expect(torch.floorDivide(long([-7]), 2).dtype).toBe("int64");
      expect(vals(torch.floorDivide(torch.tensor([-7, 7]), 2))).toEqual([-4, 3]);
      expect(vals(torch.floorDivide(torch.tensor([1, -1]), 0))).toEqual([Infinity, -Infinity]);
      expect(() => torch.floorDivide(long([-7]), 0)).toThrow(/ZeroDivisionError/);
      const a = long([9, -9]);
      a.floorDivide_(long([4]));
      expect(vals(a)).toEqual([2, -3]);
      expect(() => long([7]).floorDivide_(2.5)).toThrow(/result type Float can't be cast to the desired output type Long/);
      const w = f64([1.5, 2.5]).requiresGrad_();
      const r = torch.floorDivide(w, 1);
      expect(r.requiresGrad).toBe(true);
      expect(r.gradFn?.name).toBe("NotImplemented");
      expect(() => r.sum().backward()).toThrow(/derivative for aten::floor_divide is not implemented/);
    });

    it("rsub is other - alpha * input; positive is the input itself; concat is cat", () => {
      const x = torch.tensor([1, 2, 3]);
      expect(vals(torch.rsub(x, 1, { alpha: 2 }))).toEqual([-1, -3, -5]);
      expect(vals(torch.rsub(x, torch.tensor([1, 1, 1])))).toEqual([0, -1, -2]);
      expect(vals(torch.rsub(long([1, 2, 3]), 1.5))).toEqual([0.5, -0.5, -1.5]);
      expect(() => torch.rsub(torch.tensor([true]), 1)).toThrow(/Subtraction, the `-` operator, with a bool tensor is not supported/);
      const w = f64([1, 2]).requiresGrad_();
      expect(torch.rsub(w, 1).gradFn?.name).toBe("RsubBackward1");
      expect(torch.rsub(w, f64([1, 1])).gradFn?.name).toBe("RsubBackward0");
      expect(torch.gradcheck((t: torch.Tensor) => torch.rsub(t, f64([3, 4]), { alpha: 2.5 }), [w])).toBe(true);
      expect(torch.positive(x)).toBe(x);
      expect(x.positive()).toBe(x);
      expect(() => torch.positive(torch.tensor([true]))).toThrow(/The `\+` operator, on a bool tensor is not supported./);
      expect(vals(torch.concat([x, x]))).toEqual([1, 2, 3, 1, 2, 3]);
      expect(torch.concatenate([x.reshape(1, 3), x.reshape(1, 3)], 1).shape).toEqual([1, 6]);
      expect(vals(torch.negative(long([1, -2])))).toEqual([-1, 2]);
      expect(vals(torch.fix(torch.tensor([-1.5, 1.5])))).toEqual([-1, 1]);
    });
  });
});
