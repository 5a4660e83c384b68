// PyTorch's calling convention in TS: positional parameters in PyTorch's order, then one trailing
// options object with camelCase keys, where every parameter may also be given. Also the Python-style
// reprs (True, 0.5, 1e-05, torch.Size([3])) that module printing and error messages quote.
// ref: the API conventions in /tmp/api.md; Python's float repr for number formatting.
import { Tensor } from "../tensor.js";
import { scalarTypeName } from "../dtype.js";

export type Options = Record<string, unknown>;

/** A plain `{...}` object (not a Tensor, array, Map or other class instance). */
export function isOptions(v: unknown): v is Options {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * Binds `args` to `names` like a Python call: positionals first, then a trailing options object.
 * Parameters missing from `defaults` are required. Unknown or doubly given options throw.
 */
export function parseArgs<T extends Options>(fn: string, args: readonly unknown[], names: readonly string[], defaults: Options): T {
  // NOTE: indexes into args instead of copying it: every functional call (F.relu, losses, ...)
  // passes here, most with positionals only.
  let end = args.length; // positionals are args[0 .. end)
  let opts: Options | null = null;
  if (end > 0 && isOptions(args[end - 1])) opts = args[--end] as Options;
  while (end > 0 && args[end - 1] === undefined) end--;
  if (end > names.length) {
    throw new TypeError(`${fn}() takes at most ${names.length} positional argument(s) but ${end} were given`);
  }
  const out: Options = {};
  for (let i = 0; i < end; i++) if (args[i] !== undefined) out[names[i]] = args[i];
  if (opts !== null) for (const [key, v] of Object.entries(opts)) {
    if (!names.includes(key)) {
      const hint = names.includes(camel(key)) ? ` (options use camelCase: "${camel(key)}")` : "";
      throw new TypeError(`${fn}() got an unexpected keyword argument '${key}'${hint}`);
    }
    if (v === undefined) continue;
    if (key in out) throw new TypeError(`${fn}() got multiple values for argument '${key}'`);
    out[key] = v;
  }
  for (const name of names) {
    if (name in out) continue;
    if (!(name in defaults)) throw new TypeError(`${fn}() missing required argument '${name}'`);
    out[name] = defaults[name];
  }
  return out as T;
}

/** Python's repr of a float: 0.5, 1.0, 1e-05, inf, nan. */
export function pyFloat(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  // NOTE: JS and Python both print the shortest round-trip digits; they differ only in when they
  // switch to exponent form (Python: exponent < -4 or >= 16, so 1e-05 where JS writes 0.00001).
  const [mantissa, expText] = x.toExponential().split("e");
  const exp = Number(expText);
  if (exp < -4 || exp >= 16) return `${mantissa}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  const s = x.toString(); // positional in JS too for these exponents
  return s.includes(".") ? s : `${s}.0`;
}

/** Python's repr of a scalar value as PyTorch module reprs show it; an array prints as a tuple. */
export function pyRepr(v: unknown): string {
  if (Array.isArray(v)) return pyTuple(v);
  if (v === null || v === undefined) return "None";
  if (typeof v === "boolean") return v ? "True" : "False";
  if (typeof v === "string") return `'${v}'`;
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : pyFloat(v);
  return String(v);
}

/** An int or a tuple of `n` ints (a 1-tuple repeats) as a list of `n`: PyTorch's _single/_pair. */
export function ntuple(v: unknown, n: number, fn: string, name: string): number[] {
  const arr = typeof v === "number" ? Array(n).fill(v) : Array.isArray(v) && v.length === 1 ? Array(n).fill(v[0]) : v;
  if (!Array.isArray(arr) || arr.length !== n || arr.some((e) => !Number.isInteger(e))) {
    throw new TypeError(`${fn}(): argument '${name}' must be an int or a tuple of ${n} ints, not ${JSON.stringify(v)}`);
  }
  return arr as number[];
}

/** Python's tuple repr, (3,) and (3, 4), each element printed by `item`. */
export function pyTuple(v: readonly unknown[], item: (e: any) => string = pyRepr): string {
  const items = v.map((e) => item(e));
  return items.length === 1 ? `(${items[0]},)` : `(${items.join(", ")})`;
}

/** `torch.Size([3, 4])`, as PyTorch's messages print shapes. */
export function torchSize(shape: readonly number[]): string {
  return `torch.Size([${shape.join(", ")}])`;
}

/** PyTorch's name for a dtype in error messages: Float, Long, Bool. */
export { scalarTypeName };

export function checkTensor(fn: string, name: string, v: unknown, position?: number): Tensor {
  if (!(v instanceof Tensor)) {
    const got = v === null ? "NoneType" : Array.isArray(v) ? "list" : typeof v;
    throw new TypeError(`${fn}(): argument '${name}'${position ? ` (position ${position})` : ""} must be Tensor, not ${got}`);
  }
  return v;
}

export function checkOptionalTensor(fn: string, name: string, v: unknown): Tensor | null {
  return v === null || v === undefined ? null : checkTensor(fn, name, v);
}

export function checkNumber(fn: string, name: string, v: unknown): number {
  if (typeof v !== "number" || Number.isNaN(v)) throw new TypeError(`${fn}(): argument '${name}' must be a number, not ${typeof v === "number" ? "NaN" : typeof v}`);
  return v;
}

export function checkInt(fn: string, name: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isInteger(v)) throw new TypeError(`${fn}(): argument '${name}' must be an integer, not ${String(v)}`);
  return v;
}

export function checkBool(fn: string, name: string, v: unknown): boolean {
  if (typeof v !== "boolean") throw new TypeError(`${fn}(): argument '${name}' must be a boolean, not ${typeof v}`);
  return v;
}
