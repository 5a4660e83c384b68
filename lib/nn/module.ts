// nn.Module and nn.Parameter: a module's parameters, buffers and child modules are discovered from
// its own fields in definition order (no registration calls needed), giving PyTorch's names
// (`linear_relu_stack.0.weight`), state dicts, train/eval, zeroGrad and the printed repr. Modules
// are callable: `model(x)` runs forward pre-hooks, forward and forward hooks (lib/nn/hooks.ts).
// Not here: backward hooks, devices other than "cpu".
// ref: torch/nn/modules/module.py (PyTorch 1.13).
import { inspect } from "../inspect_custom.js";
import { Tensor } from "../tensor.js";
import { noGrad } from "../autograd/grad_mode.js";
import { registerFullBackwardHook, type FullBackwardHook } from "../autograd/module_hooks.js";
import type { RemovableHandle } from "../autograd/node.js";
import { checkBool, isOptions, parseArgs, torchSize } from "./args.js";
import { CALL, CallableInstance } from "./callable.js";
import { addHook, runForwardHooks, runPreHooks, type ForwardHook, type ForwardPreHook } from "./hooks.js";
import { Device, deviceUnavailable, type DeviceLike } from "../device.js";
import { parseTo, type ToOptions } from "../ops/to.js";
import { getDefaultDtype, isFloating } from "../dtype.js";

/** A tensor that is a module parameter: a leaf with requiresGrad true (PyTorch's nn.Parameter). */
export class Parameter extends Tensor {
  /** `new nn.Parameter(t)` shares t's storage; `{ requiresGrad: false }` makes a frozen parameter. */
  constructor(data?: Tensor, requiresGrad?: boolean | { requiresGrad?: boolean });
  constructor(...args: unknown[]) {
    const a = parseArgs<{ data: Tensor | null; requiresGrad: boolean }>("Parameter", args, ["data", "requiresGrad"], { data: null, requiresGrad: true });
    const t = a.data ?? Tensor.empty([0], getDefaultDtype());
    if (!(t instanceof Tensor)) throw new TypeError(`Parameter(): data must be a Tensor, not ${typeof t}`);
    super(t.typedArray, t.shape, t.strides, t.offset);
    this.requiresGrad = checkBool("Parameter", "requiresGrad", a.requiresGrad);
  }
  override toString(): string {
    return `Parameter containing:\n${super.toString()}`;
  }
  override [inspect.custom](): string {
    return this.toString();
  }
}

export interface LoadResult {
  missingKeys: string[];
  unexpectedKeys: string[];
}

/** Indents every line but the first (PyTorch's _addindent). */
function addIndent(s: string, spaces: number): string {
  const lines = s.split("\n");
  return lines.length === 1 ? s : [lines[0], ...lines.slice(1).map((l) => " ".repeat(spaces) + l)].join("\n");
}

function checkName(kind: string, name: unknown, owner: Module): string {
  if (typeof name !== "string") throw new TypeError(`${kind} name should be a string. Got ${typeof name}`);
  if (name.includes(".")) throw new Error(`${kind} name can't contain "."`);
  if (name === "") throw new Error(`${kind} name can't be empty string ""`);
  const v = (owner as any)[name];
  if (name in owner && typeof v === "function" && !(v instanceof Module)) throw new Error(`attribute '${name}' already exists`);
  return name;
}

/** A module is callable with its forward's parameters: `model(X)`, `lossFn(pred, y)`. */
export interface Module {
  (...args: Parameters<this["forward"]>): ReturnType<this["forward"]>;
}

/**
 * Base class of all modules. Subclass it, assign parameters and submodules to fields, and
 * implement forward. Call a module as PyTorch does, `model(x)`, which runs its hooks around
 * `forward`; `model.forward(x)` runs forward alone.
 */
export abstract class Module extends CallableInstance {
  /** Train mode (true) or eval mode (false): read by Dropout and friends. */
  training = true;
  /** name -> persistent, for tensors registered with registerBuffer (plain fields aren't buffers). */
  #buffers = new Map<string, boolean>();

  abstract forward(...args: any[]): any;

  // ---- calling and hooks ----

  /** Forward (pre-)hooks by handle id; null until the first is registered. */
  #forwardPreHooks: Map<number, ForwardPreHook> | null = null;
  #forwardHooks: Map<number, ForwardHook> | null = null;

