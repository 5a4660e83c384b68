// Products beyond matmul: torch.cross / linalg.cross, kron, tensordot, addr, addbmm, and the
// in-place forms of the BLAS-style products (addmm_, addmv_, baddbmm_, addbmm_, addr_). All are
// compositions of select/stack, broadcast mul/sub, reshape and matmul, so they differentiate
// through autograd; the grad_fn carries PyTorch's name.
// ref: aten/src/ATen/native/Cross.cpp (default dim, checks), LinearAlgebra.cpp (kron, tensordot,
// addr, addbmm), torch/functional.py (tensordot's dims forms), PyTorch 1.13.
import { rename } from "../autograd/node.js";
import { inPlaceOf } from "./inplace_of.js";
import { isFloating, scalarTypeName } from "../dtype.js";
import { broadcastShapes, normDim, sameShape } from "../shape.js";
import { Tensor } from "../tensor.js";
import { binary, logical, resultType } from "./elementwise.js";
import { stack } from "./indexing.js";
import { matmul } from "./matmul.js";
import { sum } from "./reduce.js";
import { expand, permute, reshape, select, unsqueeze } from "./views.js";
import { scaledSum, addmm, addmv, baddbmm, type BetaAlphaOptions } from "./blas.js";

function sameDType(a: Tensor, b: Tensor): void {
  if (a.dtype !== b.dtype) throw new TypeError(`expected scalar type ${scalarTypeName(a.dtype)} but found ${scalarTypeName(b.dtype)}`);
}

/** torch.cross (dim null: PyTorch 1.13's default, the first dim of input of size 3) and
 *  torch.linalg.cross (dim -1). Operands broadcast; one dtype; no bool. */
export function cross(a: Tensor, b: Tensor, dim: number | null | undefined, linalg: boolean): Tensor {
  sameDType(a, b);
  if (a.dtype === "bool" || a.dtype === "float16") throw new TypeError(`"cross" not implemented for '${scalarTypeName(a.dtype)}'`);
  if (a.ndim !== b.ndim) throw new Error("linalg.cross: inputs must have the same number of dimensions.");
  let d: number;
  if (dim === null || dim === undefined) {
    if (linalg) d = a.ndim - 1;
    else {
      d = a.shape.indexOf(3);
      if (d < 0) throw new Error("no dimension of size 3 in input");
    }
    dim = d;
  } else d = normDim(dim, a.ndim);
  if (a.shape[d] !== 3 || b.shape[d] !== 3) {
    throw new Error(`linalg.cross: inputs dimension ${dim} must have length 3. Got ${a.shape[d]} and ${b.shape[d]}`);
  }
  broadcastShapes(a.shape, b.shape);
  const [a0, a1, a2] = [0, 1, 2].map((i) => select(a, d, i));
  const [b0, b1, b2] = [0, 1, 2].map((i) => select(b, d, i));
  const term = (p: Tensor, q: Tensor, r: Tensor, s: Tensor) => binary("sub", binary("mul", p, q), binary("mul", r, s));
  const out = stack([term(a1, b2, a2, b1), term(a2, b0, a0, b2), term(a0, b1, a1, b0)], d);
  return rename(out, "LinalgCrossBackward0");
}

/** torch.linalg.cross(a, b, dim = -1) or (a, b, { dim }). */
export function linalgCross(a: Tensor, b: Tensor, dim: number | { dim?: number } = -1): Tensor {
  return cross(a, b, typeof dim === "object" ? dim.dim ?? -1 : dim, true);
}

/** torch.kron: the Kronecker product, shapes padded with leading 1s to the larger rank. */
export function kron(a: Tensor, b: Tensor): Tensor {
  const n = Math.max(a.ndim, b.ndim);
  const as = [...Array(n - a.ndim).fill(1), ...a.shape];
  const bs = [...Array(n - b.ndim).fill(1), ...b.shape];
  const a2 = reshape(a, as.flatMap((s) => [s, 1]));
  const b2 = reshape(b, bs.flatMap((s) => [1, s]));
  return rename(reshape(binary("mul", a2, b2), as.map((s, i) => s * bs[i])), "UnsafeViewBackward0");
}

