// What crosses between a Runner and its worker thread: values with their tensors encoded as typed
// arrays (postMessage's structured clone carries those, not Tensor objects), and errors with their
// class, message and the worker's stack.
import { Tensor } from "../tensor.js";
import type { DType, Storage } from "../backend/types.js";

/** A tensor in a message: its elements (contiguous, in a buffer of their own) and shape. */
interface EncodedTensor {
  readonly __torchletTensor: true;
  readonly shape: number[];
  readonly dtype: DType;
  readonly data: Storage;
}

export interface EncodedError {
  readonly name: string;
  readonly message: string;
  readonly stack: string;
}

/** main -> worker */
export type Request =
  | { readonly type: "call"; readonly id: number; readonly name: string; readonly args: unknown[] }
  | { readonly type: "cancel"; readonly id: number }
  | { readonly type: "close" };

/** worker -> main */
export type Reply =
  | { readonly type: "ready"; readonly exports: string[] }
  | { readonly type: "failed"; readonly error: EncodedError }
  | { readonly type: "result"; readonly id: number; readonly value: unknown }
  | { readonly type: "error"; readonly id: number; readonly error: EncodedError };

function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * Replaces every Tensor in `value` (also inside arrays and plain objects) by its elements, adding
 * the buffers to hand over (not copy) to `transfer`: always those of copies made here (views,
 * non-contiguous tensors), and with `handOver` also a tensor's own storage when it is a whole
 * ArrayBuffer, which leaves the sender's tensor unreadable. Everything else is copied.
 */
/** A Tensor of this copy of torchlet, or of its twin (the ES module and CommonJS builds each have one). */
function isTensor(v: unknown): v is Tensor {
  return v instanceof Tensor || (v !== null && typeof v === "object" && v.constructor?.name === "Tensor" && typeof (v as Tensor).contiguous === "function" && typeof (v as Tensor).storage === "function");
}

export function encode(value: unknown, transfer: ArrayBuffer[], handOver: boolean, seen = new Set<object>()): unknown {
  if (isTensor(value)) {
    const c = value.contiguous().detach();
    let data = c.storage();
    const copied = c.typedArray !== value.typedArray;
    const whole = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength && data.buffer instanceof ArrayBuffer;
    if (!whole || !(copied || handOver) || transfer.includes(data.buffer as ArrayBuffer)) {
      // NOTE: structured clone copies a view's whole buffer; slice() copies only the elements.
      data = data.slice();
    }
    transfer.push(data.buffer as ArrayBuffer);
    const out: EncodedTensor = { __torchletTensor: true, shape: [...c.shape], dtype: c.dtype, data };
    return out;
  }
  if (value === null || typeof value !== "object") return value;
  if (seen.has(value)) throw new TypeError("torch.worker: a value that contains itself can't be sent to a worker");
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((v) => encode(v, transfer, handOver, seen));
    if (isPlainObject(value)) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = encode(v, transfer, handOver, seen);
      return out;
    }
  } finally {
    seen.delete(value);
  }
  // NOTE: typed arrays, Maps, Dates... go as structured clone sends them (it throws on functions).
  return value;
}

function isEncodedTensor(v: object): v is EncodedTensor {
  return (v as EncodedTensor).__torchletTensor === true;
}

/** The inverse of encode: encoded tensors become Tensors over the received buffers (no copy). */
export function decode(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (isEncodedTensor(value)) {
    const t = Tensor.fromStorage(value.data, value.shape);
    if (t.dtype !== value.dtype) throw new TypeError(`torch.worker: a ${value.dtype} tensor arrived as ${t.dtype}`);
    return t;
  }
  if (Array.isArray(value)) return value.map(decode);
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = decode(v);
    return out;
  }
  return value;
}

export function encodeError(e: unknown): EncodedError {
  if (e instanceof Error) return { name: e.name, message: e.message, stack: e.stack ?? `${e.name}: ${e.message}` };
  return { name: "Error", message: String(e), stack: `Error: ${String(e)}` };
}

const ERROR_CLASSES: Record<string, new (message: string) => Error> = {
  TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError,
};

/** The worker's error as the same class on this thread; its stack is the worker's, under `where`. */
export function decodeError(e: EncodedError, where: string): Error {
  const Class = ERROR_CLASSES[e.name] ?? Error;
  const err = new Class(e.message);
  if (!(e.name in ERROR_CLASSES) && e.name !== "Error") err.name = e.name;
  err.stack = `${e.stack}\n    at ${where} (in the worker thread)`;
  return err;
}
