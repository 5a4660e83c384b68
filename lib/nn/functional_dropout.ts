// The dropout family beyond F.dropout/dropout1d/dropout2d: alpha dropout (SELU networks), feature
// (channel-wise) alpha dropout, dropout3d, and the randomized leaky ReLU (rrelu), plus the ATen
// forms torch.* exposes (feature_dropout(_), alpha_dropout(_), feature_alpha_dropout(_)).
// Draws: the noise is bernoulli_(1-p) of the default generator in PyTorch's CPU order (the same
// stream F.dropout uses, dropoutMask), one draw per element, or per (sample, channel) for the
// feature forms; rrelu draws one double uniform(lower, upper) per element x <= 0, in order.
// ref: aten/src/ATen/native/Dropout.cpp (_dropout_impl), aten/src/ATen/native/Activation.cpp
// (rrelu_with_noise_out_cpu), torch/nn/functional.py (PyTorch 1.13).
import { Tensor } from "../tensor.js";
import { rename } from "../autograd/node.js";
import { noGrad } from "../autograd/grad_mode.js";
import { isFloating, scalarTypeName } from "../dtype.js";
import { defaultGenerator, type Generator } from "../ops/random.js";
import { where } from "../ops/elementwise.js";
import { zeros } from "../ops/creation.js";
import { checkBool, checkNumber, checkTensor, parseArgs } from "./args.js";
import { checkDropoutP, dropoutMask } from "./functional.js";
import { warn } from "./warnings.js";

const SELU_ALPHA_PRIME = 1.7580993408473766; // scale * alpha of SELU

/**
 * ATen's _dropout_impl: `feature` draws one value per (N, C) (input of at least 2 dims), `alpha`
 * keeps SELU's mean and variance (dropped values become -alpha', then an affine correction).
 * `inplace` writes into x with recorded in-place ops (a leaf that requires grad is refused).
 */
export function dropoutImpl(x: Tensor, p: number, train: boolean, feature: boolean, alpha: boolean, inplace: boolean): Tensor {
  if (p === 0 || !train || x.numel() === 0) return x;
  if (feature && x.ndim < 2) throw new RangeError("Feature dropout requires at least 2 dimensions in the input");
  if (p === 1) {
    const zero = zeros([], { dtype: x.dtype });
    return inplace ? x.mul_(zero) : x.mul(zero);
  }
  const shape = feature ? x.shape.map((s, d) => (d < 2 ? s : 1)) : x.shape;
  const drawn = dropoutMask(shape, p); // 1/(1-p) where kept, 0 where dropped: bernoulli_(1-p)'s draws
  if (!alpha) {
    const noise = x.dtype === "float32" ? drawn : drawn.ne(0).to(x.dtype).div(1 - p);
    return inplace ? x.mul_(noise) : x.mul(noise);
  }
  const a = 1 / Math.sqrt((SELU_ALPHA_PRIME * SELU_ALPHA_PRIME * p + 1) * (1 - p));
  const keep = drawn.ne(0).to(x.dtype);
  const b = keep.sub(1).mul(SELU_ALPHA_PRIME * a).add(SELU_ALPHA_PRIME * a * p);
  const noise = keep.mul(a);
  return inplace ? x.mul_(noise).add_(b) : x.mul(noise).add(b);
}

type DropoutArgs = { input: Tensor; p: number; training: boolean; inplace: boolean };
type DropoutOptions = { p?: number; training?: boolean; inplace?: boolean };

function parseDropout(fn: string, args: unknown[], training: boolean) {
  const o = parseArgs<DropoutArgs>(fn, args, ["input", "p", "training", "inplace"], { p: 0.5, training, inplace: false });
  const x = checkTensor(fn, "input", o.input, 1);
  const p = checkDropoutP(o.p);
  return { x, p, training: checkBool(fn, "training", o.training), inplace: checkBool(fn, "inplace", o.inplace) };
}

/** Alpha dropout (training defaults to false, as F.alpha_dropout): keeps SELU's self-normalization. */
export function alphaDropout(input: Tensor, p?: number | DropoutOptions, training?: boolean | DropoutOptions, inplace?: boolean | DropoutOptions): Tensor;
export function alphaDropout(...args: unknown[]): Tensor {
  const { x, p, training, inplace } = parseDropout("alpha_dropout", args, false);
  return dropoutImpl(x, p, training, false, true, inplace);
}

/** Alpha dropout of whole channels of an (N, C, *) input (training defaults to false). */
export function featureAlphaDropout(input: Tensor, p?: number | DropoutOptions, training?: boolean | DropoutOptions, inplace?: boolean | DropoutOptions): Tensor;
export function featureAlphaDropout(...args: unknown[]): Tensor {
  const { x, p, training, inplace } = parseDropout("feature_alpha_dropout", args, false);
  return dropoutImpl(x, p, training, true, true, inplace);
}

