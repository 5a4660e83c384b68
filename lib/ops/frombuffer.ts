// torch.frombuffer: a 1-D tensor over an existing buffer's bytes, sharing its memory (no copy), as
// PyTorch's frombuffer over a Python buffer and from_numpy over an array: writes through either
// side show in the other. The JS buffer is an ArrayBuffer, SharedArrayBuffer or any typed array /
// DataView (its own byteOffset and byteLength frame the bytes, as a memoryview would).
// ref: https://pytorch.org/docs/1.13/generated/torch.frombuffer.html
import type { DType } from "../backend/types.js";
import { bytesPerElement, parseDType, storageOver } from "../dtype.js";
import { Tensor } from "../tensor.js";

export interface FrombufferOptions {
  /** Required, as in PyTorch: the bytes carry no dtype. */
  dtype: DType | string;
  /** Elements to read; -1 (default) reads to the end of the buffer. */
  count?: number;
  /** Bytes to skip at the start of the buffer. */
  offset?: number;
  requiresGrad?: boolean;
}

export function frombuffer(buffer: ArrayBufferLike | ArrayBufferView, opts: FrombufferOptions): Tensor {
  const isView = ArrayBuffer.isView(buffer);
  if (!isView && !(buffer instanceof ArrayBuffer) && !(typeof SharedArrayBuffer !== "undefined" && buffer instanceof SharedArrayBuffer)) {
    throw new TypeError("frombuffer(): object does not implement Python buffer protocol (expected an ArrayBuffer or a typed array)");
  }
  if (opts?.dtype === undefined) throw new TypeError("frombuffer() missing required keyword argument 'dtype'");
  const dtype = parseDType(opts.dtype, "frombuffer");
  // NOTE: torchlet stores int64 as exact integer values in a Float64Array, not as int64 bits, so a
  // view over foreign int64 bytes would read them as doubles: refuse rather than misread.
  if (dtype === "int64") {
    throw new TypeError("frombuffer(): int64 is stored as float64 values in torchlet, so it cannot view int64 bytes; copy them with torch.tensor(bigInt64Array)");
  }
  const bytes = isView ? (buffer as ArrayBufferView).buffer : (buffer as ArrayBufferLike);
  const base = isView ? (buffer as ArrayBufferView).byteOffset : 0;
  const length = isView ? (buffer as ArrayBufferView).byteLength : (buffer as ArrayBufferLike).byteLength;
  const count = opts.count ?? -1;
  const offset = opts.offset ?? 0;
  const elsize = bytesPerElement(dtype);
  if (!Number.isInteger(count) || !Number.isInteger(offset)) throw new TypeError("frombuffer(): count and offset must be integers");
  if (length <= 0 || count === 0) {
    throw new RangeError(`both buffer length (${length}) and count (${count}) must not be 0`);
  }
  if (offset < 0 || offset >= length) {
    throw new RangeError(`offset (${offset} bytes) must be non-negative and no greater than buffer length (${length} bytes) minus 1`);
  }
  let n = count;
  if (count < 0) {
    if ((length - offset) % elsize !== 0) {
      throw new RangeError(`buffer length (${length - offset} bytes) after offset (${offset} bytes) must be a multiple of element size (${elsize})`);
    }
    n = (length - offset) / elsize;
  } else if (offset + n * elsize > length) {
    throw new RangeError(`requested buffer length (${n} * ${elsize} bytes) after offset (${offset} bytes) must not be greater than actual buffer length (${length} bytes)`);
  }
  if ((base + offset) % elsize !== 0) {
    // NOTE: a typed array needs an aligned start; PyTorch reads unaligned bytes, JS cannot view them.
    throw new RangeError(`frombuffer(): the start (byte ${base + offset}) is not a multiple of the element size (${elsize}), which a JS typed array requires`);
  }
  const t = new Tensor(storageOver(dtype, bytes, base + offset, n), [n]);
  if (opts.requiresGrad) t.requiresGrad = true;
  return t;
}
