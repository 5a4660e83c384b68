// deepcopyModule: Python's copy.deepcopy for a module tree, as PyTorch's _get_clones uses it for
// TransformerEncoder's layers: every Parameter and buffer gets its own storage (same values, same
// requiresGrad), submodules are copied recursively (a module shared twice stays shared once), plain
// fields (numbers, strings, functions) are carried over, arrays copied shallowly. It draws nothing
// from the random generator (unlike re-running a constructor), so a seeded model stays PyTorch's.
// Not copied: hooks (a copy starts without any). Subclasses must keep their state in public fields
// (a `#private` field of a subclass would be missing on the copy).
import { Tensor } from "../tensor.js";
import { noGrad } from "../autograd/grad_mode.js";
import { Module, Parameter } from "./module.js";

/** A Module with nothing of its own: its construction gives a callable object carrying Module's
 *  private state, which then takes the original's prototype and fields. */
class Blank extends Module {
  forward(): never {
    throw new Error("unreachable");
  }
}

/** Python's copy.deepcopy for a Module tree (as above) or a Tensor (a leaf copy keeping requiresGrad). */
export function deepcopy<T extends Module | Tensor>(x: T): T {
  if (x instanceof Tensor) {
    if (!x.isLeaf) throw new Error("Only Tensors created explicitly by the user (graph leaves) support the deepcopy protocol at the moment");
    const c = noGrad(() => x.clone());
    if (x.requiresGrad) c.requiresGrad = true;
    return c as T;
  }
  if (x instanceof Module) return deepcopyModule(x) as T;
  throw new TypeError("deepcopy(): expected a Module or a Tensor");
}

export function deepcopyModule<M extends Module>(module: M): M {
  return noGrad(() => copyInto(module, new Map()));
}

function copyInto<M extends Module>(src: M, memo: Map<unknown, unknown>): M {
  if (memo.has(src)) return memo.get(src) as M;
  const dst = new Blank() as unknown as M;
  memo.set(src, dst);
  Object.setPrototypeOf(dst, Object.getPrototypeOf(src));
  const buffers = new Map(src.namedBuffers("", false));
  const persistent = new Set(Object.keys(src.stateDict({ keepVars: true })));
  for (const [key, value] of Object.entries(src)) {
    if (buffers.has(key)) continue;
    (dst as any)[key] = copyValue(value, memo);
  }
  for (const [key, value] of buffers) dst.registerBuffer(key, copyValue(value, memo) as Tensor, persistent.has(key));
  return dst;
}

function copyValue(value: unknown, memo: Map<unknown, unknown>): unknown {
  if (memo.has(value)) return memo.get(value);
  let out: unknown;
  if (value instanceof Module) return copyInto(value, memo);
  if (value instanceof Parameter) out = new Parameter(value.detach().clone(), value.requiresGrad);
  else if (value instanceof Tensor) out = value.detach().clone();
  else if (Array.isArray(value)) out = value.map((v) => copyValue(v, memo));
  else return value;
  memo.set(value, out);
  return out;
}
