// torchvision.utils.make_grid as `torch.vision.utils.makeGrid`: a batch [B, C, H, W] (or a list of
// [C, H, W] tensors, or one [C, H, W] / [H, W] image) laid out in rows of `nrow` images, `padding`
// pixels of `padValue` around and between them; one-channel images become three channels; with
// `normalize` the values are clamped to valueRange (default: the tensor's min and max, per image
// with `scaleEach`) and shifted/scaled to [0, 1] in the tensor's dtype. Runs without autograd (the
// original is decorated with torch.no_grad).
// ref: torchvision/utils.py (make_grid), v0.14.
import { noGrad } from "../autograd/grad_mode.js";
import { cat, stack } from "../ops/indexing.js";
import { Tensor } from "../tensor.js";
import { describe } from "./describe.js";

export interface MakeGridOptions {
  /** images per row (default 8) */
  nrow?: number;
  /** pixels around and between the images (default 2) */
  padding?: number;
  /** shift to [0, 1] by valueRange or the min and max (default false) */
  normalize?: boolean;
  /** [min, max] used by normalize (default: computed from the tensor) */
  valueRange?: readonly [number, number] | null;
  /** normalize each image by its own min and max (default false) */
  scaleEach?: boolean;
  /** value of the padding pixels (default 0) */
  padValue?: number;
}

const POSITIONAL: readonly (keyof MakeGridOptions)[] = ["nrow", "padding", "normalize", "valueRange", "scaleEach", "padValue"];

/** torchvision.utils.make_grid(tensor, nrow=8, padding=2, normalize=False, value_range=None, scale_each=False, pad_value=0.0). */
export function makeGrid(tensor: Tensor | readonly Tensor[], options?: MakeGridOptions): Tensor;
export function makeGrid(
  tensor: Tensor | readonly Tensor[], nrow?: number, padding?: number | MakeGridOptions, normalize?: boolean | MakeGridOptions,
  valueRange?: readonly [number, number] | null | MakeGridOptions, scaleEach?: boolean | MakeGridOptions, padValue?: number | MakeGridOptions,
): Tensor;
export function makeGrid(tensor: Tensor | readonly Tensor[], ...rest: unknown[]): Tensor {
  const opts: Record<string, unknown> = {};
  const last = rest[rest.length - 1];
  if (rest.length > 0 && last !== null && typeof last === "object" && !Array.isArray(last)) {
    Object.assign(opts, last);
    rest = rest.slice(0, -1);
  }
  if (rest.length > POSITIONAL.length) throw new TypeError(`make_grid() takes from 1 to 7 positional arguments but ${rest.length + 1} were given`);
  rest.forEach((v, i) => {
    if (v === undefined) return;
    if (POSITIONAL[i] in opts) throw new TypeError(`make_grid() got multiple values for argument '${POSITIONAL[i]}'`);
    opts[POSITIONAL[i]] = v;
  });
  for (const k of Object.keys(opts)) {
    if (!POSITIONAL.includes(k as keyof MakeGridOptions)) throw new TypeError(`make_grid() got an unexpected keyword argument '${k}'`);
  }
  const { nrow = 8, padding = 2, normalize = false, valueRange = null, scaleEach = false, padValue = 0 } = opts as MakeGridOptions;
  if (!(tensor instanceof Tensor)) {
    if (Array.isArray(tensor)) {
      for (const t of tensor) if (!(t instanceof Tensor)) throw new TypeError(`tensor or list of tensors expected, got a list containing ${describe(t)}`);
    } else {
      throw new TypeError(`tensor or list of tensors expected, got ${describe(tensor)}`);
    }
  }
  if (!Number.isSafeInteger(nrow) || nrow < 1) throw new RangeError(`make_grid: nrow must be a positive int, got ${String(nrow)}`);
  if (!Number.isSafeInteger(padding)) throw new TypeError(`make_grid: padding must be an int, got ${String(padding)}`);
  return noGrad(() => {
    let t = tensor instanceof Tensor ? tensor : stack(tensor as Tensor[], 0);
    if (t.ndim === 2) t = t.unsqueeze(0);
    if (t.ndim === 3) {
      if (t.shape[0] === 1) t = cat([t, t, t], 0);
      t = t.unsqueeze(0);
    }
    if (t.ndim === 4 && t.shape[1] === 1) t = cat([t, t, t], 1);
    if (normalize === true) {
      t = t.clone();
      if (valueRange !== null && valueRange !== undefined && !(Array.isArray(valueRange) && valueRange.length === 2)) {
        throw new TypeError("value_range has to be a tuple (min, max) if specified. min and max are numbers");
      }
      const normIp = (img: Tensor, low: number, high: number) => {
        img.clamp_(low, high);
        img.sub_(low).div_(Math.max(high - low, 1e-5));
      };
      const normRange = (img: Tensor) => {
        if (valueRange !== null && valueRange !== undefined) normIp(img, valueRange[0], valueRange[1]);
        else normIp(img, Number(img.min().item()), Number(img.max().item()));
      };
      if (scaleEach === true) {
        for (let i = 0; i < t.shape[0]; i++) normRange(t.select(0, i));
      } else {
        normRange(t);
      }
    }
    if (t.ndim !== 4) throw new RangeError(`make_grid: expected a 4-D batch [B, C, H, W] after conversion, got a tensor of shape [${t.shape.join(", ")}]`);
    if (t.shape[0] === 1) return t.squeeze(0);
    const nmaps = t.shape[0];
    const xmaps = Math.min(nrow, nmaps);
    // NOTE: Python's math.ceil(float(0) / 0) for an empty batch.
    if (xmaps === 0) throw new Error("make_grid: float division by zero (ZeroDivisionError: the batch is empty)");
    const ymaps = Math.ceil(nmaps / xmaps);
    const height = t.shape[2] + padding;
    const width = t.shape[3] + padding;
    const grid = t.newFull([t.shape[1], height * ymaps + padding, width * xmaps + padding], padValue);
    let k = 0;
    for (let y = 0; y < ymaps; y++) {
      for (let x = 0; x < xmaps; x++) {
        if (k >= nmaps) break;
        grid.narrow(1, y * height + padding, height - padding).narrow(2, x * width + padding, width - padding).copy_(t.select(0, k));
        k++;
      }
    }
    return grid;
  });
}
