// The Tensor: a strided view (shape, strides, offset) over a typed array, plus autograd state.
// Methods are thin: each forwards to the op module that implements it (lib/ops/*), so this file
// reads as the API surface. Shape checks and autograd recording live in the ops, not here.
import { inspect } from "./inspect_custom.js";
import type { AccumulateGrad, Node, RemovableHandle, TensorHook } from "./autograd/node.js";
import * as hooks from "./autograd/hooks.js";
import { versionOf } from "./autograd/version.js";
import type { DType, Storage, UnaryOp, View } from "./backend/types.js";
import { allocStorage, checkCastTo, dtypeOfStorage, fromElement, isFloating, parseDType, scalarTypeName, tagStorage, toElement, toStoredElement } from "./dtype.js";
import { checkShape, contiguousStrides, isContiguous, normDim, numelOf, type Shape } from "./shape.js";
import { checkGradientArg, checkReadable, checkStorageValues, checkViewBounds } from "./validate.js";
import { toNested } from "./nested.js";
import { backward as runBackward, type BackwardOptions } from "./autograd/engine.js";
import * as ew from "./ops/elementwise.js";
import * as red from "./ops/reduce.js";
import * as vw from "./ops/views.js";
import * as ix from "./ops/indexing.js";
import { matmul } from "./ops/matmul.js";
import { remainder as remainderOp } from "./ops/remainder.js";
import { formatTensor } from "./format.js";
import { checkNormalArgs, fillNormal, fillNormalSerial, type Generator } from "./ops/random.js";
import { generatorOf, notImplemented, uniform_ as uniformFill_ } from "./ops/random_dists.js";
import { backend } from "./backend/index.js";
import type { IndexItem } from "./ops/indexing.js";
import * as srt from "./ops/sorting.js";
import * as msk from "./ops/masking.js";
import * as mb from "./ops/math_binary.js";
import * as pw from "./ops/pointwise.js";
import * as sct from "./ops/scatter.js";
import * as sets from "./ops/sets.js";
import { multinomial, type MultinomialOptions } from "./ops/multinomial.js";
import { noGrad } from "./autograd/grad_mode.js";
import { CPU, Device, deviceUnavailable, type DeviceLike } from "./device.js";
import { tensorTo, type ToOptions } from "./ops/to.js";
import * as sp from "./ops/split.js";
import * as tri from "./ops/triangular.js";
import * as cum from "./ops/cumulative.js";
import * as blas from "./ops/blas.js";
import * as nrm from "./ops/norms.js";
import * as lu from "./ops/lu.js";
import { stdOf, varOf, type VarArgs } from "./ops/moments.js";
import { equal } from "./ops/equal.js";
import * as nl from "./ops/new_like.js";
import { allclose, isclose, type IsCloseOptions } from "./ops/close.js";
import * as win from "./ops/windows.js";
import * as nanr from "./ops/nan_reduce.js";
import type { NanReduceOptions } from "./ops/nan_reduce.js";
import * as med from "./ops/median.js";
import { recordInPlace } from "./autograd/inplace.js";
import { warn } from "./nn/warnings.js";
import type { SizeAndOptions, TensorOptions } from "./ops/creation.js";

export type Scalar = number | boolean;
export type TensorOrScalar = Tensor | Scalar;
/** A size given as varargs (`reshape(2, 3)`) or as one array (`reshape([2, 3])`). */
export type SizeArgs = number[] | [readonly number[]];

/** `{ values, indices }` that also destructures like PyTorch's named tuple: `const [v, i] = x.max(1)`. */
export type ValuesIndices = [Tensor, Tensor] & { values: Tensor; indices: Tensor };

const NON_LEAF_GRAD_WARNING =
  "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad attribute won't be populated during autograd.backward(). If you indeed want the .grad field to be populated for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. If you access the non-leaf Tensor by mistake, make sure you access the leaf Tensor instead. See github.com/pytorch/pytorch/pull/30531 for more informations.";

/** Unary ops whose gradient reads only the result, or nothing (autograd/saves.ts): their in-place
 *  forms under autograd need no copy of the old value. */
const RESULT_ONLY_UNARY: ReadonlySet<UnaryOp> = new Set(["neg", "exp", "sqrt", "relu", "sigmoid", "tanh", "sign", "floor", "ceil", "round", "trunc"]);

/** PyTorch's keyword arguments as one trailing options object (`x.sum(1, { keepdim: true })`); the
 *  methods that take them are listed, and their arguments bound, in tensor_keywords.ts. */
export type Keywords = { readonly [name: string]: unknown };

export function sizeArgs(args: SizeArgs): number[] {
  return args.length === 1 && Array.isArray(args[0]) ? [...args[0]] : (args as number[]);
}

export class Tensor implements View {
  /** Set when this tensor is the output of a recorded op; null for leaves. */
  gradFn: Node | null = null;
  private _grad: Tensor | null = null;
  private _requiresGrad = false;
  /** @internal The tensor whose storage this one is a view of (set by the view ops; the root, never
   *  a view itself): an in-place write here is recorded on it too (autograd/inplace.ts). */
  _base: Tensor | null = null;
  /** @internal How many times an in-place op gave this tensor a new history; a view made before the
   *  latest (its _viewGen behind its base's) gets its history again from the base when next used. */
  _histGen = 0;
  /** @internal For a view: its base's _histGen when this view's history was last set. */
  _viewGen = 0;
  private _data: Storage | null;

  /** Internal: wraps storage as-is. Users create tensors with torch.tensor / zeros / ... */
  constructor(
    data: Storage,
    readonly shape: readonly number[],
    readonly strides: readonly number[] = Array.isArray(shape) ? contiguousStrides(shape) : [],
    readonly offset = 0,
  ) {
    if (!ArrayBuffer.isView(data)) {
      // NOTE: PyTorch's legacy torch.Tensor(data) / torch.Tensor(2, 3), which old tutorials call.
      throw new TypeError(
        `unsupported storage ${Object.prototype.toString.call(data)}: new torch.Tensor(...) takes a typed array (it is torchlet's internal constructor); for PyTorch's legacy torch.Tensor(data) or torch.Tensor(2, 3) use torch.tensor(data), torch.empty(2, 3), or torch.FloatTensor(data) / torch.FloatTensor(2, 3)`,
      );
    }
    checkViewBounds("Tensor", data, shape, strides, offset);
    this._data = data;
  }

  /** The typed array this tensor views (shared with its views; PyTorch's storage, as `t.numpy()`
   *  of a contiguous tensor). Throws once disposed. */
  get typedArray(): Storage {
    const d = this._data;
    if (d === null) throw new Error("this Tensor was disposed: dispose() released its storage, so it can no longer be used");
    return d;
  }

  /**
   * PyTorch's `x.data`: x's values as a tensor that shares x's storage, requires no grad and has no
   * history (as x.detach()), so `m.weight.data.normal_(0, 0.02)` and `p.data.sub_(g.mul(lr))` change
   * x without autograd seeing it. The typed array itself is `x.typedArray`.
   */
  get data(): Tensor {
    return this.detach();
  }
  /** `x.data = y`: x views y's storage from now on (y's shape and dtype), keeping x's requiresGrad,
   *  grad and hooks, as PyTorch's `p.data = ...`. */
  set data(t: Tensor) {
    if (!(t instanceof Tensor)) throw new TypeError(`data must be a Tensor, not ${t === null ? "None" : typeof t}`);
    this._setView(t.typedArray, t.shape, t.strides, t.offset);
  }
  /** @internal Points this tensor at a view of another storage (x.data = y; the in-place view ops). */
  _setView(data: Storage, shape: readonly number[], strides: readonly number[], offset: number): void {
    checkViewBounds("set_", data, shape, strides, offset);
    const self = this as unknown as { shape: readonly number[]; strides: readonly number[]; offset: number };
    self.shape = [...shape];
    self.strides = [...strides];
    self.offset = offset;
    this._data = data;
  }

