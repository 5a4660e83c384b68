// F.affine_grid and F.grid_sample (the spatial transformer's sampling), and F.gumbel_softmax.
// affine_grid: the base grid [x, y(, z), 1] of linspace(-1, 1) (scaled by (n-1)/n without
// align_corners) times thetaᵀ. grid_sample: per output point the source coordinate (unnormalized,
// then clipped or reflected by padding_mode), then bilinear/trilinear weights of the 2^n corners or
// the nearest tap (round half to even, as nearbyint), gathered from the flattened input; taps
// outside the input read 0. Gradients (input and grid) come from the composition, the grid's through
// the interpolation weights and the clip/reflect maps, as PyTorch's kernels. gumbel_softmax draws
// exponential_() as PyTorch's CPU kernel (-log(1 - u), u a 53-bit double, per element in order).
// ref: torch/nn/functional.py affine_grid, grid_sample, gumbel_softmax; aten/src/ATen/native/
// AffineGridGenerator.cpp, GridSampler.cpp, GridSampler.h (PyTorch 1.13).
import { Tensor } from "../tensor.js";
import { noGrad } from "../autograd/grad_mode.js";
import { rename } from "../autograd/node.js";
import { isFloating, scalarTypeName } from "../dtype.js";
import { where } from "../ops/elementwise.js";
import { linspace, zerosLike, ones } from "../ops/creation.js";
import { stack } from "../ops/indexing.js";
import { defaultGenerator } from "../ops/random.js";
import { formatShape } from "../shape.js";
import { checkBool, checkInt, checkNumber, checkTensor, parseArgs } from "./args.js";
import { warn } from "./warnings.js";

const ALIGN_WARNING =
  "Default grid_sample and affine_grid behavior has changed to align_corners=False since 1.3.0. Please specify align_corners=True if the old behavior is desired. See the documentation of grid_sample for details.";

/** linspace(-1, 1, n), scaled by (n-1)/n without align_corners; [0] for n <= 1 (ATen's linspace_from_neg_one). */
function baseAxis(n: number, align: boolean, dtype: Tensor["dtype"]): Tensor {
  if (n <= 1) return Tensor.empty([1], dtype);
  const r = linspace(-1, 1, n, { dtype });
  return align ? r : r.mul((n - 1) / n);
}

