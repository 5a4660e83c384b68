// nn.Upsample: F.interpolate as a module (size or scale_factor, mode, align_corners), with PyTorch's repr.
// ref: torch/nn/modules/upsampling.py (PyTorch 1.13).
import type { Tensor } from "../tensor.js";
import { Module } from "./module.js";
import { parseArgs, pyFloat, pyRepr, pyTuple } from "./args.js";
import { interpolate, type InterpolateMode } from "./functional_interpolate.js";

export interface UpsampleOptions {
  size?: number | number[] | null;
  scaleFactor?: number | number[] | null;
  mode?: InterpolateMode;
  alignCorners?: boolean | null;
  recomputeScaleFactor?: boolean | null;
}

export class Upsample extends Module {
  readonly size: number | number[] | null;
  readonly scaleFactor: number | number[] | null;
  readonly mode: InterpolateMode;
  readonly alignCorners: boolean | null;
  readonly recomputeScaleFactor: boolean | null;

  constructor(size?: number | number[] | null | UpsampleOptions, scaleFactor?: number | number[] | null, mode?: InterpolateMode, alignCorners?: boolean | null, recomputeScaleFactor?: boolean | null);
  constructor(...args: unknown[]) {
    super();
    const o = parseArgs<Required<UpsampleOptions>>(
      "Upsample", args, ["size", "scaleFactor", "mode", "alignCorners", "recomputeScaleFactor"],
      { size: null, scaleFactor: null, mode: "nearest", alignCorners: null, recomputeScaleFactor: null },
    );
    this.size = o.size;
    this.scaleFactor = o.scaleFactor;
    this.mode = o.mode;
    this.alignCorners = o.alignCorners;
    this.recomputeScaleFactor = o.recomputeScaleFactor;
  }

  forward(input: Tensor): Tensor {
    return interpolate(input, this.size, this.scaleFactor, this.mode, this.alignCorners, this.recomputeScaleFactor);
  }

  override extraRepr(): string {
    // NOTE: PyTorch stores scale_factor as float(s) and the mode unquoted: "scale_factor=2.0, mode=nearest".
    const info = this.scaleFactor !== null
      ? `scale_factor=${Array.isArray(this.scaleFactor) ? pyTuple(this.scaleFactor, pyFloat) : pyFloat(this.scaleFactor)}`
      : `size=${pyRepr(this.size)}`;
    return `${info}, mode=${this.mode}`;
  }
}

type UpsamplingSize = number | number[] | null;

/** Upsample with mode 'nearest' (PyTorch keeps the class for old code; it takes only size or scale). */
export class UpsamplingNearest2d extends Upsample {
  constructor(size?: UpsamplingSize | { size?: UpsamplingSize; scaleFactor?: number | number[] | null }, scaleFactor?: number | number[] | null);
  constructor(...args: unknown[]) {
    const o = parseArgs<{ size: UpsamplingSize; scaleFactor: number | number[] | null }>("UpsamplingNearest2d", args, ["size", "scaleFactor"], { size: null, scaleFactor: null });
    super(o.size, o.scaleFactor, "nearest");
  }
}

/** Upsample with mode 'bilinear' and align_corners=True (the corners of input and output line up). */
export class UpsamplingBilinear2d extends Upsample {
  constructor(size?: UpsamplingSize | { size?: UpsamplingSize; scaleFactor?: number | number[] | null }, scaleFactor?: number | number[] | null);
  constructor(...args: unknown[]) {
    const o = parseArgs<{ size: UpsamplingSize; scaleFactor: number | number[] | null }>("UpsamplingBilinear2d", args, ["size", "scaleFactor"], { size: null, scaleFactor: null });
    super(o.size, o.scaleFactor, "bilinear", true);
  }
}
