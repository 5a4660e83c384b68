// How the vision transforms name a value they refuse, in their error messages.
import { Tensor } from "../tensor.js";

/** "null", "Tensor(float32, [1, 28, 28])", a class name ("Array", "Object"), or the typeof. */
export function describe(x: unknown): string {
  if (x === null) return "null";
  if (x instanceof Tensor) return `Tensor(${x.dtype}, [${x.shape.join(", ")}])`;
  if (typeof x === "object") return (x as object).constructor?.name ?? "object";
  return typeof x;
}