  /**
   * Releases this tensor's storage, gradient and graph now instead of when the GC collects the
   * tensor; using it afterwards throws. Optional: unreachable tensors are freed anyway (storage is
   * an ArrayBuffer). NOTE: views share the storage, which stays alive while any view is reachable.
   */
  dispose(): void {
    this._data = null;
    this.grad = null;
    this.gradFn = null;
  }
  get isDisposed(): boolean {
    return this._data === null;
  }

  /** Wraps a contiguous typed array (dtype from its type: Float32Array, Float64Array=int64, Uint8Array=bool). */
  static fromStorage(data: Storage, shape: Shape): Tensor {
    const dtype = dtypeOfStorage(data);
    shape = checkShape(Array.isArray(shape) ? shape : [shape as unknown], "fromStorage");
    checkStorageValues(data, dtype, "fromStorage");
    if (numelOf(shape) !== data.length) {
      throw new RangeError(`fromStorage: shape [${shape.join(", ")}] is invalid for input of size ${data.length}`);
    }
    return new Tensor(data, [...shape]);
  }

  /** Internal: an uninitialised contiguous tensor. */
  static empty(shape: Shape, dtype: DType): Tensor {
    return new Tensor(allocStorage(dtype, numelOf(shape)), [...shape]);
  }

  get dtype(): DType {
    return dtypeOfStorage(this.typedArray);
  }
  get ndim(): number {
    return this.shape.length;
  }
  /** Accumulated gradient of a leaf that requires grad (PyTorch's .grad); null elsewhere, and read
   *  on a non-leaf that doesn't retain its gradient, PyTorch's warning (it is never filled there). */
  get grad(): Tensor | null {
    if (this._grad === null && this.gradFn !== null && !this._retainsGrad) warn(NON_LEAF_GRAD_WARNING, { perCallSite: true });
    return this._grad;
  }
  set grad(g: Tensor | null) {
    this._grad = g;
  }
  get requiresGrad(): boolean {
    return this._requiresGrad;
  }
  set requiresGrad(v: boolean) {
    if (v && !isFloating(this.dtype)) {
      throw new TypeError(`only Tensors of floating point dtype can require gradients (got ${this.dtype})`);
    }
    if (!v && this.gradFn) {
      throw new Error(
        "you can only change requires_grad flags of leaf variables. If you want to use a computed variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach().",
      );
    }
    this._requiresGrad = v;
  }
  get isLeaf(): boolean {
    return this.gradFn === null;
  }
  /** PyTorch spelling, for printing and porting. */
  get grad_fn(): Node | null {
    return this.gradFn;
  }
  get T(): Tensor {
    return vw.permute(this, [...this.shape.keys()].reverse());
  }
  get mT(): Tensor {
    return vw.transpose(this, -2, -1);
  }

  size(): number[];
  size(dim: number): number;
  size(dim?: number): number[] | number {
    return dim === undefined ? [...this.shape] : this.shape[normDim(dim, this.ndim, "size")];
  }
  numel(): number {
    return numelOf(this.shape);
  }
  dim(): number {
    return this.ndim;
  }
  isContiguous(): boolean {
    return isContiguous(this.shape, this.strides);
  }
  /** The contiguous typed array behind a contiguous tensor (throws otherwise: call contiguous() first). */
  storage(): Storage {
    if (!this.isContiguous()) throw new Error("storage(): tensor is not contiguous; call contiguous() first");
    checkReadable("storage", this);
    const n = this.numel();
    return this.offset === 0 && this.typedArray.length === n ? this.typedArray : tagStorage(this.typedArray.subarray(this.offset, this.offset + n), this.dtype);
  }

  item(): number {
    if (this.numel() !== 1) {
      throw new RangeError(`only one element tensors can be converted to Python scalars (got ${this.numel()} elements)`);
    }
    checkReadable("item", this);
    return fromElement(this.typedArray[this.offset], this.dtype);
  }
  /** Nested arrays of numbers (booleans for bool tensors), or a plain value for a 0-d tensor. */
  tolist(): any {
    checkReadable("tolist", this);
    // NOTE: an empty tensor reads nothing (and its storage may be a transferred buffer).
    let c: Storage = this.numel() === 0 ? new Float32Array(0) : this.contiguous().storage();
    const dtype = this.dtype;
    if (dtype === "float16" || dtype === "bfloat16") c = Float32Array.from(c, (e) => fromElement(e, dtype));
    return toNested(c, this.shape, dtype === "bool");
  }
  toString(): string {
    return formatTensor(this);
  }
  [inspect.custom](): string {
    return formatTensor(this);
  }

  // ---- autograd ----
  requiresGrad_(requiresGrad = true): this {
    this.requiresGrad = requiresGrad;
    return this;
  }
  /** `y.backward()`, `y.backward(gradient, { retainGraph, createGraph })` or `y.backward({ createGraph })`. */
  backward(gradient?: Tensor | BackwardOptions | null, options: BackwardOptions = {}): void {
    // NOTE: a plain options object in first place is `backward({ createGraph })`; arrays and other
    // values fall through to the argument check (PyTorch: "gradients can be either Tensors or None").
    if (gradient != null && !(gradient instanceof Tensor) && !Array.isArray(gradient) && Object.getPrototypeOf(gradient) === Object.prototype) [gradient, options] = [undefined, gradient as BackwardOptions];
    checkGradientArg(gradient, (g) => g instanceof Tensor);
    runBackward(this, (gradient as Tensor | null | undefined) ?? undefined, options);
  }
  /** A tensor sharing storage with no graph history. */
  detach(): Tensor {
    return new Tensor(this.typedArray, this.shape, this.strides, this.offset);
  }
  /** Makes this tensor a leaf that does not require grad; graphs already recorded through it keep
   *  their edges (they reach its former grad_fn), as in PyTorch. */
  detach_(): this {
    this.gradFn = null;
    this.outputNr = 0;
    this._requiresGrad = false;
    return this;
  }

  // ---- conversion ----
  /** Internal (Module.to): converts this tensor's elements (and its .grad) to `dtype` in place of
   *  its storage, so the same Parameter object holds float64 after `model.double()`, as in PyTorch. */
  _castStorage(dtype: DType): void {
    if (this.dtype === dtype) return;
    const c = noGrad(() => ew.cast(this.detach(), dtype).contiguous());
    this._data = c.typedArray;
    // NOTE: the one place a tensor's layout changes after construction (a parameter stays one object).
    (this as { strides: readonly number[] }).strides = c.strides;
    (this as { offset: number }).offset = c.offset;
    if (this.grad !== null) this.grad = noGrad(() => ew.cast(this.grad as Tensor, dtype));
  }
  /** PyTorch's to(dtype) / to(device, dtype?) / to(other) / to({ device, dtype, copy }): this tensor
   *  itself when nothing changes (and no copy is asked); devices other than "cpu" throw. */
  to(dtypeOrDevice: DType | DeviceLike | Tensor | null, opts?: ToOptions): Tensor;
  to(device: DeviceLike | null, dtype: DType | string | null, opts?: ToOptions): Tensor;
  to(opts?: ToOptions): Tensor;
  to(...args: unknown[]): Tensor {
    return tensorTo(this, args);
  }
  type(dtype: DType | string): Tensor {
    return ew.cast(this, parseDType(dtype, "type"));
  }
  float(): Tensor {
    return ew.cast(this, "float32");
  }
  long(): Tensor {
    return ew.cast(this, "int64");
  }
  double(): Tensor {
    return ew.cast(this, "float64");
  }
  half(): Tensor {
    return ew.cast(this, "float16");
  }
  bfloat16(): Tensor {
    return ew.cast(this, "bfloat16");
  }
  int(): Tensor {
    return ew.cast(this, "int32");
  }
  short(): Tensor {
    return ew.cast(this, "int16");
  }
  char(): Tensor {
    return ew.cast(this, "int8");
  }
  byte(): Tensor {
    return ew.cast(this, "uint8");
  }
  bool(): Tensor {
    return ew.cast(this, "bool");
  }
  contiguous(): Tensor {
    return this.isContiguous() ? this : vw.clone(this);
  }
  clone(): Tensor {
    return vw.clone(this);
  }

