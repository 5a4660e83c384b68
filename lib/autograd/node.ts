// A recorded op in the autograd graph: which primitive ran, on which inputs, with which arguments,
// and its edges: for each input, the function its gradient goes to (the input's grad_fn, or the
// AccumulateGrad of a leaf that requires grad), fixed when the op runs as in PyTorch, so a later
// detach_() or requiresGrad change of an input does not cut the graph. The gradient rule for each
// primitive lives in grads.ts; which tensors it saves, in saves.ts.
import { refreshView } from "./inplace.js";
import { inspect } from "../inspect_custom.js";
import type { Tensor } from "../tensor.js";
import type { Storage } from "../backend/types.js";
import type { Op } from "./ops.js";
import { isGradEnabled } from "./grad_mode.js";
import { isFloating } from "../dtype.js";
import { DEFAULT_NAMES } from "./ops.js";
import { OUT, SAVES, SAVES_ALL } from "./saves.js";
import { SavedTensor } from "./version.js";

/** A function of the backward graph: an op's node, or the sink that accumulates into a leaf's .grad. */
export type GraphFn = Node | AccumulateGrad;
/** Where one input's gradient goes: [function, which of its outputs]; null when it needs none. */
export type Edge = readonly [GraphFn, number] | null;
/** A tensor hook: may return a gradient that replaces the one it was given. */
export type TensorHook = (grad: Tensor) => Tensor | null | undefined | void;

/** What registerHook returns (PyTorch's torch.utils.hooks.RemovableHandle). */
export interface RemovableHandle {
  readonly id: number;
  remove(): void;
}

interface PreHook {
  readonly id: number;
  /** Which output of the function the hook sees. */
  readonly nr: number;
  readonly fn: TensorHook;
}

let lastId = 0;
/** A fresh id for a hook handle (ids are shared by every kind of hook, as PyTorch's). */
export const nextHookId = (): number => ++lastId;

/** A stable, PyTorch-looking address for printing: `<MulBackward0 object at 0x7f3a00000060>`. */
function address(id: number): string {
  return `0x7f3a${(id * 0x60).toString(16).padStart(8, "0")}`;
}

/** Shared by Node and AccumulateGrad: a name, an id, and hooks on the gradients arriving. */
abstract class GraphFnBase {
  readonly id = ++lastId;
  /** Hooks on the gradient of one output, run in registration order before the function runs. */
  preHooks: PreHook[] | null = null;
  /** @internal The edge to output 0, shared by every consumer (one allocation per function). */
  edge0: Edge = null;
  abstract get name(): string;

  /** Registers a hook on the gradient arriving at output `nr`; the handle removes it. */
  addPreHook(nr: number, fn: TensorHook): RemovableHandle {
    if (typeof fn !== "function") throw new TypeError("hook must be a function");
    const hook: PreHook = { id: ++lastId, nr, fn };
    (this.preHooks ??= []).push(hook);
    return {
      id: hook.id,
      remove: () => {
        const i = this.preHooks?.indexOf(hook) ?? -1;
        if (i >= 0) this.preHooks!.splice(i, 1);
      },
    };
  }

  /** PyTorch's grad_fn.register_prehook: fn(gradOutputs) may return replacements. */
  registerPrehook(fn: (gradOutputs: (Tensor | null)[]) => (Tensor | null)[] | null | undefined | void): RemovableHandle {
    return this.addPreHook(-1, fn as unknown as TensorHook);
  }

  toString(): string {
    return `<${this.name} object at ${address(this.id)}>`;
  }
  [inspect.custom](): string {
    return this.toString();
  }
}

export class Node extends GraphFnBase {
  /** Cleared after backward (unless retainGraph) so a second pass fails clearly and memory is freed. */
  inputs: Tensor[] | null;
  out: Tensor | null;
  /** Where each input's gradient goes, fixed at record time. */
  readonly next: Edge[];
  /** The tensors the rule reads, with their versions at record time. */
  saved: SavedTensor[] | null = null;
  /** A rule of the node's own (autograd.Function, hook nodes) instead of GRADS[op]: one gradient
   *  per output in (missing ones as zeros), one per input out. */
  custom: ((grads: Tensor[]) => (Tensor | null | undefined)[]) | null = null;
  /** A custom rule that keeps no reference to the gradients it is given once it returns, other
   *  than (views of) the gradients it returns: the engine may recycle its own among them. */
  dropsGradOutputs = false;
  /** Outputs of the function (only a custom Function has more than one). */
  numOutputs = 1;
  /** PyTorch's grad_fn.register_hook: fn(gradInputs, gradOutputs) after the rule ran. */
  postHooks: ((gradInputs: (Tensor | null)[], gradOutputs: (Tensor | null)[]) => (Tensor | null)[] | null | undefined | void)[] | null = null;
  /** Called when the node releases its saved state (custom Functions drop ctx's tensors). */
  onRelease: (() => void) | null = null;
  /** Storages of tensors the op made for itself and saved here only (private_storage.ts): dead
   *  once the node releases its saved state. */
  privateStorages: Storage[] | null = null;

