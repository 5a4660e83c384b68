// torchvision's RandomErasing, RandomResizedCrop, FiveCrop and TenCrop. Random parameters come from
// torch's default generator exactly as torchvision 0.14's get_params draw them (torch.rand(1), then
// per attempt torch.empty(1).uniform_ for the area and the log aspect ratio, then torch.randint for
// the corner; RandomErasing's value "random" is torch.empty([C, h, w]).normal_()), so a seeded
// pipeline erases and crops the same boxes. RandomErasing works on Tensors only (as torchvision);
// RandomResizedCrop resizes through Resize (Tensors only, see transforms_resize.ts); FiveCrop and
// TenCrop also take Images.
// ref: torchvision/transforms/transforms.py (RandomErasing, RandomResizedCrop, FiveCrop, TenCrop),
// functional.py (erase, resized_crop, five_crop, ten_crop), v0.14.
import { empty, rand, randint, tensor as mkTensor } from "../ops/creation.js";
import { Tensor } from "../tensor.js";
import { describe } from "./describe.js";
import { isImage, type Image } from "./image.js";
import { CenterCrop, checkPicture, cropPicture, flipPicture, pyRound, sizeOf } from "./transforms_geometry.js";
import { Resize, type ResizeInterpolation } from "./transforms_resize.js";

type Picture = Image | Tensor;

/** torchvision's _setup_size. */
function setupSize(size: number | readonly number[], errorMsg: string): [number, number] {
  if (typeof size === "number") return [Math.trunc(size), Math.trunc(size)];
  if (Array.isArray(size) && size.length === 1) return [size[0], size[0]];
  if (!Array.isArray(size) || size.length !== 2) throw new RangeError(errorMsg);
  return [size[0], size[1]];
}

function pair(fn: string, name: string, v: unknown): [number, number] {
  if (!Array.isArray(v)) throw new TypeError(`${name} should be a sequence`);
  if (v.length < 2 || !v.every((x) => typeof x === "number")) throw new RangeError(`${fn}: ${name.toLowerCase()} should hold two numbers (min, max), got ${JSON.stringify(v)}`);
  return [v[0], v[1]];
}

const uniform1 = (lo: number, hi: number): number => empty([1]).uniform_(lo, hi).item();
const randint1 = (hi: number): number => randint(0, hi, [1]).item();
/** torch.log(torch.tensor(ratio)): the float32 logs torchvision draws the aspect ratio between. */
const logRatio = (ratio: readonly number[]): [number, number] => {
  const l = mkTensor([ratio[0], ratio[1]]).log().tolist() as number[];
  return [l[0], l[1]];
};
const expF32 = (x: number): number => mkTensor([x]).exp().item();

// ---------------------------------------------------------------------------------------------

export interface RandomErasingOptions {
  /** probability of erasing (default 0.5) */
  p?: number;
  /** range of the erased area as a fraction of the image (default [0.02, 0.33]) */
  scale?: readonly number[];
  /** range of the box's aspect ratio h / w (default [0.3, 3.3]) */
  ratio?: readonly number[];
  /** erasing value: a number, one per channel, or "random" (normal noise) (default 0) */
  value?: number | readonly number[] | "random";
  /** erase in the input tensor itself (default false) */
  inplace?: boolean;
}

/** Erases a random box of a Tensor image with probability p (torchvision's RandomErasing). */
export class RandomErasing {
  readonly p: number;
  readonly scale: [number, number];
  readonly ratio: [number, number];
  readonly value: number | readonly number[] | "random";
  readonly inplace: boolean;

  constructor(options: RandomErasingOptions = {}) {
    const { p = 0.5, scale = [0.02, 0.33], ratio = [0.3, 3.3], value = 0, inplace = false } = options;
    if (!(typeof value === "number" || typeof value === "string" || Array.isArray(value))) {
      throw new TypeError("Argument value should be either a number or str or a sequence");
    }
    if (typeof value === "string" && value !== "random") throw new RangeError("If value is str, it should be 'random'");
    if (!Array.isArray(scale)) throw new TypeError("Scale should be a sequence");
    if (!Array.isArray(ratio)) throw new TypeError("Ratio should be a sequence");
    this.scale = pair("RandomErasing", "Scale", scale);
    this.ratio = pair("RandomErasing", "Ratio", ratio);
    if (this.scale[0] > this.scale[1] || this.ratio[0] > this.ratio[1]) console.warn("Scale and ratio should be of kind (min, max)");
    if (this.scale[0] < 0 || this.scale[1] > 1) throw new RangeError("Scale should be between 0 and 1");
    if (!(p >= 0 && p <= 1)) throw new RangeError("Random erasing probability should be between 0 and 1");
    this.p = p;
    this.value = typeof value === "object" ? Object.freeze([...value]) : value;
    this.inplace = inplace;
  }

