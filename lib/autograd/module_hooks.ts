// Module.registerFullBackwardHook: hook(module, gradInput, gradOutput) runs once the gradients with
// respect to a module call's tensor inputs are computed, and may return replacements for them.
// Done without touching the module's call path: the instance's forward is wrapped (once) so its
// tensor inputs and outputs pass through identity Functions; the output one records gradOutput,
// the input one calls the hooks. ref: torch/utils/hooks.py (BackwardHook), PyTorch 1.13.
import { Tensor } from "../tensor.js";
import type { Module } from "../nn/module.js";
import { Function, type FunctionCtx } from "./function.js";
import { isGradEnabled } from "./grad_mode.js";
import type { RemovableHandle } from "./node.js";

export type FullBackwardHook = (
  module: Module,
  gradInput: (Tensor | null)[],
  gradOutput: (Tensor | null)[],
) => (Tensor | null)[] | null | undefined | void;

/** What the two identity nodes of one module call share. */
interface CallState {
  module: Module;
  hooks: FullBackwardHook[];
  gradOutputs: (Tensor | null)[];
  /** False when no tensor input requires grad: the output node calls the hooks (gradInput all null). */
  inputsNeedGrad: boolean;
  tensorInputs: number;
}

const HOOKS = new WeakMap<Module, FullBackwardHook[]>();
let lastId = 0;

function runHooks(st: CallState, gradInput: (Tensor | null)[]): (Tensor | null)[] {
  for (const hook of [...st.hooks]) {
    const r = hook(st.module, gradInput, st.gradOutputs);
    if (r === undefined || r === null) continue;
    if (!Array.isArray(r) || r.length !== gradInput.length) {
      throw new Error(`Backward hook returned an invalid number of grad_input, got ${Array.isArray(r) ? r.length : 1}, but expected ${gradInput.length}`);
    }
    gradInput = r;
  }
  return gradInput;
}

class BackwardHookInputs extends Function {
  static override gradFnName = "BackwardHookFunctionBackward";
  static override forward(ctx: FunctionCtx, st: CallState, ...inputs: Tensor[]): Tensor[] {
    ctx.st = st;
    ctx.needs = inputs.map((t) => t.requiresGrad);
    ctx.markNonDifferentiable(...inputs.filter((t) => !t.requiresGrad));
    return inputs;
  }
  static override backward(ctx: FunctionCtx, ...grads: (Tensor | null)[]): (Tensor | null)[] {
    const gradInput = grads.map((g, k) => (ctx.needs[k] ? g : null));
    return [null, ...runHooks(ctx.st, gradInput)];
  }
}

class BackwardHookOutputs extends Function {
  static override gradFnName = "BackwardHookFunctionBackward";
  static override forward(ctx: FunctionCtx, st: CallState, ...outputs: Tensor[]): Tensor[] {
    ctx.st = st;
    return outputs;
  }
  static override backward(ctx: FunctionCtx, ...grads: (Tensor | null)[]): (Tensor | null)[] {
    const st: CallState = ctx.st;
    st.gradOutputs = grads;
    if (!st.inputsNeedGrad) runHooks(st, new Array(st.tensorInputs).fill(null));
    return [null, ...grads];
  }
}

/** Wraps module.forward once; the wrapper passes straight through while no hook is registered. */
function wrapForward(module: Module, hooks: FullBackwardHook[]): void {
  const inner = module.forward;
  const forward = function (this: Module, ...args: any[]): any {
    if (hooks.length === 0 || !isGradEnabled()) return inner.apply(this, args);
    const at = args.map((a, i) => i).filter((i) => args[i] instanceof Tensor);
    const st: CallState = {
      module, hooks, gradOutputs: [], tensorInputs: at.length,
      inputsNeedGrad: at.some((i) => (args[i] as Tensor).requiresGrad),
    };
    const callArgs = [...args];
    if (st.inputsNeedGrad) {
      const wrapped: Tensor[] = BackwardHookInputs.apply(st, ...at.map((i) => args[i]));
      at.forEach((i, k) => (callArgs[i] = wrapped[k]));
    }
    const out = inner.apply(this, callArgs);
    const outs: unknown[] | null = out instanceof Tensor ? [out] : Array.isArray(out) ? out : null;
    if (outs === null) return out;
    const pos = outs.map((o, i) => i).filter((i) => outs[i] instanceof Tensor && (outs[i] as Tensor).requiresGrad);
    if (pos.length === 0) return out;
    const wrapped: Tensor[] = BackwardHookOutputs.apply(st, ...pos.map((i) => outs[i]));
    const res = [...outs];
    pos.forEach((i, k) => (res[i] = wrapped[k]));
    return out instanceof Tensor ? res[0] : res;
  };
  // NOTE: an own, non-enumerable property: module field discovery (parameters, children) ignores it.
  Object.defineProperty(module, "forward", { value: forward, writable: true, configurable: true, enumerable: false });
}

/** Whether a full backward hook was ever registered on `module` (its forward is then wrapped). */
export function hasFullBackwardHooks(module: Module): boolean {
  return HOOKS.has(module);
}

/** module.register_full_backward_hook(hook); the handle's remove() unregisters it. */
export function registerFullBackwardHook(module: Module, hook: FullBackwardHook): RemovableHandle {
  if (typeof hook !== "function") throw new TypeError("register_full_backward_hook(): hook must be a function");
  let hooks = HOOKS.get(module);
  if (hooks === undefined) {
    HOOKS.set(module, (hooks = []));
    wrapForward(module, hooks);
  }
  hooks.push(hook);
  const list = hooks;
  return {
    id: ++lastId,
    remove: () => {
      const i = list.indexOf(hook);
      if (i >= 0) list.splice(i, 1);
    },
  };
}
