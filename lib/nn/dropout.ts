// nn.Dropout (and the channel-wise Dropout1d/Dropout2d): in train mode zeroes elements (channels)
// with probability p and scales the rest by 1/(1-p); in eval mode it is the identity. The mask
// comes from the global generator (see F.dropout).
// ref: torch/nn/modules/dropout.py (PyTorch 1.13).
import type { Tensor } from "../tensor.js";
import { Module } from "./module.js";
import { checkBool, parseArgs, pyFloat } from "./args.js";
import { alphaDropout, checkDropoutP, dropout, dropout1d, dropout2d, dropout3d, featureAlphaDropout } from "./functional.js";

export class Dropout extends Module {
  readonly p: number;
  readonly inplace: boolean;
  constructor(p?: number | { p?: number; inplace?: boolean }, inplace?: boolean);
  constructor(...args: unknown[]) {
    super();
    const o = parseArgs<{ p: number; inplace: boolean }>(this.constructor.name, args, ["p", "inplace"], { p: 0.5, inplace: false });
    this.p = checkDropoutP(o.p);
    this.inplace = checkBool(this.constructor.name, "inplace", o.inplace);
  }
  forward(input: Tensor): Tensor {
    return dropout(input, this.p, this.training, this.inplace);
  }
  override extraRepr(): string {
    // NOTE: JS can't tell 0 from 0.0; p prints as a Python float (PyTorch shows whatever was passed).
    return `p=${pyFloat(this.p)}, inplace=${this.inplace ? "True" : "False"}`;
  }
}

/** Zeroes whole channels of an (N, C, L) or (C, L) input, each with probability p, in training. */
export class Dropout1d extends Dropout {
  override forward(input: Tensor): Tensor {
    return dropout1d(input, this.p, this.training, this.inplace);
  }
}

/** Zeroes whole channels of an (N, C, H, W) input (PyTorch 1.13: a 3-D input counts as (N, C, L)). */
export class Dropout2d extends Dropout {
  override forward(input: Tensor): Tensor {
    return dropout2d(input, this.p, this.training, this.inplace);
  }
}

/** Zeroes whole channels of an (N, C, D, H, W) or (C, D, H, W) input, each with probability p, in training. */
export class Dropout3d extends Dropout {
  override forward(input: Tensor): Tensor {
    return dropout3d(input, this.p, this.training, this.inplace);
  }
}

/** Alpha dropout for SELU networks (keeps zero mean and unit variance). As PyTorch, `inplace` is
 *  stored and printed but forward computes out of place. */
export class AlphaDropout extends Dropout {
  override forward(input: Tensor): Tensor {
    return alphaDropout(input, this.p, this.training);
  }
}

/** Alpha dropout of whole channels (N, C, *); `inplace` stored but unused, as PyTorch. */
export class FeatureAlphaDropout extends Dropout {
  override forward(input: Tensor): Tensor {
    return featureAlphaDropout(input, this.p, this.training);
  }
}
