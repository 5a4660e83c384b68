// Runs one public-API call on the native and the JS backend and checks the fuzz invariants:
// a failure is a JS Error (never anything else), both backends fail or both succeed, and
// successes agree (dtype, shape, values within a tolerance, NaN in the same places, gradients too).
// Not here: generating inputs (arbitraries.ts). ref: tfjs's per-backend test runs (ALL_ENVS).
import * as torch from "../../lib/index.js";
import { Tensor } from "../../lib/index.js";

export interface Tol {
  rtol: number;
  atol: number;
}
export const EXACT: Tol = { rtol: 0, atol: 0 };
/** Gradients of exact ops: broadcasting's backward sums in double in a backend's own order, which
 *  can round differently to float32 by an ulp. */
export const GRAD: Tol = { rtol: 2.5e-7, atol: 1e-37 };
/** The vectorized exp/log/tanh/... are within ~2.5 ulp of libm (native/elementwise_simd.h). */
export const ULPS: Tol = { rtol: 1e-6, atol: 1e-37 };
/** Their gradients: sigmoid's s(1-s) or tanh's 1-t^2 lose the relative accuracy of s near 1, so
 *  an absolute bound (the derivatives are at most ~1 there). */
export const ULPS_GRAD: Tol = { rtol: 1e-5, atol: 1e-6 };

/** A result flattened for comparison: tensors (by dtype, shape, values), numbers, or lists of them. */
type Plain = { dtype: string; shape: number[]; values: number[] } | number | string | boolean | null | Plain[];

/** A returned tensor must be a well-formed view: integer sizes and strides >= 0, inside its storage. */
function checkWellFormed(t: Tensor): void {
  const ok = (n: number) => Number.isInteger(n) && n >= 0;
  const bad = () => new Error(`malformed result: shape [${t.shape}] strides [${t.strides}] offset ${t.offset} over ${t.typedArray.length} elements`);
  if (t.shape.length !== t.strides.length || !t.shape.every(ok) || !t.strides.every(ok) || !ok(t.offset)) throw bad();
  if (t.numel() === 0) return;
  const last = t.shape.reduce((o, s, d) => o + (s - 1) * t.strides[d], t.offset);
  if (last >= t.typedArray.length) throw bad();
}

function plain(v: unknown): Plain {
  if (v instanceof Tensor) checkWellFormed(v);
  if (v instanceof Tensor) return { dtype: v.dtype, shape: [...v.shape], values: Array.from(v.contiguous().storage()) };
  if (Array.isArray(v)) return v.map(plain);
  if (v === undefined || v === null) return null;
  if (typeof v === "number" || typeof v === "string" || typeof v === "boolean") return v;
  if (typeof v === "object") return String(v);
  return String(v);
}

function close(a: number, b: number, tol: Tol): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (a === b) return true;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  return Math.abs(a - b) <= tol.atol + tol.rtol * Math.max(Math.abs(a), Math.abs(b));
}

/** Throws naming the first difference between two plain results. */
function expectSame(path: string, n: Plain, j: Plain, tol: Tol): void {
  if (Array.isArray(n) || Array.isArray(j)) {
    if (!Array.isArray(n) || !Array.isArray(j) || n.length !== j.length) {
      throw new Error(`${path}: native ${JSON.stringify(n)} vs js ${JSON.stringify(j)}`);
    }
    n.forEach((x, i) => expectSame(`${path}[${i}]`, x, j[i], tol));
    return;
  }
  if (n !== null && typeof n === "object" && j !== null && typeof j === "object") {
    if (n.dtype !== j.dtype) throw new Error(`${path}: dtype native ${n.dtype} vs js ${j.dtype}`);
    if (n.shape.join() !== j.shape.join()) throw new Error(`${path}: shape native [${n.shape}] vs js [${j.shape}]`);
    for (let i = 0; i < n.values.length; i++) {
      if (!close(n.values[i], j.values[i], tol)) {
        throw new Error(`${path}: element ${i} of [${n.shape}] native ${n.values[i]} vs js ${j.values[i]}`);
      }
    }
    return;
  }
  if (typeof n === "number" && typeof j === "number" ? !close(n, j, tol) : n !== j) {
    throw new Error(`${path}: native ${String(n)} vs js ${String(j)}`);
  }
}

export type Outcome = { ok: true; value: Plain; grads: Plain } | { ok: false; error: Error };

function hasHugeValues(t: Tensor): boolean {
  if (t.dtype !== "float32") return false;
  for (const v of t.contiguous().storage()) if (Math.abs(v) > 1e30 && Number.isFinite(v)) return true;
  return false;
}

/** The inputs' gradients after backward of a float32 result's sum (null when nothing needs grad). */
function gradsOf(result: unknown, inputs: readonly Tensor[]): Plain {
  const leaves = inputs.filter((t) => t.requiresGrad);
  const out = result instanceof Tensor ? result : Array.isArray(result) && result[0] instanceof Tensor ? result[0] : null;
  if (leaves.length === 0 || out === null || out.gradFn === null || out.dtype !== "float32") return null;
  for (const l of leaves) l.grad = null;
  out.sum().backward();
  return leaves.map((l) => plain(l.grad));
}

/** Runs fn once; anything thrown that is not an Error subclass fails the property at once. */
function attempt(fn: () => unknown, inputs: readonly Tensor[]): Outcome {
  let value: unknown;
  try {
    value = fn();
  } catch (e) {
    if (!(e instanceof Error)) throw new Error(`threw a non-Error: ${String(e)}`);
    if (typeof e.message !== "string" || e.message.length === 0) throw new Error(`threw an Error without a message: ${e.name}`);
    return { ok: false, error: e };
  }
  // NOTE: outside the try: a malformed result or a failing backward is a finding, not an outcome.
  return { ok: true, value: plain(value), grads: gradsOf(value, inputs) };
}

/**
 * The fuzz invariant for one call: run on native, then on JS (inputs are rebuilt by `make` for
 * each, so an in-place op can't leak from one run into the other); both throw, or both return
 * the same result within tol. Returns the native outcome.
 */
export function sameOnBothBackends<I extends readonly Tensor[]>(
  what: string,
  make: () => I,
  fn: (...inputs: I) => unknown,
  tol: Tol = EXACT,
  gradTol: Tol = tol === EXACT ? GRAD : tol,
): Outcome {
  torch.setBackend("native");
  const inN = make();
  const n = attempt(() => fn(...inN), inN);
  torch.setBackend("js");
  const inJ = make();
  let j: Outcome;
  try {
    j = attempt(() => fn(...inJ), inJ);
  } finally {
    torch.setBackend("native");
  }
  if (n.ok !== j.ok) {
    const err = n.ok ? (j as { error: Error }).error : (n as { error: Error }).error;
    throw new Error(`${what}: only ${n.ok ? "js" : "native"} threw: ${err.name}: ${err.message}`, { cause: err });
  }
  if (n.ok && j.ok) {
    expectSame(what, n.value, j.value, tol);
    // NOTE: gradients sum terms (broadcasting's backward) in each backend's own valid order, and
    // terms near ±3e38 cancel differently in different orders: then only forward values compare.
    if (!inN.some(hasHugeValues)) expectSame(`${what} grad`, n.grads, j.grads, gradTol);
  }
  return n;
}
