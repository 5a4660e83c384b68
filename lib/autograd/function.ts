// torch.autograd.Function: a user-defined op with its own forward and backward.
//   class MyExp extends torch.autograd.Function {
//     static forward(ctx, x) { const y = x.exp(); ctx.saveForBackward(y); return y; }
//     static backward(ctx, g) { const [y] = ctx.savedTensors; return g.mul(y); }
//   }
//   const y = MyExp.apply(x);
// forward runs under noGrad; backward runs with grad enabled only under createGraph (so a backward
// written with differentiable ops can be differentiated again), and returns one gradient per
// forward argument (null for non-tensors). ref: torch/autograd/function.py, PyTorch 1.13.
import { Tensor } from "../tensor.js";
import { isGradEnabled, noGrad } from "./grad_mode.js";
import { Node } from "./node.js";
import { SavedTensor } from "./version.js";
import { zerosLike } from "../ops/creation.js";
import { isFloating } from "../dtype.js";
import { recycle } from "../ops/scratch.js";

const FREED_MESSAGE =
  "Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the graph a second time or if you need to access saved tensors after calling backward.";

/** The `ctx` a Function's forward and backward share; other fields may be set on it freely. */
export class FunctionCtx {
  [key: string]: any;
  /** Per forward argument: a tensor that requires grad (PyTorch's ctx.needs_input_grad). */
  needsInputGrad: boolean[] = [];
  #toSave: (Tensor | null)[] = [];
  #saved: (SavedTensor | null)[] | null = null;
  #released = false;
  /** @internal */ readonly dirty = new Set<Tensor>();
  /** @internal */ readonly nonDifferentiable = new Set<Tensor>();
  /** @internal */ materializeGrads = true;
  /** @internal */ readonly privateTensors: Tensor[] = [];

  /** Saves tensors for backward; their in-place modification before backward is an error. */
  saveForBackward(...tensors: (Tensor | null | undefined)[]): void {
    tensors.forEach((t, i) => {
      if (t !== null && t !== undefined && !(t instanceof Tensor)) {
        throw new TypeError(`save_for_backward can only save variables, but argument ${i} is not a Variable`);
      }
    });
    this.#toSave = tensors.map((t) => t ?? null);
  }

  /** The tensors saveForBackward saved (checked against in-place changes since). */
  get savedTensors(): (Tensor | null)[] {
    if (this.#released) throw new Error(FREED_MESSAGE);
    if (this.#saved === null) return [...this.#toSave];
    return this.#saved.map((s) => {
      if (s === null) return null;
      s.check();
      return s.tensor;
    });
  }

  /** Marks inputs that forward modified in place (and returns). */
  markDirty(...tensors: Tensor[]): void {
    for (const t of tensors) this.dirty.add(t);
  }
  /** Marks outputs that are not differentiable: they never require grad. */
  markNonDifferentiable(...tensors: Tensor[]): void {
    for (const t of tensors) this.nonDifferentiable.add(t);
  }
  /** @internal For the library's Functions: tensors forward made for backward alone and handed to
   *  no one else (whole allocations); they go back to the scratch pool once the node releases its
   *  saved state, or when apply() returns if it records no node (autograd/private_storage.ts). */
  keepPrivate(...tensors: Tensor[]): void {
    this.privateTensors.push(...tensors);
  }
  /** false: backward receives null, not zeros, for outputs that got no gradient. */
  setMaterializeGrads(value: boolean): void {
    this.materializeGrads = value;
  }

  /** @internal Records the versions of the saved tensors once the outputs are known. */
  seal(node: Node | null, outputs: readonly unknown[]): void {
    this.#saved = this.#toSave.map((t) => {
      if (t === null) return null;
      const nr = outputs.indexOf(t);
      return nr >= 0 && node !== null ? new SavedTensor(t, node, nr) : new SavedTensor(t, t.gradFn, t.outputNr);
    });
  }
  /** @internal */
  release(): void {
    this.#released = true;
    this.#toSave = [];
    this.#saved = null;
  }
}

type FunctionClass = typeof Function;