/** [.., m, k] @ [.., k, n] for 2-D or equal-batch 3-D operands, integers exactly (mul and sum). */
export function mmAny(a: Tensor, b: Tensor, kind: "mm" | "bmm"): Tensor {
  if (isFloating(a.dtype) && isFloating(b.dtype)) return matmul(a, b, kind);
  sameDType(a, b);
  return sum(binary("mul", unsqueeze(a, -1), unsqueeze(b, -3)), -2, false);
}

export type TensordotDims = number | readonly [number | readonly number[], number | readonly number[]] | Tensor;

/** torch.tensordot: a's dims contracted with b's (an int n: a's last n with b's first n). A size-1
 *  contracted dim facing a larger one is summed over the other operand, as PyTorch does. */
export function tensordot(a: Tensor, b: Tensor, dims: TensordotDims = 2): Tensor {
  let da: number[], db: number[];
  if (dims instanceof Tensor) dims = dims.ndim === 0 ? Number(dims.item()) : (dims.tolist() as unknown as [number[], number[]]);
  if (typeof dims === "number") {
    if (dims < 0) throw new Error(`tensordot expects dims >= 0, but got dims=${dims}`);
    da = Array.from({ length: dims }, (_, i) => i - dims);
    db = Array.from({ length: dims }, (_, i) => i);
  } else {
    const [x, y] = dims;
    da = typeof x === "number" ? [x] : [...x];
    db = typeof y === "number" ? [y] : [...y];
  }
  if (da.length !== db.length) throw new Error("both dimension lists should have same length");
  sameDType(a, b);
  da = da.map((d) => normDim(d, a.ndim));
  db = db.map((d) => normDim(d, b.ndim));
  for (let i = 0; i < da.length; i++) {
    const sa = a.shape[da[i]], sb = b.shape[db[i]];
    if (sa === sb) continue;
    if (sa === 1) b = sum(b, [db[i]], true);
    else if (sb === 1) a = sum(a, [da[i]], true);
    else throw new Error(`contracted dimensions need to match, but first has size ${sa} in dim ${da[i]} and second has size ${sb} in dim ${db[i]}`);
  }
  const freeA = [...a.shape.keys()].filter((d) => !da.includes(d));
  const freeB = [...b.shape.keys()].filter((d) => !db.includes(d));
  const k = da.reduce((p, d) => p * a.shape[d], 1);
  const m = freeA.reduce((p, d) => p * a.shape[d], 1);
  const n = freeB.reduce((p, d) => p * b.shape[d], 1);
  const am = reshape(permute(a, [...freeA, ...da]), [m, k]);
  const bm = reshape(permute(b, [...db, ...freeB]), [k, n]);
  const out = reshape(mmAny(am, bm, "mm"), [...freeA.map((d) => a.shape[d]), ...freeB.map((d) => b.shape[d])]);
  return rename(out, "ReshapeAliasBackward0");
}

/** PyTorch's check that an integral result takes integral beta and alpha. */
function checkIntegralScalars(dtype: Tensor["dtype"], opts: BetaAlphaOptions): void {
  if (isFloating(dtype)) return;
  for (const key of ["beta", "alpha"] as const) {
    const v = opts[key];
    if (v !== undefined && typeof v === "number" && !Number.isInteger(v)) {
      throw new Error(`For integral input tensors, argument ${key} must not be a floating point number.`);
    }
  }
}

