// Whether ops record the graph: torch.no_grad / torch.enable_grad as scoped callbacks.
// NOTE: a callback instead of a `with` block; an async callback keeps the mode only until its first await.

let enabled = true;

export function isGradEnabled(): boolean {
  return enabled;
}

function withMode<T>(mode: boolean, fn: () => T): T {
  const prev = enabled;
  enabled = mode;
  try {
    return fn();
  } finally {
    enabled = prev;
  }
}

/** Runs fn with gradient recording off (torch.no_grad()). */
export function noGrad<T>(fn: () => T): T {
  return withMode(false, fn);
}

/** Runs fn with gradient recording on (torch.enable_grad()). */
export function enableGrad<T>(fn: () => T): T {
  return withMode(true, fn);
}

/** torch.set_grad_enabled(mode). */
export function setGradEnabled(mode: boolean): void {
  enabled = mode;
}
