// F.pad: constant, reflect, replicate and circular padding of the trailing dims, built from recorded
// views (slice, flip, expand) and cat, so gradients (and second derivatives) follow automatically.
// The pad tuple is PyTorch's: (left, right) of the last dim first, then of the dim before, ...
// ref: torch/nn/functional.py pad, aten/src/ATen/native/PadNd.cpp (PyTorch 1.13).
import { Tensor } from "../tensor.js";
import { cat } from "./indexing.js";
import { slice } from "./views.js";
import { full } from "./creation.js";

export type PadMode = "constant" | "reflect" | "replicate" | "circular";

/** Crops (negative amounts) or appends `value` along one dim. */
function padConstantDim(x: Tensor, d: number, lo: number, hi: number, value: number): Tensor {
  const size = x.shape[d];
  if (lo < 0 || hi < 0) x = slice(x, d, Math.max(-lo, 0), size - Math.max(-hi, 0));
  const parts: Tensor[] = [];
  const block = (n: number) => {
    const shape = [...x.shape];
    shape[d] = n;
    return full(shape, value, { dtype: x.dtype });
  };
  if (lo > 0) parts.push(block(lo));
  parts.push(x);
  if (hi > 0) parts.push(block(hi));
  return parts.length === 1 ? x : cat(parts, d);
}

function padModeDim(x: Tensor, d: number, lo: number, hi: number, mode: PadMode): Tensor {
  if (lo === 0 && hi === 0) return x;
  const size = x.shape[d];
  let left: Tensor;
  let right: Tensor;
  if (mode === "reflect") {
    // x[lo], ..., x[1] on the left; x[size-2], ..., x[size-1-hi] on the right.
    left = slice(x, d, 1, lo + 1).flip(d);
    right = slice(x, d, size - 1 - hi, size - 1).flip(d);
  } else if (mode === "replicate") {
    const expandTo = (edge: Tensor, n: number) => {
      const shape = [...edge.shape];
      shape[d] = n;
      return edge.expand(...shape);
    };
    left = expandTo(slice(x, d, 0, 1), lo);
    right = expandTo(slice(x, d, size - 1, size), hi);
  } else {
    left = slice(x, d, size - lo, size);
    right = slice(x, d, 0, hi);
  }
  const parts = [...(lo > 0 ? [left] : []), x, ...(hi > 0 ? [right] : [])];
  return cat(parts, d);
}

export function pad(input: Tensor, padding: readonly number[], mode: PadMode = "constant", value: number | null = null): Tensor {
  if (!(input instanceof Tensor)) throw new TypeError("pad(): argument 'input' (position 1) must be Tensor");
  if (!Array.isArray(padding) || padding.some((p) => !Number.isInteger(p))) {
    throw new TypeError("pad(): argument 'pad' (position 2) must be tuple of ints");
  }
  if (padding.length % 2 !== 0) throw new RangeError("Padding length must be divisible by 2");
  const nPad = padding.length / 2;
  if (nPad > input.ndim) throw new RangeError("Padding length too large");
  if (!["constant", "reflect", "replicate", "circular"].includes(mode)) {
    throw new RangeError(`Unrecognised padding mode ${String(mode)}`);
  }
  if (mode === "constant") {
    let x = input;
    for (let i = 0; i < nPad; i++) x = padConstantDim(x, input.ndim - 1 - i, padding[2 * i], padding[2 * i + 1], value ?? 0);
    return x;
  }
  if (value !== null && value !== 0) {
    throw new RangeError(`Padding mode "${mode}" doesn't take in value argument.`);
  }
  // NOTE: PyTorch 1.13 pads only the last 1-3 dims of a (batched or not) 2-D..5-D input in these modes.
  if (nPad > 3 || input.ndim < nPad + 1 || input.ndim > nPad + 2) {
    throw new RangeError(`Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now`);
  }
  let x = input;
  for (let i = 0; i < nPad; i++) {
    const d = input.ndim - 1 - i;
    const [lo, hi] = [padding[2 * i], padding[2 * i + 1]];
    const size = input.shape[d];
    if (mode === "reflect" && (lo >= size || hi >= size)) {
      throw new RangeError(
        `Argument #4: Padding size should be less than the corresponding input dimension, but got: padding (${lo}, ${hi}) at dimension ${d} of input [${input.shape.join(", ")}]`,
      );
    }
    if (mode === "circular" && (lo > size || hi > size)) {
      throw new RangeError("Padding value causes wrapping around more than once.");
    }
    if (lo < 0 || hi < 0) throw new RangeError(`negative padding is only supported in constant mode`);
    x = padModeDim(x, d, lo, hi, mode);
  }
  return x;
}
