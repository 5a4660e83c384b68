import { isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";

/** A user's module as a file: URL; a relative path is taken from the working directory, as Node's CLI does. */
export function moduleUrlOf(module: string | URL): URL {
  if (module instanceof URL) return module;
  if (typeof module !== "string" || module === "") throw new TypeError("torchlet: a worker module must be a path or a file: URL");
  if (module.startsWith("file:")) return new URL(module);
  return pathToFileURL(isAbsolute(module) ? module : resolve(module));
}