/** Base class of custom autograd functions: subclass it with static forward and backward. */
export class Function {
  /** The grad_fn name; PyTorch's is the class name + "Backward". */
  static gradFnName?: string;
  /** The library's Functions set it when backward keeps no reference to its gradient outputs once
   *  it returns (Node.dropsGradOutputs): the engine then recycles those it owned. */
  static dropsGradOutputs = false;

  static forward(ctx: FunctionCtx, ...args: any[]): any {
    void ctx, args;
    throw new Error("You must implement the forward function for custom autograd.Function.");
  }

  static backward(ctx: FunctionCtx, ...gradOutputs: any[]): any {
    void ctx, gradOutputs;
    throw new Error("You must implement either the backward or vjp method for your custom autograd.Function to use it with backward mode AD.");
  }

  /** Runs forward and, when an argument requires grad, records one node whose rule is backward. */
  static apply(this: FunctionClass, ...args: any[]): any {
    const cls = this;
    const ctx = new FunctionCtx();
    ctx.needsInputGrad = args.map((a) => a instanceof Tensor && a.requiresGrad);
    const recording = isGradEnabled() && ctx.needsInputGrad.some(Boolean);
    const tensorArgs = args.filter((a): a is Tensor => a instanceof Tensor);
    // NOTE: forward runs under noGrad, so the inputs' grad_fns are unchanged when the node takes its
    // edges after it; a dirty input's history is then rebased onto this node.
    const raw = noGrad(() => cls.forward(ctx, ...args));
    const list: unknown[] = Array.isArray(raw) ? [...raw] : [raw];
    if (!recording) {
      ctx.seal(null, list);
      for (const t of ctx.privateTensors) recycle(t.typedArray);
      return raw;
    }
    const name = cls.gradFnName ?? `${cls.name}Backward`;
    // NOTE: an input returned unchanged gets a new tensor over the same storage (PyTorch makes it a
    // view), so attaching this node to the output doesn't rewrite the input's own history.
    const outs = list.map((o) => (o instanceof Tensor && tensorArgs.includes(o) && !ctx.dirty.has(o) ? o.detach() : o));
    for (const t of ctx.dirty) {
      if (t.isLeaf && t.requiresGrad) throw new Error("a leaf Variable that requires grad has been used in an in-place operation.");
    }
    const firstOut = outs.find((o): o is Tensor => o instanceof Tensor) ?? null;
    const node = new Node("custom", name, tensorArgs, firstOut as Tensor, null);
    node.numOutputs = outs.length;
    if (ctx.privateTensors.length > 0) node.privateStorages = ctx.privateTensors.map((t) => t.typedArray);
    node.dropsGradOutputs = cls.dropsGradOutputs;
    outs.forEach((o, k) => {
      if (!(o instanceof Tensor) || !isFloating(o.dtype) || ctx.nonDifferentiable.has(o)) return;
      o.gradFn = null;
      o.requiresGrad = true;
      o.gradFn = node;
      o.outputNr = k;
    });
    ctx.seal(node, outs);
    const argCount = args.length;
    node.custom = (gs) => {
      const gradOutputs = outs.map((o, k) => gs[k] ?? (ctx.materializeGrads && o instanceof Tensor ? zerosLike(o) : null));
      const r = cls.backward(ctx, ...gradOutputs);
      const grads: unknown[] = Array.isArray(r) ? r : [r];
      if (grads.length < argCount || grads.slice(argCount).some((g) => g !== null && g !== undefined)) {
        throw new Error(`function ${name} returned an incorrect number of gradients (expected ${argCount}, got ${grads.length})`);
      }
      const res: (Tensor | null)[] = [];
      args.forEach((a, i) => {
        const g = grads[i];
        if (a instanceof Tensor) {
          if (g !== null && g !== undefined && !(g instanceof Tensor)) {
            throw new TypeError(`function ${name} returned a gradient of type ${typeof g} at position ${i}, expected a Tensor or null`);
          }
          res.push((g as Tensor | null | undefined) ?? null);
        } else if (g !== null && g !== undefined) {
          throw new Error(`function ${name} returned a gradient different than None at position ${i + 1}, but the corresponding forward input was not a Variable`);
        }
      });
      return res;
    };
    node.onRelease = () => ctx.release();
    return Array.isArray(raw) ? outs : outs[0];
  }
}
