// Comparing torchlet results with fixture values, per FORMAT.md's rule: elementwise
// |actual - expected| <= atol + rtol*|expected|; NaN must be NaN, infinities must match, 0 == -0;
// integer and bool dtypes exact; shape and dtype exact. Differences come back as one readable string each.
// ref: FORMAT.md, "Common case fields" (tol).
import { Tensor } from "../../lib/index.js";
import { FLOATING_JSON_DTYPES, type JsonTensor, type Tol } from "./types.js";
import { jsonNumber } from "./values.js";

/** Shortest decimal that reads back as the same float32 (or the number itself if not float32). */
export function fmtNumber(v: number, dtype = "float32"): string {
  if (dtype === "bool") return v ? "True" : "False";
  if (!Number.isFinite(v) || !FLOATING_JSON_DTYPES.includes(dtype as JsonTensor["dtype"])) return String(v);
  if (Object.is(v, -0)) return "-0.0";
  for (let p = 1; p <= 17; p++) {
    const s = v.toPrecision(p);
    if (Number(s) === v || (dtype === "float32" && Math.fround(Number(s)) === v)) return String(Number(s));
  }
  return String(v);
}

/** Python's tuple spelling of a multi-index: (), (3,), (1, 2). */
export function fmtIndex(flat: number, shape: readonly number[]): string {
  const idx: number[] = [];
  for (let d = shape.length - 1; d >= 0; d--) {
    idx.unshift(flat % shape[d]);
    flat = Math.floor(flat / shape[d]);
  }
  return idx.length === 1 ? `(${idx[0]},)` : `(${idx.join(", ")})`;
}

export function withinTol(want: number, got: number, tol: Tol, exact: boolean): boolean {
  if (Number.isNaN(want)) return Number.isNaN(got);
  if (!Number.isFinite(want)) return got === want;
  if (exact) return got === want; // NOTE: === treats 0 and -0 as equal, as the format asks
  return Math.abs(got - want) <= tol.atol + tol.rtol * Math.abs(want);
}

/** The elements of a tensor in row-major order, as numbers (bool as 0/1), without recording. */
export function elements(t: Tensor): number[] {
  const d = t.detach();
  // NOTE: float16/bfloat16 storages hold bit patterns; their float32 values are exact.
  const v = d.dtype === "float16" || d.dtype === "bfloat16" ? d.float() : d;
  return Array.from(v.contiguous().storage() as ArrayLike<number>);
}

function describe(v: unknown): string {
  if (v === null) return "None";
  if (v === undefined) return "nothing";
  if (v instanceof Tensor) return `tensor of shape [${v.shape.join(", ")}]`;
  if (Array.isArray(v)) return `a list of ${v.length}`;
  return typeof v;
}

/** Compares one tensor; `expected === null` means the actual value must be null (PyTorch's None). */
export function compareTensor(label: string, expected: JsonTensor | null, actual: unknown, tol: Tol): string | null {
  if (expected === null) return actual === null || actual === undefined ? null : `${label}: want None got ${describe(actual)}`;
  if (!(actual instanceof Tensor)) return `${label}: want a tensor got ${describe(actual)}`;
  if (actual.dtype !== expected.dtype) return `${label}: dtype want ${expected.dtype} got ${actual.dtype}`;
  const shapeOk = actual.shape.length === expected.shape.length && actual.shape.every((s, i) => s === expected.shape[i]);
  if (!shapeOk) return `${label}: shape want [${expected.shape.join(", ")}] got [${actual.shape.join(", ")}]`;
  const got = elements(actual);
  const exact = !FLOATING_JSON_DTYPES.includes(expected.dtype) || (tol.rtol === 0 && tol.atol === 0);
  let first = -1;
  let bad = 0;
  for (let k = 0; k < got.length; k++) {
    if (!withinTol(jsonNumber(expected.data[k]), got[k], tol, exact)) {
      if (first < 0) first = k;
      bad++;
    }
  }
  if (first < 0) return null;
  const want = fmtNumber(jsonNumber(expected.data[first]), expected.dtype);
  const more = bad > 1 ? ` (${bad} of ${got.length} elements differ)` : "";
  return `${label} at ${fmtIndex(first, expected.shape)}: want ${want} got ${fmtNumber(got[first], expected.dtype)}${more}`;
}

