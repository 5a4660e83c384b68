// torchvision's RandomRotation and RandomAffine (and the functional rotate / affine) for Tensor
// images [..., C, H, W], as torchvision 0.14's tensor path: the inverse affine matrix of
// _get_inverse_affine_matrix (Python's math in double), an output grid built as _gen_affine_grid
// (linspace of pixel centres, theta / [w/2, h/2], bmm) in the image's float dtype (float32 for
// integer images, rounded back), F.grid_sample with padding zeros and align_corners=False, and the
// fill applied through an extra all-ones channel (nearest: pixels whose mask < 0.5 take the fill;
// bilinear: img * mask + (1 - mask) * fill). expand=true sizes the output as
// _compute_affine_output_size (float32, 1e-4 tolerance). Angles, translations, scales and shears
// are drawn with torch.empty(1).uniform_ in torchvision's order. Images go through Pillow's rotate /
// nearest affine sampler (pil_affine.ts); bilinear on Images is not built.
// ref: torchvision/transforms/transforms.py (RandomRotation, RandomAffine, _setup_angle,
// _check_sequence_input), functional.py (rotate, affine, _get_inverse_affine_matrix),
// functional_tensor.py (rotate, affine, _gen_affine_grid, _apply_grid_transform,
// _compute_affine_output_size, _assert_grid_transform_inputs), v0.14.
import { gridSample } from "../nn/functional_sampling.js";
import { cat } from "../ops/indexing.js";
import { empty, linspace, ones, tensor as mkTensor } from "../ops/creation.js";
import type { DType } from "../dtype.js";
import { Tensor } from "../tensor.js";
import { isImage, type Image } from "./image.js";
import { pilAffineNearest, pilFill, pilRotate } from "./pil_affine.js";
import { pyRound } from "./transforms_geometry.js";

export type AffineInterpolation = "nearest" | "bilinear";
type Fill = number | readonly number[] | null;

const DEG_TO_RAD = Math.PI / 180.0;

/** torchvision's _get_inverse_affine_matrix (output pixel -> input pixel, about `center`). */
export function getInverseAffineMatrix(center: readonly number[], angle: number, translate: readonly number[], scale: number, shear: readonly number[], inverted = true): number[] {
  const rot = angle * DEG_TO_RAD;
  const sx = shear[0] * DEG_TO_RAD;
  const sy = shear[1] * DEG_TO_RAD;
  const [cx, cy] = center;
  const [tx, ty] = translate;
  const a = Math.cos(rot - sy) / Math.cos(sy);
  const b = (-Math.cos(rot - sy) * Math.tan(sx)) / Math.cos(sy) - Math.sin(rot);
  const c = Math.sin(rot - sy) / Math.cos(sy);
  const d = (-Math.sin(rot - sy) * Math.tan(sx)) / Math.cos(sy) + Math.cos(rot);
  let m: number[];
  if (inverted) {
    m = [d, -b, 0.0, -c, a, 0.0].map((x) => x / scale);
    m[2] += m[0] * (-cx - tx) + m[1] * (-cy - ty);
    m[5] += m[3] * (-cx - tx) + m[4] * (-cy - ty);
    m[2] += cx;
    m[5] += cy;
  } else {
    m = [a, b, 0.0, c, d, 0.0].map((x) => x * scale);
    m[2] += m[0] * -cx + m[1] * -cy;
    m[5] += m[3] * -cx + m[4] * -cy;
    m[2] += cx + tx;
    m[5] += cy + ty;
  }
  return m;
}

function assertGridInputs(img: unknown, fill: Fill, interpolation: string): asserts img is Tensor {
  if (!(img instanceof Tensor)) {
    if (isImage(img)) throw new TypeError("Input img should be Tensor (Image input, PIL's affine sampler, is not built in torchlet; apply ToTensor first)");
    throw new TypeError("Input img should be Tensor");
  }
  if (img.ndim < 2) throw new TypeError("Tensor is not a torch image.");
  const c = img.ndim === 2 ? 1 : img.shape[img.ndim - 3];
  if (fill !== null && typeof fill === "object" && fill.length > 1 && fill.length !== c) {
    throw new RangeError(`The number of elements in 'fill' cannot broadcast to match the number of channels of the image (${fill.length} != ${c})`);
  }
  if (interpolation !== "nearest" && interpolation !== "bilinear") throw new RangeError(`Interpolation mode '${interpolation}' is unsupported with Tensor input`);
}

