// torch.autograd.grad and torch.autograd.backward: the functional entries to the engine.
// grad returns the gradients of chosen tensors without touching any .grad; backward accumulates
// into the leaves from several roots at once. ref: torch/autograd/__init__.py, PyTorch 1.13.
import { Tensor } from "../tensor.js";
import { backwardFrom, rootGradients, run } from "./engine.js";

export interface GradOptions {
  /** The vector of the vector-Jacobian product, one per output (null: ones, for a scalar output). */
  gradOutputs?: Tensor | readonly (Tensor | null | undefined)[] | null;
  /** Keep the graph for another backward pass (default: createGraph). */
  retainGraph?: boolean;
  /** Record the backward pass, so the returned gradients can be differentiated again. */
  createGraph?: boolean;
  /** Return null for an input the outputs do not depend on, instead of throwing. */
  allowUnused?: boolean;
}

export interface AutogradBackwardOptions {
  retainGraph?: boolean;
  createGraph?: boolean;
  /** Accumulate into these tensors' .grad only. */
  inputs?: Tensor | readonly Tensor[];
}

function tensorList(v: Tensor | readonly Tensor[], what: string): Tensor[] {
  const list = v instanceof Tensor ? [v] : Array.isArray(v) ? [...v] : null;
  if (list === null || list.some((t) => !(t instanceof Tensor))) throw new TypeError(`${what} must be a Tensor or an array of Tensors`);
  return list;
}

function gradList(v: GradOptions["gradOutputs"], n: number): (Tensor | null | undefined)[] {
  if (v === undefined || v === null) return new Array(n).fill(null);
  const list = v instanceof Tensor ? [v] : [...v];
  if (list.length !== n) throw new RangeError(`grad_outputs: expected ${n} gradients (one per output), got ${list.length}`);
  return list;
}

/**
 * torch.autograd.grad(outputs, inputs, { gradOutputs, retainGraph, createGraph, allowUnused }):
 * the sum over outputs of gradOutput·d(output)/d(input), for each input. `.grad` fields stay as they are.
 */
export function grad(outputs: Tensor | readonly Tensor[], inputs: Tensor | readonly Tensor[], options: GradOptions = {}): (Tensor | null)[] {
  const outs = tensorList(outputs, "grad(): outputs");
  const ins = tensorList(inputs, "grad(): inputs");
  if (ins.length === 0) throw new RangeError("grad requires non-empty inputs.");
  const createGraph = options.createGraph ?? false;
  const seeds = rootGradients(outs, gradList(options.gradOutputs, outs.length));
  const res = run(outs, seeds, { retainGraph: options.retainGraph ?? createGraph, createGraph, capture: ins });
  if (!options.allowUnused && res.some((g) => g === null)) {
    throw new Error("One of the differentiated Tensors appears to not have been used in the graph. Set allow_unused=True if this is the desired behavior.");
  }
  return res;
}

/** torch.autograd.backward(tensors, gradTensors): backward from several roots in one pass. */
export function backward(
  tensors: Tensor | readonly Tensor[],
  gradTensors?: Tensor | readonly (Tensor | null | undefined)[] | null,
  options: AutogradBackwardOptions = {},
): void {
  const roots = tensorList(tensors, "backward(): tensors");
  backwardFrom(roots, rootGradients(roots, gradList(gradTensors, roots.length)), options);
}