/** F.affine_grid(theta [N, 2, 3] or [N, 3, 4], size [N, C, H, W] or [N, C, D, H, W], alignCorners = null (false, with a warning)). */
export function affineGrid(theta: Tensor, size: number[], alignCorners?: boolean | null | { alignCorners?: boolean | null }): Tensor;
export function affineGrid(...args: unknown[]): Tensor {
  const o = parseArgs<{ theta: Tensor; size: number[]; alignCorners: boolean | null }>("affine_grid", args, ["theta", "size", "alignCorners"], { alignCorners: null });
  const theta = checkTensor("affine_grid", "theta", o.theta, 1);
  const size = o.size;
  if (!Array.isArray(size) || size.some((s) => !Number.isInteger(s))) throw new TypeError("affine_grid(): argument 'size' must be a list of ints");
  let align = o.alignCorners;
  if (align === null) {
    warn(ALIGN_WARNING);
    align = false;
  }
  checkBool("affine_grid", "align_corners", align);
  if (!isFloating(theta.dtype)) throw new TypeError(`Expected theta to have floating point type, but got torch.${theta.dtype}`);
  const got = `torch.Size([${theta.shape.join(", ")}])`;
  const sizeRepr = `[${size.join(", ")}]`;
  let spatial: number[];
  if (size.length === 4) {
    if (theta.ndim !== 3 || theta.shape[1] !== 2 || theta.shape[2] !== 3) {
      throw new RangeError(`Expected a batch of 2D affine matrices of shape Nx2x3 for size ${sizeRepr}. Got ${got}.`);
    }
    spatial = size.slice(2);
  } else if (size.length === 5) {
    if (theta.ndim !== 3 || theta.shape[1] !== 3 || theta.shape[2] !== 4) {
      throw new RangeError(`Expected a batch of 3D affine matrices of shape Nx3x4 for size ${sizeRepr}. Got ${got}.`);
    }
    spatial = size.slice(2);
  } else {
    throw new Error(`affine_grid only supports 4D and 5D sizes, for 2D and 3D affine transforms, respectively. Got size ${sizeRepr}.`);
  }
  if (align && Math.min(...spatial) === 1) {
    warn("Since version 1.3.0, affine_grid behavior has changed for unit-size grids when align_corners=True. This is not an intended use case of affine_grid. See the documentation of affine_grid for details.");
  } else if (Math.min(...size) <= 0) {
    throw new RangeError(`Expected non-zero, positive output size. Got ${sizeRepr}`);
  }
  const N = size[0];
  if (theta.shape[0] !== N) {
    throw new RangeError(`Expected theta batch size ${theta.shape[0]} to match output size's ${N}`);
  }
  // Base grid [..spatial, n+1]: the last dim is (x, y[, z], 1), x along the last spatial dim.
  const n = spatial.length;
  const axes = spatial.map((s, i) => baseAxis(s, align as boolean, theta.dtype).reshape(spatial.map((_, j) => (j === i ? -1 : 1))));
  const comps: Tensor[] = [];
  for (let i = n - 1; i >= 0; i--) comps.push(axes[i].expand(...spatial));
  comps.push(ones(spatial, { dtype: theta.dtype }));
  const base = stack(comps, -1).reshape([1, -1, n + 1]).expand(N, -1, n + 1);
  const grid = base.bmm(theta.transpose(1, 2)); // [N, prod(spatial), n]
  return rename(grid.reshape([N, ...spatial, n]), "AffineGridGeneratorBackward0");
}

export type GridSampleMode = "bilinear" | "nearest" | "bicubic";
export type GridSamplePadding = "zeros" | "border" | "reflection";
export interface GridSampleOptions { mode?: GridSampleMode; paddingMode?: GridSamplePadding; alignCorners?: boolean | null }

/** ATen's reflect_coordinates: c reflected into [twiceLow/2, twiceHigh/2]. */
function reflect(c: Tensor, twiceLow: number, twiceHigh: number): Tensor {
  if (twiceLow === twiceHigh) return c.mul(0);
  const min = twiceLow / 2;
  const span = (twiceHigh - twiceLow) / 2;
  const a = c.sub(min).abs();
  const flips = noGrad(() => a.detach().div(span).floor());
  const extra = a.sub(flips.mul(span));
  return where(flips.remainder(2).eq(0), extra.add(min), extra.neg().add(span + min));
}

/** The source coordinate of each grid value along an axis of `size` (grid_sampler_compute_source_index). */
function sourceIndex(c: Tensor, size: number, padding: GridSamplePadding, align: boolean): Tensor {
  let x = align ? c.add(1).div(2).mul(size - 1) : c.add(1).mul(size).sub(1).div(2);
  if (padding === "border") x = x.clamp(0, size - 1);
  else if (padding === "reflection") {
    x = align ? reflect(x, 0, 2 * (size - 1)) : reflect(x, -1, 2 * size - 1);
    x = x.clamp(0, size - 1);
  }
  return x;
}

