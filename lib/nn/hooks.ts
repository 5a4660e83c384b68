// Forward hooks of nn.Module, run by the module call path (`model(x)`, not `model.forward(x)`):
// pre-hooks see the arguments and may replace them, forward hooks see arguments and output and may
// replace the output. Registering returns a handle whose remove() unregisters. Not here: global
// hooks, with_kwargs, backward hooks. ref: torch/nn/modules/module.py (_call_impl) and
// torch/utils/hooks.py (RemovableHandle), PyTorch 1.13.

import type { RemovableHandle as Handle } from "../autograd/node.js";

let nextHookId = 0;

/** PyTorch's RemovableHandle: `handle.remove()` unregisters the hook (again: nothing happens). */
export class RemovableHandle implements Handle {
  /** Unique among all hooks of the process. */
  readonly id = nextHookId++;
  readonly #hooks: Map<number, unknown>;

  constructor(hooks: Map<number, unknown>) {
    this.#hooks = hooks;
  }
  remove(): void {
    this.#hooks.delete(this.id);
  }
}

/** Registers `hook` in `hooks` (run in registration order) and returns its handle. */
export function addHook<H>(hooks: Map<number, H>, hook: H, kind: string): RemovableHandle {
  if (typeof hook !== "function") throw new TypeError(`${kind}: hook must be a function, got ${hook === null ? "null" : typeof hook}`);
  const handle = new RemovableHandle(hooks as Map<number, unknown>);
  hooks.set(handle.id, hook);
  return handle;
}

/** A forward pre-hook: undefined or null keeps the arguments; an array replaces them; any other value
 *  becomes the single argument (PyTorch wraps a non-tuple result in a tuple). */
export type ForwardPreHook<M = any> = (module: M, args: any[]) => unknown;
/** A forward hook: undefined (or null, Python's None) keeps the output; any other value replaces it. */
export type ForwardHook<M = any> = (module: M, args: any[], output: any) => unknown;

export function runPreHooks(module: unknown, hooks: Map<number, ForwardPreHook>, args: any[]): any[] {
  // NOTE: a snapshot, as PyTorch iterates over a tuple of the hooks: adding or removing hooks
  // inside a hook takes effect from the next call.
  for (const hook of [...hooks.values()]) {
    const result = hook(module, args);
    if (result !== undefined && result !== null) args = Array.isArray(result) ? result : [result];
  }
  return args;
}

export function runForwardHooks(module: unknown, hooks: Map<number, ForwardHook>, args: any[], output: unknown): unknown {
  for (const hook of [...hooks.values()]) {
    const result = hook(module, args, output);
    if (result !== undefined && result !== null) output = result;
  }
  return output;
}
