// nn.Unflatten: expands dim `dim` of the input into `unflattenedSize` (one entry may be -1), the
// inverse of nn.Flatten, e.g. a Linear's [N, 512] back to [N, 32, 4, 4] before a ConvTranspose.
// NOTE: PyTorch's named-tensor form (dim a name, sizes (name, size) pairs) is not built: torchlet
// has no named tensors, so a non-integer dim is refused as PyTorch refuses other types.
// ref: torch/nn/modules/flatten.py (PyTorch 1.13).
import type { Tensor } from "../tensor.js";
import { Module } from "./module.js";
import { parseArgs, pyTuple } from "./args.js";

export class Unflatten extends Module {
  readonly dim: number;
  readonly unflattenedSize: readonly number[];
  constructor(dim: number | { dim?: number; unflattenedSize?: readonly number[] }, unflattenedSize?: readonly number[]);
  constructor(...args: unknown[]) {
    super();
    const o = parseArgs<{ dim: unknown; unflattenedSize: unknown }>("Unflatten", args, ["dim", "unflattenedSize"], {});
    if (typeof o.dim !== "number" || !Number.isInteger(o.dim)) throw new TypeError("invalid argument type for dim parameter");
    this.dim = o.dim;
    this.unflattenedSize = requireTupleInt(o.unflattenedSize);
  }
  forward(input: Tensor): Tensor {
    return input.unflatten(this.dim, this.unflattenedSize);
  }
  override extraRepr(): string {
    return `dim=${this.dim}, unflattened_size=${pyTuple(this.unflattenedSize)}`;
  }
}

/** PyTorch's Unflatten._require_tuple_int, with its messages (a JS array stands for a tuple or list). */
function requireTupleInt(v: unknown): number[] {
  if (!Array.isArray(v)) {
    throw new TypeError(`unflattened_size must be a tuple of ints, but found type ${pyType(v)}`);
  }
  v.forEach((e, i) => {
    if (typeof e !== "number" || !Number.isInteger(e)) {
      throw new TypeError(`unflattened_size must be tuple of ints, but found element of type ${pyType(e)} at pos ${i}`);
    }
  });
  return [...v];
}

/** The Python type name PyTorch's message would print for a JS value. */
function pyType(v: unknown): string {
  if (v === null || v === undefined) return "NoneType";
  if (typeof v === "number") return Number.isInteger(v) ? "int" : "float";
  if (typeof v === "string") return "str";
  if (typeof v === "boolean") return "bool";
  return typeof v === "object" ? "dict" : typeof v;
}