/** torch.addr: beta * input + alpha * outer(vec1, vec2); bool tensors combine with and/or. */
export function addr(input: Tensor, vec1: Tensor, vec2: Tensor, opts: BetaAlphaOptions = {}): Tensor {
  if (vec1.ndim !== 1) throw new RangeError(`addr: Expected 1-D argument vec1, but got ${vec1.ndim}-D`);
  if (vec2.ndim !== 1) throw new RangeError(`addr: Expected 1-D argument vec2, but got ${vec2.ndim}-D`);
  const prod = binary("mul", reshape(vec1, [-1, 1]), vec2);
  if (input.dtype === "bool" && prod.dtype === "bool") {
    const { beta = 1, alpha = 1 } = opts;
    const base = expand(input, prod.shape);
    const left = beta ? base : logical("and", base, false);
    return logical("or", left, alpha ? prod : logical("and", prod, false));
  }
  checkIntegralScalars(resultType(input, prod), opts);
  return rename(scaledSum("addr", input, prod, opts), "AddrBackward0");
}

/** torch.addbmm: beta * input + alpha * sum_b batch1[b] @ batch2[b]. */
export function addbmm(input: Tensor, batch1: Tensor, batch2: Tensor, opts: BetaAlphaOptions = {}): Tensor {
  if (batch1.ndim !== 3) throw new RangeError("batch1 must be a 3D tensor");
  if (batch2.ndim !== 3) throw new RangeError("batch2 must be a 3D tensor");
  if (batch1.shape[0] !== batch2.shape[0]) {
    throw new RangeError(`batch1 and batch2 must have same number of batches, got ${batch1.shape[0]} and ${batch2.shape[0]}`);
  }
  if (batch1.shape[2] !== batch2.shape[1]) {
    throw new RangeError(`Incompatible matrix sizes for bmm (${batch1.shape[1]}x${batch1.shape[2]} and ${batch2.shape[1]}x${batch2.shape[2]})`);
  }
  const prod = sum(mmAny(batch1, batch2, "bmm"), [0], false);
  return rename(scaledSum("addbmm", input, prod, opts), "AddbmmBackward0");
}

/** An in-place product: the product's shape (`shape`, where the operands give it) must be self's;
 *  the write is recorded under autograd. */
function inPlaceProduct(self: Tensor, fn: string, shape: (number | undefined)[], f: (x: Tensor) => Tensor, reads: readonly Tensor[], name: string): Tensor {
  if (shape.every((s) => s !== undefined) && !sameShape(shape as number[], self.shape)) {
    throw new Error(`Bad in-place call: input tensor size [${self.shape.join(", ")}] and output tensor size [${shape.join(", ")}] should match`);
  }
  return inPlaceOf(self, fn, f, reads, { readsOld: false, name, overlap: "any" });
}

export const addmm_ = (self: Tensor, m1: Tensor, m2: Tensor, opts?: BetaAlphaOptions) =>
  inPlaceProduct(self, "addmm_", [m1.shape[0], m2.shape[1]], (x) => addmm(x, m1, m2, opts), [m1, m2], "AddmmBackward0");
export const addmv_ = (self: Tensor, m: Tensor, v: Tensor, opts?: BetaAlphaOptions) =>
  inPlaceProduct(self, "addmv_", [m.shape[0]], (x) => addmv(x, m, v, opts), [m, v], "AddmvBackward0");
export const baddbmm_ = (self: Tensor, b1: Tensor, b2: Tensor, opts?: BetaAlphaOptions) =>
  inPlaceProduct(self, "baddbmm_", [b1.shape[0], b1.shape[1], b2.shape[2]], (x) => baddbmm(x, b1, b2, opts), [b1, b2], "BaddbmmBackward0");
export const addbmm_ = (self: Tensor, b1: Tensor, b2: Tensor, opts?: BetaAlphaOptions) =>
  inPlaceProduct(self, "addbmm_", [b1.shape[1], b2.shape[2]], (x) => addbmm(x, b1, b2, opts), [b1, b2], "AddbmmBackward0");
export function addr_(self: Tensor, v1: Tensor, v2: Tensor, opts?: BetaAlphaOptions): Tensor {
  if (self.ndim !== 2) throw new Error(`2D tensor expected, got ${self.ndim}D tensor for input`);
  return inPlaceProduct(self, "addr_", [v1.shape[0], v2.shape[0]], (x) => addr(x, v1, v2, opts), [v1, v2], "AddrBackward0");
}
