// nn.PixelShuffle / nn.PixelUnshuffle: F.pixelShuffle / F.pixelUnshuffle as modules, with their reprs.
// ref: torch/nn/modules/pixelshuffle.py (PyTorch 1.13).
import type { Tensor } from "../tensor.js";
import { Module } from "./module.js";
import { checkInt, parseArgs } from "./args.js";
import { channelShuffle, pixelShuffle, pixelUnshuffle } from "./functional_pixel.js";

export class PixelShuffle extends Module {
  readonly upscaleFactor: number;
  constructor(upscaleFactor: number | { upscaleFactor: number });
  constructor(...args: unknown[]) {
    super();
    const o = parseArgs<{ upscaleFactor: unknown }>("PixelShuffle", args, ["upscaleFactor"], {});
    this.upscaleFactor = checkInt("PixelShuffle", "upscaleFactor", o.upscaleFactor);
  }
  forward(input: Tensor): Tensor {
    return pixelShuffle(input, this.upscaleFactor);
  }
  override extraRepr(): string {
    return `upscale_factor=${this.upscaleFactor}`;
  }
}

export class PixelUnshuffle extends Module {
  readonly downscaleFactor: number;
  constructor(downscaleFactor: number | { downscaleFactor: number });
  constructor(...args: unknown[]) {
    super();
    const o = parseArgs<{ downscaleFactor: unknown }>("PixelUnshuffle", args, ["downscaleFactor"], {});
    this.downscaleFactor = checkInt("PixelUnshuffle", "downscaleFactor", o.downscaleFactor);
  }
  forward(input: Tensor): Tensor {
    return pixelUnshuffle(input, this.downscaleFactor);
  }
  override extraRepr(): string {
    return `downscale_factor=${this.downscaleFactor}`;
  }
}

/** nn.ChannelShuffle(groups): F.channelShuffle as a module (ShuffleNet). */
export class ChannelShuffle extends Module {
  readonly groups: number;
  constructor(groups: number | { groups: number });
  constructor(...args: unknown[]) {
    super();
    const o = parseArgs<{ groups: unknown }>("ChannelShuffle", args, ["groups"], {});
    this.groups = checkInt("ChannelShuffle", "groups", o.groups);
  }
  forward(input: Tensor): Tensor {
    return channelShuffle(input, this.groups);
  }
  override extraRepr(): string {
    return `groups=${this.groups}`;
  }
}
