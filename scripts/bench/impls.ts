// Which torchlet configuration a measurement runs on: the native backend at 1 or 2 threads, or the
// pure-JS backend. Switches backend and thread count through the public API and restores them.
// Does not measure anything itself.
import * as torch from "../../lib/index.js";

export type TorchletImpl = "native-1t" | "native-2t" | "js";
export const TORCHLET_IMPLS: readonly TorchletImpl[] = ["native-1t", "native-2t", "js"];

/** null when the configuration can run here, else the reason it cannot. */
export function unavailable(impl: TorchletImpl): string | null {
  if (impl === "js") return null;
  if (!torch.availableBackends().includes("native")) return "the native addon does not load (run npm run build:native)";
  return null;
}

/** Runs fn with the backend and thread count of impl, then restores the previous ones. */
export function withImpl<T>(impl: TorchletImpl, fn: () => T): T {
  const before = torch.backendInfo();
  const threadsBefore = torch.getNumThreads();
  if (impl === "js") torch.setBackend("js");
  else {
    torch.setBackend("native");
    torch.setNumThreads(impl === "native-1t" ? 1 : 2);
  }
  try {
    return fn();
  } finally {
    torch.setBackend(before.name as "js" | "native");
    if (threadsBefore > 0) torch.setNumThreads(threadsBefore);
  }
}
