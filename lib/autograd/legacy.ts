// torch.autograd's legacy and debugging entries that PyTorch programs still call:
// Variable(tensor, requires_grad=...) (a Tensor since PyTorch 0.4: it returns the tensor), and
// anomaly detection, whose mode is recorded (torchlet's backward already names the op of a
// failing gradient in its errors; NaN tracing is not done).
import { Tensor } from "../tensor.js";

/** `Variable(x, { requiresGrad: true })`: x itself, its requiresGrad set when given (PyTorch's Variable is Tensor). */
export function Variable(data: Tensor, opts: { requiresGrad?: boolean; volatile?: boolean } = {}): Tensor {
  if (!(data instanceof Tensor)) throw new TypeError(`Variable data has to be a tensor, but got ${data === null ? "None" : typeof data}`);
  if (opts.requiresGrad !== undefined) data.requiresGrad_(opts.requiresGrad);
  return data;
}

let anomaly = false;
/** torch.autograd.set_detect_anomaly(mode). */
export function setDetectAnomaly(mode: boolean): void {
  if (typeof mode !== "boolean") throw new TypeError("set_detect_anomaly(): argument 'mode' must be bool");
  anomaly = mode;
}
/** torch.autograd.detect_anomaly(): runs fn with the mode on (a callback for Python's `with`). */
export function detectAnomaly<T>(fn: () => T): T {
  const prev = anomaly;
  anomaly = true;
  try {
    return fn();
  } finally {
    anomaly = prev;
  }
}
/** torch.is_anomaly_enabled(). */
export const isAnomalyEnabled = (): boolean => anomaly;