function genAffineGrid(theta: Tensor, w: number, h: number, ow: number, oh: number): Tensor {
  const d = 0.5;
  const base = empty([1, oh, ow, 3], { dtype: theta.dtype });
  base.select(-1, 0).copy_(linspace(-ow * 0.5 + d, ow * 0.5 + d - 1, ow));
  base.select(-1, 1).copy_(linspace(-oh * 0.5 + d, oh * 0.5 + d - 1, oh).unsqueeze(-1));
  base.select(-1, 2).fill_(1);
  const rescaled = theta.transpose(1, 2).div(mkTensor([0.5 * w, 0.5 * h], { dtype: theta.dtype }));
  return base.view(1, oh * ow, 3).bmm(rescaled).view(1, oh, ow, 2);
}

function applyGridTransform(img: Tensor, grid: Tensor, mode: AffineInterpolation, fill: Fill): Tensor {
  // _cast_squeeze_in
  const outDtype = img.dtype;
  let x = img;
  const squeeze = x.ndim < 4;
  if (squeeze) {
    x = x.unsqueeze(0);
    if (img.ndim === 2) x = x.unsqueeze(0);
  }
  const cast = x.dtype !== grid.dtype;
  if (cast) x = x.type(grid.dtype);
  if (x.shape[0] > 1) grid = grid.expand(x.shape[0], grid.shape[1], grid.shape[2], grid.shape[3]);
  if (fill !== null) x = cat([x, ones([x.shape[0], 1, x.shape[2], x.shape[3]], { dtype: x.dtype })], 1);
  x = gridSample(x, grid, { mode, paddingMode: "zeros", alignCorners: false });
  if (fill !== null) {
    const c = x.shape[1] - 1;
    let mask = x.narrow(1, c, 1);
    x = x.narrow(1, 0, c);
    mask = mask.expandAs(x);
    const list = typeof fill === "number" ? [fill] : [...fill];
    const fillImg = mkTensor(list, { dtype: x.dtype }).view(1, list.length, 1, 1).expandAs(x);
    if (mode === "nearest") x = fillImg.where(mask.lt(0.5), x);
    else x = x.mul(mask).add(mask.neg().add(1.0).mul(fillImg));
  }
  // _cast_squeeze_out
  if (squeeze) {
    x = x.squeeze(0);
    if (img.ndim === 2) x = x.squeeze(0);
  }
  if (cast) {
    if (["uint8", "int8", "int16", "int32", "int64"].includes(outDtype)) x = x.round();
    x = x.type(outDtype);
  }
  return x;
}

/** torchvision's _compute_affine_output_size: [w, h] holding the transformed corners (float32). */
function affineOutputSize(matrix: readonly number[], w: number, h: number): [number, number] {
  const pts = mkTensor([[-0.5 * w, -0.5 * h, 1.0], [-0.5 * w, 0.5 * h, 1.0], [0.5 * w, 0.5 * h, 1.0], [0.5 * w, -0.5 * h, 1.0]]);
  const theta = mkTensor([...matrix], { dtype: "float32" }).view(2, 3);
  const pnew = pts.matmul(theta.t());
  const half = mkTensor([w * 0.5, h * 0.5]);
  const minv = pnew.amin(0).add(half);
  const maxv = pnew.amax(0).add(half);
  const tol = 1e-4;
  const cmax = maxv.div(tol).trunc().mul(tol).ceil();
  const cmin = minv.div(tol).trunc().mul(tol).floor();
  const size = cmax.sub(cmin).tolist() as number[];
  return [Math.trunc(size[0]), Math.trunc(size[1])];
}

const floatDtypeOf = (img: Tensor): DType => (img.isFloatingPoint() ? img.dtype : "float32");

export interface RotateOptions {
  /** default "nearest" */
  interpolation?: AffineInterpolation;
  /** grow the output to hold the whole rotated image (default false) */
  expand?: boolean;
  /** [x, y] rotation centre in pixels (default: the image centre) */
  center?: readonly number[] | null;
  /** value of pixels outside the image: a number or one per channel (default null: zeros) */
  fill?: Fill;
}

function pilNearestOnly(fn: string, interpolation: string): void {
  if (interpolation !== "nearest") throw new RangeError(`${fn}: ${interpolation} interpolation on an Image (Pillow's filter) is not built in torchlet; use nearest or apply ToTensor first`);
}