  // ---- elementwise ----
  add(other: TensorOrScalar, opts?: { alpha?: number }): Tensor {
    return ew.add(this, other, opts);
  }
  sub(other: TensorOrScalar, opts?: { alpha?: number }): Tensor {
    return ew.sub(this, other, opts);
  }
  mul(other: TensorOrScalar): Tensor {
    return ew.binary("mul", this, other);
  }
  div(other: TensorOrScalar, opts?: { roundingMode?: "trunc" | "floor" | null }): Tensor {
    return ew.div(this, other, opts);
  }
  /** Python's modulo: the result has the sign of other (torch.remainder). */
  remainder(other: TensorOrScalar): Tensor {
    return remainderOp(this, other);
  }
  pow(exponent: TensorOrScalar): Tensor {
    return ew.binary("pow", this, exponent);
  }
  maximum(other: Tensor): Tensor {
    return ew.binary("maximum", this, other);
  }
  minimum(other: Tensor): Tensor {
    return ew.binary("minimum", this, other);
  }
  neg(): Tensor {
    return ew.unary("neg", this);
  }
  exp(): Tensor {
    return ew.unary("exp", this);
  }
  log(): Tensor {
    return ew.unary("log", this);
  }
  log1p(): Tensor {
    return ew.unary("log1p", this);
  }
  sqrt(): Tensor {
    return ew.unary("sqrt", this);
  }
  rsqrt(): Tensor {
    return ew.unary("sqrt", this).reciprocal();
  }
  reciprocal(): Tensor {
    return ew.binary("div", 1, this);
  }
  square(): Tensor {
    return ew.binary("mul", this, this);
  }
  abs(): Tensor {
    return ew.unary("abs", this);
  }
  sign(): Tensor {
    return ew.unary("sign", this);
  }
  relu(): Tensor {
    return ew.unary("relu", this);
  }
  sigmoid(): Tensor {
    return ew.unary("sigmoid", this);
  }
  tanh(): Tensor {
    return ew.unary("tanh", this);
  }
  erf(): Tensor {
    return ew.unary("erf", this);
  }
  sin(): Tensor {
    return ew.unary("sin", this);
  }
  cos(): Tensor {
    return ew.unary("cos", this);
  }
  floor(): Tensor {
    return ew.unary("floor", this);
  }
  ceil(): Tensor {
    return ew.unary("ceil", this);
  }
  round(): Tensor {
    return ew.unary("round", this);
  }
  trunc(): Tensor {
    return ew.unary("trunc", this);
  }
  // ---- more elementwise math: kernels (ew.unary, math_binary.ts), compositions (pointwise.ts), aliases ----
  tan(): Tensor { return ew.unary("tan", this); }
  asin(): Tensor { return ew.unary("asin", this); }
  acos(): Tensor { return ew.unary("acos", this); }
  atan(): Tensor { return ew.unary("atan", this); }
  sinh(): Tensor { return ew.unary("sinh", this); }
  cosh(): Tensor { return ew.unary("cosh", this); }
  asinh(): Tensor { return ew.unary("asinh", this); }
  acosh(): Tensor { return ew.unary("acosh", this); }
  atanh(): Tensor { return ew.unary("atanh", this); }
  expm1(): Tensor { return ew.unary("expm1", this); }
  exp2(): Tensor { return ew.unary("exp2", this); }
  log2(): Tensor { return ew.unary("log2", this); }
  log10(): Tensor { return ew.unary("log10", this); }
  erfc(): Tensor { return ew.unary("erfc", this); }
  erfinv(): Tensor { return ew.unary("erfinv", this); }
  arcsin(): Tensor { return this.asin(); }
  arccos(): Tensor { return this.acos(); }
  arctan(): Tensor { return this.atan(); }
  arcsinh(): Tensor { return this.asinh(); }
  arccosh(): Tensor { return this.acosh(); }
  arctanh(): Tensor { return this.atanh(); }
  absolute(): Tensor { return this.abs(); }
  negative(): Tensor { return this.neg(); }
  fix(): Tensor { return this.trunc(); }
  frac(): Tensor { return pw.frac(this); }
  sgn(): Tensor { return pw.sgn(this); }
  deg2rad(): Tensor { return pw.deg2rad(this); }
  rad2deg(): Tensor { return pw.rad2deg(this); }
  logit(eps: number | null = null): Tensor { return pw.logit(this, eps); }
  xlogy(other: TensorOrScalar): Tensor { return mb.xlogy(this, other); }
  atan2(other: Tensor): Tensor { return mb.mathBinary("atan2", this, other); }
  arctan2(other: Tensor): Tensor { return mb.mathBinary("atan2", this, other); }
  hypot(other: Tensor): Tensor { return mb.mathBinary("hypot", this, other); }
  logaddexp(other: Tensor): Tensor { return mb.mathBinary("logaddexp", this, other); }
  logaddexp2(other: Tensor): Tensor { return mb.mathBinary("logaddexp2", this, other); }
  copysign(other: TensorOrScalar): Tensor { return mb.mathBinary("copysign", this, other); }
  /** C's fmod: the sign of this (torch.remainder takes the sign of other). */
  fmod(other: TensorOrScalar): Tensor { return mb.mathBinary("fmod", this, other); }
  floatPower(exponent: TensorOrScalar): Tensor { return pw.floatPower(this, exponent); }
  lerp(end: Tensor, weight: TensorOrScalar): Tensor { return pw.lerp(this, end, weight); }
  addcmul(t1: Tensor, t2: Tensor, opts?: pw.ValueOptions): Tensor { return pw.addcmul(this, t1, t2, opts); }
  addcdiv(t1: Tensor, t2: Tensor, opts?: pw.ValueOptions): Tensor { return pw.addcdiv(this, t1, t2, opts); }
  clampMin(min: Tensor | number): Tensor { return pw.clampMin(this, min); }
  clampMax(max: Tensor | number): Tensor { return pw.clampMax(this, max); }
  clamp(min?: Tensor | number | null, max?: Tensor | number | null): Tensor {
    return ew.clamp(this, min, max);
  }
  clip(min?: Tensor | number | null, max?: Tensor | number | null): Tensor {
    return ew.clamp(this, min, max);
  }
  eq(other: TensorOrScalar): Tensor {
    return ew.compare("eq", this, other);
  }
  ne(other: TensorOrScalar): Tensor {
    return ew.compare("ne", this, other);
  }
  lt(other: TensorOrScalar): Tensor {
    return ew.compare("lt", this, other);
  }
  le(other: TensorOrScalar): Tensor {
    return ew.compare("le", this, other);
  }
  gt(other: TensorOrScalar): Tensor {
    return ew.compare("gt", this, other);
  }
  ge(other: TensorOrScalar): Tensor {
    return ew.compare("ge", this, other);
  }
  logicalAnd(other: Tensor): Tensor {
    return ew.logical("and", this, other);
  }
  logicalOr(other: Tensor): Tensor {
    return ew.logical("or", this, other);
  }
  logicalNot(): Tensor {
    return ew.compare("eq", this, 0);
  }
  where(condition: Tensor, other: TensorOrScalar): Tensor {
    return ew.where(condition, this, other);
  }