/** Channel-wise dropout of an (N, C, D, H, W) or (C, D, H, W) input (others: a warning, as PyTorch). */
export function dropout3d(input: Tensor, p?: number | DropoutOptions, training?: boolean | DropoutOptions, inplace?: boolean | DropoutOptions): Tensor;
export function dropout3d(...args: unknown[]): Tensor {
  const { x, p, training, inplace } = parseDropout("dropout3d", args, true);
  if (x.ndim !== 4 && x.ndim !== 5) {
    warn(
      `dropout3d: Received a ${x.ndim}-D input to dropout3d, which is deprecated and will result in an error in a future release. To retain the behavior and silence this warning, please use dropout instead. Note that dropout3d exists to provide channel-wise dropout on inputs with 3 spatial dimensions, a channel dimension, and an optional batch dimension (i.e. 4D or 5D inputs).`,
    );
  }
  if (x.ndim === 5) return dropoutImpl(x, p, training, true, false, inplace);
  if (inplace) {
    // PyTorch: input.unsqueeze_(0), feature_dropout_, squeeze_(0): x itself, its channels dropped.
    dropoutImpl(x.unsqueeze(0), p, training, true, false, true);
    return x;
  }
  const out = dropoutImpl(x.unsqueeze(0), p, training, true, false, false);
  return out.squeeze(0);
}

// ---- rrelu ----

export interface RreluOptions {
  lower?: number;
  upper?: number;
  training?: boolean;
  inplace?: boolean;
  generator?: Generator | null;
}

/**
 * Randomized leaky ReLU: x for x > 0, a·x otherwise. In training a ~ U(lower, upper) is drawn per
 * element x <= 0 (one double from the generator each, in order, as PyTorch's CPU kernel); in eval
 * a = (lower + upper) / 2. The gradient is the slope used (RreluWithNoiseBackward0), at 0 included.
 */
export function rreluImpl(x: Tensor, lower: number, upper: number, training: boolean, inplace: boolean, gen: Generator | null): Tensor {
  if (!isFloating(x.dtype)) throw new TypeError(`"rrelu_with_noise_out_cpu" not implemented for '${scalarTypeName(x.dtype)}'`);
  if (lower > upper) throw new RangeError("Lower bound should be less than or equal to the upper bound");
  let noise: Tensor;
  if (training) {
    const g = gen ?? defaultGenerator;
    const vals = noGrad(() => x.detach().to("float64").contiguous());
    const src = vals.typedArray as Float64Array;
    const n = vals.numel();
    const d = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const v = src[vals.offset + i];
      d[i] = v <= 0 ? (upper - lower) * g.nextDouble53() + lower : 1;
    }
    const t = Tensor.empty(x.shape, "float64");
    (t.typedArray as Float64Array).set(d);
    noise = x.dtype === "float64" ? t : t.to(x.dtype);
  } else {
    noise = noGrad(() => where(x.detach().gt(0), 1, (lower + upper) / 2).to(x.dtype));
  }
  return inplace ? rename(x.mul_(noise), "RreluWithNoiseBackward1") : rename(x.mul(noise), "RreluWithNoiseBackward0");
}

/** F.rrelu(input, lower=1/8, upper=1/3, training=false, inplace=false). */
export function rrelu(input: Tensor, lower?: number | RreluOptions, upper?: number, training?: boolean, inplace?: boolean): Tensor;
export function rrelu(...args: unknown[]): Tensor {
  const o = parseArgs<{ input: Tensor; lower: number; upper: number; training: boolean; inplace: boolean }>(
    "rrelu", args, ["input", "lower", "upper", "training", "inplace"], { lower: 1 / 8, upper: 1 / 3, training: false, inplace: false },
  );
  const x = checkTensor("rrelu", "input", o.input, 1);
  return rreluImpl(x, checkNumber("rrelu", "lower", o.lower), checkNumber("rrelu", "upper", o.upper), checkBool("rrelu", "training", o.training), checkBool("rrelu", "inplace", o.inplace), null);
}

/** F.rrelu_: rrelu in place. */
export function rrelu_(input: Tensor, lower?: number | RreluOptions, upper?: number, training?: boolean): Tensor;
export function rrelu_(...args: unknown[]): Tensor {
  const o = parseArgs<{ input: Tensor; lower: number; upper: number; training: boolean }>(
    "rrelu_", args, ["input", "lower", "upper", "training"], { lower: 1 / 8, upper: 1 / 3, training: false },
  );
  const x = checkTensor("rrelu_", "input", o.input, 1);
  return rreluImpl(x, checkNumber("rrelu_", "lower", o.lower), checkNumber("rrelu_", "upper", o.upper), checkBool("rrelu_", "training", o.training), true, null);
}
