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

let inference = false;

/** torch.inference_mode(): fn runs with gradient recording off (PyTorch's stricter inference
 *  tensors are not modelled: the results are ordinary tensors that don't require grad).
 *  `inferenceMode(false, fn)` runs fn with the mode off. */
export function inferenceMode<T>(fn: () => T): T;
export function inferenceMode<T>(mode: boolean, fn: () => T): T;
export function inferenceMode<T>(a: boolean | (() => T), b?: () => T): T {
  const [mode, fn] = typeof a === "function" ? [true, a] : [a, b!];
  if (typeof fn !== "function") throw new TypeError("inferenceMode(): expected a function to run");
  const prev = inference;
  inference = mode;
  try {
    return mode ? withMode(false, fn) : fn();
  } finally {
    inference = prev;
  }
}

/** torch.is_inference_mode_enabled(). */
export function isInferenceModeEnabled(): boolean {
  return inference;
}