/** torchvision's F.rotate: counter-clockwise by `angle` degrees (an Image as Pillow's Image.rotate). */
export function rotate<P extends Tensor | Image>(img: P, angle: number, options?: RotateOptions): P;
export function rotate(img: Tensor | Image, angle: number, options: RotateOptions = {}): Tensor | Image {
  const { interpolation = "nearest", expand = false, center = null, fill = null } = options;
  if (typeof angle !== "number") throw new TypeError("Argument angle should be int or float");
  if (center !== null && !Array.isArray(center)) throw new TypeError("Argument center should be a sequence");
  if (!(img instanceof Tensor) && isImage(img)) {
    pilNearestOnly("rotate", interpolation);
    return pilRotate(img, angle, expand, center, pilFill(fill, img.channels));
  }
  assertGridInputs(img, fill, interpolation);
  const h = img.shape[img.ndim - 2];
  const w = img.shape[img.ndim - 1];
  const centerF = center === null ? [0.0, 0.0] : [center[0] - w * 0.5, center[1] - h * 0.5];
  const matrix = getInverseAffineMatrix(centerF, -angle, [0.0, 0.0], 1.0, [0.0, 0.0]);
  const [ow, oh] = expand ? affineOutputSize(matrix, w, h) : [w, h];
  const theta = mkTensor(matrix, { dtype: floatDtypeOf(img) }).reshape([1, 2, 3]);
  return applyGridTransform(img, genAffineGrid(theta, w, h, ow, oh), interpolation, fill);
}

export interface AffineOptions {
  /** default "nearest" */
  interpolation?: AffineInterpolation;
  fill?: Fill;
  center?: readonly number[] | null;
}

/** torchvision's F.affine: rotation `angle` (clockwise in image coordinates), translation, scale, shear [sx, sy] degrees (an Image as Pillow's nearest affine transform). */
export function affine<P extends Tensor | Image>(img: P, angle: number, translate: readonly number[], scale: number, shear: number | readonly number[], options?: AffineOptions): P;
export function affine(img: Tensor | Image, angle: number, translate: readonly number[], scale: number, shear: number | readonly number[], options: AffineOptions = {}): Tensor | Image {
  const { interpolation = "nearest", fill = null, center = null } = options;
  if (typeof angle !== "number") throw new TypeError("Argument angle should be int or float");
  if (!Array.isArray(translate)) throw new TypeError("Argument translate should be a sequence");
  if (translate.length !== 2) throw new RangeError("Argument translate should be a sequence of length 2");
  if (!(scale > 0.0)) throw new RangeError("Argument scale should be positive");
  if (typeof shear !== "number" && !Array.isArray(shear)) throw new TypeError("Shear should be either a single value or a sequence of two values");
  let sh = typeof shear === "number" ? [shear, 0.0] : [...shear];
  if (sh.length === 1) sh = [sh[0], sh[0]];
  if (sh.length !== 2) throw new RangeError(`Shear should be a sequence containing two values. Got [${sh.join(", ")}]`);
  if (center !== null && !Array.isArray(center)) throw new TypeError("Argument center should be a sequence");
  if (!(img instanceof Tensor) && isImage(img)) {
    pilNearestOnly("affine", interpolation);
    const c = center === null ? [img.width * 0.5, img.height * 0.5] : center;
    const m = getInverseAffineMatrix(c, angle, [translate[0], translate[1]], scale, sh);
    return pilAffineNearest(img, m, img.width, img.height, pilFill(fill, img.channels));
  }
  assertGridInputs(img, fill, interpolation);
  const h = img.shape[img.ndim - 2];
  const w = img.shape[img.ndim - 1];
  const centerF = center === null ? [0.0, 0.0] : [center[0] - w * 0.5, center[1] - h * 0.5];
  const matrix = getInverseAffineMatrix(centerF, angle, [translate[0], translate[1]], scale, sh);
  const theta = mkTensor(matrix, { dtype: floatDtypeOf(img) }).reshape([1, 2, 3]);
  return applyGridTransform(img, genAffineGrid(theta, w, h, w, h), interpolation, fill);
}

// ---------------------------------------------------------------------------------------------

/** torchvision's _check_sequence_input. */
function checkSequence(x: unknown, name: string, reqSizes: readonly number[]): readonly number[] {
  const msg = reqSizes.length < 2 ? String(reqSizes[0]) : reqSizes.join(" or ");
  if (!Array.isArray(x)) throw new TypeError(`${name} should be a sequence of length ${msg}.`);
  if (!reqSizes.includes(x.length)) throw new RangeError(`${name} should be a sequence of length ${msg}.`);
  return x;
}