/** F.grid_sample(input [N, C, H, W] or [N, C, D, H, W], grid [N, H', W', 2] or [N, D', H', W', 3], mode, paddingMode, alignCorners). */
export function gridSample(input: Tensor, grid: Tensor, mode?: GridSampleMode | GridSampleOptions, paddingMode?: GridSamplePadding, alignCorners?: boolean | null): Tensor;
export function gridSample(...args: unknown[]): Tensor {
  const o = parseArgs<{ input: Tensor; grid: Tensor; mode: string; paddingMode: string; alignCorners: boolean | null }>(
    "grid_sample", args, ["input", "grid", "mode", "paddingMode", "alignCorners"], { mode: "bilinear", paddingMode: "zeros", alignCorners: null },
  );
  const x = checkTensor("grid_sample", "input", o.input, 1);
  const grid = checkTensor("grid_sample", "grid", o.grid, 2);
  if (o.mode !== "bilinear" && o.mode !== "nearest" && o.mode !== "bicubic") {
    throw new RangeError(`nn.functional.grid_sample(): expected mode to be 'bilinear', 'nearest' or 'bicubic', but got: '${String(o.mode)}'`);
  }
  if (o.paddingMode !== "zeros" && o.paddingMode !== "border" && o.paddingMode !== "reflection") {
    throw new RangeError(`nn.functional.grid_sample(): expected padding_mode to be 'zeros', 'border', or 'reflection', but got: '${String(o.paddingMode)}'`);
  }
  let align = o.alignCorners;
  if (align === null) {
    warn(ALIGN_WARNING);
    align = false;
  }
  const padding = o.paddingMode as GridSamplePadding;
  if (x.dtype !== grid.dtype) {
    throw new TypeError(`grid_sampler(): expected input and grid to have same dtype, but input has ${scalarTypeName(x.dtype)} and grid has ${scalarTypeName(grid.dtype)}`);
  }
  if (!((x.ndim === 4 || x.ndim === 5) && x.ndim === grid.ndim)) {
    throw new RangeError(`grid_sampler(): expected 4D or 5D input and grid with same number of dimensions, but got input with sizes ${formatShape(x.shape)} and grid with sizes ${formatShape(grid.shape)}`);
  }
  if (x.shape[0] !== grid.shape[0]) {
    throw new RangeError(`grid_sampler(): expected grid and input to have same batch size, but got input with sizes ${formatShape(x.shape)} and grid with sizes ${formatShape(grid.shape)}`);
  }
  const n = x.ndim - 2;
  if (grid.shape[grid.ndim - 1] !== n) {
    throw new RangeError(`grid_sampler(): expected grid to have size ${n} in last dimension, but got grid with sizes ${formatShape(grid.shape)}`);
  }
  for (let i = 2; i < x.ndim; i++) {
    if (x.shape[i] === 0) {
      throw new RangeError(`grid_sampler(): expected input to have non-empty spatial dimensions, but input has sizes ${formatShape(x.shape)} with dimension ${i} being empty`);
    }
  }
  if (o.mode === "bicubic") {
    if (n === 3) throw new Error("grid_sampler(): bicubic interpolation only supports 4D input");
    throw new Error("grid_sample: mode='bicubic' is not supported in torchlet");
  }
  if (!isFloating(x.dtype)) throw new TypeError(`"grid_sampler_${n}d_cpu" not implemented for '${scalarTypeName(x.dtype)}'`);
  const [N, C] = x.shape;
  const sizes = x.shape.slice(2); // [(D,) H, W]
  const outSpatial = grid.shape.slice(1, -1);
  const L = outSpatial.reduce((a, b) => a * b, 1);
  const g = grid.reshape([N, L, n]);
  // Per spatial dim of the input (D, H, W order), the source coordinate: grid's last dim is (x, y[, z]).
  const coords = sizes.map((s, i) => sourceIndex(g.select(2, n - 1 - i), s, padding, align as boolean)); // each [N, L]
  const strides = sizes.map((_, i) => sizes.slice(i + 1).reduce((a, b) => a * b, 1));
  const flat = x.reshape([N, C, sizes.reduce((a, b) => a * b, 1)]);
  const tap = (pos: Tensor[]): Tensor => {
    // pos: integer-valued float [N, L] per dim; 0 outside the input.
    let valid: Tensor | null = null;
    let index: Tensor | null = null;
    pos.forEach((p, i) => {
      const ok = p.ge(0).logicalAnd(p.le(sizes[i] - 1));
      valid = valid === null ? ok : valid.logicalAnd(ok);
      const term = p.clamp(0, sizes[i] - 1).mul(strides[i]);
      index = index === null ? term : index.add(term);
    });
    const idx = (index as unknown as Tensor).to("int64").unsqueeze(1).expand(N, C, L);
    const vals = flat.gather(2, idx);
    return where((valid as unknown as Tensor).unsqueeze(1), vals, 0);
  };
  let out: Tensor;
  if (o.mode === "nearest") {
    const pos = coords.map((c) => noGrad(() => c.detach().round()));
    out = tap(pos);
    // The grid still gets a gradient, all zeros, as PyTorch's kernel gives (not None): a branch never taken.
    if (grid.requiresGrad) out = out.add(where(zerosLike(g.select(2, 0), { dtype: "bool" }).unsqueeze(1), g.sum(2).unsqueeze(1), 0));
  } else {
    const lo = coords.map((c) => noGrad(() => c.detach().floor()));
    let acc: Tensor | null = null;
    for (let corner = 0; corner < 1 << n; corner++) {
      let w: Tensor | null = null;
      const pos: Tensor[] = [];
      for (let i = 0; i < n; i++) {
        const up = (corner >> (n - 1 - i)) & 1;
        // weight along dim i: (c - lo) for the upper tap, (lo + 1 - c) for the lower one
        const wi = up ? coords[i].sub(lo[i]) : lo[i].add(1).sub(coords[i]);
        w = w === null ? wi : w.mul(wi);
        pos.push(up ? lo[i].add(1) : lo[i]);
      }
      const term = tap(pos).mul((w as unknown as Tensor).unsqueeze(1));
      acc = acc === null ? term : acc.add(term);
    }
    out = acc as Tensor;
  }
  return rename(out.reshape([N, C, ...outSpatial]), n === 2 ? "GridSampler2DBackward0" : "GridSampler3DBackward0");
}

