// Compiles the inner loop of each elementwise op from its scalar expression (see scalar.ts), once,
// so every op gets its own loop with the expression inlined. It runs one run of a Loop (strided.ts);
// the caller walks the runs. Nothing here decides semantics: that is the expression tables' job.
// ref: the same idea as tinygrad's per-op generated C kernels, on a much smaller scale.

import type { Storage } from "../types.js";
import { erf, roundHalfEven, sigmoid, toInt64 } from "./scalar.js";
import { copysign, erfc, erfinv, logaddexp, logaddexp2 } from "./special.js";
import { fromBFloat16Bits, fromHalfBits, toBFloat16Bits, toHalfBits } from "../../half.js";

/** out[io + j*so] = f(x[ix + j*sx]) for j < n. p and q are scalar parameters the expression may use. */
export type Run1 = (
  xd: Storage, od: Storage, ix: number, io: number, n: number, sx: number, so: number, p: number, q: number,
) => void;
/** out[io + j*so] = f(a[ia + j*sa], b[ib + j*sb]) for j < n. */
export type Run2 = (
  ad: Storage, bd: Storage, od: Storage, ia: number, ib: number, io: number, n: number, sa: number, sb: number, so: number,
) => void;

// The functions an expression may call besides Math.*.
const HELPERS = {
  erf, roundHalfEven, sigmoid, toInt64, fromBFloat16Bits, fromHalfBits, toBFloat16Bits, toHalfBits,
  copysign, erfc, erfinv, logaddexp, logaddexp2,
};
const cache = new Map<string, Run1 | Run2>();

/**
 * NOTE: why generate code. A loop that takes the scalar function as an argument calls it through
 * one call site shared by every op; V8 sees it megamorphic and can't inline it (~10 ns/element,
 * measured). Closures made by a factory share type feedback too, and so does `new Function` with
 * identical source. A source text per expression gives each op its own monomorphic loop with the
 * expression inlined (~1-2 ns/element). Expressions come only from scalar.ts, never from users.
 */
function compile(key: string, params: string, body: string): Run1 | Run2 {
  let k = cache.get(key);
  if (!k) {
    const names = Object.keys(HELPERS);
    // the key in a comment makes each source distinct, so no two keys share feedback
    const make = new Function(...names, `"use strict"; return function (${params}) { // ${key}\n${body}\n};`);
    k = make(...Object.values(HELPERS)) as Run1 | Run2;
    cache.set(key, k);
  }
  return k;
}

/**
 * The loop for a unary expression in `x` (and optionally the parameters `p`, `q`). `types` names
 * the storages it will see (e.g. "float32>bool"): one loop per combination keeps them monomorphic.
 */
export function kernel1(expr: string, types: string): Run1 {
  return compile(`${types}: ${expr}`, "xd, od, ix, io, n, sx, so, p, q", `
  if (sx === 1 && so === 1) {
    for (let j = 0; j < n; j++) { const x = xd[ix + j]; od[io + j] = (${expr}); }
  } else {
    for (let j = 0; j < n; j++, ix += sx, io += so) { const x = xd[ix]; od[io] = (${expr}); }
  }`) as Run1;
}

/** The loop for a binary expression in `a` and `b`; `types` as for kernel1. */
export function kernel2(expr: string, types: string): Run2 {
  return compile(`${types}: ${expr}`, "ad, bd, od, ia, ib, io, n, sa, sb, so", `
  if (sa === 1 && sb === 1 && so === 1) {
    for (let j = 0; j < n; j++) { const a = ad[ia + j], b = bd[ib + j]; od[io + j] = (${expr}); }
  } else {
    for (let j = 0; j < n; j++, ia += sa, ib += sb, io += so) { const a = ad[ia], b = bd[ib]; od[io] = (${expr}); }
  }`) as Run2;
}
