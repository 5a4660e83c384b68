// Containers: Sequential (children run in order, named "0", "1", ...) and ModuleList (an indexable
// list of registered modules with no forward of its own). Children are own fields with integer
// names, so parameter names come out as PyTorch's (`0.weight`) and `seq[0]` works.
// ref: torch/nn/modules/container.py (PyTorch 1.13).
import { Module } from "./module.js";
import { isOptions } from "./args.js";
import { convBn, convBnPair } from "./conv_bn.js";

function checkModule(owner: string, m: unknown, i: number): Module {
  if (!(m instanceof Module)) {
    throw new TypeError(`${owner}: argument ${i} is not a Module subclass (got ${m === null ? "null" : typeof m})`);
  }
  return m;
}

/** Modules indexed 0..n-1 as own fields; the shared part of Sequential and ModuleList. */
abstract class IndexedModules extends Module {
  [index: number]: Module;

  /** Every child field in order, repeats included (children() lists a shared module once). */
  protected items(): Module[] {
    return Object.values(this).filter((v): v is Module => v instanceof Module);
  }
  override get length(): number {
    return this.items().length;
  }
  /** The i-th child; negative i counts from the end. */
  at(i: number): Module {
    const n = this.length;
    if (!Number.isInteger(i) || i < -n || i >= n) throw new RangeError(`index ${i} is out of range`);
    return (this as any)[String(i < 0 ? i + n : i)];
  }
  append(module: Module): this {
    (this as any)[String(this.length)] = checkModule(this.constructor.name, module, this.length);
    return this;
  }
  extend(modules: Iterable<Module>): this {
    for (const m of modules) this.append(m);
    return this;
  }
  [Symbol.iterator](): Iterator<Module> {
    return this.items()[Symbol.iterator]();
  }
}

/**
 * Runs its children in order: `new nn.Sequential(new nn.Flatten(), new nn.Linear(784, 512), ...)`.
 * A Map of name -> module gives named children (PyTorch's OrderedDict form).
 */
export class Sequential extends IndexedModules {
  constructor(...modules: (Module | Map<string, Module>)[]);
  constructor(...args: unknown[]) {
    super();
    // NOTE: a trailing empty options object (what generic callers pass for "no kwargs") is accepted.
    if (args.length && isOptions(args[args.length - 1])) {
      const opts = args.pop() as object;
      if (Object.keys(opts).length) throw new TypeError(`Sequential() got an unexpected keyword argument '${Object.keys(opts)[0]}'`);
    }
    if (args.length === 1 && args[0] instanceof Map) {
      for (const [name, m] of args[0]) this.addModule(String(name), checkModule("Sequential", m, 0));
    } else {
      args.forEach((m, i) => ((this as any)[String(i)] = checkModule("Sequential", m, i)));
    }
  }
  forward(input: any): any {
    const items = this.items();
    for (let i = 0; i < items.length; i++) {
      // NOTE: a Conv2d then a BatchNorm2d under noGrad may normalize in place (conv_bn.ts: only
      // where neither child has a hook or is a subclass, so nothing can tell).
      if (convBnPair(items[i], items[i + 1])) input = convBn(items[i], items[++i], input);
      else input = items[i](input); // the call path: each child's hooks run
    }
    return input;
  }
}

/** A list of modules whose parameters are registered (a plain array field would not be). */
export class ModuleList extends IndexedModules {
  constructor(modules: Iterable<Module> = []) {
    super();
    let i = 0;
    for (const m of modules) (this as any)[String(i)] = checkModule("ModuleList", m, i++);
  }
  insert(index: number, module: Module): this {
    const items = this.items();
    const n = items.length;
    const at = Math.min(Math.max(index < 0 ? index + n : index, 0), n);
    items.splice(at, 0, checkModule("ModuleList", module, at));
    items.forEach((m, i) => ((this as any)[String(i)] = m));
    return this;
  }
  forward(): never {
    throw new Error("ModuleList has no forward: iterate over it and call each module's forward");
  }
}
