// index_put / index_put_: x[indices] = values, or with accumulate=true x[indices] += values where
// repeated positions add up (PyTorch's accumulate). `indices` is PyTorch's tuple of index tensors,
// one per leading dim (int64 or bool masks; null is a full slice). Without accumulate this is
// setIndex (x.set(...)); with it, the index tensors broadcast together, address the leading dims
// flattened into one, and index_add sums the values there (its gradient is IndexPutBackward0's:
// the gradient to values is the gradient at the indexed positions).
// ref: PyTorch 1.13 aten/src/ATen/native/TensorAdvancedIndexing.cpp (index_put_, _index_put_impl_).
import { rename } from "../autograd/node.js";
import { broadcastShapes, numelOf } from "../shape.js";
import { Tensor, type TensorOrScalar } from "../tensor.js";
import { cast, scalarTensor } from "./elementwise.js";
import { setIndex, type IndexItem } from "./indexing.js";
import { indexAdd } from "./scatter.js";
import { inPlaceOf } from "./inplace_of.js";
import { expand, reshape } from "./views.js";

export type Accumulate = boolean | { accumulate?: boolean };

const items = (indices: readonly (Tensor | null)[]): IndexItem[] => indices.map((t) => t ?? ":");

function checkIndices(indices: readonly (Tensor | null)[], x: Tensor): void {
  if (!Array.isArray(indices)) throw new TypeError("index_put_(): argument 'indices' (position 1) must be tuple of Tensors");
  if (indices.length > x.ndim) throw new RangeError(`too many indices for tensor of dimension ${x.ndim} (got ${indices.length})`);
}

/** x with values summed into x[indices] (repeated positions add up). */
function accumulated(x: Tensor, indices: readonly (Tensor | null)[], values: TensorOrScalar): Tensor {
  // bool masks become their nonzero positions: a k-dim mask stands for k index tensors
  const idx: Tensor[] = [];
  for (const t of indices) {
    if (t === null) {
      if (idx.length === 0 && indices.every((u) => u === null)) continue;
      throw new TypeError("index_put_ with accumulate=true: a None index before an index tensor is not supported by torchlet");
    }
    if (t.dtype === "bool" || t.dtype === "uint8") idx.push(...t.nonzero({ asTuple: true }));
    else if (t.dtype === "int64" || t.dtype === "int32" || t.dtype === "int16" || t.dtype === "int8") idx.push(t);
    else throw new RangeError("tensors used as indices must be long, int, byte or bool tensors");
  }
  const v = values instanceof Tensor ? cast(values, x.dtype) : scalarTensor(values, x.dtype);
  if (idx.length === 0) return x.add(expand(v, x.shape));
  if (idx.length > x.ndim) throw new RangeError(`too many indices for tensor of dimension ${x.ndim} (got ${idx.length})`);
  const k = idx.length;
  const B = idx.map((t) => t.shape).reduce((s, t) => broadcastShapes(s, t));
  const sizes = x.shape.slice(0, k), rest = x.shape.slice(k);
  const flats = idx.map((t) => expand(t.detach(), B).contiguous().storage());
  const n = numelOf(B);
  const linear = Tensor.empty([n], "int64");
  for (let j = 0; j < n; j++) {
    let acc = 0;
    for (let d = 0; d < k; d++) {
      let i = flats[d][j];
      if (i < -sizes[d] || i >= sizes[d]) throw new RangeError(`index ${i} is out of bounds for dimension ${d} with size ${sizes[d]}`);
      if (i < 0) i += sizes[d];
      acc = acc * sizes[d] + i;
    }
    linear.typedArray[j] = acc;
  }
  const src = reshape(expand(v, broadcastShapes(v.shape, [...B, ...rest])), [n, ...rest]);
  const flat = reshape(x, [numelOf(sizes), ...rest]);
  return rename(reshape(indexAdd(flat, 0, linear, src), x.shape), "IndexPutBackward0");
}

const acc = (a: Accumulate | undefined) => (typeof a === "object" && a !== null ? a.accumulate === true : a === true);

/** torch.index_put: a new tensor, x with x[indices] = values (or += with accumulate). */
export function indexPut(x: Tensor, indices: readonly (Tensor | null)[], values: TensorOrScalar, accumulate?: Accumulate): Tensor {
  checkIndices(indices, x);
  if (acc(accumulate)) return accumulated(x, indices, values);
  const r = x.clone();
  setIndex(r, items(indices), values);
  return r;
}

/** x.index_put_(indices, values, accumulate): x itself, written in place. */
export function indexPut_<T extends Tensor>(x: T, indices: readonly (Tensor | null)[], values: TensorOrScalar, accumulate?: Accumulate): T {
  checkIndices(indices, x);
  if (!acc(accumulate)) {
    setIndex(x, items(indices), values);
    return x;
  }
  return inPlaceOf(x, "index_put_", (old) => accumulated(old, indices, values), [values]);
}
