// Joining and broadcasting helpers that PyTorch defines on top of cat, stack, reshape and expand:
// hstack / vstack (row_stack) / dstack / column_stack, atleast_1d/2d/3d, meshgrid, broadcast_to,
// broadcast_tensors, broadcast_shapes. Each is a composition, so gradients come from the ops it uses.
// ref: aten/src/ATen/native/TensorShape.cpp (hstack, vstack, dstack, column_stack, atleast_*d, meshgrid).
import { warn } from "../nn/warnings.js";
import { broadcastShapes as broadcastPair } from "../shape.js";
import { Tensor } from "../tensor.js";
import { cat } from "./indexing.js";
import { expand, reshape, unsqueeze } from "./views.js";

function nonEmpty(tensors: readonly Tensor[], fn: string): void {
  if (!tensors || tensors.length === 0) throw new RangeError(`${fn} expects a non-empty TensorList`);
}

/** Tensors passed as varargs (f(a, b)) or as one array (f([a, b])). */
export function tensorList(args: (Tensor | readonly Tensor[])[]): Tensor[] {
  return args.length === 1 && Array.isArray(args[0]) ? [...(args[0] as Tensor[])] : (args as Tensor[]);
}

export function atleast1d(x: Tensor): Tensor {
  return x.ndim === 0 ? reshape(x, [1]) : x;
}

export function atleast2d(x: Tensor): Tensor {
  if (x.ndim === 0) return reshape(x, [1, 1]);
  return x.ndim === 1 ? unsqueeze(x, 0) : x;
}

/** [n] -> [1, n, 1]; [m, n] -> [m, n, 1]; higher ranks unchanged. */
export function atleast3d(x: Tensor): Tensor {
  if (x.ndim === 0) return reshape(x, [1, 1, 1]);
  if (x.ndim === 1) return unsqueeze(unsqueeze(x, 0), -1);
  return x.ndim === 2 ? unsqueeze(x, -1) : x;
}

/** Concatenates along dim 1, or dim 0 where the inputs are 1-D (0-d inputs count as 1-D). */
export function hstack(tensors: readonly Tensor[]): Tensor {
  nonEmpty(tensors, "hstack");
  const rep = tensors.map(atleast1d);
  return cat(rep, rep[0].ndim === 1 ? 0 : 1);
}

/** Stacks rows: 1-D inputs become rows of a matrix. row_stack is the same function. */
export function vstack(tensors: readonly Tensor[]): Tensor {
  nonEmpty(tensors, "vstack");
  return cat(tensors.map(atleast2d), 0);
}

export function dstack(tensors: readonly Tensor[]): Tensor {
  nonEmpty(tensors, "dstack");
  return cat(tensors.map(atleast3d), 2);
}

/** 0-d and 1-D inputs become columns ([n] -> [n, 1]); the rest join along dim 1. */
export function columnStack(tensors: readonly Tensor[]): Tensor {
  nonEmpty(tensors, "column_stack");
  return cat(tensors.map((t) => (t.ndim <= 1 ? reshape(t, [t.numel(), 1]) : t)), 1);
}

/** torch.broadcast_to: expand to shape (-1 keeps a size), a view. */
export function broadcastTo(x: Tensor, shape: readonly number[]): Tensor {
  return expand(x, shape);
}

/** The shape that all the given shapes broadcast to; a number is a 1-D shape. */
export function broadcastShapes(...shapes: (number | readonly number[])[]): number[] {
  let out: number[] = [];
  for (const s of shapes) {
    try {
      out = broadcastPair(out, typeof s === "number" ? [s] : s);
    } catch {
      throw new RangeError("Shape mismatch: objects cannot be broadcast to a single shape");
    }
  }
  return out;
}

/** Expands every tensor to their common shape (views; dtypes are kept). */
export function broadcastTensors(tensors: readonly Tensor[]): Tensor[] {
  let shape: number[] = [];
  for (const t of tensors) shape = broadcastPair(shape, t.shape);
  return tensors.map((t) => expand(t, shape));
}

export interface MeshgridOptions {
  indexing?: "ij" | "xy";
}

/**
 * torch.meshgrid: for 0-d/1-D inputs of sizes n0, n1, ..., each output has shape [n0, n1, ...]
 * ("ij") or [n1, n0, ...] ("xy", Cartesian) and varies along its own input's dim: expanded views.
 */
export function meshgrid(tensors: readonly Tensor[], opts: MeshgridOptions = {}): Tensor[] {
  if (!tensors || tensors.length === 0) throw new RangeError("meshgrid expects a non-empty TensorList");
  let { indexing } = opts;
  if (indexing === undefined) {
    warn("torch.meshgrid: in an upcoming release, it will be required to pass the indexing argument.");
    indexing = "ij";
  }
  if (indexing !== "ij" && indexing !== "xy") {
    throw new RangeError(`torch.meshgrid: indexing must be one of "xy" or "ij", but received: ${String(indexing)}`);
  }
  for (const t of tensors) {
    if (t.ndim > 1) throw new RangeError(`torch.meshgrid: Expected 0D or 1D tensor in the tensor list but got a ${t.ndim}D tensor`);
  }
  if (tensors.some((t) => t.dtype !== tensors[0].dtype)) throw new TypeError("meshgrid expects all tensors to have the same dtype");
  const sizes = tensors.map((t) => t.numel());
  // NOTE: "xy" swaps the roles of the first two inputs: the first varies along dim 1.
  const axisOf = (i: number) => (indexing === "xy" && tensors.length >= 2 && i < 2 ? 1 - i : i);
  const shape = sizes.map((_, d) => sizes[axisOf(d)]);
  return tensors.map((t, i) => {
    const view = shape.map((_, d) => (d === axisOf(i) ? sizes[i] : 1));
    return expand(reshape(t, view), shape);
  });
}