  // ---- reductions ----
  sum(dim?: number | readonly number[] | null | Keywords, keepdim?: boolean | Keywords): Tensor;
  sum(dim?: any, keepdim: any = false): Tensor {
    return red.sum(this, dim, keepdim);
  }
  mean(dim?: number | readonly number[] | null | Keywords, keepdim?: boolean | Keywords): Tensor;
  mean(dim?: any, keepdim: any = false): Tensor {
    return red.mean(this, dim, keepdim);
  }
  max(): Tensor;
  max(dim: number | { dim: number; keepdim?: boolean }, keepdim?: boolean | { keepdim?: boolean }): ValuesIndices;
  max(other: Tensor): Tensor;
  max(dim?: any, keepdim: any = false): Tensor | ValuesIndices {
    if (dim instanceof Tensor) return ew.binary("maximum", this, dim);
    return dim === undefined ? red.amax(this, null, false, "MaxBackward1") : red.maxDim(this, dim, keepdim, "argmax");
  }
  min(): Tensor;
  min(dim: number | { dim: number; keepdim?: boolean }, keepdim?: boolean | { keepdim?: boolean }): ValuesIndices;
  min(other: Tensor): Tensor;
  min(dim?: any, keepdim: any = false): Tensor | ValuesIndices {
    if (dim instanceof Tensor) return ew.binary("minimum", this, dim);
    return dim === undefined ? red.amin(this, null, false, "MinBackward1") : red.maxDim(this, dim, keepdim, "argmin");
  }
  amax(dim?: number | readonly number[] | null | Keywords, keepdim?: boolean | Keywords): Tensor;
  amax(dim?: any, keepdim: any = false): Tensor {
    return red.amax(this, dim, keepdim);
  }
  amin(dim?: number | readonly number[] | null | Keywords, keepdim?: boolean | Keywords): Tensor;
  amin(dim?: any, keepdim: any = false): Tensor {
    return red.amin(this, dim, keepdim);
  }
  argmax(dim?: number | null | Keywords, keepdim?: boolean | Keywords): Tensor;
  argmax(dim?: any, keepdim: any = false): Tensor {
    return red.argReduce("argmax", this, dim, keepdim);
  }
  argmin(dim?: number | null | Keywords, keepdim?: boolean | Keywords): Tensor;
  argmin(dim?: any, keepdim: any = false): Tensor {
    return red.argReduce("argmin", this, dim, keepdim);
  }
  logsumexp(dim?: number | readonly number[] | Keywords, keepdim?: boolean | Keywords): Tensor;
  logsumexp(dim: any, keepdim: any = false): Tensor {
    return red.logsumexp(this, dim, keepdim);
  }
  softmax(dim?: number | Keywords): Tensor;
  softmax(dim: any): Tensor {
    return red.softmax(this, dim, false);
  }
  logSoftmax(dim?: number | Keywords): Tensor;
  logSoftmax(dim: any): Tensor {
    return red.softmax(this, dim, true);
  }
  /** var(), var(unbiased), var(dim, unbiased?, keepdim?), var(dim, { correction, keepdim }). */
  var(...args: VarArgs): Tensor {
    return varOf(this, args);
  }
  std(...args: VarArgs): Tensor {
    return stdOf(this, args);
  }

  // ---- shape and views ----
  reshape(...shape: SizeArgs): Tensor {
    return vw.reshape(this, sizeArgs(shape));
  }
  view(...shape: SizeArgs): Tensor {
    return vw.view(this, sizeArgs(shape));
  }
  flatten(startDim?: number | Keywords, endDim?: number | Keywords): Tensor;
  flatten(startDim: any = 0, endDim: any = -1): Tensor {
    return vw.flatten(this, startDim, endDim);
  }
  unflatten(dim?: number | Keywords, sizes?: readonly number[] | Keywords): Tensor;
  unflatten(dim: any, sizes: any): Tensor {
    return vw.unflatten(this, dim, sizes);
  }
  permute(...dims: SizeArgs): Tensor {
    return vw.permute(this, sizeArgs(dims));
  }
  transpose(dim0?: number | Keywords, dim1?: number | Keywords): Tensor;
  transpose(dim0: any, dim1: any): Tensor {
    return vw.transpose(this, dim0, dim1);
  }
  t(): Tensor {
    return vw.t(this);
  }
  unsqueeze(dim?: number | Keywords): Tensor;
  unsqueeze(dim: any): Tensor {
    return vw.unsqueeze(this, dim);
  }
  squeeze(dim?: number | Keywords): Tensor;
  squeeze(dim?: any): Tensor {
    return vw.squeeze(this, dim);
  }
  expand(...sizes: SizeArgs): Tensor {
    return vw.expand(this, sizeArgs(sizes));
  }
  expandAs(other: Tensor): Tensor {
    return vw.expand(this, other.shape);
  }
  narrow(dim?: number | Keywords, start?: number | Keywords, length?: number | Keywords): Tensor;
  narrow(dim: any, start: any, length: any): Tensor {
    return vw.narrow(this, dim, start, length);
  }
  /** PyTorch's `x[...]`: items are numbers, slice strings ("1:3", ":", "::2"), "...", null (new axis),
   *  torch.slice(start, stop, step), or an int64/bool Tensor. `x.index(0, ":", "1:3")`, or the tuple
   *  as one array as set takes it: `x.index([0, ":"])`. */
  index(...items: IndexItem[] | [IndexItem[]]): Tensor {
    return ix.index(this, items.length === 1 && Array.isArray(items[0]) ? items[0] : (items as IndexItem[]));
  }
  /** PyTorch's new_ones/new_zeros/new_empty/new_full/new_tensor: this tensor's dtype unless given. */
  newOnes(...args: SizeAndOptions<TensorOptions>): Tensor {
    return nl.newOnes(this, args);
  }
  newZeros(...args: SizeAndOptions<TensorOptions>): Tensor {
    return nl.newZeros(this, args);
  }
  newEmpty(...args: SizeAndOptions<TensorOptions>): Tensor {
    return nl.newEmpty(this, args);
  }
  newFull(size: readonly number[], fillValue: number | boolean, opts?: TensorOptions): Tensor {
    return nl.newFull(this, size, fillValue, opts);
  }
  newTensor(data: Parameters<typeof nl.newTensor>[1], opts?: TensorOptions): Tensor {
    return nl.newTensor(this, data, opts);
  }
  /** torch.equal: same size and same elements. */
  equal(other: Tensor): boolean {
    return equal(this, other);
  }
  isclose(other: Tensor, opts?: IsCloseOptions): Tensor {
    return isclose(this, other, opts);
  }
  allclose(other: Tensor, opts?: IsCloseOptions): boolean {
    return allclose(this, other, opts);
  }
  /** The strides in elements (PyTorch's stride()), or one dim's. */
  stride(): number[];
  stride(dim: number): number;
  stride(dim?: number): number[] | number {
    return dim === undefined ? [...this.strides] : this.strides[normDim(dim, this.ndim, "stride")] ?? 1;
  }
  storageOffset(): number {
    return this.offset;
  }
  elementSize(): number {
    return this.typedArray.BYTES_PER_ELEMENT;
  }
  nelement(): number {
    return this.numel();
  }
  ndimension(): number {
    return this.ndim;
  }
  isFloatingPoint(): boolean {
    return isFloating(this.dtype);
  }
  isComplex(): boolean {
    return false; // NOTE: torchlet has no complex dtypes
  }
  isSigned(): boolean {
    return this.dtype !== "uint8" && this.dtype !== "bool";
  }
  typeAs(other: Tensor): Tensor {
    return this.to(other.dtype);
  }
  viewAs(other: Tensor): Tensor {
    return vw.view(this, other.shape);
  }
  reshapeAs(other: Tensor): Tensor {
    return vw.reshape(this, other.shape);
  }
  broadcastTo(...shape: SizeArgs): Tensor {
    return vw.expand(this, sizeArgs(shape));
  }
  swapaxes(axis0?: number | Keywords, axis1?: number | Keywords): Tensor;
  swapaxes(axis0: any, axis1: any): Tensor {
    return vw.transpose(this, axis0, axis1);
  }
  swapdims(dim0?: number | Keywords, dim1?: number | Keywords): Tensor;
  swapdims(dim0: any, dim1: any): Tensor {
    return vw.transpose(this, dim0, dim1);
  }
  /** A contiguous 1-D tensor of the elements (a view when the layout allows). */
  ravel(): Tensor {
    return vw.reshape(this, [-1]);
  }
  /** x[..., index, ...] along dim: that dim removed. */
  select(dim?: number | Keywords, index?: number | Keywords): Tensor;
  select(dim: any, index: any): Tensor {
    return vw.select(this, dim, index);
  }
  /** Sliding windows of `size` every `step` along a dim, as a new last dim. */
  unfold(dimension: number, size: number, step: number): Tensor {
    return win.unfold(this, dimension, size, step);
  }
  diff(n?: number, dim?: number, prepend?: Tensor | null, append?: Tensor | null): Tensor {
    return win.diff(this, { n, dim, prepend, append });
  }
  dot(other: Tensor): Tensor {
    return blas.dot(this, other);
  }
  vdot(other: Tensor): Tensor {
    return blas.vdot(this, other);
  }
  mv(vec: Tensor): Tensor {
    return blas.mv(this, vec);
  }
  inner(other: Tensor): Tensor {
    return blas.inner(this, other);
  }
  nansum(dim?: number | readonly number[] | null | Keywords, keepdim?: boolean | Keywords, opts?: NanReduceOptions | Keywords): Tensor;
  nansum(dim?: any, keepdim: any = false, opts?: any): Tensor {
    return nanr.nansum(this, dim, keepdim, opts);
  }
  nanmean(dim?: number | readonly number[] | null | Keywords, keepdim?: boolean | Keywords, opts?: NanReduceOptions | Keywords): Tensor;
  nanmean(dim?: any, keepdim: any = false, opts?: any): Tensor {
    return nanr.nanmean(this, dim, keepdim, opts);
  }
  countNonzero(dim?: number | readonly number[] | null | Keywords): Tensor;
  countNonzero(dim?: any): Tensor {
    return nanr.countNonzero(this, dim);
  }
  /** The lower median of all elements, or values and indices along dim (PyTorch's tie rule). */
  median(): Tensor;
  median(dim: number | { dim: number; keepdim?: boolean }, keepdim?: boolean | { keepdim?: boolean }): ValuesIndices;
  median(dim?: any, keepdim: any = false): Tensor | ValuesIndices {
    return dim === undefined ? med.medianAll(this, "median") : med.medianDim(this, dim, keepdim, "median");
  }
  nanmedian(): Tensor;
  nanmedian(dim: number | { dim: number; keepdim?: boolean }, keepdim?: boolean | { keepdim?: boolean }): ValuesIndices;
  nanmedian(dim?: any, keepdim: any = false): Tensor | ValuesIndices {
    return dim === undefined ? med.medianAll(this, "nanmedian") : med.medianDim(this, dim, keepdim, "nanmedian");
  }
  /** PyTorch's `x[idx] = value`, in place: `x.set([0, ":"], 1)` or `x.set(2, value)`. */
  set(idx: IndexItem | IndexItem[], value: TensorOrScalar): this {
    ix.setIndex(this, Array.isArray(idx) ? idx : [idx], value);
    return this;
  }
  gather(dim?: number | Keywords, index?: Tensor | Keywords): Tensor;
  gather(dim: any, index: any): Tensor {
    return ix.gather(this, dim, index);
  }
  indexSelect(dim?: number | Keywords, index?: Tensor | Keywords): Tensor;
  indexSelect(dim: any, index: any): Tensor {
    return ix.indexSelect(this, dim, index);
  }

