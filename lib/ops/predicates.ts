// Predicates on tensors: isin (membership in test_elements, after type promotion), isreal (every
// element of a real dtype is real), is_nonzero (a one-element tensor's truth, PyTorch's errors for
// other sizes), is_same_size. And torch.fill, the out-of-place fill (FillBackward0: no gradient to
// the input, the sum of the gradient to a 0-d value tensor).
// ref: PyTorch 1.13 aten/src/ATen/native/TensorCompare.cpp (isin_default_kernel_cpu: NaN is in
// nothing; bool refused), aten/src/ATen/native/TypeProperties.cpp (is_nonzero in
// aten/src/ATen/native/TensorProperties.cpp), aten/src/ATen/native/Fill.cpp (fill, fill_ checks).
import { rename } from "../autograd/node.js";
import { Tensor, type TensorOrScalar } from "../tensor.js";
import { isFloating, scalarTypeName } from "../dtype.js";
import { cast, resultType, scalarTensor, where } from "./elementwise.js";
import { copyInto, type OutOptions } from "./out.js";

export interface IsinOptions extends OutOptions {
  /** Accepted for PyTorch's signature: the result is the same either way. */
  assumeUnique?: boolean;
  /** True: the elements NOT in testElements. */
  invert?: boolean;
}

/** torch.isin(elements, test_elements, { assumeUnique, invert }): a bool tensor of elements' shape. */
export function isin(elements: TensorOrScalar, testElements: TensorOrScalar, opts: IsinOptions = {}): Tensor {
  if (!(elements instanceof Tensor) && !(testElements instanceof Tensor)) {
    throw new TypeError("isin() received an invalid combination of arguments - got (number, number), but expected at least one Tensor");
  }
  for (const v of [elements, testElements]) {
    if (v instanceof Tensor ? v.dtype === "bool" : typeof v === "boolean") throw new TypeError("Unsupported input type encountered for isin(): Bool");
  }
  const dtype = resultType(elements, testElements);
  const asT = (v: TensorOrScalar) => (v instanceof Tensor ? cast(v.detach(), dtype) : scalarTensor(v, dtype));
  const e = asT(elements), t = asT(testElements);
  const set = new Set<number>();
  // NOTE: a Set's SameValueZero has NaN equal to NaN; PyTorch's == never matches NaN
  const td = t.contiguous().storage();
  for (let i = 0; i < td.length; i++) if (!Number.isNaN(td[i])) set.add(td[i]);
  const ed = e.contiguous().storage();
  const out = Tensor.empty(e.shape, "bool");
  const od = out.typedArray;
  const hit = opts.invert ? 0 : 1;
  for (let i = 0; i < od.length; i++) od[i] = set.has(ed[i]) ? hit : 1 - hit;
  return opts.out == null ? out : copyInto("isin", opts.out, [elements, testElements].filter((v): v is Tensor => v instanceof Tensor), out);
}

/** torch.isreal: true everywhere (torchlet has no complex dtypes). */
export function isreal(x: Tensor): Tensor {
  const out = Tensor.empty(x.shape, "bool");
  out.typedArray.fill(1);
  return out;
}

/** torch.is_nonzero: the truth of a one-element tensor. */
export function isNonzero(x: Tensor): boolean {
  const n = x.numel();
  if (n === 0) throw new Error("Boolean value of Tensor with no values is ambiguous");
  if (n > 1) throw new Error("Boolean value of Tensor with more than one value is ambiguous");
  const v = x.item();
  return typeof v === "boolean" ? v : v !== 0;
}

export function isSameSize(a: Tensor, b: Tensor): boolean {
  return a.ndim === b.ndim && a.shape.every((s, d) => s === b.shape[d]);
}

/** torch.fill(x, value): a new tensor of x's shape and dtype holding value. */
export function fill(x: Tensor, value: TensorOrScalar): Tensor {
  if (value instanceof Tensor && value.ndim !== 0) {
    throw new Error(`fill_ only supports 0-dimension value tensor but got tensor with ${value.ndim} dimensions.`);
  }
  if (!(value instanceof Tensor) && typeof value !== "number" && typeof value !== "boolean") {
    throw new TypeError(`fill(): argument 'value' must be Number or Tensor, not ${typeof value}`);
  }
  const v = value instanceof Tensor ? cast(value, x.dtype) : value;
  const r = cast(where(scalarTensor(false, "bool"), x, v), x.dtype);
  return rename(r, "FillBackward0");
}

/** PyTorch has hardshrink kernels for floating dtypes only. */
export function checkHardshrinkDType(x: Tensor): void {
  if (x instanceof Tensor && !isFloating(x.dtype)) throw new TypeError(`"hardshrink_cpu" not implemented for '${scalarTypeName(x.dtype)}'`);
}
