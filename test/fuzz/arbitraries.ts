// fast-check arbitraries for the fuzz tests: shapes (with 0-size dims), float32 values (NaN,
// ±Infinity, -0, huge, denormal) and tensors laid out as random views (offset, transposed,
// sliced with steps, expanded). A generated tensor is a plain recipe, so fast-check can print and
// shrink it; build() turns it into a Tensor with public view ops only (no backend call).
// ref: fast-check's docs (fc.record / fc.chain / fc.constantFrom), PyTorch's strided views.
import fc from "fast-check";
import * as torch from "../../lib/index.js";
import type { DType, Tensor } from "../../lib/index.js";

/** Values that break kernels: NaN, infinities, signed zeros, float32 extremes, denormals. */
export const SPECIAL_VALUES: readonly number[] = [
  Number.NaN, Infinity, -Infinity, 0, -0, 1, -1, 0.5, -0.5, 1.5, 2.5, -2.5,
  3.4028234663852886e38, -3.4028234663852886e38, 1e30, -1e30, // float32 max, huge
  1.1754943508222875e-38, 1e-40, -1e-40, 1.401298464324817e-45, // smallest normal, denormals
  88.72, -88.72, 89, -104, 20, -20, // exp/sigmoid/tanh overflow and saturation edges
];

/** Any float32 value: ordinary ones, specials, and fast-check's float (which itself covers edges). */
export const anyValue: fc.Arbitrary<number> = fc.oneof(
  { weight: 3, arbitrary: fc.double({ min: -10, max: 10, noNaN: true }).map(Math.fround) },
  { weight: 3, arbitrary: fc.constantFrom(...SPECIAL_VALUES) },
  { weight: 1, arbitrary: fc.float() },
);

/**
 * Values whose sums and products are exact in float32 in any order (quarters up to 100, plus
 * NaN, ±Infinity, ±0): so reductions and matmul can be compared exactly between backends whatever
 * their accumulation order.
 */
export const exactValue: fc.Arbitrary<number> = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: -400, max: 400 }).map((k) => k / 4) },
  { weight: 1, arbitrary: fc.constantFrom(Number.NaN, Infinity, -Infinity, -0, 0) },
);

export type Layout = "contig" | "offset" | "transposed" | "stepped" | "expanded";

/** Everything needed to rebuild a tensor: shape, dtype, layout and the values that fill its base. */
export interface TensorRecipe {
  shape: number[];
  dtype: DType;
  layout: Layout;
  /** stepped: the dim and step of the slice; expanded: which dims are broadcast (bit mask). */
  dim: number;
  step: number;
  mask: number;
  values: number[];
  requiresGrad: boolean;
}

/** Shapes of 0..maxDims dims, each size 0..maxSize (0-size dims one time in twelve). */
export function shapeArb(maxDims = 4, maxSize = 5, minDims = 0): fc.Arbitrary<number[]> {
  const size = fc.oneof({ weight: 11, arbitrary: fc.integer({ min: 1, max: maxSize }) }, { weight: 1, arbitrary: fc.constant(0) });
  return fc.array(size, { minLength: minDims, maxLength: maxDims });
}

export interface RecipeOptions {
  dtypes?: readonly DType[];
  values?: fc.Arbitrary<number>;
  layouts?: readonly Layout[];
  /** Sometimes mark float32 tensors requiresGrad (for backward fuzzing). */
  grad?: boolean;
}

/** A tensor of exactly `shape`, with a random dtype, layout and values. */
export function tensorArb(shape: readonly number[], opts: RecipeOptions = {}): fc.Arbitrary<TensorRecipe> {
  const layouts = opts.layouts ?? ["contig", "offset", "transposed", "stepped", "expanded"];
  return fc.record({
    shape: fc.constant([...shape]),
    dtype: fc.constantFrom(...(opts.dtypes ?? ["float32"])),
    layout: fc.constantFrom(...layouts),
    dim: fc.nat({ max: 7 }),
    step: fc.integer({ min: 2, max: 3 }),
    mask: fc.nat({ max: 255 }),
    values: fc.array(opts.values ?? anyValue, { minLength: 1, maxLength: 40 }),
    requiresGrad: opts.grad ? fc.boolean() : fc.constant(false),
  });
}

