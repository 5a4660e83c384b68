// Decoding fixture values into torchlet values: tensors (NaN/Infinity strings, -0.0 kept), torch
// dtypes, non-finite Python floats, snake_case kwargs to camelCase options, and input paths.
// A value of a dtype torchlet doesn't have yet (asked of the library) is a Skip, not a failure.
// It doesn't compare anything (compare.ts) nor know any op (adapters/).
// ref: FORMAT.md, sections "Values" and "Paths".
import * as torch from "../../lib/index.js";
import type { DType, Tensor } from "../../lib/index.js";
import { DTYPES } from "../../lib/dtype.js";
import { skip, type JsonTensor } from "./types.js";

/** Whether torchlet has this dtype: the library's own list, so a dtype it gains runs at once. */
export function isSupportedDtype(dtype: string): dtype is DType {
  return (DTYPES as readonly string[]).includes(dtype);
}

/** Why a case can't run yet: the first dtype anywhere in a fixture value (a tensor's `dtype`, or a
 *  `{"torch_dtype"}` argument) that torchlet lacks, as a skip reason; null when there is none. */
export function unsupportedDtypeIn(v: unknown): string | null {
  if (Array.isArray(v)) {
    for (const x of v) {
      const r = unsupportedDtypeIn(x);
      if (r !== null) return r;
    }
    return null;
  }
  if (v === null || typeof v !== "object") return null;
  if (isJsonTensor(v)) return isSupportedDtype(v.dtype) ? null : `dtype ${v.dtype} is not supported yet`;
  const o = v as Record<string, unknown>;
  if ("torch_dtype" in o && typeof o.torch_dtype === "string") {
    return isSupportedDtype(o.torch_dtype) ? null : `dtype ${o.torch_dtype} is not supported yet`;
  }
  return unsupportedDtypeIn(Object.values(o));
}

export function isJsonTensor(v: unknown): v is JsonTensor {
  return typeof v === "object" && v !== null && !Array.isArray(v) && "shape" in v && "dtype" in v && "data" in v;
}

/** A fixture number: JSON numbers as they are, "NaN" / "Infinity" / "-Infinity" via Number(). */
export function jsonNumber(v: number | string | boolean): number {
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "string") {
    const n = Number(v);
    if (!Number.isNaN(n) || v === "NaN") return n;
    throw new TypeError(`fixture: bad number ${JSON.stringify(v)}`);
  }
  return v;
}

/** A fresh contiguous tensor with exactly the fixture's elements (a leaf, not requiring grad). */
export function decodeTensor(j: JsonTensor): Tensor {
  const n = j.shape.reduce((a, b) => a * b, 1);
  if (j.data.length !== n) throw new RangeError(`fixture tensor: ${j.data.length} data for shape [${j.shape}]`);
  if (!isSupportedDtype(j.dtype)) skip(`dtype ${j.dtype} is not supported yet`);
  // NOTE: built through torch.tensor with the dtype named, not from a typed array, so the library
  // decides how each dtype is stored; NaN/Infinity strings become numbers, bools stay booleans.
  if (n === 0) return torch.zeros(j.shape, { dtype: j.dtype });
  const vals = j.data.map((v) => (typeof v === "string" ? jsonNumber(v) : v));
  const nest = (offset: number, d: number): any => {
    if (d === j.shape.length) return vals[offset];
    const stride = j.shape.slice(d + 1).reduce((a, b) => a * b, 1);
    return Array.from({ length: j.shape[d] }, (_, i) => nest(offset + i * stride, d + 1));
  };
  return torch.tensor(nest(0, 0), { dtype: j.dtype });
}

/** Decodes a plain argument value: tensors, {"torch_dtype"}, {"float"}, lists and dicts, recursively. */
export function decodeValue(v: unknown): any {
  if (Array.isArray(v)) return v.map(decodeValue);
  if (v === null || typeof v !== "object") return v;
  if (isJsonTensor(v)) return decodeTensor(v);
  const o = v as Record<string, unknown>;
  if ("torch_dtype" in o) {
    const name = String(o.torch_dtype);
    if (!isSupportedDtype(name)) skip(`dtype ${name} is not supported yet`);
    return name;
  }
  if ("float" in o) return jsonNumber(o.float as string);
  return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, decodeValue(x)]));
}

export function camel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** PyTorch kwargs -> one torchlet options object: camelCase keys, decoded values. */
export function camelOptions(kwargs: Record<string, unknown> | undefined): Record<string, any> {
  return Object.fromEntries(Object.entries(kwargs ?? {}).map(([k, v]) => [camel(k), decodeValue(v)]));
}

/**
 * Decodes a value tree, turning each tensor at `path` into a leaf: requires grad when the path is
 * listed, then the zero-argument methods of `transforms[path]` are applied (the leaf is kept in
 * `leaves` for its gradient). Paths are "args.0", "args.0.1", "kwargs.name", ...
 */
export function decodeWithLeaves(
  v: unknown,
  path: string,
  requiresGrad: readonly string[],
  transforms: Record<string, string[]>,
  leaves: Map<string, Tensor>,
): any {
  if (isJsonTensor(v)) {
    const leaf = decodeTensor(v);
    if (requiresGrad.includes(path)) leaf.requiresGrad = true;
    leaves.set(path, leaf);
    let t: any = leaf;
    for (const m of transforms[path] ?? []) {
      if (typeof t[m] !== "function") throw new TypeError(`arg_transforms: Tensor has no method ${m}`);
      t = t[m]();
    }
    return t;
  }
  if (Array.isArray(v)) return v.map((x, i) => decodeWithLeaves(x, `${path}.${i}`, requiresGrad, transforms, leaves));
  if (v !== null && typeof v === "object" && !("torch_dtype" in v) && !("float" in v)) {
    return Object.fromEntries(
      Object.entries(v).map(([k, x]) => [k, decodeWithLeaves(x, `${path}.${k}`, requiresGrad, transforms, leaves)]),
    );
  }
  return decodeValue(v);
}

/** The value of flat index k of the "modmix" generated parameters (FORMAT.md, section 2). */
export function modmix(k: number, salt: number, scaleLog2: number): number {
  // NOTE: both products stay far below 2^53, so the integer part is exact in a double.
  const m = (((k * 7919 + salt * 104729) % 2039) + 2039) % 2039;
  return (m - 1019) * 2 ** scaleLog2;
}
