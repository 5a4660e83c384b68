// int64 exactness. torchlet stores int64 in a Float64Array, exact for integers of magnitude at most
// 2^53 - 1 (dtype.ts INT64_MAX_EXACT); int64 math runs in doubles, so every int64 result is checked
// here and refused past that range instead of being silently rounded: arithmetic results, sums
// (whose running total may leave the range even when the result does not), and floor / trunc
// division, which must not go through float32 as the float path does.
// ref: torch.div(rounding_mode=...), torch.floor_divide; PyTorch's int64 wraps where this refuses.
import { backend } from "../backend/index.js";
import { checkInt64 } from "../dtype.js";
import { Tensor } from "../tensor.js";
import { emptyUninit } from "./scratch.js";
import { permute } from "./views.js";

/** Throws unless every element of an int64 result is an exact integer in range. `negPow`: a pow
 *  by a scalar exponent, whose fractional results mean a negative exponent (PyTorch's error).
 *  NOTE: callers pass fresh results (contiguous: no copy), so this is one plain pass. */
export function checkIntResult(out: Tensor, op: string, negPow = false): void {
  const d = out.contiguous().storage();
  for (let i = 0; i < d.length; i++) {
    const v = d[i];
    if (Number.isSafeInteger(v)) continue;
    if (op === "pow" && Number.isFinite(v) && !Number.isInteger(v)) {
      throw new RangeError(negPow ? "Integers to negative integer powers are not allowed." : "pow: an int64 power with a negative exponent is not an integer; cast to float first");
    }
    checkInt64(v, op);
  }
}

/**
 * Makes an int64 sum exact. `out` holds the double-accumulated sums (keepdim layout of x); when the
 * magnitudes summed into an output stay within 2^53 - 1 every running total was exact; otherwise
 * that output is recomputed with BigInt and refused if the true sum is out of range.
 */
export function exactIntSum(x: Tensor, out: Tensor): void {
  const abs = emptyUninit(x.shape, "int64");
  backend().unary("abs", x, abs);
  const bound = emptyUninit(out.shape, "int64");
  backend().reduce("sum", abs, bound);
  const b = bound.typedArray;
  let ok = true;
  for (let i = 0; i < b.length; i++) if (!(b[i] <= Number.MAX_SAFE_INTEGER)) ok = false;
  if (ok) return;
  // The rare slow path: one BigInt per element. With the summed dims (size 1 in out) moved last,
  // the terms of each output are one contiguous run of x, in out's row-major order.
  const dims = [...x.shape.keys()];
  const order = [...dims.filter((d) => out.shape[d] !== 1), ...dims.filter((d) => out.shape[d] === 1)];
  const xd = permute(x.detach(), order).contiguous().storage();
  const run = xd.length / out.numel();
  const sums = new Array<bigint>(out.numel()).fill(0n);
  for (let i = 0; i < xd.length; i++) sums[Math.floor(i / run)] += BigInt(xd[i]);
  sums.forEach((s, i) => {
    if (s > BigInt(Number.MAX_SAFE_INTEGER) || s < -BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new RangeError(`sum: int64 result ${s} is outside the int64 range torchlet stores exactly (integers of magnitude at most 2^53 - 1)`);
    }
    out.typedArray[out.offset + i] = Number(s);
  });
}

/** a // b (floor) or trunc(a / b) of int64 views of one shape, exactly, into a new int64 tensor.
 *  Division by zero throws, as PyTorch's integer division does. */
export function intDivide(a: Tensor, b: Tensor, mode: "floor" | "trunc"): Tensor {
  const n = a.numel();
  const ac = a.contiguous().storage();
  const bc = b.contiguous().storage();
  const out = emptyUninit(a.shape, "int64");
  const od = out.typedArray;
  for (let i = 0; i < n; i++) {
    const x = ac[i];
    const y = bc[i];
    if (y === 0) throw new RangeError("ZeroDivisionError");
    let q: number;
    // NOTE: for |x| <= 2^52 the double quotient can't round across an integer (the gap to the
    // next integer is at least 1/|y|, beyond half an ulp); larger |x| divide in BigInt.
    if (Math.abs(x) <= 2 ** 52) q = mode === "floor" ? Math.floor(x / y) : Math.trunc(x / y);
    else {
      const bx = BigInt(x);
      const by = BigInt(y);
      let bq = bx / by; // BigInt division truncates
      if (mode === "floor" && bq * by !== bx && (bx < 0n) !== (by < 0n)) bq -= 1n;
      q = Number(bq);
    }
    od[i] = q + 0;
  }
  checkIntResult(out, "div");
  return out;
}
