// Tensor methods PyTorch programs call that concern a real CPU tensor's identity and storage rather
// than its values: the complex-number views of a real tensor (conj, real, H, angle), storage
// queries (data_ptr, is_set_to, is_shared, is_pinned), resize_, the legacy x.new(...), apply_/map_
// with a JS function, numpy() as the typed array, and ger / cumsum_ / cumprod_.
// ref: PyTorch 1.13 torch/_tensor.py, aten/src/ATen/native/Resize.cpp, UnaryOps.cpp (angle).
import { Tensor } from "../tensor.js";
import type { Storage } from "../backend/types.js";
import { allocStorage, fromElement, getDefaultDtype, isFloating, toStoredElement } from "../dtype.js";
import { contiguousStrides, numelOf } from "../shape.js";
import { rename } from "../autograd/node.js";
import { tensor, zeros } from "../ops/creation.js";
import * as ew from "../ops/elementwise.js";

declare module "../tensor.js" {
  interface Tensor {
    /** A real tensor is its own conjugate: conj() returns this tensor, as PyTorch's for real dtypes. */
    conj(): Tensor;
    conjPhysical(): Tensor;
    conjPhysical_(): Tensor;
    resolveConj(): Tensor;
    resolveNeg(): Tensor;
    /** Always false for a real tensor. */
    isConj(): boolean;
    isNeg(): boolean;
    /** A real tensor's real part is itself. */
    readonly real: Tensor;
    /** Throws, as PyTorch for non-complex dtypes. */
    readonly imag: Tensor;
    /** The conjugate transpose of a 2-D tensor (its transpose, for real values). */
    readonly H: Tensor;
    /** The conjugate transpose of the last two dims (mT, for real values). */
    readonly mH: Tensor;
    adjoint(): Tensor;
    /** 0 where x >= 0, π where x < 0, NaN for NaN, in the default float dtype for integers. */
    angle(): Tensor;
    /** A number that is equal for two tensors exactly when they start at the same element of the same storage. */
    dataPtr(): number;
    /** True when other views the same storage with the same offset, shape and strides. */
    isSetTo(other: Tensor): boolean;
    isInference(): boolean;
    /** No-ops on the CPU (PyTorch moves storage to shared memory / pinned memory). */
    shareMemory_(): Tensor;
    isShared(): boolean;
    pinMemory(): Tensor;
    isPinned(): boolean;
    toDense(): Tensor;
    readonly isSparse: boolean;
    readonly isQuantized: boolean;
    readonly isMeta: boolean;
    /** The typed array of a tensor that does not require grad (shared when contiguous from its offset, as PyTorch's numpy()). */
    numpy(): Storage;
    /** Resizes in place (PyTorch's resize_): the first elements of the storage are kept, new ones are unspecified (zeros here). */
    resize_(...size: number[] | [readonly number[]]): Tensor;
    resizeAs_(other: Tensor): Tensor;
    /** The legacy constructor of the same dtype: x.new() (empty), x.new(2, 3) (sizes), x.new([1, 2]) (data). */
    "new"(...args: unknown[]): Tensor;
    /** Replaces every element by fn(element), in place (CPU only in PyTorch too). */
    apply_(fn: (v: number) => number): Tensor;
    /** self[i] = fn(self[i], other[i]) with other broadcast to self's shape. */
    map_(other: Tensor, fn: (a: number, b: number) => number): Tensor;
    /** self[i] = fn(self[i], x[i], y[i]) with x and y broadcast to self's shape. */
    map2_(x: Tensor, y: Tensor, fn: (a: number, b: number, c: number) => number): Tensor;
    /** Alias of outer (torch.ger). */
    ger(vec2: Tensor): Tensor;
    cumsum_(dim: number): Tensor;
    cumprod_(dim: number): Tensor;
  }
}

const P = Tensor.prototype;
const self = function (this: Tensor): Tensor {
  return this;
};
const no = () => false;
P.conj = self;
P.resolveConj = self;
P.resolveNeg = self;
P.conjPhysical = function (this: Tensor) {
  return this.clone();
};
P.conjPhysical_ = self;
P.isConj = no;
P.isNeg = no;
P.adjoint = function (this: Tensor) {
  return this.transpose(-2, -1);
};
Object.defineProperties(P, {
  real: { get: self, configurable: true },
  imag: {
    get() {
      throw new Error("imag is not implemented for tensors with non-complex dtypes.");
    },
    configurable: true,
  },
  H: {
    get(this: Tensor) {
      if (this.ndim !== 2 && this.ndim !== 0) throw new Error(`tensor.H is only supported on matrices (2-D tensors). Got ${this.ndim}-D tensor.`);
      return this.ndim === 0 ? this : this.t();
    },
    configurable: true,
  },
  mH: {
    get(this: Tensor) {
      if (this.ndim < 2) throw new Error(`tensor.mH is only supported on matrices or batches of matrices. Got ${this.ndim}-D tensor.`);
      return this.transpose(-2, -1);
    },
    configurable: true,
  },
  isSparse: { get: no, configurable: true },
  isQuantized: { get: no, configurable: true },
  isMeta: { get: no, configurable: true },
});

P.angle = function (this: Tensor) {
  const x = isFloating(this.dtype) ? this : ew.cast(this, getDefaultDtype());
  // NOTE: π where x < 0 and 0 elsewhere; NaN stays NaN (x itself is picked there). Its gradient is
  // zero but at NaNs, as PyTorch's for real inputs (angle_backward).
  const out = ew.where(x.isnan(), x, x.detach().lt(0).to(x.dtype).mul(Math.PI));
  return rename(out, "AngleBackward0");
};