/** A recipe of a random shape. */
export function anyTensorArb(opts: RecipeOptions & { maxDims?: number; minDims?: number } = {}): fc.Arbitrary<TensorRecipe> {
  return shapeArb(opts.maxDims ?? 4, 5, opts.minDims ?? 0).chain((s) => tensorArb(s, opts));
}

/** The value stored for dtype: int64 truncates (non-finite -> small ints), bool is v != 0. */
function toDtype(v: number, dtype: DType): number {
  if (dtype === "float32") return Math.fround(v);
  if (dtype === "bool") return v !== 0 && !Number.isNaN(v) ? 1 : 0;
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 0 : v > 0 ? 7 : -7;
  return Math.max(-1e6, Math.min(1e6, Math.trunc(v))) + 0; // + 0: no -0 in int64
}

/** A contiguous tensor of `shape` filled by cycling the recipe's values. */
function base(shape: readonly number[], r: TensorRecipe): Tensor {
  const t = torch.zeros([...shape], { dtype: r.dtype });
  const d = t.typedArray;
  for (let i = 0; i < d.length; i++) d[i] = toDtype(r.values[i % r.values.length], r.dtype);
  return t;
}

/** Builds the tensor a recipe describes; its shape is always recipe.shape. */
export function build(r: TensorRecipe): Tensor {
  const shape = r.shape;
  const nd = shape.length;
  let t: Tensor;
  switch (r.layout) {
    case "contig":
      t = base(shape, r);
      break;
    case "offset": // the second of two slabs: a non-zero storage offset
      t = base([2, ...shape], r).index(1);
      break;
    case "transposed": // the reversed shape, permuted back: strides run backwards
      t = base([...shape].reverse(), r).permute([...shape.keys()].reverse());
      break;
    case "stepped": { // every step-th element of a longer dim, from a non-zero start
      if (nd === 0) return build({ ...r, layout: "offset" });
      const d = r.dim % nd;
      const big = [...shape];
      big[d] = shape[d] * r.step + 1;
      t = base(big, r).index(...Array.from({ length: d }, () => ":"), torch.slice(1, null, r.step));
      t = t.narrow(d, 0, shape[d]);
      break;
    }
    case "expanded": { // size-1 dims (and a missing leading dim) broadcast to the shape by stride 0
      const small = shape.map((s, i) => ((r.mask >> i) & 1 ? 1 : s));
      const lead = nd > 0 && (r.mask & 128) !== 0 ? 1 : 0;
      t = base(small.slice(lead), r).expand([...shape]);
      break;
    }
  }
  if (r.requiresGrad && r.dtype === "float32") t = t.detach().requiresGrad_();
  return t;
}

/** A shape b broadcastable with a: some dims set to 1, some leading dims dropped. */
export function broadcastPartner(shape: readonly number[]): fc.Arbitrary<number[]> {
  return fc.record({ ones: fc.nat({ max: 255 }), drop: fc.nat({ max: shape.length }) }).map(({ ones, drop }) =>
    shape.slice(drop).map((s, i) => ((ones >> i) & 1 ? 1 : s)),
  );
}

/** A dim argument: usually valid (either sign), sometimes out of range or not an integer. */
export function dimArb(ndim: number): fc.Arbitrary<number> {
  const n = Math.max(ndim, 1);
  return fc.oneof(
    { weight: 8, arbitrary: fc.integer({ min: -n, max: n - 1 }) },
    { weight: 1, arbitrary: fc.constantFrom(n, -n - 1, 1.5, Number.NaN, 100) },
  );
}
