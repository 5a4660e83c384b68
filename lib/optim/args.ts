// Argument handling shared by the optimizers and schedulers: PyTorch's positional parameters in
// PyTorch's order, then one trailing options object with camelCase keys (the API convention), and
// type checks of hyperparameters against their defaults. Range checks (with PyTorch's messages)
// stay in each class. ref: torch/optim/*.py __init__ signatures (PyTorch 1.13).
import { Tensor } from "../tensor.js";

/** PyTorch's `required` sentinel: a hyperparameter every param group must give (SGD's lr). */
export const required: unique symbol = Symbol("required");
export type Required = typeof required;

/** `[a, b, c]` -> `[] | [a] | [a, b] | [a, b, c]`. */
type Prefixes<T extends readonly unknown[]> = T extends readonly [...infer Head, unknown] ? T | Prefixes<Head> : T;
type WithOptions<T, O> = T extends readonly unknown[] ? [...T, O?] : never;
/** Constructor arguments after the first: a prefix of the positional parameters, then options. */
export type PositionalThenOptions<P extends readonly unknown[], O> = WithOptions<Prefixes<P>, O>;

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v) || v instanceof Tensor) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** A short description of a value for error messages. */
export function describe(v: unknown): string {
  if (v === null) return "null";
  if (v instanceof Tensor) return "Tensor";
  if (Array.isArray(v)) return `array [${v.map((x) => (typeof x === "number" ? String(x) : typeof x)).join(", ")}]`;
  if (typeof v === "string") return `string "${v}"`;
  if (typeof v === "object") return (v as object).constructor?.name ?? "object";
  return `${typeof v} ${String(v)}`;
}

function snakeToCamel(k: string): string {
  return k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** A hint for a misspelt option: PyTorch's snake_case spelling, or the list of valid names. */
export function unknownOptionHint(key: string, allowed: Iterable<string>): string {
  const names = [...allowed];
  const camel = snakeToCamel(key);
  if (camel !== key && names.includes(camel)) return ` (options are camelCase: did you mean "${camel}"?)`;
  return ` (valid options: ${names.join(", ")})`;
}

/**
 * Splits `args` into named values. `positional` lists the parameters that may be given
 * positionally, in PyTorch's order; `keywordOnly` those that may only be given in the options
 * object. An option that is `undefined` counts as not given.
 */
export function parseArgs(
  fn: string,
  positional: readonly string[],
  args: readonly unknown[],
  keywordOnly: readonly string[] = [],
): Record<string, unknown> {
  let pos = args;
  let opts: Record<string, unknown> = {};
  const last = args[args.length - 1];
  if (args.length > 0 && isPlainObject(last)) {
    opts = last;
    pos = args.slice(0, -1);
  }
  if (pos.length > positional.length) {
    throw new TypeError(
      `${fn}: takes at most ${positional.length} positional arguments after the first (${positional.join(", ")}) but ${pos.length} were given; pass the rest in one options object`,
    );
  }
  const out: Record<string, unknown> = {};
  pos.forEach((v, i) => {
    if (isPlainObject(v)) throw new TypeError(`${fn}: the options object must be the last argument`);
    if (v !== undefined) out[positional[i]] = v;
  });
  const allowed = new Set([...positional, ...keywordOnly]);
  for (const [k, v] of Object.entries(opts)) {
    if (!allowed.has(k)) throw new TypeError(`${fn}: unknown option "${k}"${unknownOptionHint(k, allowed)}`);
    if (v === undefined) continue;
    if (k in out) throw new TypeError(`${fn}: got multiple values for argument '${k}'`);
    out[k] = v;
  }
  return out;
}

/**
 * Checks that `value` has the type of the hyperparameter's default: a number (not NaN) for numeric
 * defaults, a boolean for flags, `null` or a boolean for `foreach`, two numbers for `betas`.
 */
export function checkHyperType(where: string, key: string, value: unknown, dflt: unknown): void {
  let ok: boolean;
  let want: string;
  if (typeof dflt === "number" || dflt === required) {
    ok = typeof value === "number" && !Number.isNaN(value);
    want = "a number";
  } else if (typeof dflt === "boolean") {
    ok = typeof value === "boolean";
    want = "a boolean";
  } else if (dflt === null) {
    ok = value === null || typeof value === "boolean";
    want = "null or a boolean";
  } else if (Array.isArray(dflt)) {
    ok = Array.isArray(value) && value.length === dflt.length && value.every((x) => typeof x === "number" && !Number.isNaN(x));
    want = `an array of ${dflt.length} numbers`;
  } else {
    return;
  }
  if (!ok) throw new TypeError(`${where}: ${key} must be ${want}, got ${describe(value)}`);
}

/** The defaults with the given values filled in (key order: the defaults', which is PyTorch's). */
export function resolveHyper<H extends Record<string, unknown>>(fn: string, defaults: H, given: Record<string, unknown>): H {
  const out: Record<string, unknown> = {};
  for (const [k, d] of Object.entries(defaults)) {
    const v = k in given ? given[k] : d;
    if (v !== required) checkHyperType(fn, k, v, d);
    out[k] = Array.isArray(v) ? [...v] : v;
  }
  return out as H;
}

/** `String(x)` for error messages, the way Python's format() shows a float argument. */
export function fmt(x: unknown): string {
  return Array.isArray(x) ? `(${x.map(fmt).join(", ")})` : String(x);
}

/** Node's warning channel, once per message (Python's default warnings filter shows each once). */
const warned = new Set<string>();
export function warnOnce(message: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  process.emitWarning(message, "UserWarning");
}
