// The argument checks every learning-rate scheduler shares (lr_scheduler.ts, lr_scheduler_more.ts).
import { Optimizer } from "./optimizer.js";
import { describe } from "./args.js";

export function checkOptimizer(name: string, optimizer: unknown): Optimizer {
  if (!(optimizer instanceof Optimizer)) throw new TypeError(`${name}: ${describe(optimizer)} is not an Optimizer`);
  return optimizer;
}

export function num(name: string, key: string, v: unknown): number {
  if (typeof v !== "number" || Number.isNaN(v)) throw new TypeError(`${name}: ${key} must be a number, got ${describe(v)}`);
  return v;
}

export function need(name: string, key: string, o: Record<string, unknown>): unknown {
  if (!(key in o)) throw new TypeError(`${name}: missing required argument '${key}'`);
  return o[key];
}

/** Python's `a % b` (the result has the sign of b). */
export function pyMod(a: number, b: number): number {
  return ((a % b) + b) % b;
}

/** lastEpoch and verbose, which every epoch-based scheduler takes last. */
export type Common = { lastEpoch?: number; verbose?: boolean };
export const COMMON = ["lastEpoch", "verbose"];

export function commonArgs(name: string, o: Record<string, unknown>): [number, boolean] {
  const lastEpoch = o.lastEpoch === undefined ? -1 : num(name, "lastEpoch", o.lastEpoch);
  const verbose = o.verbose === undefined ? false : o.verbose;
  if (typeof verbose !== "boolean") throw new TypeError(`${name}: verbose must be a boolean, got ${describe(verbose)}`);
  return [lastEpoch, verbose];
}

/** One value per param group: an array of that length, or one value repeated (PyTorch's _format_param). */
export function perGroup(name: string, optimizer: Optimizer, value: unknown): number[] {
  const n = optimizer.paramGroups.length;
  if (Array.isArray(value)) {
    if (value.length !== n) throw new RangeError(`expected ${n} values for ${name}, got ${value.length}`);
    return value.map((v, i) => num(name, `${name}[${i}]`, v));
  }
  return Array.from({ length: n }, () => num(name, name, value));
}