// data_ptr: each storage's buffer gets a base far from every other's (2^40 apart), plus the byte
// offset of the first element, so equal pointers mean the same element of the same memory.
const bases = new WeakMap<ArrayBufferLike, number>();
let nextBase = 1;
P.dataPtr = function (this: Tensor) {
  const a = this.typedArray;
  let base = bases.get(a.buffer);
  if (base === undefined) bases.set(a.buffer, (base = nextBase++ * 2 ** 40));
  return base + a.byteOffset + this.offset * a.BYTES_PER_ELEMENT;
};
P.isSetTo = function (this: Tensor, other: Tensor) {
  const same = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((v, i) => v === b[i]);
  return other instanceof Tensor && other.typedArray === this.typedArray && other.offset === this.offset && same(other.shape, this.shape) && same(other.strides, this.strides);
};
P.isInference = no;
P.shareMemory_ = self;
P.isShared = no;
P.pinMemory = self;
P.isPinned = no;
P.toDense = self;

P.numpy = function (this: Tensor) {
  if (this.requiresGrad) throw new Error("Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.");
  return this.contiguous().storage();
};

P.resize_ = function (this: Tensor, ...args: number[] | [readonly number[]]) {
  const size = args.length === 1 && Array.isArray(args[0]) ? [...args[0]] : (args as number[]);
  if (size.some((s) => !Number.isInteger(s) || s < 0)) throw new RangeError(`Trying to create tensor with negative dimension: [${size.join(", ")}]`);
  if (this.requiresGrad) throw new Error("cannot resize variables that require grad");
  const n = numelOf(size);
  const old = this.typedArray;
  if (this.offset + n <= old.length) {
    this._setView(old, size, contiguousStrides(size), this.offset);
    return this;
  }
  // NOTE: as PyTorch's storage growth: the old storage's elements from the offset on are kept.
  const grown = allocStorage(this.dtype, n);
  grown.set(old.subarray(this.offset) as never);
  this._setView(grown, size, contiguousStrides(size), 0);
  return this;
};
P.resizeAs_ = function (this: Tensor, other: Tensor) {
  return this.resize_(other.shape);
};

P.new = function (this: Tensor, ...args: unknown[]) {
  const opts = { dtype: this.dtype };
  if (args.length === 0) return zeros([0], opts);
  if (args.every((a) => typeof a === "number")) return zeros(args as number[], opts);
  if (args.length === 1 && args[0] instanceof Tensor) return args[0];
  if (args.length === 1) return tensor(args[0] as Parameters<typeof tensor>[0], opts);
  throw new TypeError("new(): expected sizes (numbers) or one sequence of data");
};

/** Writes fn over this tensor's elements (read with the operands broadcast to its shape). */
function mapInPlace(t: Tensor, fn: string, operands: Tensor[], f: (...v: number[]) => number): Tensor {
  ew.checkInPlace(t, fn);
  if (t.requiresGrad) throw new Error("a leaf Variable that requires grad is being used in an in-place operation.");
  // Each operand's values in t's (row-major) order, decoded from its storage (float16/bfloat16 bits).
  const inputs = [t, ...operands].map((o) => ({ data: o.expand(t.shape).contiguous().storage(), dtype: o.dtype }));
  const out = allocStorage(t.dtype, t.numel());
  const args = new Array<number>(inputs.length);
  for (let i = 0; i < out.length; i++) {
    for (let k = 0; k < inputs.length; k++) args[k] = fromElement(inputs[k].data[i], inputs[k].dtype);
    const r = f(...args);
    if (typeof r !== "number" && typeof r !== "boolean") throw new TypeError(`${fn}: the function must return a number, got ${typeof r}`);
    out[i] = toStoredElement(Number(r), t.dtype, fn) as never;
  }
  ew.writeChecked(t, new Tensor(out, [...t.shape]));
  return t;
}
P.apply_ = function (this: Tensor, fn: (v: number) => number) {
  if (typeof fn !== "function") throw new TypeError("apply_(): argument 'callable' must be a function");
  return mapInPlace(this, "apply_", [], (v) => fn(v));
};
P.map_ = function (this: Tensor, other: Tensor, fn: (a: number, b: number) => number) {
  if (!(other instanceof Tensor)) throw new TypeError("map_(): argument 'tensor' must be Tensor");
  return mapInPlace(this, "map_", [other], (a, b) => fn(a, b));
};
P.map2_ = function (this: Tensor, x: Tensor, y: Tensor, fn: (a: number, b: number, c: number) => number) {
  if (!(x instanceof Tensor) || !(y instanceof Tensor)) throw new TypeError("map2_(): arguments 'x' and 'y' must be Tensors");
  return mapInPlace(this, "map2_", [x, y], (a, b, c) => fn(a, b, c));
};

P.ger = function (this: Tensor, vec2: Tensor) {
  return this.outer(vec2);
};
P.cumsum_ = function (this: Tensor, dim: number) {
  return this.inPlaceOf("cumsum_", (x) => x.cumsum(dim));
};
P.cumprod_ = function (this: Tensor, dim: number) {
  return this.inPlaceOf("cumprod_", (x) => x.cumprod(dim));
};