export interface GumbelSoftmaxOptions { tau?: number; hard?: boolean; eps?: number; dim?: number }

/** F.gumbel_softmax(logits, tau = 1, hard = false, eps = 1e-10 (deprecated), dim = -1): softmax((logits + g) / tau),
 *  g = -log(Exp(1)) drawn from the default generator; hard: the one-hot argmax with the soft sample's gradient. */
export function gumbelSoftmax(logits: Tensor, tau?: number | GumbelSoftmaxOptions, hard?: boolean, eps?: number, dim?: number): Tensor;
export function gumbelSoftmax(...args: unknown[]): Tensor {
  const o = parseArgs<{ logits: Tensor; tau: number; hard: boolean; eps: number; dim: number }>(
    "gumbel_softmax", args, ["logits", "tau", "hard", "eps", "dim"], { tau: 1, hard: false, eps: 1e-10, dim: -1 },
  );
  const logits = checkTensor("gumbel_softmax", "logits", o.logits, 1);
  const tau = checkNumber("gumbel_softmax", "tau", o.tau);
  const hard = checkBool("gumbel_softmax", "hard", o.hard);
  if (checkNumber("gumbel_softmax", "eps", o.eps) !== 1e-10) warn("`eps` parameter is deprecated and has no effect.");
  const dim = checkInt("gumbel_softmax", "dim", o.dim);
  if (!isFloating(logits.dtype)) throw new TypeError(`"exponential_cpu" not implemented for '${scalarTypeName(logits.dtype)}'`);
  const n = logits.numel();
  const e = Tensor.empty(logits.shape, "float64");
  const d = e.typedArray as Float64Array;
  for (let i = 0; i < n; i++) d[i] = -Math.log(1 - defaultGenerator.nextDouble53());
  const gumbels = e.to(logits.dtype).log().neg();
  const ySoft = logits.add(gumbels).div(tau).softmax(dim);
  if (!hard) return ySoft;
  const index = (ySoft.max(dim, true) as unknown as [Tensor, Tensor])[1];
  const yHard = zerosLike(logits).scatter(dim, index, 1);
  return yHard.sub(ySoft.detach()).add(ySoft);
}
