// torch.autograd.functional: jacobian, hessian, vjp, jvp, vhp, hvp of a function of tensors, built on
// autograd.grad (reverse mode, one backward pass per output element for the Jacobian). Inputs and
// outputs are a Tensor or an array of Tensors, and results nest as PyTorch's tuples do: jacobian of
// one input and one output is a Tensor of shape out.shape + in.shape; with several inputs, an array
// per output; with several outputs, an array of those. Where an output doesn't depend on an input,
// the block is zeros (strict: an error). Results are detached unless createGraph.
// ref: torch/autograd/functional.py (PyTorch 1.13).
import { Tensor } from "../tensor.js";
import { onesLike, zerosLike } from "../ops/creation.js";
import { stack } from "../ops/indexing.js";
import { enableGrad } from "./grad_mode.js";
import { grad } from "./grad.js";

type Tensors = Tensor | readonly Tensor[];
type Fn = (...inputs: Tensor[]) => Tensors;

export interface FunctionalOptions {
  /** Record the computation, so the result can be differentiated again. */
  createGraph?: boolean;
  /** Throw where an output doesn't depend on an input, instead of giving zeros. */
  strict?: boolean;
}

function asList(v: Tensors, fn: string, what: string): [Tensor[], boolean] {
  const isTuple = Array.isArray(v);
  const list = isTuple ? [...(v as Tensor[])] : [v as Tensor];
  if (list.some((t) => !(t instanceof Tensor))) {
    throw new TypeError(`The ${what} given to ${fn} must be either a Tensor or a tuple of Tensors but the value at index ${list.findIndex((t) => !(t instanceof Tensor))} has type ${typeof list.find((t) => !(t instanceof Tensor))}.`);
  }
  return [list, isTuple];
}

/** Fresh leaves for the inputs (PyTorch's _grad_preprocess): views that keep history under createGraph. */
function prepare(inputs: Tensor[], createGraph: boolean): Tensor[] {
  return inputs.map((t) => (createGraph && t.requiresGrad ? t.viewAs(t) : t.detach().requiresGrad_(true)));
}

function finish(t: Tensor, createGraph: boolean): Tensor {
  return createGraph ? t : t.detach();
}

/** Gradients of `outputs` (weighted by `v`) with respect to `inputs`, zeros where unused. */
function vjpOf(outputs: Tensor[], inputs: Tensor[], v: (Tensor | null)[] | null, createGraph: boolean, strict: boolean, retain: boolean): Tensor[] {
  if (strict) {
    const k = outputs.findIndex((o) => !o.requiresGrad);
    if (k >= 0) throw new Error(`Output ${k} of the user-provided function does not require gradients. The outputs must be computed in a differentiable manner from the input when running in strict mode.`);
  }
  const live = outputs.map((o, i) => [o, v?.[i] ?? null] as const).filter(([o]) => o.requiresGrad);
  const grads = live.length === 0 ? inputs.map(() => null) : grad(live.map(([o]) => o), inputs, {
    gradOutputs: live.map(([, g]) => g),
    retainGraph: retain || createGraph,
    createGraph,
    allowUnused: true,
  });
  return inputs.map((x, i) => {
    const g = grads[i];
    if (g === null || g === undefined) {
      if (strict) throw new Error(`The output of the user-provided function is independent of input ${i}. This is not allowed in strict mode.`);
      return zerosLike(x);
    }
    return g;
  });
}

/** torch.autograd.functional.jacobian. */
export function jacobian(func: Fn, inputs: Tensors, opts: FunctionalOptions = {}): Tensors | Tensor[][] {
  const { createGraph = false, strict = false } = opts;
  const [ins, tupleIn] = asList(inputs, "jacobian", "inputs");
  const xs = prepare(ins, createGraph);
  const [outs, tupleOut] = asList(enableGrad(() => func(...xs)), "jacobian", "outputs of the user-provided function");
  const blocks = outs.map((out) => {
    const flat = out.reshape([-1]);
    const rows: Tensor[][] = xs.map(() => []);
    for (let k = 0; k < flat.numel(); k++) {
      const g = enableGrad(() => vjpOf([flat.index(k)], xs, null, createGraph, strict, true));
      g.forEach((gi, j) => rows[j].push(gi));
    }
    return xs.map((x, j) => {
      const block = rows[j].length === 0 ? zerosLike(x).reshape([0, ...x.shape]) : stack(rows[j], 0);
      return finish(block.reshape([...out.shape, ...x.shape]), createGraph);
    });
  });
  const perOutput = blocks.map((b) => (tupleIn ? b : b[0]));
  return tupleOut ? (perOutput as Tensor[] | Tensor[][]) : perOutput[0];
}