  // ---- tensor ops, part 1: shapes, math, linear algebra ----
  split(splitSizeOrSections?: number | readonly number[] | Keywords, dim?: number | Keywords): Tensor[];
  split(splitSizeOrSections: any, dim: any = 0): Tensor[] {
    return sp.split(this, splitSizeOrSections, dim);
  }
  chunk(chunks?: number | Keywords, dim?: number | Keywords): Tensor[];
  chunk(chunks: any, dim: any = 0): Tensor[] {
    return sp.chunk(this, chunks, dim);
  }
  unbind(dim?: number | Keywords): Tensor[];
  unbind(dim: any = 0): Tensor[] {
    return sp.unbind(this, dim);
  }
  movedim(source?: number | readonly number[] | Keywords, destination?: number | readonly number[] | Keywords): Tensor;
  movedim(source: any, destination: any): Tensor {
    return sp.movedim(this, source, destination);
  }
  moveaxis(source: number | readonly number[], destination: number | readonly number[]): Tensor {
    return sp.movedim(this, source, destination);
  }
  /** x.repeat(2, 1) or x.repeat([2, 1]). */
  repeat(...repeats: SizeArgs): Tensor {
    return sp.repeat(this, sizeArgs(repeats));
  }
  tile(...dims: SizeArgs): Tensor {
    return sp.tile(this, sizeArgs(dims));
  }
  repeatInterleave(repeats: number | Tensor, dim?: number | null, opts?: sp.RepeatInterleaveOptions): Tensor {
    return sp.repeatInterleave(this, repeats, dim, opts);
  }
  /** x.flip(0, 1) or x.flip([0, 1]). */
  flip(...dims: SizeArgs): Tensor {
    return sp.flip(this, sizeArgs(dims));
  }
  fliplr(): Tensor {
    return sp.fliplr(this);
  }
  flipud(): Tensor {
    return sp.flipud(this);
  }
  roll(shifts?: number | readonly number[] | Keywords, dims?: number | readonly number[] | null | Keywords): Tensor;
  roll(shifts: any, dims?: any): Tensor {
    return sp.roll(this, shifts, dims);
  }
  tril(diagonal?: number | Keywords): Tensor;
  tril(diagonal: any = 0): Tensor {
    return tri.tril(this, diagonal);
  }
  triu(diagonal?: number | Keywords): Tensor;
  triu(diagonal: any = 0): Tensor {
    return tri.triu(this, diagonal);
  }
  diag(diagonal = 0): Tensor {
    return tri.diag(this, diagonal);
  }
  diagonal(offset?: number | Keywords, dim1?: number | Keywords, dim2?: number | Keywords): Tensor;
  diagonal(offset: any = 0, dim1: any = 0, dim2: any = 1): Tensor {
    return tri.diagonal(this, offset, dim1, dim2);
  }
  trace(): Tensor {
    return tri.trace(this);
  }
  outer(vec2: Tensor): Tensor {
    return blas.outer(this, vec2);
  }
  addmm(mat1: Tensor, mat2: Tensor, opts?: blas.BetaAlphaOptions): Tensor {
    return blas.addmm(this, mat1, mat2, opts);
  }
  addmv(mat: Tensor, vec: Tensor, opts?: blas.BetaAlphaOptions): Tensor {
    return blas.addmv(this, mat, vec, opts);
  }
  baddbmm(batch1: Tensor, batch2: Tensor, opts?: blas.BetaAlphaOptions): Tensor {
    return blas.baddbmm(this, batch1, batch2, opts);
  }
  cumsum(dim?: number | Keywords, opts?: cum.DTypeOptions | Keywords): Tensor;
  cumsum(dim: any, opts?: any): Tensor {
    return cum.cumsum(this, dim, opts);
  }
  cumprod(dim?: number | Keywords, opts?: cum.DTypeOptions | Keywords): Tensor;
  cumprod(dim: any, opts?: any): Tensor {
    return cum.cumprod(this, dim, opts);
  }
  /** prod() over everything, or prod(dim, keepdim?); `{ dtype }` last. */
  prod(dim?: number | null | cum.DTypeOptions, keepdim?: boolean | cum.DTypeOptions, opts?: cum.DTypeOptions): Tensor {
    return cum.prod(this, dim, keepdim, opts);
  }
  det(): Tensor {
    return lu.det(this);
  }
  inverse(): Tensor {
    return lu.inv(this);
  }
  /** torch.norm's p ('fro' default, a number, Infinity, 'nuc'), dims, keepdim. */
  norm(p?: nrm.Ord | null | Keywords, dim?: number | readonly number[] | null | Keywords, keepdim?: boolean | Keywords, opts?: nrm.NormOptions | Keywords): Tensor;
  norm(p: any = "fro", dim?: any, keepdim: any = false, opts?: any): Tensor {
    return nrm.norm(this, p, dim, keepdim, opts);
  }

