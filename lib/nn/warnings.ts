// Python-style warnings for torchlet: process.emitWarning(message, "UserWarning"), shown once per
// message and call site (Python's "default" filter), where the call site is the first stack frame
// outside lib/. Not a general warnings-filter system. ref: https://docs.python.org/3/library/warnings.html
import { fileURLToPath } from "node:url";

const LIB_URL = new URL("..", import.meta.url).href; // file:///.../lib/
const LIB_PATH = fileURLToPath(LIB_URL);
const shown = new Set<string>();

/** "file:line" of the first caller outside the library, or "" when none is found. */
function callSite(): string {
  const frames = (new Error().stack ?? "").split("\n").slice(1);
  for (const f of frames) {
    if (f.includes(LIB_URL) || f.includes(LIB_PATH) || f.includes("node:internal")) continue;
    const m = /\(?([^()\s]+:\d+):\d+\)?\s*$/.exec(f);
    if (m) return m[1];
  }
  return "";
}

/**
 * Emits a UserWarning. `perCallSite`: once per user call site (PyTorch's stacklevel pointing at
 * user code, e.g. the implicit softmax dim); otherwise once per process (stacklevel inside torch,
 * e.g. KLDivLoss reduction='mean').
 */
export function warn(message: string, opts: { perCallSite?: boolean } = {}): void {
  const key = opts.perCallSite ? `${message}\u0000${callSite()}` : message;
  if (shown.has(key)) return;
  shown.add(key);
  process.emitWarning(message, "UserWarning");
}

/** Forgets which warnings were shown (for tests). */
export function resetWarnings(): void {
  shown.clear();
}
