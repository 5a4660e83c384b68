// A recorded op in the autograd graph: which primitive ran, on which inputs, with which arguments.
// The gradient rule for each primitive lives in grads.ts; this file only holds the record.
import type { Tensor } from "../tensor.js";
import type { Op } from "./ops.js";
import { isGradEnabled } from "./grad_mode.js";
import { DEFAULT_NAMES } from "./ops.js";

export class Node {
  /** Cleared after backward (unless retainGraph) so a second pass fails clearly and memory is freed. */
  inputs: Tensor[] | null;
  out: Tensor | null;

  constructor(
    readonly op: Op,
    /** PyTorch's grad_fn name, e.g. "AddBackward0"; composites rename their last node. */
    public name: string,
    inputs: Tensor[],
    out: Tensor,
    readonly args: any,
  ) {
    this.inputs = inputs;
    this.out = out;
  }

  /** True once the saved tensors were released by a backward pass without retainGraph. */
  get freed(): boolean {
    return this.inputs === null;
  }

  release(): void {
    this.inputs = null;
    this.out = null;
  }
}

/**
 * Attaches a graph node to `out` when recording is on and some input requires grad.
 * Returns `out` for chaining. Only floating outputs can require grad.
 */
export function record(op: Op, inputs: Tensor[], out: Tensor, args?: unknown): Tensor {
  if (!isGradEnabled() || out.dtype !== "float32") return out;
  if (!inputs.some((t) => t.requiresGrad)) return out;
  out.requiresGrad = true;
  out.gradFn = new Node(op, DEFAULT_NAMES[op], inputs, out, args);
  return out;
}

/** Gives the node behind `t` the name PyTorch shows for the composite op that produced it. */
export function rename<T extends Tensor>(t: T, name: string): T {
  if (t.gradFn) t.gradFn.name = name;
  return t;
}
