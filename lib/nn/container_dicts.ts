// Keyed and listed containers: ModuleDict (named child modules), ParameterList and ParameterDict
// (parameters registered under "0", "1", ... or under their keys, so namedParameters() gives
// PyTorch's names). Keys are kept in insertion order in a private list; the entries themselves are
// own fields, which is how Module discovers children and parameters. Plain tensors given to the
// parameter containers become Parameters, as in PyTorch 1.13. ref: torch/nn/modules/container.py.
import { Tensor } from "../tensor.js";
import { Module, Parameter } from "./module.js";

type Entries<T> = Map<string, T> | Record<string, T> | Iterable<readonly [string, T]>;

function entriesOf<T>(owner: string, v: Entries<T> | null | undefined): [string, T][] {
  if (v === null || v === undefined) return [];
  if (v instanceof Map) return [...v];
  if (typeof (v as any)[Symbol.iterator] === "function") {
    return [...(v as Iterable<readonly [string, T]>)].map((e, i) => {
      if (!Array.isArray(e) || e.length !== 2) throw new TypeError(`${owner} update sequence element #${i} should be a [key, value] pair`);
      return [e[0], e[1]] as [string, T];
    });
  }
  if (typeof v === "object") return Object.entries(v as Record<string, T>);
  throw new TypeError(`${owner}.update should be called with an iterable of key/value pairs, but got ${typeof v}`);
}

const asParameter = (v: unknown): Parameter | null => {
  if (v === null) return null;
  if (v instanceof Parameter) return v;
  if (v instanceof Tensor) return new Parameter(v);
  throw new TypeError(`cannot assign '${typeof v}' object to a parameter (torch.nn.Parameter or None required)`);
};

/** The shared key bookkeeping of ModuleDict and ParameterDict. */
abstract class KeyedContainer<T> extends Module {
  #keys: string[] = [];
  protected abstract register(key: string, value: T): void;

  get(key: string): T {
    if (!this.#keys.includes(key)) throw new RangeError(`'${key}'`);
    return (this as any)[key];
  }
  set(key: string, value: T): this {
    this.register(key, value);
    if (!this.#keys.includes(key)) this.#keys.push(key);
    return this;
  }
  has(key: string): boolean {
    return this.#keys.includes(key);
  }
  pop(key: string): T {
    const v = this.get(key);
    this.#keys = this.#keys.filter((k) => k !== key);
    delete (this as any)[key];
    return v;
  }
  delete(key: string): boolean {
    if (!this.has(key)) return false;
    this.pop(key);
    return true;
  }
  clear(): void {
    for (const k of [...this.#keys]) this.pop(k);
  }
  keys(): string[] {
    return [...this.#keys];
  }
  values(): T[] {
    return this.#keys.map((k) => (this as any)[k]);
  }
  items(): [string, T][] {
    return this.#keys.map((k) => [k, (this as any)[k]]);
  }
  update(entries: Entries<T>): this {
    for (const [k, v] of entriesOf(this.constructor.name, entries)) this.set(k, v);
    return this;
  }
  override get length(): number {
    return this.#keys.length;
  }
  /** Iterates over the keys, as a Python dict does. */
  [Symbol.iterator](): Iterator<string> {
    return this.keys()[Symbol.iterator]();
  }
  forward(): never {
    throw new Error(`${this.constructor.name} has no forward: look its entries up and call them`);
  }
}

/** Named child modules: `new nn.ModuleDict({ enc: new nn.Linear(2, 3) })`, `d.get("enc")`. */
export class ModuleDict extends KeyedContainer<Module> {
  constructor(modules?: Entries<Module> | null) {
    super();
    this.update(modules ?? []);
  }
  protected register(key: string, value: Module): void {
    if (!(value instanceof Module)) throw new TypeError(`ModuleDict: ${typeof value} is not a Module subclass`);
    this.addModule(key, value);
  }
}

/** Named parameters: `new nn.ParameterDict({ scale: torch.ones(3) })`. */
export class ParameterDict extends KeyedContainer<Parameter | null> {
  constructor(parameters?: Entries<Tensor | null> | null) {
    super();
    this.update((parameters ?? []) as Entries<Parameter | null>);
  }
  protected register(key: string, value: Parameter | null): void {
    this.registerParameter(key, asParameter(value));
  }
}

/** Parameters registered as "0", "1", ...: `new nn.ParameterList([torch.randn(2, 2)])`. */
export class ParameterList extends Module {
  #n = 0;
  constructor(values?: Iterable<Tensor | null> | null) {
    super();
    this.extend(values ?? []);
  }
  append(value: Tensor | null): this {
    this.registerParameter(String(this.#n++), asParameter(value));
    return this;
  }
  extend(values: Iterable<Tensor | null>): this {
    for (const v of values) this.append(v);
    return this;
  }
  /** The i-th parameter; negative i counts from the end. */
  at(i: number): Parameter | null {
    const n = this.#n;
    if (!Number.isInteger(i) || i < -n || i >= n) throw new RangeError(`index ${i} is out of range`);
    return (this as any)[String(i < 0 ? i + n : i)];
  }
  override get length(): number {
    return this.#n;
  }
  [Symbol.iterator](): Iterator<Parameter | null> {
    return Array.from({ length: this.#n }, (_, i) => (this as any)[String(i)] as Parameter | null)[Symbol.iterator]();
  }
  forward(): never {
    throw new Error("ParameterList has no forward: iterate over it");
  }
}