/** torch.autograd.functional.hessian: the Jacobian of the gradient of a function with one element. */
export function hessian(func: Fn, inputs: Tensors, opts: FunctionalOptions = {}): Tensors | Tensor[][] {
  const [, tupleIn] = asList(inputs, "hessian", "inputs");
  const gradient = (...xs: Tensor[]): Tensors => {
    const [outs] = asList(func(...xs), "hessian", "outputs of the user-provided function");
    if (outs.length !== 1 || outs[0].numel() !== 1) {
      throw new RangeError("The Tensor returned by the function given to hessian should contain a single element");
    }
    const g = vjpOf([outs[0].reshape([])], xs, null, true, opts.strict ?? false, true);
    return tupleIn ? g : g[0];
  };
  return jacobian(gradient, inputs, opts);
}

/** torch.autograd.functional.vjp: [func(inputs), vᵀ·J] (v may be omitted for a one-element output). */
export function vjp(func: Fn, inputs: Tensors, v?: Tensors | null, opts: FunctionalOptions = {}): [Tensors, Tensors] {
  const { createGraph = false, strict = false } = opts;
  const [ins, tupleIn] = asList(inputs, "vjp", "inputs");
  const xs = prepare(ins, createGraph);
  const out = enableGrad(() => func(...xs));
  const [outs] = asList(out, "vjp", "outputs of the user-provided function");
  const vs = v === undefined || v === null ? null : asList(v, "vjp", "v")[0];
  if (vs === null && outs.some((o) => o.numel() !== 1)) {
    throw new RangeError("The vector v can only be None if the user-provided function returns a single Tensor with a single element.");
  }
  const g = enableGrad(() => vjpOf(outs, xs, vs, createGraph, strict, false)).map((t) => finish(t, createGraph));
  const o = Array.isArray(out) ? outs.map((t) => finish(t, createGraph)) : finish(outs[0], createGraph);
  return [o, tupleIn ? g : g[0]];
}

/** jvp's and vhp's inputs as fresh leaves, and v, one per input (omitted only for one single-element input). */
function inputsAndVector(fn: string, inputs: Tensors, v: Tensors | null | undefined, createGraph: boolean) {
  const [ins, tupleIn] = asList(inputs, fn, "inputs");
  const xs = prepare(ins, createGraph);
  const vs = v === undefined || v === null ? null : asList(v, fn, "v")[0];
  if (vs === null && xs.some((x) => x.numel() !== 1)) {
    throw new RangeError("The vector v can only be None if the input to the user-provided function is a single Tensor with a single element.");
  }
  return { xs, tupleIn, vs };
}

/** torch.autograd.functional.jvp: [func(inputs), J·v], by the double-backward trick. */
export function jvp(func: Fn, inputs: Tensors, v?: Tensors | null, opts: FunctionalOptions = {}): [Tensors, Tensors] {
  const { createGraph = false, strict = false } = opts;
  const { xs, tupleIn, vs } = inputsAndVector("jvp", inputs, v, createGraph);
  const out = enableGrad(() => func(...xs));
  const [outs, tupleOut] = asList(out, "jvp", "outputs of the user-provided function");
  const result = enableGrad(() => {
    // u ↦ uᵀJ is linear in u; its gradient with respect to u, weighted by v, is J·v.
    const us = outs.map((o) => zerosLike(o).requiresGrad_(true));
    const gu = vjpOf(outs, xs, us, true, strict, true);
    return vjpOf(gu, us, vs ?? xs.map((x) => onesLike(x)), createGraph, strict, false);
  }).map((t) => finish(t, createGraph));
  const o = outs.map((t) => finish(t, createGraph));
  return [tupleOut ? o : o[0], tupleOut ? result : result[0]];
}

/** torch.autograd.functional.vhp: [func(inputs), vᵀ·H]. */
export function vhp(func: Fn, inputs: Tensors, v?: Tensors | null, opts: FunctionalOptions = {}): [Tensor, Tensors] {
  const { createGraph = false, strict = false } = opts;
  const { xs, tupleIn, vs } = inputsAndVector("vhp", inputs, v, createGraph);
  const out = enableGrad(() => func(...xs));
  const [outs] = asList(out, "vhp", "outputs of the user-provided function");
  if (outs.length !== 1 || outs[0].numel() !== 1) throw new RangeError("The Tensor returned by the function given to hvp should contain a single element");
  const result = enableGrad(() => {
    const g = vjpOf([outs[0].reshape([])], xs, null, true, strict, true);
    return vjpOf(g, xs, vs ?? xs.map((x) => onesLike(x)), createGraph, strict, false);
  }).map((t) => finish(t, createGraph));
  return [finish(outs[0], createGraph), tupleIn ? result : result[0]];
}

/** torch.autograd.functional.hvp: [func(inputs), H·v] (= vᵀ·H for the symmetric Hessian of a C² function). */
export function hvp(func: Fn, inputs: Tensors, v?: Tensors | null, opts: FunctionalOptions = {}): [Tensor, Tensors] {
  return vhp(func, inputs, v, opts);
}
