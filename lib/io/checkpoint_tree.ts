// What torch.save stores besides a flat state dict: a checkpoint such as { epoch, model_state_dict,
// optimizer_state_dict, loss } (PyTorch's "saving a general checkpoint"), a list of tensors, or one
// tensor. The file stays a plain safetensors file: the tensors are its entries, named by their path
// in the object ("model_state_dict.fc1.weight"), and the object itself, with each tensor replaced
// by { "$tensor": name }, is JSON in the header's __metadata__ under TREE_KEY. Plain objects, arrays,
// numbers (NaN, ±Infinity and -0 included), strings, booleans and null round-trip; anything else
// (functions, class instances, undefined in an array, cycles) is refused with its path.
import { Tensor } from "../tensor.js";

/** The __metadata__ key that holds the object's structure. */
export const TREE_KEY = "torchlet.tree";

/** A value torch.save can store. */
export type Saveable = Tensor | number | string | boolean | null | readonly Saveable[] | { readonly [key: string]: Saveable | undefined };

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);

/** A flat name -> tensor map: saved as an ordinary state dict, readable by safetensors' loaders. */
export function isTensorMap(v: unknown): v is Record<string, Tensor> {
  return isPlainObject(v) && Object.values(v).every((t) => t instanceof Tensor);
}

/** The object's tensors under unique path names, and its structure as JSON. */
export function flattenTree(root: unknown, fn: string): { tensors: Record<string, Tensor>; tree: string } {
  const tensors: Record<string, Tensor> = Object.create(null);
  const onPath = new Set<object>();
  const walk = (v: unknown, path: string[]): unknown => {
    const where = path.length === 0 ? "the object" : JSON.stringify(path.join("."));
    if (v instanceof Tensor) {
      let name = path.length === 0 ? "tensor" : path.join(".");
      // NOTE: keys holding dots can collide ({ "a.b": t, a: { b: u } }); later ones get a suffix.
      for (let k = 1; name in tensors || name === "__metadata__"; k++) name = `${path.join(".")}#${k}`;
      tensors[name] = v;
      return { $tensor: name };
    }
    if (typeof v === "number") return Number.isFinite(v) && !Object.is(v, -0) ? v : { $number: Object.is(v, -0) ? "-0" : String(v) };
    if (typeof v === "string" || typeof v === "boolean" || v === null) return v;
    if (Array.isArray(v) || isPlainObject(v)) {
      if (onPath.has(v)) throw new TypeError(`${fn}: ${where} contains itself (a cycle), which cannot be saved`);
      onPath.add(v);
      let out: unknown;
      if (Array.isArray(v)) {
        out = v.map((e, i) => {
          if (e === undefined) throw new TypeError(`${fn}: ${JSON.stringify([...path, i].join("."))} is undefined, which cannot be saved`);
          return walk(e, [...path, String(i)]);
        });
      } else {
        const o: Record<string, unknown> = {};
        for (const [k, e] of Object.entries(v)) if (e !== undefined) o[k] = walk(e, [...path, k]);
        // NOTE: "$tensor" / "$number" objects of the user's own are wrapped so they read back as written.
        out = "$tensor" in o || "$number" in o || "$object" in o ? { $object: o } : o;
      }
      onPath.delete(v);
      return out;
    }
    if (typeof (v as { stateDict?: unknown } | undefined)?.stateDict === "function") {
      throw new TypeError(`${fn}: ${where} is a ${(v as object).constructor?.name ?? "module"} object: save its stateDict() instead (whole objects are pickled only by PyTorch)`);
    }
    const kind = v === undefined ? "undefined" : typeof v === "object" ? (v as object).constructor?.name ?? "object" : typeof v;
    throw new TypeError(`${fn}: ${where} is ${kind}; torch.save stores tensors, numbers, strings, booleans, null, arrays and plain objects`);
  };
  const tree = JSON.stringify(walk(root, []));
  return { tensors, tree };
}

/** The saved object, its tensors taken from the file's entries. */
export function rebuildTree(tree: string, tensors: Record<string, Tensor>, where: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(tree);
  } catch {
    throw new Error(`load: ${where}: the saved object's structure (${TREE_KEY}) is not valid JSON`);
  }
  const build = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(build);
    if (!isPlainObject(v)) return v;
    if (typeof v.$tensor === "string") {
      const t = tensors[v.$tensor];
      if (!(t instanceof Tensor)) throw new Error(`load: ${where}: the saved object names a tensor ${JSON.stringify(v.$tensor)} that the file does not hold`);
      return t;
    }
    if (typeof v.$number === "string") return Number(v.$number);
    const fields = isPlainObject(v.$object) ? v.$object : v;
    return Object.fromEntries(Object.entries(fields).map(([k, e]) => [k, build(e)]));
  };
  return build(parsed);
}