  /** `model(...args)`: pre-hooks, then this.forward(...args), then forward hooks (PyTorch's _call_impl). */
  protected [CALL](args: any[]): unknown {
    if (this.#forwardPreHooks !== null) args = runPreHooks(this, this.#forwardPreHooks, args);
    const output = this.forward(...args);
    return this.#forwardHooks === null ? output : runForwardHooks(this, this.#forwardHooks, args, output);
  }

  /** @internal Whether a call of this module runs any forward (pre-)hook: a hook sees the call's
   *  tensors, so a caller that would reuse them in place must not bypass or assume it. */
  get hasForwardHooks(): boolean {
    return (this.#forwardPreHooks?.size ?? 0) > 0 || (this.#forwardHooks?.size ?? 0) > 0;
  }

  /** hook(module, args) runs before each call's forward; a non-undefined result replaces the
   *  arguments (an array: all of them; another value: the single argument). */
  registerForwardPreHook(hook: (module: this, args: any[]) => unknown): RemovableHandle {
    return addHook((this.#forwardPreHooks ??= new Map()), hook as ForwardPreHook, "registerForwardPreHook");
  }

  /** hook(module, args, output) runs after each call's forward; a non-undefined result replaces the output. */
  registerForwardHook(hook: (module: this, args: any[], output: ReturnType<this["forward"]>) => unknown): RemovableHandle {
    return addHook((this.#forwardHooks ??= new Map()), hook as ForwardHook, "registerForwardHook");
  }

  // ---- registration ----

  /** hook(module, gradInput, gradOutput) runs when the gradients with respect to this module's
   *  tensor inputs are computed; it may return new gradInput (PyTorch's register_full_backward_hook). */
  registerFullBackwardHook(hook: FullBackwardHook): RemovableHandle {
    return registerFullBackwardHook(this, hook);
  }

  /** Adds a tensor that is state but not a parameter (saved in stateDict unless persistent is false). */
  registerBuffer(name: string, tensor: Tensor | null, persistent: boolean | { persistent?: boolean } = true): void {
    const p = isOptions(persistent) ? (persistent.persistent ?? true) : persistent;
    checkName("buffer", name, this);
    const existing = (this as any)[name];
    // NOTE: a declared-but-unset TS field (undefined) may become a buffer; a parameter or module may not.
    if (!this.#buffers.has(name) && (existing instanceof Parameter || existing instanceof Module)) {
      throw new Error(`attribute '${name}' already exists`);
    }
    if (tensor !== null && !(tensor instanceof Tensor)) {
      throw new TypeError(`cannot assign '${typeof tensor}' object to buffer '${name}' (torch Tensor or None required)`);
    }
    (this as any)[name] = tensor;
    this.#buffers.set(name, checkBool("registerBuffer", "persistent", p));
  }

  /** Same as assigning a Parameter (or null) to the field `name`. */
  registerParameter(name: string, param: Parameter | null): void {
    checkName("parameter", name, this);
    if (param !== null && !(param instanceof Parameter)) {
      throw new TypeError(`cannot assign '${typeof param}' object to parameter '${name}' (torch.nn.Parameter or None required)`);
    }
    (this as any)[name] = param;
  }

  /** Same as assigning a Module (or null) to the field `name`. */
  addModule(name: string, module: Module | null): void {
    checkName("module", name, this);
    if (module !== null && !(module instanceof Module)) throw new TypeError(`${typeof module} is not a Module subclass`);
    (this as any)[name] = module;
  }
  registerModule(name: string, module: Module | null): void {
    this.addModule(name, module);
  }

  // ---- discovery (own fields, definition order) ----

  #ownParameters(): [string, Parameter][] {
    return Object.entries(this).filter((e): e is [string, Parameter] => e[1] instanceof Parameter && !this.#buffers.has(e[0]));
  }
  #ownBuffers(persistentOnly: boolean): [string, Tensor][] {
    return [...this.#buffers]
      .filter(([name, persistent]) => (this as any)[name] instanceof Tensor && (persistent || !persistentOnly))
      .map(([name]) => [name, (this as any)[name] as Tensor]);
  }

  /** Direct submodules with their field names. */
  namedChildren(): [string, Module][] {
    const seen = new Set<Module>();
    return Object.entries(this).filter((e): e is [string, Module] => {
      if (!(e[1] instanceof Module) || seen.has(e[1])) return false;
      seen.add(e[1]);
      return true;
    });
  }
  children(): Module[] {
    return this.namedChildren().map(([, m]) => m);
  }

  /** This module and every descendant, pre-order, each once; the root's name is "". */
  namedModules(prefix = ""): [string, Module][] {
    const out: [string, Module][] = [];
    const seen = new Set<Module>();
    const stack: [string, Module][] = [[prefix, this]];
    while (stack.length) {
      const [name, m] = stack.pop()!;
      if (seen.has(m)) continue;
      seen.add(m);
      out.push([name, m]);
      const kids = Object.entries(m).filter((e): e is [string, Module] => e[1] instanceof Module);
      for (let i = kids.length - 1; i >= 0; i--) stack.push([name ? `${name}.${kids[i][0]}` : kids[i][0], kids[i][1]]);
    }
    return out;
  }
  modules(): Module[] {
    return this.namedModules().map(([, m]) => m);
  }

  /** Every parameter with its dotted name (`0.weight`), each tensor once; recurse=false: own only. */
  namedParameters(prefix = "", recurse = true): [string, Parameter][] {
    const mods: [string, Module][] = recurse ? this.namedModules(prefix) : [[prefix, this]];
    const seen = new Set<Parameter>();
    const out: [string, Parameter][] = [];
    for (const [mname, m] of mods) {
      for (const [pname, p] of m.#ownParameters()) {
        if (seen.has(p)) continue;
        seen.add(p);
        out.push([mname ? `${mname}.${pname}` : pname, p]);
      }
    }
    return out;
  }
  parameters(recurse = true): Parameter[] {
    return this.namedParameters("", recurse).map(([, p]) => p);
  }

  namedBuffers(prefix = "", recurse = true): [string, Tensor][] {
    const mods: [string, Module][] = recurse ? this.namedModules(prefix) : [[prefix, this]];
    const seen = new Set<Tensor>();
    const out: [string, Tensor][] = [];
    for (const [mname, m] of mods) {
      for (const [bname, b] of m.#ownBuffers(false)) {
        if (seen.has(b)) continue;
        seen.add(b);
        out.push([mname ? `${mname}.${bname}` : bname, b]);
      }
    }
    return out;
  }
  buffers(recurse = true): Tensor[] {
    return this.namedBuffers("", recurse).map(([, b]) => b);
  }

  // ---- modes and gradients ----

  /** Sets train mode on this module and every descendant; returns this. */
  train(mode = true): this {
    if (typeof mode !== "boolean") throw new TypeError("training mode is expected to be boolean");
    for (const m of this.modules()) m.training = mode;
    return this;
  }
  eval(): this {
    return this.train(false);
  }

  /**
   * Resets every parameter's .grad. NOTE: PyTorch 1.13 semantics by default: existing grads are
   * zeroed in place (they stay tensors); `{ setToNone: true }` sets them to null as PyTorch >= 2.0 does.
   */
  zeroGrad(opts: { setToNone?: boolean } | boolean = {}): void {
    const setToNone = typeof opts === "boolean" ? opts : (opts.setToNone ?? false);
    for (const p of this.parameters()) {
      if (p.grad === null) continue;
      if (setToNone) p.grad = null;
      else {
        const g = p.grad.gradFn ? p.grad.detach() : p.grad;
        if (g.requiresGrad) g.requiresGrad = false;
        p.grad = noGrad(() => g.zero_());
      }
    }
  }

  /** Sets requiresGrad on every parameter (freezing with false); returns this. */
  requiresGrad_(requiresGrad = true): this {
    for (const p of this.parameters()) p.requiresGrad_(requiresGrad);
    return this;
  }

  /** Calls fn on every descendant (children first), then on this module; returns this. */
  apply(fn: (m: Module) => void): this {
    for (const c of this.children()) c.apply(fn);
    fn(this);
    return this;
  }

  /** `model.to(device)`, `.to(torch.float64)`, `.to(device, dtype)`, `.to(tensor)`, `.to({ device, dtype })`:
   *  converts every floating parameter and buffer to a floating dtype in place (integer buffers
   *  stay), as PyTorch; devices other than the CPU throw. */
  to(dtypeOrDevice: string | DeviceLike | Tensor | null, opts?: ToOptions): this;
  to(device: DeviceLike | null, dtype: string | null, opts?: ToOptions): this;
  to(opts?: ToOptions): this;
  to(...args: unknown[]): this {
    const { dtype } = parseTo(args, "Module.to");
    if (dtype !== null && !isFloating(dtype)) {
      throw new TypeError(`nn.Module.to only accepts floating point or complex dtypes, but got desired dtype=torch.${dtype}`);
    }
    if (dtype !== null) for (const t of [...this.parameters(), ...this.buffers()]) if (isFloating(t.dtype)) t._castStorage(dtype);
    return this;
  }
  double(): this {
    return this.to("float64");
  }
  float(): this {
    return this.to("float32");
  }
  half(): this {
    return this.to("float16");
  }
  bfloat16(): this {
    return this.to("bfloat16");
  }
  cpu(): this {
    return this;
  }
  /** Throws: torchlet runs on the CPU only. */
  cuda(): never {
    throw deviceUnavailable(new Device("cuda"), "Module.cuda");
  }

  // ---- state dicts ----

  /** name -> tensor for every parameter and persistent buffer (PyTorch's key names and order).
   *  The tensors share storage with the module (detached unless keepVars). */
  stateDict(opts: { prefix?: string; keepVars?: boolean } = {}): Record<string, Tensor> {
    const out: Record<string, Tensor> = {};
    this.#saveTo(out, opts.prefix ?? "", opts.keepVars ?? false);
    return out;
  }
  #saveTo(out: Record<string, Tensor>, prefix: string, keepVars: boolean): void {
    for (const [name, t] of [...this.#ownParameters(), ...this.#ownBuffers(true)]) out[prefix + name] = keepVars ? t : t.detach();
    for (const [name, child] of this.namedChildren()) child.#saveTo(out, `${prefix}${name}.`, keepVars);
  }

  /**
   * Copies tensors from a state dict into this module's parameters and buffers. strict (default):
   * missing or unexpected keys throw PyTorch's "Error(s) in loading state_dict for X" error.
   * A shape mismatch always throws. Returns the missing and unexpected keys.
   */
  loadStateDict(stateDict: Record<string, Tensor> | Map<string, Tensor>, opts: { strict?: boolean } = {}): LoadResult {
    const strict = opts.strict ?? true;
    const sd = stateDict instanceof Map ? stateDict : new Map(Object.entries(stateDict ?? {}));
    if (!(stateDict instanceof Map) && !isOptions(stateDict)) {
      throw new TypeError(`Expected state_dict to be dict-like, got ${typeof stateDict}.`);
    }
    const missingKeys: string[] = [];
    const unexpectedKeys: string[] = [];
    const errors: string[] = [];
    const load = (m: Module, prefix: string) => {
      // A lazy module (lazy.ts) first materializes its uninitialized parameters with the checkpoint's shapes.
      (m as { _lazyLoadHook?: (sd: Map<string, Tensor>, prefix: string) => void })._lazyLoadHook?.(sd as Map<string, Tensor>, prefix);
      const local = [...m.#ownParameters(), ...m.#ownBuffers(true)];
      for (const [name, t] of local) {
        const key = prefix + name;
        if (!sd.has(key)) {
          missingKeys.push(key);
          continue;
        }
        let src: unknown = sd.get(key);
        if (!(src instanceof Tensor)) {
          errors.push(`While copying the parameter named "${key}", expected torch.Tensor or Tensor-like object from checkpoint but received ${typeof src}`);
          continue;
        }
        // NOTE: PyTorch's backward-compatibility rule: a 1-element 1-D tensor loads into a 0-d one.
        if (t.ndim === 0 && src.ndim === 1) src = src.index(0);
        const s = src as Tensor;
        if (s.ndim !== t.ndim || s.shape.some((d, i) => d !== t.shape[i])) {
          errors.push(`size mismatch for ${key}: copying a param with shape ${torchSize(s.shape)} from checkpoint, the shape in current model is ${torchSize(t.shape)}.`);
          continue;
        }
        noGrad(() => t.copy_(s));
      }
      // NOTE: unexpected keys are collected even when not strict (PyTorch returns them either way).
      const kids = new Set(m.namedChildren().map(([n]) => n));
      const names = new Set(local.map(([n]) => n));
      for (const key of sd.keys()) {
        if (!key.startsWith(prefix)) continue;
        const first = key.slice(prefix.length).split(".", 1)[0];
        if (!kids.has(first) && !names.has(first)) unexpectedKeys.push(key);
      }
      for (const [name, child] of m.namedChildren()) load(child, `${prefix}${name}.`);
    };
    load(this, "");
    if (strict) {
      const quoted = (ks: string[]) => ks.map((k) => `"${k}"`).join(", ");
      if (unexpectedKeys.length) errors.unshift(`Unexpected key(s) in state_dict: ${quoted(unexpectedKeys)}. `);
      if (missingKeys.length) errors.unshift(`Missing key(s) in state_dict: ${quoted(missingKeys)}. `);
    }
    if (errors.length) throw new Error(`Error(s) in loading state_dict for ${this.constructor.name}:\n\t${errors.join("\n\t")}`);
    return { missingKeys, unexpectedKeys };
  }

  // ---- printing ----

  /** The text inside the parentheses of this module's repr, e.g. "in_features=4, out_features=3, bias=True". */
  extraRepr(): string {
    return "";
  }

  /** PyTorch's module repr: `Name(extra)` or a nested, indented list of `(name): Child(...)`. */
  override toString(): string {
    const extra = this.extraRepr();
    const extraLines = extra ? extra.split("\n") : [];
    const childLines = this.namedChildren().map(([name, m]) => `(${name}): ${addIndent(m.toString(), 2)}`);
    const lines = [...extraLines, ...childLines];
    let s = `${this.constructor.name}(`;
    if (lines.length) s += extraLines.length === 1 && childLines.length === 0 ? extraLines[0] : `\n  ${lines.join("\n  ")}\n`;
    return `${s})`;
  }
  [inspect.custom](): string {
    return this.toString();
  }
}