  constructor(
    readonly op: Op | "custom",
    /** PyTorch's grad_fn name, e.g. "AddBackward0"; composites rename their last node. */
    private _name: string,
    inputs: Tensor[],
    out: Tensor,
    public args: any,
  ) {
    super();
    this.inputs = inputs;
    this.out = out;
    this.next = inputs.map(edgeTo);
  }

  get name(): string {
    return this._name;
  }
  set name(name: string) {
    this._name = name;
  }

  /** True when input i's gradient goes somewhere (PyTorch's should_compute_output / needs_input_grad). */
  needs(i: number): boolean {
    return this.next[i] != null;
  }

  /** PyTorch's grad_fn.next_functions: [[fn, outputNr], ...], [null, 0] where no gradient goes. */
  get nextFunctions(): [GraphFn | null, number][] {
    // NOTE: linear with a bias records [x, w, b] but is PyTorch's addmm(b, x, wᵀ), whose
    // next_functions list the bias first; the weight shows its AccumulateGrad, not a TBackward0.
    const edges = this.op === "linear" && this.next.length === 3 ? [this.next[2], this.next[0], this.next[1]] : this.next;
    return edges.map((e) => (e === null ? [null, 0] : [e[0], e[1]]));
  }
  get next_functions(): [GraphFn | null, number][] {
    return this.nextFunctions;
  }

  /** True once the saved tensors were released by a backward pass without retainGraph. */
  get freed(): boolean {
    return this.inputs === null;
  }

  // NOTE: the edges stay (nextFunctions, as in PyTorch), so a released graph stays reachable from
  // its output while that lives: everything holding tensors (inputs, output, args) goes.
  /** Drops the saved state; returns the private storages, now reachable by no one. */
  release(): Storage[] {
    this.inputs = null;
    this.out = null;
    this.args = null;
    this.saved = null;
    this.onRelease?.();
    const dead = this.privateStorages ?? [];
    this.privateStorages = null;
    return dead;
  }

  /** Records the versions of the tensors the rule will read (saves.ts). */
  saveForRule(): void {
    const idx = (SAVES[this.op as Op] ?? SAVES_ALL)(this);
    if (idx.length === 0) return;
    this.saved = idx.map((i) => {
      if (i === OUT) return new SavedTensor(this.out!, this);
      const t = this.inputs![i];
      return new SavedTensor(t, t.gradFn, t.outputNr);
    });
  }

  /** Throws PyTorch's error if a saved tensor was modified in place since the op ran. */
  checkSaved(): void {
    const saved = this.saved;
    if (saved !== null) for (let i = 0; i < saved.length; i++) saved[i].check();
  }

  registerHook(fn: NonNullable<Node["postHooks"]>[number]): RemovableHandle {
    if (typeof fn !== "function") throw new TypeError("hook must be a function");
    (this.postHooks ??= []).push(fn);
    return {
      id: ++lastId,
      remove: () => {
        const i = this.postHooks?.indexOf(fn) ?? -1;
        if (i >= 0) this.postHooks!.splice(i, 1);
      },
    };
  }
}

/** The sink of a leaf that requires grad: sums what reaches it into the leaf's .grad. */
export class AccumulateGrad extends GraphFnBase {
  readonly next: Edge[] = [];
  /** tensor.registerPostAccumulateGradHook: hook(leaf) once .grad holds this pass's gradient. */
  postAccumulateHooks: ((leaf: Tensor) => void)[] | null = null;
  constructor(readonly variable: Tensor) {
    super();
  }
  get name(): string {
    return "AccumulateGrad";
  }
  get nextFunctions(): [GraphFn | null, number][] {
    return [];
  }
  get next_functions(): [GraphFn | null, number][] {
    return [];
  }
}

/** The AccumulateGrad of a leaf, one per tensor (PyTorch's grad_accumulator). */
export function accumulatorOf(t: Tensor): AccumulateGrad {
  return (t._accumulator ??= new AccumulateGrad(t));
}

/** The edge a gradient for t takes: its grad_fn, its AccumulateGrad, or none. */
export function edgeTo(t: Tensor): Edge {
  // A view used after an in-place op rewrote its base's history takes its history from the base again.
  if (t._base !== null && t._viewGen !== t._base._histGen) refreshView(t);
  const fn = t.gradFn;
  if (fn !== null) return t.outputNr === 0 ? (fn.edge0 ??= [fn, 0]) : [fn, t.outputNr];
  if (!t.requiresGrad) return null;
  const acc = accumulatorOf(t);
  return (acc.edge0 ??= [acc, 0]);
}

/**
 * Attaches a graph node to `out` when recording is on and some input requires grad.
 * Returns `out` for chaining. Only floating outputs can require grad.
 */
export function record(op: Op, inputs: Tensor[], out: Tensor, args?: unknown): Tensor {
  if (!isGradEnabled() || !isFloating(out.dtype)) return out;
  if (!inputs.some((t) => t.requiresGrad)) return out;
  out.requiresGrad = true;
  const node = new Node(op, DEFAULT_NAMES[op], inputs, out, args);
  out.gradFn = node;
  node.saveForRule();
  return out;
}

/** Gives the node behind `t` the name PyTorch shows for the composite op that produced it. */
export function rename<T extends Tensor>(t: T, name: string): T {
  if (t.gradFn) t.gradFn.name = name;
  return t;
}