  // ---- tensor ops, part 2: sorting, masking, scatter, sets ----
  sort(dim?: number | srt.SortOptions, descending?: boolean, opts?: srt.SortOptions): ValuesIndices {
    return srt.sort(this, dim, descending, opts);
  }
  argsort(dim?: number | srt.SortOptions, descending?: boolean, opts?: srt.SortOptions): Tensor {
    return srt.argsort(this, dim, descending, opts);
  }
  msort(): Tensor {
    return srt.msort(this);
  }
  topk(k?: number | Keywords, dim?: number | Keywords, largest?: boolean | Keywords, sorted?: boolean | Keywords): ValuesIndices;
  topk(k: any, dim: any = -1, largest: any = true, sorted: any = true): ValuesIndices {
    return srt.topk(this, k, dim, largest, sorted);
  }
  all(dim?: number | readonly number[] | null | Keywords, keepdim?: boolean | Keywords): Tensor;
  all(dim?: any, keepdim: any = false): Tensor {
    return msk.all(this, dim, keepdim);
  }
  any(dim?: number | readonly number[] | null | Keywords, keepdim?: boolean | Keywords): Tensor;
  any(dim?: any, keepdim: any = false): Tensor {
    return msk.any(this, dim, keepdim);
  }
  isnan(): Tensor {
    return msk.isnan(this);
  }
  isinf(): Tensor {
    return msk.isinf(this);
  }
  isfinite(): Tensor {
    return msk.isfinite(this);
  }
  isposinf(): Tensor {
    return msk.isposinf(this);
  }
  isneginf(): Tensor {
    return msk.isneginf(this);
  }
  nanToNum(nan: number | null | msk.NanToNumOptions = 0, posinf: number | null = null, neginf: number | null = null): Tensor {
    return msk.nanToNum(this, nan, posinf, neginf);
  }
  maskedFill(mask: Tensor, value: TensorOrScalar): Tensor {
    return msk.maskedFill(this, mask, value);
  }
  maskedFill_(mask: Tensor, value: TensorOrScalar): this {
    if (recordInPlace(this, "masked_fill_", [value], (old) => msk.maskedFill(old, mask, value), false)) return this;
    return msk.maskedFillInPlace(this, mask, value);
  }
  maskedSelect(mask: Tensor): Tensor {
    return msk.maskedSelect(this, mask);
  }
  maskedScatter(mask: Tensor, source: Tensor): Tensor {
    return msk.maskedScatter(this, mask, source);
  }
  scatter(dim: number, index: Tensor, src: TensorOrScalar, opts?: sct.ScatterOptions): Tensor {
    return sct.scatter(this, dim, index, src, opts);
  }
  scatterAdd(dim: number, index: Tensor, src: Tensor): Tensor {
    return sct.scatterAdd(this, dim, index, src);
  }
  scatterReduce(dim: number, index: Tensor, src: Tensor, reduce: sct.ScatterReduceOp, opts?: sct.ScatterReduceOptions): Tensor {
    return sct.scatterReduce(this, dim, index, src, reduce, opts);
  }
  indexAdd(dim: number, index: Tensor, source: Tensor, opts?: sct.AlphaOption): Tensor {
    return sct.indexAdd(this, dim, index, source, opts);
  }
  indexCopy(dim: number, index: Tensor, source: Tensor): Tensor {
    return sct.indexCopy(this, dim, index, source);
  }
  indexFill(dim: number, index: Tensor, value: TensorOrScalar): Tensor {
    return sct.indexFill(this, dim, index, value);
  }
  /** The in-place scatter forms (not recorded): the out-of-place result copied into this tensor. */
  scatter_(dim: number, index: Tensor, src: TensorOrScalar, opts?: sct.ScatterOptions): this {
    if (recordInPlace(this, "scatter_", [src], (old) => sct.scatter(old, dim, index, src, opts))) return this;
    ew.checkInPlace(this, "scatter_", false, { any: [index, src] });
    ew.writeChecked(this, noGrad(() => sct.scatter(this.detach(), dim, index, src instanceof Tensor ? src.detach() : src, opts)));
    return this;
  }
  scatterAdd_(dim: number, index: Tensor, src: Tensor): this {
    if (recordInPlace(this, "scatter_add_", [src], (old) => sct.scatterAdd(old, dim, index, src))) return this;
    ew.checkInPlace(this, "scatter_add_", false, { any: [index, src] });
    ew.writeChecked(this, noGrad(() => sct.scatterAdd(this.detach(), dim, index, src.detach())));
    return this;
  }
  indexAdd_(dim: number, index: Tensor, source: Tensor, opts?: sct.AlphaOption): this {
    if (recordInPlace(this, "index_add_", [source], (old) => sct.indexAdd(old, dim, index, source, opts))) return this;
    ew.checkInPlace(this, "index_add_", false, { any: [index, source] });
    ew.writeChecked(this, noGrad(() => sct.indexAdd(this.detach(), dim, index, source.detach(), opts)));
    return this;
  }
  scatterReduce_(dim: number, index: Tensor, src: Tensor, reduce: sct.ScatterReduceOp, opts?: sct.ScatterReduceOptions): this {
    if (recordInPlace(this, "scatter_reduce_", [src], (old) => sct.scatterReduce(old, dim, index, src, reduce, opts))) return this;
    ew.checkInPlace(this, "scatter_reduce_", false, { any: [index, src] });
    ew.writeChecked(this, noGrad(() => sct.scatterReduce(this.detach(), dim, index, src.detach(), reduce, opts)));
    return this;
  }
  indexCopy_(dim: number, index: Tensor, source: Tensor): this {
    if (recordInPlace(this, "index_copy_", [source], (old) => sct.indexCopy(old, dim, index, source))) return this;
    ew.checkInPlace(this, "index_copy_", false, { any: [index, source] });
    ew.writeChecked(this, noGrad(() => sct.indexCopy(this.detach(), dim, index, source.detach())));
    return this;
  }
  maskedScatter_(mask: Tensor, source: Tensor): this {
    if (recordInPlace(this, "masked_scatter_", [source], (old) => msk.maskedScatter(old, mask, source))) return this;
    ew.checkInPlace(this, "masked_scatter_");
    ew.writeChecked(this, noGrad(() => msk.maskedScatter(this.detach(), mask, source.detach())));
    return this;
  }
  indexFill_(dim: number, index: Tensor, value: TensorOrScalar): this {
    if (recordInPlace(this, "index_fill_", [value], (old) => sct.indexFill(old, dim, index, value))) return this;
    ew.checkInPlace(this, "index_fill_", false, { any: [index] }); // a tensor value is read once, as a scalar
    ew.writeChecked(this, noGrad(() => sct.indexFill(this.detach(), dim, index, value instanceof Tensor ? value.detach() : value)));
    return this;
  }
  nonzero(opts?: sets.NonzeroOptions & { asTuple?: false }): Tensor;
  nonzero(opts: sets.NonzeroOptions & { asTuple: true }): Tensor[];
  nonzero(opts: sets.NonzeroOptions = {}): Tensor | Tensor[] {
    return sets.nonzero(this, opts as { asTuple: true });
  }
  argwhere(): Tensor {
    return sets.argwhere(this);
  }
  /** unique(sorted?, returnInverse?, returnCounts?, dim?) as PyTorch, or unique({ returnCounts, ... }). */
  unique(...args: [sets.UniqueOptions?] | [boolean?, boolean?, boolean?, (number | null)?]): sets.UniqueResult {
    return sets.unique(this, ...args);
  }
  uniqueConsecutive(opts?: Omit<sets.UniqueOptions, "sorted">): sets.UniqueResult {
    return sets.uniqueConsecutive(this, opts);
  }
  bincount(weights: Tensor | null = null, minlength = 0): Tensor {
    return sets.bincount(this, weights, minlength);
  }
  multinomial(numSamples?: number | Keywords, replacement?: boolean | Keywords, opts?: MultinomialOptions | Keywords): Tensor;
  multinomial(numSamples: any, replacement: any = false, opts?: any): Tensor {
    return multinomial(this, numSamples, replacement, opts);
  }