/** torchvision's _setup_angle: a number d gives [-d, d]. */
function setupAngle(x: number | readonly number[], name: string, reqSizes: readonly number[] = [2]): number[] {
  if (typeof x === "number") {
    if (x < 0) throw new RangeError(`If ${name} is a single number, it must be positive.`);
    return [-x, x];
  }
  return [...checkSequence(x, name, reqSizes)];
}

function fillArg(fill: Fill | undefined): number | readonly number[] {
  if (fill === null || fill === undefined) return 0;
  if (typeof fill !== "number" && !Array.isArray(fill)) throw new TypeError("Fill should be either a sequence or a number.");
  return fill;
}

const fillFor = (img: Tensor, fill: number | readonly number[]): number[] =>
  typeof fill === "number" ? new Array(img.ndim === 2 ? 1 : img.shape[img.ndim - 3]).fill(fill) : [...fill];

const uniform1 = (lo: number, hi: number): number => empty([1]).uniform_(lo, hi).item();

function checkInterpolation(i: string): AffineInterpolation {
  if (i !== "nearest" && i !== "bilinear") throw new RangeError(`Interpolation mode '${i}' is unsupported with Tensor input (nearest and bilinear are built)`);
  return i;
}

/** Rotates by an angle drawn uniformly from degrees ([-d, d] for a number d). */
export class RandomRotation {
  readonly degrees: number[];
  readonly interpolation: AffineInterpolation;
  readonly expand: boolean;
  readonly center: readonly number[] | null;
  readonly fill: number | readonly number[];

  constructor(degrees: number | readonly number[], interpolation?: AffineInterpolation | RotateOptions, expand = false, center: readonly number[] | null = null, fill: Fill = 0) {
    let o: RotateOptions = { interpolation: interpolation as AffineInterpolation, expand, center, fill };
    if (interpolation !== null && typeof interpolation === "object") o = { expand, center, fill, ...interpolation };
    this.degrees = setupAngle(degrees, "degrees", [2]);
    if (o.center !== null && o.center !== undefined) checkSequence(o.center, "center", [2]);
    this.center = o.center ?? null;
    this.interpolation = checkInterpolation(o.interpolation ?? "nearest");
    this.expand = o.expand ?? false;
    this.fill = fillArg(o.fill);
  }

  static getParams(degrees: readonly number[]): number {
    return uniform1(degrees[0], degrees[1]);
  }

  forward<P extends Tensor | Image>(img: P): P {
    if (!(img instanceof Tensor) && isImage(img)) {
      pilNearestOnly("RandomRotation", this.interpolation);
      const fill = pilFill(this.fill, img.channels);
      const angle = RandomRotation.getParams(this.degrees);
      return pilRotate(img, angle, this.expand, this.center, fill) as P;
    }
    assertGridInputs(img, null, this.interpolation);
    const fill = fillFor(img, this.fill);
    const angle = RandomRotation.getParams(this.degrees);
    return rotate(img, angle, { interpolation: this.interpolation, expand: this.expand, center: this.center, fill }) as P;
  }

  toString(): string {
    const c = this.center === null ? "" : `, center=[${this.center.join(", ")}]`;
    const f = typeof this.fill === "number" ? String(this.fill) : `[${this.fill.join(", ")}]`;
    return `RandomRotation(degrees=[${this.degrees.join(", ")}], interpolation=${this.interpolation}, expand=${this.expand ? "True" : "False"}${c}, fill=${f})`;
  }
}

export interface RandomAffineOptions {
  /** maximal fractions [a, b] of the width / height to shift by (default null: none) */
  translate?: readonly number[] | null;
  /** scale range [lo, hi] (default null: 1) */
  scale?: readonly number[] | null;
  /** shear degrees: d ([-d, d] along x), [lo, hi] (x) or [xlo, xhi, ylo, yhi] (default null) */
  shear?: number | readonly number[] | null;
  interpolation?: AffineInterpolation;
  fill?: Fill;
  center?: readonly number[] | null;
}

/** Random rotation, translation, scale and shear keeping the centre (torchvision's RandomAffine). */
export class RandomAffine {
  readonly degrees: number[];
  readonly translate: readonly number[] | null;
  readonly scale: readonly number[] | null;
  readonly shear: number[] | null;
  readonly interpolation: AffineInterpolation;
  readonly fill: number | readonly number[];
  readonly center: readonly number[] | null;