  /** torchvision's get_params: [i, j, h, w, v]; value null means normal noise. After 10 misses: the whole image and img itself. */
  static getParams(img: Tensor, scale: readonly number[], ratio: readonly number[], value: readonly number[] | null = null): [number, number, number, number, Tensor] {
    const [c, imgH, imgW] = [img.shape[img.ndim - 3], img.shape[img.ndim - 2], img.shape[img.ndim - 1]];
    const area = imgH * imgW;
    const [lr0, lr1] = logRatio(ratio);
    for (let attempt = 0; attempt < 10; attempt++) {
      const eraseArea = area * uniform1(scale[0], scale[1]);
      const aspect = expF32(uniform1(lr0, lr1));
      const h = pyRound(Math.sqrt(eraseArea * aspect));
      const w = pyRound(Math.sqrt(eraseArea / aspect));
      if (!(h < imgH && w < imgW)) continue;
      const v = value === null ? empty([c, h, w], { dtype: "float32" }).normal_() : mkTensor([...value]).view(-1, 1, 1);
      const i = randint1(imgH - h + 1);
      const j = randint1(imgW - w + 1);
      return [i, j, h, w, v];
    }
    return [0, 0, imgH, imgW, img];
  }

  forward(img: Tensor): Tensor {
    if (!(img instanceof Tensor)) {
      if (isImage(img)) throw new TypeError("img should be Tensor Image. Got Image (apply ToTensor first)");
      throw new TypeError(`img should be Tensor Image. Got ${describe(img)}`);
    }
    if (img.ndim < 3) throw new RangeError(`RandomErasing: expected a Tensor image [..., C, H, W], got shape [${img.shape.join(", ")}]`);
    if (!(rand([1]).item() < this.p)) return img;
    const value = typeof this.value === "number" ? [this.value] : this.value === "random" ? null : this.value;
    const c = img.shape[img.ndim - 3];
    if (value !== null && !(value.length === 1 || value.length === c)) {
      throw new RangeError(`If value is a sequence, it should have either a single value or ${c} (number of input channels)`);
    }
    const [i, j, h, w, v] = RandomErasing.getParams(img, this.scale, this.ratio, value);
    return erase(img, i, j, h, w, v, this.inplace);
  }

  toString(): string {
    const v = typeof this.value === "object" ? `[${this.value.join(", ")}]` : String(this.value);
    return `RandomErasing(p=${this.p}, scale=(${this.scale.join(", ")}), ratio=(${this.ratio.join(", ")}), value=${v}, inplace=${this.inplace ? "True" : "False"})`;
  }
}

/** torchvision's F.erase: img[..., i:i+h, j:j+w] = v (on a copy unless inplace). */
export function erase(img: Tensor, i: number, j: number, h: number, w: number, v: Tensor, inplace = false): Tensor {
  if (!(img instanceof Tensor)) throw new TypeError(`img should be Tensor Image. Got ${describe(img)}`);
  const out = inplace ? img : img.clone();
  const box = out.narrow(-2, i, Math.max(0, Math.min(h, out.shape[out.ndim - 2] - i))).narrow(-1, j, Math.max(0, Math.min(w, out.shape[out.ndim - 1] - j)));
  box.copy_(v === img ? v.clone() : v);
  return out;
}

// ---------------------------------------------------------------------------------------------

export interface RandomResizedCropOptions {
  /** range of the crop's area as a fraction of the image (default [0.08, 1]) */
  scale?: readonly number[];
  /** range of the crop's aspect ratio w / h (default [3/4, 4/3]) */
  ratio?: readonly number[];
  /** default "bilinear" */
  interpolation?: ResizeInterpolation;
  /** null or false (true is not built, see Resize) */
  antialias?: boolean | null;
}

/** Crops a random area and aspect ratio, then resizes to `size` (torchvision's RandomResizedCrop). */
export class RandomResizedCrop {
  readonly size: [number, number];
  readonly scale: [number, number];
  readonly ratio: [number, number];
  readonly interpolation: ResizeInterpolation;
  readonly antialias: boolean | null;
  readonly #resize: Resize;

  constructor(size: number | readonly number[], options: RandomResizedCropOptions = {}) {
    this.size = setupSize(size, "Please provide only two dimensions (h, w) for size.");
    const { scale = [0.08, 1.0], ratio = [3.0 / 4.0, 4.0 / 3.0], interpolation = "bilinear", antialias = null } = options;
    if (!Array.isArray(scale)) throw new TypeError("Scale should be a sequence");
    if (!Array.isArray(ratio)) throw new TypeError("Ratio should be a sequence");
    this.scale = pair("RandomResizedCrop", "Scale", scale);
    this.ratio = pair("RandomResizedCrop", "Ratio", ratio);
    if (this.scale[0] > this.scale[1] || this.ratio[0] > this.ratio[1]) console.warn("Scale and ratio should be of kind (min, max)");
    this.#resize = new Resize(this.size, { interpolation, antialias });
    this.interpolation = interpolation;
    this.antialias = antialias;
  }