  // ---- linear algebra ----
  matmul(other: Tensor): Tensor {
    return matmul(this, other);
  }
  mm(other: Tensor): Tensor {
    return matmul(this, other, "mm");
  }
  bmm(other: Tensor): Tensor {
    return matmul(this, other, "bmm");
  }

  // ---- autograd: hooks, retained grads, versions ----
  /** Which output of gradFn this tensor is (only custom Functions have more than one). */
  outputNr = 0;
  /** @internal The leaf's AccumulateGrad (created on first use), what nextFunctions show for it. */
  _accumulator: AccumulateGrad | null = null;
  /** @internal */
  _retainsGrad = false;
  /** Makes a non-leaf keep its gradient in .grad after backward (PyTorch's retain_grad()). */
  retainGrad(): void {
    hooks.retainGrad(this);
  }
  /** True for a non-leaf on which retainGrad() was called. */
  get retainsGrad(): boolean {
    return this._retainsGrad && this.gradFn !== null;
  }
  /** hook(grad) runs when this tensor's gradient is computed; a returned tensor replaces grad. */
  registerHook(hook: TensorHook): RemovableHandle {
    return hooks.registerHook(this, hook);
  }
  /** hook(this) runs after a backward pass accumulated this leaf's gradient into .grad (PyTorch 2.1). */
  registerPostAccumulateGradHook(hook: (leaf: Tensor) => void): RemovableHandle {
    return hooks.registerPostAccumulateGradHook(this, hook);
  }
  /** Counts in-place writes to this tensor's storage (shared by its views; PyTorch's `_version`). */
  get _version(): number {
    return versionOf(this);
  }

  // ---- conversions, devices, JS interop ----
  /** Always the CPU: torchlet has no other device. */
  get device(): Device {
    return CPU;
  }
  get isCuda(): boolean {
    return false;
  }
  get isCpu(): boolean {
    return true;
  }
  /** -1, PyTorch's device index of a CPU tensor. */
  getDevice(): number {
    return -1;
  }
  /** This tensor (it is on the CPU already), as PyTorch's cpu() of a CPU tensor. */
  cpu(): this {
    return this;
  }
  /** Throws: torchlet runs on the CPU only. */
  cuda(): never {
    throw deviceUnavailable(new Device("cuda"), "cuda");
  }
  /**
   * JS conversions: `Number(t)`, `+t`, `t * 2`, `t > 0.5` give a one-element tensor's value as
   * Python's float(t) does (and throw PyTorch's error for other sizes); `${t}` and String(t) give the
   * repr. NOTE: the "default" hint (`t + 1`, `t == 0.5`, `"loss " + t`) converts like a number too,
   * so arithmetic never silently turns into string concatenation; write `${t}` for text.
   */
  [Symbol.toPrimitive](hint: "number" | "string" | "default"): number | string {
    return hint === "string" ? this.toString() : this.item();
  }

