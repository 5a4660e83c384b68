// Which backend runs the kernels: the native addon when it loads, else the pure-JS one (with one
// warning). TORCHLET_BACKEND=js|native or setBackend() chooses explicitly.
import type { Backend, BackendInfo } from "./types.js";
import { jsBackend } from "./js.js";
import { loadNativeBackend } from "./native.js";
import { applyGcTuning, gcTuning } from "../gc_tuning.js";

export type BackendName = "native" | "js";

let current: Backend | null = null;

function pick(name: BackendName | undefined): Backend {
  if (name === "js") return jsBackend;
  const native = loadNativeBackend();
  if (native.backend) return native.backend;
  if (name === "native") {
    throw new Error(`torchlet: the native backend was requested but the addon could not be loaded: ${native.error.message}`);
  }
  process.emitWarning(
    `torchlet: the native addon could not be loaded (${native.error.message}); using the pure-JS backend, which is much slower.`,
    { code: "TORCHLET_NO_NATIVE" },
  );
  return jsBackend;
}

export function backend(): Backend {
  if (current === null) {
    const env = process.env.TORCHLET_BACKEND;
    if (env !== undefined && env !== "" && env !== "js" && env !== "native") {
      throw new Error(`TORCHLET_BACKEND must be "js" or "native", got "${env}"`);
    }
    current = pick((env || undefined) as BackendName | undefined);
    applyGcTuning();
  }
  return current;
}

/** torch.setBackend("js" | "native"): which kernels run from now on. */
export function setBackend(name: BackendName): void {
  if (name !== "js" && name !== "native") throw new TypeError(`setBackend: unknown backend "${String(name)}"`);
  current = pick(name);
}

/** Names of the backends that can run here: always "js", and "native" when the addon loads. */
export function availableBackends(): BackendName[] {
  return loadNativeBackend().backend ? ["native", "js"] : ["js"];
}

/** Which backend, instruction set and thread count the kernels use, and what the GC tuning did. */
export function backendInfo(): BackendInfo {
  return { ...backend().info(), gcTuning: gcTuning() };
}