  /** torchvision's get_params: [top, left, height, width]; 10 attempts, then a centre crop clamped to the ratio range. */
  static getParams(img: Picture, scale: readonly number[], ratio: readonly number[]): [number, number, number, number] {
    checkPicture("RandomResizedCrop.getParams", img);
    const [height, width] = sizeOf(img);
    const area = height * width;
    const [lr0, lr1] = logRatio(ratio);
    for (let attempt = 0; attempt < 10; attempt++) {
      const targetArea = area * uniform1(scale[0], scale[1]);
      const aspect = expF32(uniform1(lr0, lr1));
      const w = pyRound(Math.sqrt(targetArea * aspect));
      const h = pyRound(Math.sqrt(targetArea / aspect));
      if (w > 0 && w <= width && h > 0 && h <= height) {
        const i = randint1(height - h + 1);
        const j = randint1(width - w + 1);
        return [i, j, h, w];
      }
    }
    const inRatio = width / height;
    const [rmin, rmax] = [Math.min(ratio[0], ratio[1]), Math.max(ratio[0], ratio[1])];
    let w: number;
    let h: number;
    if (inRatio < rmin) {
      w = width;
      h = pyRound(w / rmin);
    } else if (inRatio > rmax) {
      h = height;
      w = pyRound(h * rmax);
    } else {
      w = width;
      h = height;
    }
    return [Math.floor((height - h) / 2), Math.floor((width - w) / 2), h, w];
  }

  forward(img: Tensor): Tensor {
    checkPicture("RandomResizedCrop", img);
    if (!(img instanceof Tensor)) throw new TypeError("RandomResizedCrop: Image input (torchvision's antialiased PIL resize) is not built in torchlet; apply ToTensor first");
    const [i, j, h, w] = RandomResizedCrop.getParams(img, this.scale, this.ratio);
    return this.#resize.forward(cropPicture(img, i, j, h, w) as Tensor);
  }

  toString(): string {
    const r4 = (x: number) => Math.round(x * 1e4) / 1e4;
    return `RandomResizedCrop(size=(${this.size.join(", ")}), scale=(${this.scale.map(r4).join(", ")}), ratio=(${this.ratio.map(r4).join(", ")}), interpolation=${this.interpolation}), antialias=${this.antialias === null ? "None" : this.antialias ? "True" : "False"})`;
  }
}

// ---------------------------------------------------------------------------------------------

/** torchvision's F.five_crop: [topLeft, topRight, bottomLeft, bottomRight, center]. */
export function fiveCrop<P extends Picture>(img: P, size: number | readonly number[]): [P, P, P, P, P] {
  checkPicture("five_crop", img);
  const [ch, cw] = setupSize(size, "Please provide only two dimensions (h, w) for size.");
  const [h, w] = sizeOf(img);
  if (cw > w || ch > h) throw new RangeError(`Requested crop size (${ch}, ${cw}) is bigger than input size (${h}, ${w})`);
  const crop = (top: number, left: number) => cropPicture(img, top, left, ch, cw) as P;
  return [crop(0, 0), crop(0, w - cw), crop(h - ch, 0), crop(h - ch, w - cw), new CenterCrop([ch, cw]).forward(img)];
}

/** torchvision's F.ten_crop: the five crops, then those of the flipped image (vertical or horizontal). */
export function tenCrop<P extends Picture>(img: P, size: number | readonly number[], verticalFlip = false): P[] {
  const first = fiveCrop(img, size);
  const flipped = flipPicture(img, verticalFlip ? "v" : "h") as P;
  return [...first, ...fiveCrop(flipped, size)];
}

/** The four corner crops and the centre crop. */
export class FiveCrop {
  readonly size: [number, number];
  constructor(size: number | readonly number[]) {
    this.size = setupSize(size, "Please provide only two dimensions (h, w) for size.");
  }
  forward<P extends Picture>(img: P): [P, P, P, P, P] {
    return fiveCrop(img, this.size);
  }
  toString(): string {
    return `FiveCrop(size=(${this.size.join(", ")}))`;
  }
}

/** FiveCrop of the image and of its flip (horizontal by default). */
export class TenCrop {
  readonly size: [number, number];
  constructor(size: number | readonly number[], readonly verticalFlip = false) {
    this.size = setupSize(size, "Please provide only two dimensions (h, w) for size.");
  }
  forward<P extends Picture>(img: P): P[] {
    return tenCrop(img, this.size, this.verticalFlip);
  }
  toString(): string {
    return `TenCrop(size=(${this.size.join(", ")}), vertical_flip=${this.verticalFlip ? "True" : "False"})`;
  }
}