  // ---- in place (recorded where autograd needs it: autograd/inplace.ts) ----
  add_(other: TensorOrScalar, opts?: { alpha?: number }): this {
    return opts?.alpha === undefined ? ew.inPlace(this, "add", other) : ew.inPlaceAddScaled(this, "add", other, opts.alpha);
  }
  sub_(other: TensorOrScalar, opts?: { alpha?: number }): this {
    return opts?.alpha === undefined ? ew.inPlace(this, "sub", other) : ew.inPlaceAddScaled(this, "sub", other, opts.alpha);
  }
  mul_(other: TensorOrScalar): this {
    return ew.inPlace(this, "mul", other);
  }
  div_(other: TensorOrScalar): this {
    return ew.inPlace(this, "div", other);
  }
  clamp_(min?: Tensor | number | null, max?: Tensor | number | null): this {
    // NOTE: int64.clamp_(0.5) computes in float: PyTorch refuses it (inPlaceOf's cast check).
    return this.inPlaceOf("clamp_", (x) => ew.clamp(x, min, max), [min, max]);
  }
  clip_(min?: Tensor | number | null, max?: Tensor | number | null): this {
    return this.clamp_(min, max);
  }
  // The elementwise functions in place (PyTorch's x.relu_(), x.exp_(), ...), like clamp_: refused
  // where PyTorch refuses (a float result into an integer tensor, an expanded target) and, as add_,
  // where a graph needs this tensor (not recorded).
  neg_(): this {
    return this.unaryInPlace("neg");
  }
  exp_(): this {
    return this.unaryInPlace("exp");
  }
  log_(): this {
    return this.unaryInPlace("log");
  }
  log1p_(): this {
    return this.unaryInPlace("log1p");
  }
  sqrt_(): this {
    return this.unaryInPlace("sqrt");
  }
  rsqrt_(): this {
    return this.inPlaceOf("rsqrt_", (x) => x.rsqrt());
  }
  reciprocal_(): this {
    return this.inPlaceOf("reciprocal_", (x) => x.reciprocal());
  }
  square_(): this {
    return this.inPlaceOf("square_", (x) => x.square());
  }
  abs_(): this {
    return this.unaryInPlace("abs");
  }
  sign_(): this {
    return this.unaryInPlace("sign");
  }
  relu_(): this {
    return this.unaryInPlace("relu");
  }
  sigmoid_(): this {
    return this.unaryInPlace("sigmoid");
  }
  tanh_(): this {
    return this.unaryInPlace("tanh");
  }
  erf_(): this {
    return this.unaryInPlace("erf");
  }
  sin_(): this {
    return this.unaryInPlace("sin");
  }
  cos_(): this {
    return this.unaryInPlace("cos");
  }
  floor_(): this {
    return this.unaryInPlace("floor");
  }
  ceil_(): this {
    return this.unaryInPlace("ceil");
  }
  round_(): this {
    return this.unaryInPlace("round");
  }
  trunc_(): this {
    return this.unaryInPlace("trunc");
  }
  // ---- more elementwise math in place (as the ones above) ----
  tan_(): this { return this.unaryInPlace("tan"); }
  asin_(): this { return this.unaryInPlace("asin"); }
  acos_(): this { return this.unaryInPlace("acos"); }
  atan_(): this { return this.unaryInPlace("atan"); }
  sinh_(): this { return this.unaryInPlace("sinh"); }
  cosh_(): this { return this.unaryInPlace("cosh"); }
  asinh_(): this { return this.unaryInPlace("asinh"); }
  acosh_(): this { return this.unaryInPlace("acosh"); }
  atanh_(): this { return this.unaryInPlace("atanh"); }
  expm1_(): this { return this.unaryInPlace("expm1"); }
  exp2_(): this { return this.unaryInPlace("exp2"); }
  log2_(): this { return this.unaryInPlace("log2"); }
  log10_(): this { return this.unaryInPlace("log10"); }
  erfc_(): this { return this.unaryInPlace("erfc"); }
  erfinv_(): this { return this.unaryInPlace("erfinv"); }
  arcsin_(): this { return this.asin_(); }
  arccos_(): this { return this.acos_(); }
  arctan_(): this { return this.atan_(); }
  arcsinh_(): this { return this.asinh_(); }
  arccosh_(): this { return this.acosh_(); }
  arctanh_(): this { return this.atanh_(); }
  absolute_(): this { return this.abs_(); }
  negative_(): this { return this.neg_(); }
  fix_(): this { return this.trunc_(); }
  frac_(): this { return this.inPlaceOf("frac_", (x) => pw.frac(x)); }
  sgn_(): this { return this.inPlaceOf("sgn_", (x) => pw.sgn(x)); }
  deg2rad_(): this { return this.inPlaceOf("deg2rad_", (x) => pw.deg2rad(x)); }
  rad2deg_(): this { return this.inPlaceOf("rad2deg_", (x) => pw.rad2deg(x)); }
  logit_(eps: number | null = null): this { return this.inPlaceOf("logit_", (x) => pw.logit(x, eps)); }
  xlogy_(other: TensorOrScalar): this { return this.inPlaceOf("xlogy_", (x) => mb.xlogy(x, other), [other]); }
  atan2_(other: Tensor): this { return this.inPlaceOf("atan2_", (x) => x.atan2(other), [other]); }
  arctan2_(other: Tensor): this { return this.atan2_(other); }
  hypot_(other: Tensor): this { return this.inPlaceOf("hypot_", (x) => x.hypot(other), [other]); }
  copysign_(other: TensorOrScalar): this { return this.inPlaceOf("copysign_", (x) => x.copysign(other), [other]); }
  fmod_(other: TensorOrScalar): this { return this.inPlaceOf("fmod_", (x) => x.fmod(other), [other]); }
  floatPower_(exponent: TensorOrScalar): this {
    if (this.dtype !== "float64") {
      throw new TypeError(`the base given to float_power_ has dtype ${scalarTypeName(this.dtype)} but the operation's result requires dtype Double`);
    }
    return this.inPlaceOf("float_power_", (x) => x.floatPower(exponent), [exponent]);
  }
  lerp_(end: Tensor, weight: TensorOrScalar): this { return this.inPlaceOf("lerp_", (x) => pw.lerp(x, end, weight), [end, weight]); }
  addcmul_(t1: Tensor, t2: Tensor, opts?: pw.ValueOptions): this { return this.inPlaceOf("addcmul_", (x) => pw.addcmul(x, t1, t2, opts), [t1, t2]); }
  addcdiv_(t1: Tensor, t2: Tensor, opts?: pw.ValueOptions): this { return this.inPlaceOf("addcdiv_", (x) => pw.addcdiv(x, t1, t2, opts), [t1, t2]); }
  clampMin_(min: Tensor | number): this { return this.clamp_(min, null); }
  clampMax_(max: Tensor | number): this { return this.clamp_(null, max); }
  nanToNum_(nan: number | null | msk.NanToNumOptions = 0, posinf: number | null = null, neginf: number | null = null): this {
    return this.inPlaceOf("nan_to_num_", (x) => msk.nanToNum(x, nan, posinf, neginf));
  }
  pow_(exponent: TensorOrScalar): this {
    return this.inPlaceOf("pow_", (x) => x.pow(exponent), [exponent]);
  }
  remainder_(other: TensorOrScalar): this {
    return this.inPlaceOf("remainder_", (x) => x.remainder(other), [other]);
  }
  /** this = op(this): the kernel writes into this tensor directly (out= with out the input). */
  private unaryInPlace(op: UnaryOp): this {
    if (recordInPlace(this, `${op}_`, [], (old) => ew.unary(op, old), !RESULT_ONLY_UNARY.has(op))) return this;
    ew.checkNotInGraph(this, `${op}_`);
    ew.unary(op, this.detach(), this);
    return this;
  }
  /** @internal this = f(this), f computed out of place on this tensor's values, recorded under
   *  autograd (tensor_methods use it too); `reads`: other operands, read element for element
   *  (PyTorch's partial-overlap rule, as clamp_'s bounds). */
  inPlaceOf(fn: string, f: (x: Tensor) => Tensor, reads: readonly unknown[] = []): this {
    if (recordInPlace(this, fn, reads, f)) return this;
    ew.checkInPlace(this, fn, false, { partial: reads });
    const r = f(this.detach());
    checkCastTo(r.dtype, this.dtype);
    ew.writeChecked(this, ew.cast(r.detach(), this.dtype));
    return this;
  }
  /** Copies src (broadcast to this shape, converted to this dtype) into this tensor's elements. */
  copy_(src: TensorOrScalar): this {
    ew.assign(this, src);
    return this;
  }
  fill_(value: number): this {
    if (recordInPlace(this, "fill_", [], (old) => ew.where(ew.scalarTensor(false, "bool"), old, value), false)) return this;
    ew.checkInPlace(this, "fill_", true);
    // NOTE: checked and rounded here; fill takes the value (not float16/bfloat16 bits).
    backend().fill(ew.distinct(this), fromElement(toStoredElement(value, this.dtype, "fill_"), this.dtype));
    return this;
  }
  zero_(): this {
    return this.fill_(0);
  }
  /** uniform_(from = 0, to = 1, generator | { generator }): see ops/random_dists.ts uniform_. */
  uniform_(low: number | { from?: number; to?: number; generator?: Generator | null } = 0, high = 1, generator?: Generator | { generator?: Generator | null } | null): this {
    // NOTE: tensor_keywords.ts has moved a keyword object's values to their positions by now.
    uniformFill_(this, low as number, high, generatorOf(generator));
    return this;
  }
  /** normal_(mean = 0, std = 1, generator | { generator }): see normalLike. */
  normal_(mean: number | { mean?: number; std?: number; generator?: Generator | null } = 0, std = 1, generator?: Generator | { generator?: Generator | null } | null): this {
    ew.checkInPlace(this, "normal_");
    checkNormalArgs(mean as number, std);
    if (!isFloating(this.dtype)) throw notImplemented("normal_kernel_cpu", this.dtype);
    ew.writeChecked(this, normalLike(this, mean as number, std, generatorOf(generator)));
    return this;
  }
}

/**
 * normal_'s values for t, as PyTorch's normal_kernel draws them: a contiguous float32 / float64 tensor
 * of 16+ elements takes the blocked Box-Muller kernel (fillNormal); a strided one takes the serial
 * double path in TensorIterator's order, its dimensions by stride from the outermost (largest) in,
 * here drawn into that layout and viewed back in t's order. float16 / bfloat16 take the float32 values.
 */
function normalLike(t: Tensor, mean: number, std: number, generator?: Generator): Tensor {
  if (t.isContiguous()) return fillNormal(t.shape, mean, std, generator, t.dtype as "float32" | "float64" | "float16" | "bfloat16");
  const dtype = t.dtype === "float64" ? "float64" : "float32";
  checkNormalArgs(mean, std);
  const order = t.shape.map((_, i) => i).sort((a, b) => t.strides[b] - t.strides[a] || a - b);
  const u = Tensor.empty(order.map((i) => t.shape[i]), dtype);
  fillNormalSerial(u.typedArray as Float32Array | Float64Array, mean, std, generator);
  const back = order.map((_, i) => order.indexOf(i));
  return u.permute(back);
}
