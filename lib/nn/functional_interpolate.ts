// F.interpolate (modes nearest, nearest-exact, linear, bilinear) and nn.Upsample's functional core.
// Separable: along each spatial dim, gather the source rows with indexSelect (recorded, so gradients
// follow) and, for the linear modes, blend the two neighbours with per-row weights. Source indices
// follow ATen's UpSample.h: scale = 1/scale_factor when one was given (and not recomputed), else in/out.
// ref: torch/nn/functional.py interpolate, aten/src/ATen/native/UpSample.h (PyTorch 1.13).
import { Tensor } from "../tensor.js";
import { tensor } from "../ops/creation.js";
import { parseArgs } from "./args.js";

export type InterpolateMode = "nearest" | "nearest-exact" | "linear" | "bilinear";
const MODES = ["nearest", "nearest-exact", "linear", "bilinear"];
const LINEAR_MODES: Record<string, number> = { linear: 3, bilinear: 4 };

export interface InterpolateOptions {
  size?: number | number[] | null;
  scaleFactor?: number | number[] | null;
  mode?: InterpolateMode;
  alignCorners?: boolean | null;
  recomputeScaleFactor?: boolean | null;
  antialias?: boolean;
}

/** Along one dim: rows picked by `idx`, or (linear) w0 * x[i0] + w1 * x[i1]. */
function resampleDim(x: Tensor, dim: number, outSize: number, mode: InterpolateMode, alignCorners: boolean, scale: number): Tensor {
  const inSize = x.shape[dim];
  const i0: number[] = [];
  const i1: number[] = [];
  const w1: number[] = [];
  for (let o = 0; o < outSize; o++) {
    if (mode === "nearest" || mode === "nearest-exact") {
      // NOTE: ATen computes these in float32; fround keeps ties (e.g. 3 * 0.6) landing the same way.
      const s = Math.fround(scale);
      const src = mode === "nearest" ? Math.floor(Math.fround(o * s)) : Math.floor(Math.fround(Math.fround(o + 0.5) * s));
      i0.push(Math.min(src, inSize - 1));
      continue;
    }
    let src: number;
    if (alignCorners) src = outSize > 1 ? (o * (inSize - 1)) / (outSize - 1) : 0;
    else src = Math.max((o + 0.5) * scale - 0.5, 0);
    const lo = Math.min(Math.floor(src), inSize - 1);
    i0.push(lo);
    i1.push(lo < inSize - 1 ? lo + 1 : lo);
    w1.push(src - lo);
  }
  const picked0 = x.indexSelect(dim, tensor(i0, { dtype: "int64" }));
  if (mode === "nearest" || mode === "nearest-exact") return picked0;
  const wShape = x.shape.map((_, d) => (d === dim ? outSize : 1));
  const weight1 = tensor(w1, { dtype: x.dtype }).reshape(...wShape);
  const weight0 = tensor(w1.map((w) => 1 - w), { dtype: x.dtype }).reshape(...wShape);
  const picked1 = x.indexSelect(dim, tensor(i1, { dtype: "int64" }));
  return picked0.mul(weight0).add(picked1.mul(weight1));
}

export function interpolate(input: Tensor, size?: number | number[] | null | InterpolateOptions, scaleFactor?: number | number[] | null, mode?: InterpolateMode, alignCorners?: boolean | null, recomputeScaleFactor?: boolean | null, antialias?: boolean): Tensor;
export function interpolate(...args: unknown[]): Tensor {
  const o = parseArgs<{ input: Tensor; size: number | number[] | null; scaleFactor: number | number[] | null; mode: InterpolateMode; alignCorners: boolean | null; recomputeScaleFactor: boolean | null; antialias: boolean }>(
    "interpolate", args, ["input", "size", "scaleFactor", "mode", "alignCorners", "recomputeScaleFactor", "antialias"],
    { size: null, scaleFactor: null, mode: "nearest", alignCorners: null, recomputeScaleFactor: null, antialias: false },
  );
  const input = o.input;
  if (!(input instanceof Tensor)) throw new TypeError("interpolate(): argument 'input' (position 1) must be Tensor");
  const mode = o.mode;
  if (!MODES.includes(mode)) {
    throw new RangeError(`Input Error: Only 3D, 4D and 5D input Tensors supported (got ${input.ndim}D) for the modes: nearest | linear | bilinear | bicubic | trilinear | area | nearest-exact (got ${String(mode)})`);
  }
  if (o.antialias) throw new RangeError("Anti-alias option is only supported for bilinear and bicubic modes (not built in torchlet)");
  if (o.alignCorners !== null && !(mode in LINEAR_MODES)) {
    throw new RangeError("align_corners option can only be set with the interpolating modes: linear | bilinear | bicubic | trilinear");
  }
  const alignCorners = o.alignCorners ?? false;
  const dims = input.ndim - 2;
  if (dims < 1) throw new RangeError(`Input Error: Only 3D, 4D and 5D input Tensors supported (got ${input.ndim}D) for the modes: nearest | linear | bilinear | bicubic | trilinear | area | nearest-exact (got ${mode})`);
  if (mode in LINEAR_MODES && input.ndim !== LINEAR_MODES[mode]) {
    throw new RangeError(`Got ${input.ndim}D input, but ${mode} mode needs ${LINEAR_MODES[mode]}D input`);
  }
  if (dims > 2) throw new RangeError("interpolate: 5-D (trilinear / 3-D nearest) inputs are not supported in torchlet yet");
  if (o.size !== null && o.scaleFactor !== null) throw new RangeError("only one of size or scale_factor should be defined");
  if (o.size === null && o.scaleFactor === null) throw new RangeError("either size or scale_factor should be defined");
  const spatial = input.shape.slice(2);
  const perDim = (v: number | number[], name: string): number[] => {
    const arr = Array.isArray(v) ? v : Array(dims).fill(v);
    if (arr.length !== dims) {
      throw new RangeError(`Input and ${name} must have the same number of spatial dimensions, but got input with spatial dimensions of [${spatial.join(", ")}] and output size of ${JSON.stringify(v)}. Please provide input tensor in (N, C, d1, d2, ...,dK) format and output size in (o1, o2, ...,oK) format.`);
    }
    return arr;
  };
  let outSize: number[];
  let scales: number[];
  if (o.size !== null) {
    outSize = perDim(o.size, "output_size");
    scales = outSize.map((n, i) => spatial[i] / n);
  } else {
    const sf = perDim(o.scaleFactor as number | number[], "scale_factor");
    outSize = sf.map((f, i) => Math.floor(spatial[i] * f));
    // NOTE: with recompute_scale_factor the indices use in/out, as if `size` had been given.
    scales = o.recomputeScaleFactor ? outSize.map((n, i) => spatial[i] / n) : sf.map((f) => 1 / f);
  }
  if (outSize.some((n) => !Number.isInteger(n) || n <= 0)) {
    throw new RangeError(`Input and output sizes should be greater than 0, but got input (${spatial.join(", ")}) and output (${outSize.join(", ")})`);
  }
  let x = input;
  for (let i = 0; i < dims; i++) x = resampleDim(x, 2 + i, outSize[i], mode, alignCorners, scales[i]);
  return x;
}
