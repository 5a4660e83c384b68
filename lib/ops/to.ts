// The arguments of `tensor.to(...)` and `module.to(...)`, read as PyTorch's three overloads:
// to(dtype), to(device, dtype?), to(other tensor), each with an optional trailing options object
// ({ device, dtype, nonBlocking, copy }). Devices are checked to be the CPU; nothing is moved.
// ref: torch/_tensor_docs.py (Tensor.to), torch/nn/modules/module.py (Module.to), PyTorch 1.13.
import type { DType } from "../backend/types.js";
import { parseDType } from "../dtype.js";
import { checkDevice, isDeviceLike, type DeviceLike } from "../device.js";
import { Tensor } from "../tensor.js";
import { cast } from "./elementwise.js";

export interface ToOptions {
  device?: DeviceLike | null;
  dtype?: DType | string | null;
  /** Accepted for porting; a CPU copy is always synchronous. */
  nonBlocking?: boolean;
  /** Return a new tensor even when nothing changes (PyTorch's copy=True). */
  copy?: boolean;
}

const OPTION_KEYS = ["device", "dtype", "nonBlocking", "copy"];

const isOptionsObject = (v: unknown): v is ToOptions =>
  v !== null && typeof v === "object" && !(v instanceof Tensor) && Object.getPrototypeOf(v) === Object.prototype;

/** The dtype a `to(...)` call asks for (null: keep) and whether it asks for a copy. */
export function parseTo(args: readonly unknown[], fn: string): { dtype: DType | null; copy: boolean } {
  const list = [...args];
  const opts: ToOptions = isOptionsObject(list[list.length - 1]) ? (list.pop() as ToOptions) : {};
  for (const k of Object.keys(opts)) {
    if (!OPTION_KEYS.includes(k)) throw new TypeError(`${fn}() got an unexpected keyword argument '${k}'`);
  }
  let device: unknown = opts.device;
  let dtype: unknown = opts.dtype;
  const [a, b] = list;
  if (list.length > 2) throw new TypeError(`${fn}() takes at most 2 positional arguments (device, dtype) but ${list.length} were given`);
  if (a instanceof Tensor) {
    if (list.length > 1) throw new TypeError(`${fn}(): to(other) takes no other positional argument`);
    dtype ??= a.dtype;
  } else if (list.length === 2 || (a !== undefined && (a === null || isDeviceLike(a)))) {
    device ??= a; // to(device) or to(device, dtype)
    if (list.length === 2) dtype ??= b;
  } else if (a !== undefined) {
    dtype ??= a; // to(dtype)
  }
  checkDevice(device, fn);
  for (const k of ["nonBlocking", "copy"] as const) {
    if (opts[k] !== undefined && typeof opts[k] !== "boolean") throw new TypeError(`${fn}(): argument '${k}' must be a boolean, not ${typeof opts[k]}`);
  }
  return { dtype: dtype === undefined || dtype === null ? null : parseDType(dtype, fn), copy: opts.copy ?? false };
}

/** tensor.to(...): this tensor itself when dtype (and device) already match and no copy is asked. */
export function tensorTo(x: Tensor, args: readonly unknown[]): Tensor {
  const { dtype, copy } = parseTo(args, "to");
  const target = dtype ?? x.dtype;
  if (target !== x.dtype) return cast(x, target);
  return copy ? x.clone() : x;
}
