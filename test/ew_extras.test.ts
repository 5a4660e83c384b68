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
      const z = long([1, 2, 3, 4]).reshape(2, 2);
      z.t().bitwiseXor_(long([1, 0])); // into a transposed view: z's column 0 gets ^1
      expect(vals(z)).toEqual([0, 3, 3, 4]);
      expect(() => long([1]).expand(3).bitwiseAnd_(1)).toThrow(/more than one element of the written-to tensor refers to a single memory location/);
      expect(() => torch.tensor([true]).bitwiseAnd_(long([1]))).toThrow(/result type Long can't be cast to the desired output type Bool/);
      expect(() => typed([1], "uint8").bitwiseAnd_(long([1, 2]))).toThrow(/output with shape \[1\] doesn't match the broadcast shape \[2\]/);
      expect(() => torch.tensor([1, 2]).bitwiseAnd_(1)).toThrow(/"bitwise_and_cpu" not implemented for 'Float'/);
      // PyTorch checks the promoted dtype against self's before the kernel's dtype
      expect(() => long([1]).bitwiseAnd_(1.5)).toThrow(/result type Float can't be cast to the desired output type Long/);
      expect(() => typed([1], "int8").bitwiseXor_(torch.tensor([1]))).toThrow(/result type Float can't be cast to the desired output type Char/);
      expect(() => long([4]).gcd_(torch.tensor([2]))).toThrow(/result type Float can't be cast to the desired output type Long/);
      expect(() => torch.tensor([true]).nextafter_(long([1]))).toThrow(/result type Long can't be cast to the desired output type Bool/);
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
      // recorded with a zero gradient, as PyTorch's EqBackward0 / GtBackward1
      const w = f64([1, 2]).requiresGrad_(), o = f64([1.5, 1.5]).requiresGrad_();
      const y = w.mul(2);
      y.eq_(2);
      expect(y.gradFn?.name).toBe("EqBackward0");
      expect(vals(y)).toEqual([1, 0]);
      const z = w.mul(1);
      z.gt_(o);
      expect(z.gradFn?.name).toBe("GtBackward1");
      y.add(z).sum().backward();
      expect(vals(w.grad!)).toEqual([0, 0]);
      expect(vals(o.grad!)).toEqual([0, 0]);
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
      const y2 = long([7, -7]);
      y2.div_(2, { roundingMode: "floor" });
      expect(vals(y2)).toEqual([3, -4]);
      const y3 = torch.tensor([7, -7]);
      y3.div_(2, { roundingMode: "trunc" }).div_(2);
      expect(vals(y3)).toEqual([1.5, -1.5]);
      expect(() => long([7]).divide_(2)).toThrow(/result type Float can't be cast to the desired output type Long/);
      expect(() => long([7]).trueDivide_(2)).toThrow(/result type Float can't be cast to the desired output type Long/);
      // bool arithmetic in place: mul_ is and, add_ is or; a bool operand of sub_ is refused
      const bb = torch.tensor([true, false, true]);
      bb.multiply_(torch.tensor([true, true, false]));
      expect(bb.dtype).toBe("bool");
      expect(vals(bb)).toEqual([1, 0, 0]);
      bb.add_(torch.tensor([false, true, false]));
      expect(vals(bb)).toEqual([1, 1, 0]);
      expect(() => typed([1], "int8").subtract_(torch.tensor([true]))).toThrow(/Subtraction, the `-` operator, with a bool tensor is not supported/);
      expect(() => torch.tensor([true]).sub_(1)).toThrow(/Subtraction, the `-` operator, with a bool tensor is not supported/);
      // with alpha too (the bool operand is refused before alpha scales it), and bool - bool
      expect(() => torch.subtract(long([1]), torch.tensor([true]), { alpha: 2 })).toThrow(/with a bool tensor is not supported/);
      expect(() => torch.rsub(torch.tensor([true]), torch.tensor([1]), { alpha: 2 })).toThrow(/with a bool tensor is not supported/);
      expect(() => torch.tensor([1]).subtract_(torch.tensor([true]), { alpha: 2 })).toThrow(/with a bool tensor is not supported/);
      expect(() => torch.tensor([true]).subtract_(torch.tensor([true]), { alpha: 2 })).toThrow(/with two bool tensors is not supported. Use the `\^` or `logical_xor\(\)` operator instead./);
      expect(() => torch.divide(torch.tensor([true]), torch.tensor([true]), { roundingMode: "floor" })).toThrow(/"div_floor_cpu" not implemented for 'Bool'/);
      expect(() => torch.divide(torch.tensor([true]), torch.tensor([true]), { roundingMode: "trunc" })).toThrow(/"div_trunc_cpu" not implemented for 'Bool'/);
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
      expect(() => torch.floorDivide(torch.tensor([true]), torch.tensor([true]))).toThrow(/"div_floor_cpu" not implemented for 'Bool'/);
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
      // the rounding functions keep integer tensors as they are (and their dtype); bool is refused
      for (const f of [torch.fix, torch.trunc, torch.floor, torch.ceil, torch.round]) {
        const r = f(typed([-3, 0, 5], "int32"));
        expect(r.dtype).toBe("int32");
        expect(vals(r)).toEqual([-3, 0, 5]);
      }
      const fi = long([7, -2]);
      expect(vals(fi.fix_())).toEqual([7, -2]);
      expect(vals(typed([200], "uint8").floor())).toEqual([200]);
      expect(() => torch.tensor([true]).trunc()).toThrow(/"trunc_vml_cpu" not implemented for 'Bool'/);
    });
  });
  describe("more elementwise math", () => {
    const close = (got: number[], want: number[], rtol: number) =>
      got.forEach((g, i) => {
        if (!Number.isFinite(want[i]) || Number.isNaN(want[i])) expect(g).toBe(want[i]);
        else expect(Math.abs(g - want[i])).toBeLessThanOrEqual(rtol * Math.max(1, Math.abs(want[i])));
      });

    it("fmax / fmin ignore a NaN on one side, promote, and send the gradient where PyTorch does", () => {
      const a = f64([1, NaN, -0, 3, NaN]), b = f64([NaN, NaN, 0, 5, 2]);
      expect(vals(torch.fmax(a, b))).toEqual([1, NaN, -0, 5, 2]);
      expect(Object.is(vals(torch.fmax(a, b))[2], -0)).toBe(true);
      expect(vals(torch.fmin(a, b))).toEqual([1, NaN, -0, 3, 2]);
      const m = torch.fmax(long([1, 2, 3]), torch.tensor([2.5]));
      expect(m.dtype).toBe("float32");
      expect(vals(m)).toEqual([2.5, 2.5, 3]);
      expect(vals(long([1, 5]).fmin(long([3, 3])))).toEqual([1, 3]);
      expect(vals(torch.fmax(torch.tensor([true, false]), torch.tensor([false, false])))).toEqual([1, 0]);
      expect(() => torch.fmax(long([1]), 2 as unknown as torch.Tensor)).toThrow(/fmax\(\): argument 'other' \(position 2\) must be Tensor, not int/);
      const x = f64([1, 4, 2]).requiresGrad_(), y = f64([3, 0, 2]).requiresGrad_();
      expect(torch.fmax(x, y).gradFn?.name).toBe("FmaxBackward0");
      torch.fmax(x, y).sum().backward();
      expect(vals(x.grad!)).toEqual([0, 1, 1]); // ties go to self
      expect(vals(y.grad!)).toEqual([1, 0, 0]);
      expect(torch.gradcheck((p: torch.Tensor, q: torch.Tensor) => torch.fmin(p, q), [f64([1, 4, -2]).requiresGrad_(), f64([3, 0, 2]).requiresGrad_()])).toBe(true);
    });

    it("signbit reads the sign bit: -0, -inf and negative NaNs too", () => {
      const bits = new Float32Array(5);
      bits.set([-0, 0, -1, Infinity]);
      new Uint32Array(bits.buffer)[4] = 0xffc00000; // a NaN with the sign bit set
      const x = torch.Tensor.fromStorage(bits, [5]);
      expect(vals(torch.signbit(x))).toEqual([1, 0, 1, 0, 1]);
      const d = f64([-0, 5, -Infinity, NaN, NaN]);
      const words = new Uint32Array(d.typedArray.buffer, d.typedArray.byteOffset, 10);
      words[9] |= 0x80000000; // the last NaN gets the sign bit
      expect(vals(d.signbit())).toEqual([1, 0, 1, 0, 1]);
      expect(vals(long([-3, 0, 2]).signbit())).toEqual([1, 0, 0]);
      expect(vals(torch.tensor([-1, 0.5]).half().signbit())).toEqual([1, 0]);
      expect(vals(torch.signbit(torch.tensor([true])))).toEqual([0]);
      expect(torch.signbit(torch.tensor([1])).dtype).toBe("bool");
    });

    it("sinc is sin(pi x) / (pi x), 1 at 0, with SincBackward0's gradient (0 at 0)", () => {
      const xs = [0, 0.5, -0.5, 1.25, 3.3];
      close(vals(torch.sinc(f64(xs))), xs.map((v) => (v === 0 ? 1 : Math.sin(Math.PI * v) / (Math.PI * v))), 1e-15);
      const i = torch.sinc(long([0, 1, 2]));
      expect(i.dtype).toBe("float32");
      expect(vals(i)[0]).toBe(1);
      expect(Math.abs(vals(i)[1])).toBeLessThan(1e-6);
      const w = f64([0, 0.3, -1.7, 2.5]).requiresGrad_();
      expect(torch.sinc(w).gradFn?.name).toBe("SincBackward0");
      expect(torch.gradcheck((t: torch.Tensor) => torch.sinc(t), [f64([0.3, -1.7, 2.5]).requiresGrad_()])).toBe(true);
      torch.sinc(w).sum().backward();
      expect(vals(w.grad!)[0]).toBe(0);
      const z = torch.tensor([0, 0.5]);
      z.sinc_();
      expect(vals(z)).toEqual([1, Math.fround(Math.fround(Math.sin(Math.fround(Math.PI * 0.5))) / Math.fround(Math.PI * 0.5))]);
      expect(() => long([1]).sinc_()).toThrow(/result type Float can't be cast to the desired output type Long/);
    });

    it("heaviside: 0 below 0 (and at NaN), values at 0, 1 above; same dtypes only; no derivative", () => {
      expect(vals(torch.heaviside(torch.tensor([-1, 0, 2, NaN, -0]), torch.tensor([0.5])))).toEqual([0, 0.5, 1, 0, 0.5]);
      expect(vals(torch.heaviside(long([-1, 0, 2]), long([7])))).toEqual([0, 7, 1]);
      expect(vals(torch.heaviside(long([-1, 0]), long([7, 8])))).toEqual([0, 8]);
      expect(vals(torch.heaviside(torch.tensor([true, false]), torch.tensor([true])))).toEqual([1, 1]);
      expect(() => torch.heaviside(torch.tensor([1]), long([7]))).toThrow(/heaviside is not yet implemented for tensors with different dtypes./);
      expect(() => torch.heaviside(torch.tensor([1]), 0.5 as unknown as torch.Tensor)).toThrow(/heaviside\(\): argument 'values' \(position 2\) must be Tensor, not float/);
      const w = f64([1, 0]).requiresGrad_();
      expect(() => torch.heaviside(w, f64([0.5])).sum().backward()).toThrow(/derivative for aten::heaviside is not implemented/);
      const h = torch.tensor([-2, 0, 3]);
      h.heaviside_(torch.tensor([0.25]));
      expect(vals(h)).toEqual([0, 0.25, 1]);
    });

    it("gcd / lcm: nonnegative, gcd(0, 0) = 0, integer dtypes only", () => {
      const euclid = (a: number, b: number): number => (b === 0 ? Math.abs(a) : euclid(b, a % b));
      const as = [12, -8, 0, 0, 17, 30], bs = [18, 12, 5, 0, -5, 42];
      expect(vals(torch.gcd(long(as), long(bs)))).toEqual(as.map((a, i) => euclid(a, bs[i])));
      expect(vals(torch.lcm(long(as), long(bs)))).toEqual(as.map((a, i) => (euclid(a, bs[i]) === 0 ? 0 : Math.abs((a * bs[i]) / euclid(a, bs[i])))));
      expect(vals(torch.gcd(long([12, 18]), long([4])))).toEqual([4, 2]);
      expect(torch.gcd(typed([5], "int8"), long([10])).dtype).toBe("int64");
      expect(vals(torch.lcm(typed([-128], "int8"), typed([3], "int8")))).toEqual([-128]); // |-384| wraps in int8
      expect(() => torch.gcd(torch.tensor([12]), torch.tensor([18]))).toThrow(/"gcd_cpu" not implemented for 'Float'/);
      expect(() => torch.lcm(torch.tensor([true]), torch.tensor([true]))).toThrow(/"lcm_cpu" not implemented for 'Bool'/);
      expect(() => torch.gcd(long([12]), 4 as unknown as torch.Tensor)).toThrow(/gcd\(\): argument 'other' \(position 2\) must be Tensor, not int/);
      const g = long([12, 9]);
      g.gcd_(long([8, 6])).lcm_(long([3, 4]));
      expect(vals(g)).toEqual([12, 12]);
    });

    it("ldexp is x * 2^e (float32 for integers); frexp splits x = m * 2^e with 0.5 <= |m| < 1", () => {
      expect(vals(torch.ldexp(torch.tensor([1, 3]), long([3, -1])))).toEqual([8, 1.5]);
      expect(torch.ldexp(long([1]), long([3])).dtype).toBe("float32");
      expect(torch.ldexp(long([3]), f64([2.5])).dtype).toBe("float64");
      expect(() => long([1]).ldexp_(long([3]))).toThrow(/result type Float can't be cast to the desired output type Long/);
      const l = torch.tensor([1, 2]);
      l.ldexp_(long([2, -1]));
      expect(vals(l)).toEqual([4, 1]);
      expect(torch.gradcheck((a: torch.Tensor, e: torch.Tensor) => torch.ldexp(a, e), [f64([0.5, -2]).requiresGrad_(), f64([1, -0.5]).requiresGrad_()])).toBe(true);
      const xs = [8, 0, -3, 1e-40, 0.1, 3e38, 1];
      const x = torch.tensor(xs);
      const { mantissa, exponent } = torch.frexp(x);
      expect(exponent.dtype).toBe("int32");
      expect(mantissa.dtype).toBe("float32");
      const m = vals(mantissa), e = vals(exponent);
      xs.forEach((v, i) => {
        expect(m[i] * 2 ** e[i]).toBe(Math.fround(v));
        if (v !== 0) expect(Math.abs(m[i]) >= 0.5 && Math.abs(m[i]) < 1).toBe(true);
      });
      expect(e.slice(0, 3)).toEqual([4, 0, 2]);
      const [mi, ei] = torch.frexp(torch.tensor([Infinity, NaN]));
      expect(vals(mi)).toEqual([Infinity, NaN]);
      expect(vals(ei)).toEqual([0, 0]);
      const md = f64([5e-324, 1.7976931348623157e308]).frexp();
      expect(vals(md.exponent)).toEqual([-1073, 1024]);
      expect(vals(md.mantissa)).toEqual([0.5, 1.7976931348623157e308 / 2 ** 1023 / 2]);
      expect(() => torch.frexp(long([8]))).toThrow(/torch.frexp\(\) only supports floating-point dtypes/);
      const w = f64([3, -0.7, 100]).requiresGrad_();
      expect(torch.frexp(w).mantissa.gradFn?.name).toBe("FrexpBackward0");
      expect(torch.gradcheck((t: torch.Tensor) => torch.frexp(t).mantissa, [w])).toBe(true);
    });

    it("nextafter steps one unit in the last place of the dtype toward other", () => {
      const f = new Float32Array(1), u = new Uint32Array(f.buffer);
      const step = (v: number, d: number) => { f[0] = v; u[0] += d; return f[0]; };
      const r = torch.nextafter(torch.tensor([1, 1, -1, 0, 0, 5]), torch.tensor([2, 0, 0, 1, -1, 5]));
      expect(vals(r)).toEqual([step(1, 1), step(1, -1), step(-1, -1), 2 ** -149, -(2 ** -149), 5]);
      const g = new Float64Array(1), w = new BigUint64Array(g.buffer);
      g[0] = 1; w[0] += 1n;
      expect(vals(torch.nextafter(f64([1, NaN, 1, Infinity]), f64([2, 1, NaN, 0])))).toEqual([g[0], NaN, NaN, Number.MAX_VALUE]);
      expect(torch.nextafter(torch.tensor([1]), f64([2])).dtype).toBe("float64");
      expect(() => torch.nextafter(long([1]), long([2]))).toThrow(/"nextafter_cpu" not implemented for 'Long'/);
      expect(() => torch.nextafter(torch.tensor([1]), 2 as unknown as torch.Tensor)).toThrow(/nextafter\(\): argument 'other' \(position 2\) must be Tensor, not int/);
      const x = f64([1]).requiresGrad_();
      const y = torch.nextafter(x, f64([2]));
      expect(y.gradFn?.name).toBe("NextafterBackward0");
      expect(() => y.sum().backward()).toThrow(/the derivative for 'nextafter' is not implemented./);
      const z = torch.tensor([1]);
      z.nextafter_(torch.tensor([0]));
      expect(vals(z)).toEqual([step(1, -1)]);
    });

    it("lgamma is log|Gamma|: log((n - 1)!) at the integers, reflection below 0, +inf at the poles", () => {
      let fact = 1;
      const ns = Array.from({ length: 25 }, (_, k) => k + 1);
      const want = ns.map((n) => { const r = Math.log(fact); fact *= n; return r; });
      close(vals(torch.lgamma(f64(ns))), want, 1e-14);
      close(vals(f64([0.5, -0.5, -1.5]).lgamma()), [0.5 * Math.log(Math.PI), Math.log(2 * Math.sqrt(Math.PI)), Math.log((4 / 3) * Math.sqrt(Math.PI))], 1e-14);
      expect(vals(torch.lgamma(torch.tensor([0, -1, -2, Infinity, -Infinity, NaN])))).toEqual([Infinity, Infinity, Infinity, Infinity, Infinity, NaN]);
      const i = torch.lgamma(long([1, 2, 3]));
      expect(i.dtype).toBe("float32");
      expect(vals(i)).toEqual([0, 0, Math.fround(Math.log(2))]);
      const w = f64([0.3, 2.5, 7, -1.5]).requiresGrad_();
      expect(torch.lgamma(w).gradFn?.name).toBe("LgammaBackward0");
      expect(torch.gradcheck((t: torch.Tensor) => t.lgamma(), [w])).toBe(true);
      expect(torch.gradgradcheck((t: torch.Tensor) => t.lgamma(), [f64([0.7, 3.2]).requiresGrad_()])).toBe(true);
    });

    it("digamma: -EulerGamma at 1, psi(x + 1) = psi(x) + 1/x, the poles as PyTorch", () => {
      const EG = 0.5772156649015329;
      close(vals(torch.digamma(f64([1, 0.5]))), [-EG, -EG - 2 * Math.log(2)], 1e-15);
      const xs = [0.1, 0.7, 1.3, 4.2, 9.5, 25, -0.3, -2.7];
      const a = vals(torch.digamma(f64(xs))), b = vals(torch.digamma(f64(xs.map((x) => x + 1))));
      xs.forEach((x, k) => expect(Math.abs(b[k] - a[k] - 1 / x)).toBeLessThan(1e-12 * Math.max(1, Math.abs(b[k]))));
      expect(vals(torch.digamma(f64([0, -0, -1, Infinity, -Infinity])))).toEqual([-Infinity, Infinity, NaN, Infinity, NaN]);
      const w = f64([0.3, 2.5, -1.5]).requiresGrad_();
      expect(w.digamma().gradFn?.name).toBe("DigammaBackward0");
      expect(torch.gradcheck((t: torch.Tensor) => torch.digamma(t), [w])).toBe(true);
      expect(torch.digamma(long([1])).dtype).toBe("float32");
    });

    it("polygamma: pi^2/6 and -2 zeta(3) at 1, the recurrence, negative n refused", () => {
      const zeta3 = 1.2020569031595942; // Apery's constant
      close(vals(torch.polygamma(1, f64([1, 0.5]))), [Math.PI ** 2 / 6, Math.PI ** 2 / 2], 1e-14);
      close(vals(torch.polygamma(2, f64([1]))), [-2 * zeta3], 1e-14);
      close(vals(torch.polygamma(3, f64([1]))), [Math.PI ** 4 / 15], 1e-14);
      close(vals(torch.polygamma(0, f64([2.5]))), vals(torch.digamma(f64([2.5]))), 0);
      // psi^(n)(x + 1) - psi^(n)(x) = (-1)^n n! / x^(n + 1)
      for (const n of [1, 2, 3, 5]) {
        let fact = 1;
        for (let k = 2; k <= n; k++) fact *= k;
        const xs = [0.3, 1.7, 6.2, 15, -0.4, -2.6];
        const a = vals(torch.polygamma(n, f64(xs))), b = vals(f64(xs.map((x) => x + 1)).polygamma(n));
        xs.forEach((x, k) => {
          const want = ((n % 2 ? -1 : 1) * fact) / x ** (n + 1);
          expect(Math.abs(b[k] - a[k] - want)).toBeLessThan(1e-11 * Math.max(1, Math.abs(a[k])));
        });
      }
      expect(vals(torch.polygamma(1, f64([0, -1])))).toEqual([Infinity, Infinity]);
      expect(vals(torch.polygamma(2, f64([0])))).toEqual([-Infinity]);
      expect(() => torch.polygamma(-1, f64([1]))).toThrow(/polygamma\(n, x\) does not support negative n./);
      const w = f64([0.3, 2.5, 7]).requiresGrad_();
      expect(torch.polygamma(2, w).gradFn?.name).toBe("PolygammaBackward0");
      expect(torch.gradcheck((t: torch.Tensor) => torch.polygamma(2, t), [w])).toBe(true);
      const p = torch.tensor([1]);
      p.polygamma_(1);
      expect(vals(p)).toEqual([Math.fround(Math.PI ** 2 / 6)]);
    });

    it("mvlgamma is log(pi^(p(p-1)/4) prod_j Gamma(x - (j-1)/2)), p >= 1", () => {
      close(vals(torch.mvlgamma(f64([2.5]), 2)), [Math.log(0.75 * Math.PI)], 1e-14); // sqrt(pi) Gamma(2.5) Gamma(2)
      close(vals(torch.mvlgamma(f64([3.3, 0.8]), 1)), vals(torch.lgamma(f64([3.3, 0.8]))), 1e-15);
      // p = 3 at x = 3: pi^(3/2) Gamma(3) Gamma(2.5) Gamma(2) = pi^(3/2) * 2 * (3/4) sqrt(pi)
      close(vals(f64([3]).mvlgamma(3)), [Math.log(1.5 * Math.PI ** 2)], 1e-14);
      close(vals(torch.mvlgamma(f64([3]), { p: 3 })), [Math.log(1.5 * Math.PI ** 2)], 1e-14);
      const q = torch.tensor([2.5]);
      q.mvlgamma_({ p: 2 });
      expect(vals(q)).toEqual([Math.fround(Math.log(0.75 * Math.PI))]);
      expect(torch.mvlgamma(long([2]), 2).dtype).toBe("float32");
      expect(() => torch.mvlgamma(f64([2.5]), 0)).toThrow(/p has to be greater than or equal to 1/);
      expect(() => torch.mvlgamma(torch.tensor([true]), 2)).toThrow(/The input tensor may not be a boolean tensor./);
      const w = f64([2.5, 4.1]).requiresGrad_();
      expect(torch.mvlgamma(w, 3).gradFn?.name).toBe("MvlgammaBackward0");
      expect(torch.gradcheck((t: torch.Tensor) => torch.mvlgamma(t, 3), [w])).toBe(true);
    });

    it("i0 matches the integral (1/pi) int_0^pi exp(x cos t) dt, and its gradient is i1", () => {
      const integral = (x: number, order: number) => {
        const n = 2000;
        let s = 0;
        for (let k = 0; k <= n; k++) {
          const t = (Math.PI * k) / n;
          s += (k === 0 || k === n ? 0.5 : 1) * Math.exp(x * Math.cos(t)) * Math.cos(order * t);
        }
        return s / n;
      };
      const xs = [0, 0.5, -1, 2.5, -7, 20];
      close(vals(torch.i0(f64(xs))), xs.map((x) => integral(x, 0)), 1e-13);
      expect(vals(torch.i0(f64([Infinity, -Infinity, NaN, 1000])))).toEqual([Infinity, Infinity, NaN, Infinity]);
      expect(torch.i0(long([1])).dtype).toBe("float32");
      // integer inputs take the default float dtype
      torch.setDefaultDtype("float64");
      try {
        expect(torch.i0(long([1])).dtype).toBe("float64");
        expect(torch.lgamma(long([3])).dtype).toBe("float64");
        expect(torch.sinc(long([1])).dtype).toBe("float64");
        expect(torch.ldexp(long([1]), long([2])).dtype).toBe("float64");
        expect(torch.mvlgamma(long([3]), 2).dtype).toBe("float64");
      } finally {
        torch.setDefaultDtype("float32");
      }
      // float16 has no kernel in PyTorch's CPU build; bfloat16 does
      const h = torch.tensor([0.5]).half();
      expect(() => torch.i0(h)).toThrow(/"i0_vml_cpu" not implemented for 'Half'/);
      expect(() => torch.lgamma(h)).toThrow(/"lgamma_vml_cpu" not implemented for 'Half'/);
      expect(() => torch.digamma(h)).toThrow(/"digamma" not implemented for 'Half'/);
      expect(() => torch.polygamma(1, h)).toThrow(/"trigamma" not implemented for 'Half'/);
      expect(() => torch.polygamma(2, h)).toThrow(/"polygamma" not implemented for 'Half'/);
      expect(() => torch.sinc(h)).toThrow(/"sinc_cpu" not implemented for 'Half'/);
      const bf = torch.i0(torch.tensor([0.5]).bfloat16());
      expect(bf.dtype).toBe("bfloat16");
      expect(Math.abs(vals(bf.float())[0] - integral(0.5, 0))).toBeLessThan(1e-2);
      const w = f64([0.5, -1, 2.5]).requiresGrad_();
      expect(torch.i0(w).gradFn?.name).toBe("I0Backward0");
      torch.i0(w).sum().backward();
      close(vals(w.grad!), [0.5, -1, 2.5].map((x) => integral(x, 1)), 1e-13);
      expect(torch.gradcheck((t: torch.Tensor) => t.i0(), [f64([0, 0.5, -3]).requiresGrad_()])).toBe(true);
      expect(torch.gradgradcheck((t: torch.Tensor) => t.i0(), [f64([0, 0.5, -3]).requiresGrad_()])).toBe(true);
      const z = torch.tensor([0, 1]);
      expect(vals(z.i0_())).toEqual([1, Math.fround(integral(1, 0))]);
    });
  });
  describe("predicates, fill, detach, hardshrink", () => {
    it("isin: membership after promotion, NaN in nothing, invert, scalars, bool refused", () => {
      const r = torch.isin(long([1, 2, 3, 4]), long([2, 4]));
      expect(r.dtype).toBe("bool");
      expect(vals(r)).toEqual([0, 1, 0, 1]);
      const m = torch.isin(long([1, 2, 3, 4]).reshape(2, 2), torch.tensor([2, 4]), { invert: true });
      expect(m.shape).toEqual([2, 2]);
      expect(vals(m)).toEqual([1, 0, 1, 0]);
      expect(vals(torch.isin(torch.tensor([1, NaN]), torch.tensor([NaN, 1])))).toEqual([1, 0]);
      expect(vals(torch.isin(torch.tensor([1.5, 1]), long([1])))).toEqual([0, 1]);
      expect(vals(torch.isin(torch.tensor([1, 0]), torch.tensor([-0])))).toEqual([0, 1]);
      expect(vals(torch.isin(long([1, 2]), 2))).toEqual([0, 1]);
      const s = torch.isin(2, long([1, 2]));
      expect(s.shape).toEqual([]);
      expect(vals(s)).toEqual([1]);
      expect(vals(torch.isin(long([1, 2]), torch.tensor([])))).toEqual([0, 0]);
      expect(vals(torch.isin(long([1, 2]), long([2]), { assumeUnique: true }))).toEqual([0, 1]);
      expect(torch.isin(long([]), long([1])).shape).toEqual([0]);
      expect(() => torch.isin(torch.tensor([true]), long([1]))).toThrow(/Unsupported input type encountered for isin\(\): Bool/);
    });

    it("isreal, is_complex, is_signed, is_nonzero, is_same_size", () => {
      const r = torch.isreal(torch.tensor([1, NaN]));
      expect(r.dtype).toBe("bool");
      expect(vals(r)).toEqual([1, 1]);
      expect(vals(long([[1, 2]] as unknown as number[]).isreal())).toEqual([1, 1]);
      expect(torch.isComplex(torch.tensor([1]))).toBe(false);
      expect(torch.isSigned(torch.tensor([true]))).toBe(false);
      expect(torch.isSigned(typed([1], "uint8"))).toBe(false);
      expect(torch.isSigned(torch.tensor([1]).half())).toBe(true);
      expect(torch.isNonzero(torch.tensor([[0]]))).toBe(false);
      expect(torch.isNonzero(torch.tensor(NaN))).toBe(true);
      expect(long([3]).isNonzero()).toBe(true);
      expect(torch.isNonzero(torch.tensor([false]))).toBe(false);
      expect(() => torch.isNonzero(torch.tensor([]))).toThrow(/Boolean value of Tensor with no values is ambiguous/);
      expect(() => torch.isNonzero(torch.tensor([1, 2]))).toThrow(/Boolean value of Tensor with more than one value is ambiguous/);
      expect(torch.isSameSize(torch.zeros(2, 3), torch.zeros(3, 2))).toBe(false);
      expect(torch.zeros(2, 3).isSameSize(torch.ones(2, 3))).toBe(true);
      expect(torch.isSameSize(torch.zeros(1), torch.zeros([]))).toBe(false);
    });

    it("fill makes a new tensor of x's dtype; FillBackward0 gives the value tensor the summed gradient", () => {
      const x = long([1, 2]);
      const f = torch.fill(x, 2.5);
      expect(f.dtype).toBe("int64");
      expect(vals(f)).toEqual([2, 2]);
      expect(vals(x)).toEqual([1, 2]);
      expect(vals(torch.fill(torch.tensor([1, 2]), torch.tensor(3)))).toEqual([3, 3]);
      expect(() => torch.fill(torch.tensor([1, 2]), torch.tensor([3]))).toThrow(/fill_ only supports 0-dimension value tensor but got tensor with 1 dimensions./);
      const w = f64([1, 2, 3]).requiresGrad_(), v = torch.tensor(4, { dtype: "float64" }).requiresGrad_();
      const y = torch.fill(w, v);
      expect(y.gradFn?.name).toBe("FillBackward0");
      y.mul(f64([1, 2, 3])).sum().backward();
      expect(vals(w.grad!)).toEqual([0, 0, 0]);
      expect(vals(v.grad!)).toEqual([6]);
      const d = torch.detach(w);
      expect(d.requiresGrad).toBe(false);
      expect(vals(d)).toEqual([1, 2, 3]);
    });

    it("hardshrink as a torch function and a method", () => {
      const x = torch.tensor([-1, 0.2, 0.6, -0.5]);
      expect(vals(torch.hardshrink(x))).toEqual(vals(torch.tensor([-1, 0, 0.6, 0])));
      expect(vals(x.hardshrink(0.1))).toEqual(vals(x));
      expect(vals(x.hardshrink({ lambd: 0.7 }))).toEqual(vals(torch.tensor([-1, 0, 0, 0])));
      expect(() => torch.hardshrink(long([-1, 0, 2]))).toThrow(/"hardshrink_cpu" not implemented for 'Long'/);
      expect(() => torch.tensor([true]).hardshrink()).toThrow(/"hardshrink_cpu" not implemented for 'Bool'/);
      const w = f64([-1, 0.2, 0.9]).requiresGrad_();
      expect(torch.hardshrink(w).gradFn?.name).toBe("HardshrinkBackward0");
      expect(torch.gradcheck((t: torch.Tensor) => t.hardshrink(0.5), [w])).toBe(true);
    });

    it("index_put_ / index_put: assignment, or accumulation where positions repeat", () => {
      const y = torch.zeros(3);
      expect(torch.indexPut_(y, [long([0, 2])], torch.tensor([5, 6]))).toBe(y);
      expect(vals(y)).toEqual([5, 0, 6]);
      y.indexPut_([long([0, 0])], torch.tensor(1), true);
      expect(vals(y)).toEqual([7, 0, 6]);
      const z = torch.zeros(2, 3);
      z.indexPut_([long([[0], [1]] as unknown as number[]), long([0, 2])], torch.tensor(2), { accumulate: true });
      expect(vals(z)).toEqual([2, 0, 2, 2, 0, 2]);
      const m = torch.indexPut(torch.zeros(2, 3), [torch.tensor([true, false])], torch.tensor([1, 2, 3]), true);
      expect(vals(m)).toEqual([1, 2, 3, 0, 0, 0]);
      expect(vals(torch.zeros(2, 3).indexPut([long([-1, -1])], torch.tensor([1, 2, 3]), true))).toEqual([0, 0, 0, 2, 4, 6]);
      const c = long([1, 2, 3]);
      const c2 = c.indexPut([long([1])], long([9]));
      expect(vals(c)).toEqual([1, 2, 3]);
      expect(vals(c2)).toEqual([1, 9, 3]);
      expect(() => torch.zeros(3).indexPut_([long([5])], torch.tensor(1), true)).toThrow(/index 5 is out of bounds for dimension 0 with size 3/);
      const x = f64([0, 0, 0]).requiresGrad_(), v = f64([1, 2]).requiresGrad_();
      const r = x.indexPut([long([0, 0])], v, true);
      expect(r.gradFn?.name).toBe("IndexPutBackward0");
      expect(vals(r)).toEqual([3, 0, 0]);
      r.mul(f64([5, 6, 7])).sum().backward();
      expect(vals(v.grad!)).toEqual([5, 5]);
      expect(vals(x.grad!)).toEqual([5, 6, 7]);
      expect(torch.gradcheck((a: torch.Tensor, b: torch.Tensor) => a.indexPut([long([2, 0, 2])], b, true), [f64([1, 2, 3]).requiresGrad_(), f64([4, 5, 6]).requiresGrad_()])).toBe(true);
    });
  });

  describe("torch.x_ in-place function forms", () => {
    it("each writes into its argument and returns it, as the method does", () => {
      const cases: [string, (t: torch.Tensor) => torch.Tensor, (t: torch.Tensor) => torch.Tensor][] = [
        ["abs_", torch.abs_, (t) => t.abs()], ["exp_", torch.exp_, (t) => t.exp()], ["sqrt_", torch.sqrt_, (t) => t.sqrt()],
        ["rsqrt_", torch.rsqrt_, (t) => t.rsqrt()], ["relu_", torch.relu_, (t) => t.relu()], ["sigmoid_", torch.sigmoid_, (t) => t.sigmoid()],
        ["tanh_", torch.tanh_, (t) => t.tanh()], ["round_", torch.round_, (t) => t.round()], ["floor_", torch.floor_, (t) => t.floor()],
        ["ceil_", torch.ceil_, (t) => t.ceil()], ["trunc_", torch.trunc_, (t) => t.trunc()], ["fix_", torch.fix_, (t) => t.trunc()],
        ["neg_", torch.neg_, (t) => t.neg()], ["negative_", torch.negative_, (t) => t.neg()], ["log_", torch.log_, (t) => t.log()],
        ["log1p_", torch.log1p_, (t) => t.log1p()], ["log2_", torch.log2_, (t) => t.log2()], ["log10_", torch.log10_, (t) => t.log10()],
        ["sin_", torch.sin_, (t) => t.sin()], ["cos_", torch.cos_, (t) => t.cos()], ["tan_", torch.tan_, (t) => t.tan()],
        ["asin_", torch.asin_, (t) => t.asin()], ["acos_", torch.acos_, (t) => t.acos()], ["atan_", torch.atan_, (t) => t.atan()],
        ["arcsin_", torch.arcsin_, (t) => t.asin()], ["arccos_", torch.arccos_, (t) => t.acos()], ["arctan_", torch.arctan_, (t) => t.atan()],
        ["sinh_", torch.sinh_, (t) => t.sinh()], ["cosh_", torch.cosh_, (t) => t.cosh()], ["asinh_", torch.asinh_, (t) => t.asinh()],
        ["arcsinh_", torch.arcsinh_, (t) => t.asinh()], ["atanh_", torch.atanh_, (t) => t.atanh()], ["arctanh_", torch.arctanh_, (t) => t.atanh()],
        ["erf_", torch.erf_, (t) => t.erf()], ["erfc_", torch.erfc_, (t) => t.erfc()], ["exp2_", torch.exp2_, (t) => t.exp2()],
        ["expm1_", torch.expm1_, (t) => t.expm1()], ["frac_", torch.frac_, (t) => t.frac()], ["deg2rad_", torch.deg2rad_, (t) => t.deg2rad()],
        ["rad2deg_", torch.rad2deg_, (t) => t.rad2deg()], ["reciprocal_", torch.reciprocal_, (t) => t.reciprocal()],
        ["square_", torch.square_, (t) => t.square()], ["sinc_", torch.sinc_, (t) => t.sinc()], ["i0_", torch.i0_, (t) => t.i0()],
        ["zero_", torch.zero_, (t) => t.mul(0)], ["logit_", (t) => torch.logit_(t), (t) => t.logit()],
        ["clamp_", (t) => torch.clamp_(t, 0.2, 0.4), (t) => t.clamp(0.2, 0.4)], ["clip_", (t) => torch.clip_(t, 0.3), (t) => t.clamp(0.3)],
        ["clampMin_", (t) => torch.clampMin_(t, 0.3), (t) => t.clamp(0.3)], ["clampMax_", (t) => torch.clampMax_(t, 0.3), (t) => t.clamp(null, 0.3)],
        ["nanToNum_", (t) => torch.nanToNum_(t), (t) => t.nanToNum()], ["xlogy_", (t) => torch.xlogy_(t, 2), (t) => t.xlogy(2)],
        ["fill_", (t) => torch.fill_(t, 7), (t) => t.mul(0).add(7)], ["ldexp_", (t) => torch.ldexp_(t, long([2])), (t) => t.mul(4)],
        ["celu_", (t) => torch.celu_(t.sub_(0.5), 2), (t) => torch.nn.functional.celu(t.sub(0.5), 2)],
        ["selu_", (t) => torch.selu_(t.sub_(0.5)), (t) => torch.nn.functional.selu(t.sub(0.5))],
        ["threshold_", (t) => torch.threshold_(t, 0.35, -1), (t) => torch.nn.functional.threshold(t, 0.35, -1)],
      ];
      for (const [, f, ref] of cases) {
        const x = torch.tensor([0.1, 0.3, 0.45, 0.7]);
        const want = vals(ref(x.clone()));
        const r = f(x);
        expect(r).toBe(x);
        expect(vals(x)).toEqual(want);
      }
      // keyword forms: torch.clamp_(x, min=0.2), torch.logit_(x, eps=0.1), torch.celu_(x, alpha=2)
      const k = torch.tensor([0.1, 0.5, 0.9]);
      torch.clamp_(k, { min: 0.2 });
      expect(vals(k)).toEqual(vals(torch.tensor([0.2, 0.5, 0.9])));
      torch.clip_(k, { max: 0.6 });
      expect(vals(k)).toEqual(vals(torch.tensor([0.2, 0.5, 0.6])));
      torch.clampMin_(k, { min: 0.3 });
      torch.clampMax_(k, { max: 0.55 });
      expect(vals(k)).toEqual(vals(torch.tensor([0.3, 0.5, 0.55])));
      const e = torch.tensor([0, 0.5]);
      torch.logit_(e, { eps: 0.25 });
      expect(vals(e)).toEqual(vals(torch.tensor([0, 0.5]).logit(0.25)));
      const ce = torch.tensor([-1, 1]);
      torch.celu_(ce, { alpha: 2 });
      expect(vals(ce)).toEqual(vals(torch.nn.functional.celu(torch.tensor([-1, 1]), 2)));
      const dk = torch.tensor([1, 2]);
      torch.dropout_(dk, { p: 0.5, train: false });
      expect(vals(dk)).toEqual([1, 2]);
      const wt = torch.tensor([[3, 4], [1, 0], [0, 6]]);
      expect(torch.embeddingRenorm_(wt, long([0, 2, 0]), 2, 2)).toBe(wt);
      // rows 0 and 2 (norms 5 and 6) scaled by 2 / (norm + 1e-7); row 1 untouched
      expect(vals(wt)).toEqual([3, 4, 1, 0, 0, 6].map((v, i) => Math.fround(i < 2 ? v * Math.fround(2 / (5 + 1e-7)) : i < 4 ? v : v * Math.fround(2 / (6 + 1e-7)))));
      expect(() => torch.embeddingRenorm_(torch.ones(2, 2).requiresGrad_(), long([0]), 1, 2)).toThrow(/a leaf Variable that requires grad is being used in an in-place operation./);
      const cp = torch.tensor([1, 2]);
      expect(torch.conjPhysical_(cp)).toBe(cp);
      const ra = torch.tensor([1, 2]);
      expect(torch.resizeAs_(ra, torch.zeros(2, 1)).shape).toEqual([2, 1]);
      const g = long([12, 9]);
      expect(torch.gcd_(g, long([8, 6]))).toBe(g);
      expect(vals(torch.lcm_(g, long([3, 4])))).toEqual([12, 12]);
      const a = f64([1, 2]);
      torch.addmv_(a, f64([1, 2, 3, 4]).reshape(2, 2), f64([1, 1]), { beta: 2, alpha: 3 });
      expect(vals(a)).toEqual([2 + 3 * 3, 4 + 3 * 7]);
      const d = torch.tensor([1, 2, 3]);
      expect(torch.dropout_(d, 0.5, false)).toBe(d);
      expect(vals(d)).toEqual([1, 2, 3]);
      torch.dropout_(d, 1, true);
      expect(vals(d)).toEqual([0, 0, 0]);
      const leaf = torch.tensor([1, 2]).requiresGrad_();
      expect(() => torch.exp_(leaf)).toThrow(/a leaf Variable that requires grad is being used in an in-place operation./);
      const h = leaf.mul(1);
      expect(torch.detach_(h)).toBe(h);
      expect(h.requiresGrad).toBe(false);
    });
  });
});