  constructor(
    degrees: number | readonly number[], translate?: readonly number[] | null | RandomAffineOptions, scale: readonly number[] | null = null,
    shear: number | readonly number[] | null = null, interpolation: AffineInterpolation = "nearest", fill: Fill = 0, center: readonly number[] | null = null,
  ) {
    let o: RandomAffineOptions = { translate: translate as readonly number[] | null, scale, shear, interpolation, fill, center };
    if (translate !== null && typeof translate === "object" && !Array.isArray(translate)) o = { scale, shear, interpolation, fill, center, ...(translate as RandomAffineOptions) };
    this.degrees = setupAngle(degrees, "degrees", [2]);
    const t = o.translate ?? null;
    if (t !== null) {
      checkSequence(t, "translate", [2]);
      for (const v of t) if (!(v >= 0.0 && v <= 1.0)) throw new RangeError("translation values should be between 0 and 1");
    }
    this.translate = t;
    const s = o.scale ?? null;
    if (s !== null) {
      checkSequence(s, "scale", [2]);
      for (const v of s) if (v <= 0) throw new RangeError("scale values should be positive");
    }
    this.scale = s;
    this.shear = o.shear === null || o.shear === undefined ? null : setupAngle(o.shear, "shear", [2, 4]);
    this.interpolation = checkInterpolation(o.interpolation ?? "nearest");
    this.fill = fillArg(o.fill);
    if (o.center !== null && o.center !== undefined) checkSequence(o.center, "center", [2]);
    this.center = o.center ?? null;
  }

  /** torchvision's get_params: [angle, [tx, ty], scale, [shearX, shearY]]; imgSize is [width, height]. */
  static getParams(degrees: readonly number[], translate: readonly number[] | null, scaleRanges: readonly number[] | null, shears: readonly number[] | null, imgSize: readonly number[]): [number, [number, number], number, [number, number]] {
    const angle = uniform1(degrees[0], degrees[1]);
    let translations: [number, number] = [0, 0];
    if (translate !== null) {
      const maxDx = translate[0] * imgSize[0];
      const maxDy = translate[1] * imgSize[1];
      const tx = pyRound(uniform1(-maxDx, maxDx));
      const ty = pyRound(uniform1(-maxDy, maxDy));
      translations = [tx, ty];
    }
    const scale = scaleRanges !== null ? uniform1(scaleRanges[0], scaleRanges[1]) : 1.0;
    let shearX = 0.0;
    let shearY = 0.0;
    if (shears !== null) {
      shearX = uniform1(shears[0], shears[1]);
      if (shears.length === 4) shearY = uniform1(shears[2], shears[3]);
    }
    return [angle, translations, scale, [shearX, shearY]];
  }

  forward<P extends Tensor | Image>(img: P): P {
    if (!(img instanceof Tensor) && isImage(img)) {
      pilNearestOnly("RandomAffine", this.interpolation);
      const fill = pilFill(this.fill, img.channels);
      const [angle, translate, scale, shear] = RandomAffine.getParams(this.degrees, this.translate, this.scale, this.shear, [img.width, img.height]);
      return affine(img, angle, translate, scale, shear, { fill, center: this.center }) as P;
    }
    assertGridInputs(img, null, this.interpolation);
    const fill = fillFor(img, this.fill);
    const imgSize = [img.shape[img.ndim - 1], img.shape[img.ndim - 2]];
    const [angle, translate, scale, shear] = RandomAffine.getParams(this.degrees, this.translate, this.scale, this.shear, imgSize);
    return affine(img, angle, translate, scale, shear, { interpolation: this.interpolation, fill, center: this.center }) as P;
  }

  toString(): string {
    const l = (v: readonly number[]) => `[${v.join(", ")}]`;
    let s = `RandomAffine(degrees=${l(this.degrees)}`;
    if (this.translate !== null) s += `, translate=${l(this.translate)}`;
    if (this.scale !== null) s += `, scale=${l(this.scale)}`;
    if (this.shear !== null) s += `, shear=${l(this.shear)}`;
    if (this.interpolation !== "nearest") s += `, interpolation=${this.interpolation}`;
    if (this.fill !== 0) s += `, fill=${typeof this.fill === "number" ? this.fill : l(this.fill)}`;
    if (this.center !== null) s += `, center=${l(this.center)}`;
    return `${s})`;
  }
}