/** Compares a fixture output: one tensor, or a list (tuple) of tensors. */
export function compareOut(label: string, expected: unknown, actual: unknown, tol: Tol): string[] {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${label}: want a tuple of ${expected.length} got ${describe(actual)}`];
    if (actual.length !== expected.length) return [`${label}: want a tuple of ${expected.length} got ${actual.length} items`];
    return expected.flatMap((e, i) => compareOut(`${label}[${i}]`, e, actual[i], tol));
  }
  if (typeof expected === "number" || typeof expected === "boolean") {
    const got = actual instanceof Tensor ? undefined : actual;
    if (typeof got !== typeof expected) return [`${label}: want ${String(expected)} got ${describe(actual)}`];
    const ok = typeof expected === "number" ? withinTol(expected, got as number, tol, false) : got === expected;
    return ok ? [] : [`${label}: want ${String(expected)} got ${String(got)}`];
  }
  const d = compareTensor(label, expected as JsonTensor | null, actual, tol);
  return d ? [d] : [];
}

/**
 * FORMAT.md's `unordered_ties` rule for `[values, indices]` results (topk, unstable sort): values
 * compare as usual; indices may be any int64 tensor of the expected shape whose entries are distinct
 * within each slice along `dim` and pick exactly `values` from `input` along that dim.
 */
export function compareUnorderedTies(expected: unknown, actual: unknown, input: Tensor, dim: number, tol: Tol): string[] {
  if (!Array.isArray(expected) || expected.length !== 2) return ["unordered_ties: the case's out is not [values, indices]"];
  if (!Array.isArray(actual) || actual.length !== 2) return [`out: want [values, indices] got ${describe(actual)}`];
  const diffs = compareOut("out[0]", expected[0], actual[0], tol);
  const want = expected[1] as JsonTensor;
  const idx = actual[1];
  if (!(idx instanceof Tensor)) return [...diffs, `out[1]: want a tensor got ${describe(idx)}`];
  if (idx.dtype !== "int64") return [...diffs, `out[1]: dtype want int64 got ${idx.dtype}`];
  if (idx.shape.length !== want.shape.length || idx.shape.some((s, i) => s !== want.shape[i])) {
    return [...diffs, `out[1]: shape want [${want.shape.join(", ")}] got [${idx.shape.join(", ")}]`];
  }
  const shape = idx.shape;
  const nd = Math.max(shape.length, 1);
  const d = dim < 0 ? dim + nd : dim;
  const size = shape.length === 0 ? 1 : shape[d];
  const inner = shape.slice(d + 1).reduce((a, b) => a * b, 1);
  const picked = elements(idx);
  const x = elements(input);
  const xShape = input.shape;
  const xInner = xShape.slice(d + 1).reduce((a, b) => a * b, 1);
  const xSize = xShape.length === 0 ? 1 : xShape[d];
  const values = elements(actual[0] as Tensor);
  for (let k = 0; k < picked.length; k++) {
    const outer = Math.floor(k / (size * inner));
    const pos = Math.floor(k / inner) % size;
    const rest = k % inner;
    const j = picked[k];
    if (!Number.isInteger(j) || j < 0 || j >= xSize) return [...diffs, `out[1] at ${fmtIndex(k, shape)}: index ${j} is out of range`];
    const v = x[outer * xSize * xInner + j * xInner + rest];
    if (!(Object.is(v, values[k]) || v === values[k])) {
      return [...diffs, `out[1] at ${fmtIndex(k, shape)}: index ${j} picks ${fmtNumber(v)}, not the value ${fmtNumber(values[k])}`];
    }
    for (let q = 0; q < pos; q++) {
      if (picked[k - (pos - q) * inner] === j) return [...diffs, `out[1] at ${fmtIndex(k, shape)}: index ${j} repeats within its slice`];
    }
  }
  return diffs;
}
