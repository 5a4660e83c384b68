// Kind 1: `torch.f(*args, **kwargs)`, `args[0].f(*args[1:], **kwargs)` and `F.f(...)` through
// torchlet's API. A signature table maps PyTorch's parameters to ours: positional ones stay
// positional in PyTorch's order, keyword-only ones go into one trailing camelCase options object.
// ref: FORMAT.md section 1; the API conventions of lib/tensor.ts and lib/functional.ts.
import * as torch from "../../../lib/index.js";
import type { Tensor } from "../../../lib/index.js";
import { compareOut, compareUnorderedTies } from "../compare.js";
import { skip, type Case } from "../types.js";
import { camel, decodeWithLeaves, isJsonTensor } from "../values.js";
import { backwardFrom, compareGrads, expectThrow, namespace } from "./common.js";
import { SIGNATURES } from "./signatures/index.js";
import { parseDType } from "../../../lib/dtype.js";


/** Python dunder / snake names whose torchlet spelling isn't plain camelCase. */
const RENAMES: Record<string, string> = { __matmul__: "matmul" };

/** Arranges the remaining positional args and kwargs as torchlet expects them. */
function bindArgs(op: string, key: string, name: string, rest: any[], kwargs: Record<string, any>): any[] {
  const sig = SIGNATURES[key] ?? SIGNATURES[name];
  const kwNames = Object.keys(kwargs);
  if (sig === undefined) {
    if (kwNames.length) skip(`${op}: the runner has no signature for this op (kwargs ${kwNames.join(", ")})`);
    return rest;
  }
  if (sig.length === 1 && sig[0].startsWith("...")) {
    const vname = sig[0].slice(3);
    for (const k of kwNames) if (k !== vname) skip(`${op}: keyword ${k} is not supported`);
    return vname in kwargs ? [kwargs[vname]] : rest;
  }
  const positional = sig.filter((s) => !s.startsWith("*"));
  const keywordOnly = sig.filter((s) => s.startsWith("*")).map((s) => s.slice(1));
  for (const k of kwNames) {
    if (!positional.includes(k) && !keywordOnly.includes(k)) skip(`${op}: keyword ${k} is not supported`);
  }
  if (rest.length > positional.length) throw new TypeError(`${op}: ${rest.length} positional arguments, the signature has ${positional.length}`);
  const call = positional.map((p, i) => (i < rest.length ? rest[i] : kwargs[p]));
  while (call.length && call[call.length - 1] === undefined) call.pop();
  const options = Object.fromEntries(keywordOnly.filter((k) => k in kwargs).map((k) => [camel(k), kwargs[k]]));
  if (Object.keys(options).length) call.push(options);
  return call;
}

/** One item of a `Tensor.__getitem__` index tuple, already decoded (tensors are Tensors). */
function indexItem(it: any): torch.IndexItem {
  if (it === null || typeof it === "number" || it instanceof torch.Tensor) return it;
  if (typeof it === "object" && "slice" in it) {
    const [a, b, c] = it.slice as (number | null)[];
    return torch.slice(a, b, c);
  }
  if (typeof it === "object" && it.ellipsis === true) return "...";
  throw new TypeError(`__getitem__: unknown index item ${JSON.stringify(it)}`);
}

/** A thunk that runs the case's call; throws Skip when torchlet lacks the function or method. */
function resolveCall(op: string, args: any[], kwargs: Record<string, any>): () => unknown {
  if (op === "Tensor.__getitem__") {
    const [self, index] = args;
    if (typeof self?.index !== "function") skip("Tensor.index is missing");
    const items = (Array.isArray(index) ? index : [index]).map(indexItem);
    return () => self.index(...items);
  }
  const F_PREFIX = "torch.nn.functional.";
  const [prefix, key, name] = op.startsWith(F_PREFIX)
    ? ["F", `F.${op.slice(F_PREFIX.length)}`, op.slice(F_PREFIX.length)]
    : op.startsWith("torch.") ? ["torch", op, op.slice(6)]
    : op.startsWith("Tensor.") ? ["Tensor", op, op.slice(7)]
    : skip(`${op}: unknown op family`);
  const jsName = RENAMES[name] ?? camel(name);
  const [first, ...rest] = args;
  if (prefix === "Tensor") {
    if (first === null || typeof first !== "object" || typeof first[jsName] !== "function") skip(`Tensor.${jsName} is missing`);
    const call = bindArgs(op, key, name, rest, kwargs);
    return () => first[jsName](...call);
  }
  const ns = prefix === "F" ? namespace("nn").functional : torch;
  if (ns === undefined) skip("torch.nn.functional is not built yet");
  const fn = (ns as any)[jsName];
  if (typeof fn !== "function") skip(`${prefix === "F" ? "torch.nn.functional" : "torch"}.${jsName} is missing`);
  const call = bindArgs(op, key, name, rest, kwargs);
  return () => fn(first, ...call);
}

/** True when a raw fixture value holds a tagged Python float ({"float": 2.0}) outside tensors. */
function hasPythonFloat(v: unknown): boolean {
  if (Array.isArray(v)) return v.some(hasPythonFloat);
  if (v === null || typeof v !== "object" || isJsonTensor(v)) return false;
  return "float" in v || Object.values(v).some(hasPythonFloat);
}

/**
 * The one place where "this number was a Python float" matters and JS can't say it: a creation
 * function (torch.f whose first argument is not a Tensor, e.g. arange(0.0, 5)) picks float32 for a
 * float argument. JS numbers can't carry that, so the case's meaning is passed as torchlet's
 * spelling of it, `{ dtype: "float32" }`, when the signature has a dtype and the case gives none.
 * Elsewhere a tagged float is the plain number it holds.
 */
function impliedDtype(c: Case, args: any[], kwargs: Record<string, any>): void {
  if (!c.op.startsWith("torch.") || args[0] instanceof torch.Tensor || "dtype" in kwargs) return;
  if (!(SIGNATURES[c.op] ?? SIGNATURES[c.op.slice(6)] ?? []).includes("*dtype")) return;
  if (hasPythonFloat(c.args ?? []) || hasPythonFloat(c.kwargs ?? {})) kwargs.dtype = "float32";
}

function isKnownDtype(name: string): boolean {
  try {
    parseDType(name, "dtype");
    return true;
  } catch {
    return false;
  }
}

export function runFunctionCase(c: Case): string[] {
  const tol = c.tol ?? { rtol: 0, atol: 0 };
  const requiresGrad: string[] = c.requires_grad ?? [];
  const transforms: Record<string, string[]> = c.arg_transforms ?? {};
  const leaves = new Map<string, Tensor>();
  const args = decodeWithLeaves(c.args ?? [], "args", requiresGrad, transforms, leaves) as any[];
  const kwargs = decodeWithLeaves(c.kwargs ?? {}, "kwargs", requiresGrad, transforms, leaves) as Record<string, any>;
  impliedDtype(c, args, kwargs);
  if (typeof kwargs.dtype === "string" && !isKnownDtype(kwargs.dtype)) skip(`${c.op}: torchlet has no dtype ${kwargs.dtype}`);
  const run = resolveCall(c.op, args, kwargs);
  if (c.raises) return expectThrow(c, run);

  const out = run();
  const diffs = c.unordered_ties
    ? compareUnorderedTies(c.out, out, args[0], typeof kwargs.dim === "number" ? kwargs.dim : -1, tol)
    : compareOut("out", c.out, out, tol);
  if (requiresGrad.length && c.upstream !== undefined) {
    backwardFrom(out, c.upstream);
    diffs.push(...compareGrads(c.grads ?? {}, leaves, tol));
  }
  return diffs;
}
