// torchvision's colour transforms: ConvertImageDtype, Grayscale, RandomGrayscale, ColorJitter,
// RandomInvert, GaussianBlur. On Tensors [..., C, H, W] they follow torchvision 0.14's tensor path
// (functional_tensor.py) op for op, in the image's dtype (integer images go through float32 where
// torchvision's do); random parameters come from torch's default generator in torchvision's order
// (torch.rand(1), torch.randperm(4), torch.empty(1).uniform_(...)). On an `Image` (torchvision's PIL
// path): Grayscale / RandomGrayscale use PIL's integer luma (R*19595 + G*38470 + B*7471 + 0x8000) >> 16,
// RandomInvert is 255 - v, GaussianBlur goes through a uint8 tensor as torchvision does, ColorJitter
// uses Pillow's ImageEnhance / HSV arithmetic (pil_color.ts).
// ref: torchvision/transforms/transforms.py (ConvertImageDtype, Grayscale, RandomGrayscale,
// ColorJitter, RandomInvert, GaussianBlur), functional.py, functional_tensor.py (convert_image_dtype,
// rgb_to_grayscale, _blend, adjust_brightness/contrast/saturation/hue, _rgb2hsv, _hsv2rgb, invert,
// _get_gaussian_kernel1d/2d, gaussian_blur), v0.14; PIL's Convert.c (rgb2l).
import { pad as fpad, conv2d } from "../nn/functional_conv.js";
import { arange, empty, linspace, onesLike, rand, tensor as mkTensor, zerosLike } from "../ops/creation.js";
import { stack } from "../ops/indexing.js";
import { randperm } from "../ops/random.js";
import { isFloating, type DType } from "../dtype.js";
import { Tensor } from "../tensor.js";
import { describe } from "./describe.js";
import { isImage, type Image } from "./image.js";
import { pilAdjustBrightness, pilAdjustContrast, pilAdjustHue, pilAdjustSaturation } from "./pil_color.js";

type Picture = Image | Tensor;

/** torchvision's _assert_image_tensor plus a readable refusal of anything else. */
export function tensorImage(fn: string, img: unknown): asserts img is Tensor {
  if (!(img instanceof Tensor)) {
    if (isImage(img)) throw new TypeError(`${fn}: Image input (torchvision's PIL path) is not built in torchlet for this transform; apply ToTensor first`);
    throw new TypeError(`${fn}: img should be a Tensor or an Image, got ${describe(img)}`);
  }
  if (img.ndim < 2) throw new TypeError("Tensor is not a torch image.");
}

/** Channels of an Image or a Tensor image (1 for a [H, W] tensor), as F.get_dimensions. */
export function channelsOf(img: Picture): number {
  if (img instanceof Tensor) return img.ndim === 2 ? 1 : img.shape[img.ndim - 3];
  return img.channels;
}

function assertChannels(img: Tensor, permitted: readonly number[]): void {
  const c = channelsOf(img);
  if (!permitted.includes(c)) throw new TypeError(`Input image tensor permitted channel values are [${permitted.join(", ")}], but found ${c}`);
}

function checkPicture(fn: string, img: unknown): asserts img is Picture {
  if (img instanceof Tensor) {
    if (img.ndim < 2) throw new TypeError("Tensor is not a torch image.");
    return;
  }
  if (!isImage(img)) throw new TypeError(`${fn}: img should be an Image or a Tensor, got ${describe(img)}`);
}

function checkP(fn: string, p: number): number {
  if (typeof p !== "number" || !(p >= 0 && p <= 1)) throw new RangeError(`${fn}: p should be a probability in [0, 1], got ${String(p)}`);
  return p;
}

/** An Image as a uint8 Tensor [C, H, W] (torchvision's pil_to_tensor). */
export function imageToUint8(img: Image): Tensor {
  const { width: w, height: h, channels: c, data } = img;
  const t = Tensor.empty([c, h, w], "uint8");
  const out = t.typedArray as unknown as { [i: number]: number };
  for (let ch = 0; ch < c; ch++) for (let p = 0; p < h * w; p++) out[ch * h * w + p] = data[p * c + ch];
  return t;
}

/** A uint8 Tensor [C, H, W] back to an Image (torchvision's to_pil_image of a uint8 tensor). */
export function uint8ToImage(t: Tensor): Image {
  const [c, h, w] = t.shape;
  const src = t.contiguous().storage() as unknown as ArrayLike<number>;
  const data = new Uint8Array(c * h * w);
  for (let ch = 0; ch < c; ch++) for (let p = 0; p < h * w; p++) data[p * c + ch] = src[ch * h * w + p];
  return { width: w, height: h, channels: c, data };
}

// ---------------------------------------------------------------------------------------------
// ConvertImageDtype

const INT_MAX: Partial<Record<DType, number>> = {
  uint8: 255, int8: 127, int16: 32767, int32: 2147483647, int64: 9223372036854775807,
};
/** torchvision's _max_value: the integer range's top, 1 for floats (and bool). */
const maxValue = (d: DType): number => INT_MAX[d] ?? 1;

/** torchvision.transforms.functional.convert_image_dtype for Tensors. */
export function convertImageDtype(image: Tensor, dtype: DType = "float32"): Tensor {
  if (!(image instanceof Tensor)) throw new TypeError("Input img should be Tensor Image");
  if (image.dtype === dtype) return image;
  if (image.isFloatingPoint()) {
    if (isFloating(dtype)) return image.type(dtype);
    if ((image.dtype === "float32" && (dtype === "int32" || dtype === "int64")) || (image.dtype === "float64" && dtype === "int64")) {
      throw new Error(`The cast from torch.${image.dtype} to torch.${dtype} cannot be performed safely.`);
    }
    const eps = 1e-3;
    return image.mul(maxValue(dtype) + 1.0 - eps).type(dtype);
  }
  const inputMax = maxValue(image.dtype);
  if (isFloating(dtype)) return image.type(dtype).div(inputMax);
  const outputMax = maxValue(dtype);
  if (inputMax > outputMax) {
    const factor = Math.floor((inputMax + 1) / (outputMax + 1));
    return image.div(factor, { roundingMode: "floor" }).type(dtype);
  }
  const factor = Math.floor((outputMax + 1) / (inputMax + 1));
  return image.type(dtype).mul(factor);
}

/** Converts a Tensor image to `dtype`, rescaling values (uint8 255 <-> float 1.0). */
export class ConvertImageDtype {
  constructor(readonly dtype: DType) {
    if (typeof dtype !== "string") throw new TypeError(`ConvertImageDtype: dtype should be a dtype name, got ${describe(dtype)}`);
  }
  forward(image: Tensor): Tensor {
    return convertImageDtype(image, this.dtype);
  }
  toString(): string {
    return `ConvertImageDtype()`;
  }
}

// ---------------------------------------------------------------------------------------------
// Grayscale

/** torchvision's rgb_to_grayscale (tensor path) / to_grayscale (PIL path). */
export function rgbToGrayscale<P extends Picture>(img: P, numOutputChannels = 1): P {
  if (img instanceof Tensor) {
    if (img.ndim < 3) throw new TypeError(`Input image tensor should have at least 3 dimensions, but found ${img.ndim}`);
    assertChannels(img, [1, 3]);
    if (numOutputChannels !== 1 && numOutputChannels !== 3) throw new RangeError("num_output_channels should be either 1 or 3");
    let l: Tensor;
    if (img.shape[img.ndim - 3] === 3) {
      const [r, g, b] = img.unbind(-3);
      l = r.mul(0.2989).add(g.mul(0.587)).add(b.mul(0.114)).type(img.dtype).unsqueeze(-3);
    } else {
      l = img.clone();
    }
    return (numOutputChannels === 3 ? l.expand(img.shape) : l) as P;
  }
  checkPicture("rgb_to_grayscale", img);
  const im = img as Image;
  if (numOutputChannels !== 1 && numOutputChannels !== 3) throw new RangeError("num_output_channels should be either 1 or 3");
  if (im.channels !== 1 && im.channels !== 3 && im.channels !== 4) throw new TypeError(`rgb_to_grayscale: an Image needs 1, 3 or 4 (RGBA) channels, got ${im.channels}`);
  const n = im.width * im.height;
  const out = new Uint8Array(n * numOutputChannels);
  for (let p = 0; p < n; p++) {
    const s = p * im.channels;
    const v = im.channels === 1 ? im.data[s] : (im.data[s] * 19595 + im.data[s + 1] * 38470 + im.data[s + 2] * 7471 + 0x8000) >> 16;
    for (let c = 0; c < numOutputChannels; c++) out[p * numOutputChannels + c] = v;
  }
  return { width: im.width, height: im.height, channels: numOutputChannels, data: out } as P;
}

/** Converts to grayscale: 0.2989 R + 0.587 G + 0.114 B, 1 or 3 output channels. */
export class Grayscale {
  constructor(readonly numOutputChannels = 1) {}
  forward<P extends Picture>(img: P): P {
    checkPicture("Grayscale", img);
    return rgbToGrayscale(img, this.numOutputChannels);
  }
  toString(): string {
    return `Grayscale(num_output_channels=${this.numOutputChannels})`;
  }
}

/** Grayscale with probability p, keeping the number of channels (one torch.rand(1) per call). */
export class RandomGrayscale {
  constructor(readonly p = 0.1) {
    checkP("RandomGrayscale", p);
  }
  forward<P extends Picture>(img: P): P {
    checkPicture("RandomGrayscale", img);
    const c = channelsOf(img);
    if (rand([1]).item() < this.p) return rgbToGrayscale(img, c);
    return img;
  }
  toString(): string {
    return `RandomGrayscale(p=${this.p})`;
  }
}

// ---------------------------------------------------------------------------------------------
// ColorJitter

function blend(img1: Tensor, img2: Tensor, ratio: number): Tensor {
  const bound = img1.isFloatingPoint() ? 1.0 : 255.0;
  return img1.mul(ratio).add(img2.mul(1.0 - ratio)).clamp(0, bound).type(img1.dtype);
}

export function adjustBrightness(img: Tensor, brightnessFactor: number): Tensor {
  if (brightnessFactor < 0) throw new RangeError(`brightness_factor (${brightnessFactor}) is not non-negative.`);
  tensorImage("adjust_brightness", img);
  assertChannels(img, [1, 3]);
  return blend(img, zerosLike(img), brightnessFactor);
}

export function adjustContrast(img: Tensor, contrastFactor: number): Tensor {
  if (contrastFactor < 0) throw new RangeError(`contrast_factor (${contrastFactor}) is not non-negative.`);
  tensorImage("adjust_contrast", img);
  assertChannels(img, [3, 1]);
  const dtype = img.isFloatingPoint() ? img.dtype : "float32";
  const gray = channelsOf(img) === 3 ? rgbToGrayscale(img) : img;
  const mean = gray.type(dtype).mean([-3, -2, -1], true);
  return blend(img, mean, contrastFactor);
}

export function adjustSaturation(img: Tensor, saturationFactor: number): Tensor {
  if (saturationFactor < 0) throw new RangeError(`saturation_factor (${saturationFactor}) is not non-negative.`);
  tensorImage("adjust_saturation", img);
  assertChannels(img, [1, 3]);
  if (channelsOf(img) === 1) return img;
  return blend(img, rgbToGrayscale(img), saturationFactor);
}

function rgb2hsv(img: Tensor): Tensor {
  const [r, g, b] = img.unbind(-3);
  const maxc = img.amax(-3);
  const minc = img.amin(-3);
  const eqc = maxc.eq(minc);
  const cr = maxc.sub(minc);
  const ones = onesLike(maxc);
  const s = cr.div(ones.where(eqc, maxc));
  const crDivisor = ones.where(eqc, cr);
  const rc = maxc.sub(r).div(crDivisor);
  const gc = maxc.sub(g).div(crDivisor);
  const bc = maxc.sub(b).div(crDivisor);
  const f = (m: Tensor) => m.type(img.dtype);
  const hr = f(maxc.eq(r)).mul(bc.sub(gc));
  const hg = f(maxc.eq(g).logicalAnd(maxc.ne(r))).mul(rc.add(2.0).sub(bc));
  const hb = f(maxc.ne(g).logicalAnd(maxc.ne(r))).mul(gc.add(4.0).sub(rc));
  const h = hr.add(hg).add(hb).div(6.0).add(1.0).fmod(1.0);
  return stack([h, s, maxc], -3);
}

function hsv2rgb(img: Tensor): Tensor {
  const [h, s, v] = img.unbind(-3);
  const h6 = h.mul(6.0);
  const iF = h6.floor();
  const f = h6.sub(iF);
  const i = iF.type("int32").remainder(6);
  const p = v.mul(s.neg().add(1.0)).clamp(0.0, 1.0);
  const q = v.mul(s.mul(f).neg().add(1.0)).clamp(0.0, 1.0);
  const t = v.mul(s.mul(f.neg().add(1.0)).neg().add(1.0)).clamp(0.0, 1.0);
  const mask = i.unsqueeze(-3).eq(arange(6).view(-1, 1, 1)).type(img.dtype);
  const a1 = stack([v, q, p, p, t, v], -3);
  const a2 = stack([t, v, v, q, p, p], -3);
  const a3 = stack([p, p, t, v, v, q], -3);
  const a4 = stack([a1, a2, a3], -4);
  // einsum("...ijk, ...xijk -> ...xjk"): one mask entry is 1, so the sum picks that value exactly.
  return mask.unsqueeze(-4).mul(a4).sum(-3);
}

export function adjustHue(img: Tensor, hueFactor: number): Tensor {
  if (!(hueFactor >= -0.5 && hueFactor <= 0.5)) throw new RangeError(`hue_factor (${hueFactor}) is not in [-0.5, 0.5].`);
  if (!(img instanceof Tensor)) throw new TypeError("Input img should be Tensor image");
  tensorImage("adjust_hue", img);
  assertChannels(img, [1, 3]);
  if (channelsOf(img) === 1) return img;
  const origDtype = img.dtype;
  let x = img;
  if (origDtype === "uint8") x = x.type("float32").div(255.0);
  const [h, s, v] = rgb2hsv(x).unbind(-3);
  const adj = hsv2rgb(stack([h.add(hueFactor).remainder(1.0), s, v], -3));
  return origDtype === "uint8" ? adj.mul(255.0).type(origDtype) : adj;
}

type Range = [number, number] | null;

function jitterRange(value: number | readonly number[], name: string, center = 1, bound: [number, number] = [0, Infinity], clipFirstOnZero = true): Range {
  let v: [number, number];
  if (typeof value === "number") {
    if (value < 0) throw new RangeError(`If ${name} is a single number, it must be non negative.`);
    v = [center - value, center + value];
    if (clipFirstOnZero) v[0] = Math.max(v[0], 0.0);
  } else if (Array.isArray(value) && value.length === 2 && value.every((x) => typeof x === "number")) {
    if (!(bound[0] <= value[0] && value[0] <= value[1] && value[1] <= bound[1])) {
      const fmt = (x: number) => (x === Infinity ? "inf" : Number.isInteger(x) ? x.toFixed(0) : String(x));
      throw new RangeError(`${name} values should be between (${fmt(bound[0])}, ${fmt(bound[1])})`);
    }
    v = [value[0], value[1]];
  } else {
    throw new TypeError(`${name} should be a single number or a list/tuple with length 2.`);
  }
  return v[0] === center && v[1] === center ? null : v;
}

export interface ColorJitterOptions {
  brightness?: number | readonly number[];
  contrast?: number | readonly number[];
  saturation?: number | readonly number[];
  hue?: number | readonly number[];
}

const uniform1 = (lo: number, hi: number): number => empty([1]).uniform_(lo, hi).item();

/** Random brightness, contrast, saturation and hue, applied in a random order (torch.randperm(4)). */
export class ColorJitter {
  readonly brightness: Range;
  readonly contrast: Range;
  readonly saturation: Range;
  readonly hue: Range;

  constructor(brightness?: number | readonly number[] | ColorJitterOptions, contrast?: number | readonly number[], saturation?: number | readonly number[], hue?: number | readonly number[]) {
    let o: ColorJitterOptions = { brightness: brightness as number, contrast, saturation, hue };
    if (brightness !== null && typeof brightness === "object" && !Array.isArray(brightness)) o = { contrast, saturation, hue, ...(brightness as ColorJitterOptions) };
    this.brightness = jitterRange(o.brightness ?? 0, "brightness");
    this.contrast = jitterRange(o.contrast ?? 0, "contrast");
    this.saturation = jitterRange(o.saturation ?? 0, "saturation");
    this.hue = jitterRange(o.hue ?? 0, "hue", 0, [-0.5, 0.5], false);
  }

  /** torchvision's get_params: [order, brightness, contrast, saturation, hue] (null: not drawn). */
  static getParams(brightness: Range, contrast: Range, saturation: Range, hue: Range): [number[], number | null, number | null, number | null, number | null] {
    const order = randperm(4).tolist() as number[];
    const draw = (r: Range) => (r === null ? null : uniform1(r[0], r[1]));
    const b = draw(brightness);
    const c = draw(contrast);
    const s = draw(saturation);
    const h = draw(hue);
    return [order, b, c, s, h];
  }

  forward<P extends Picture>(img: P): P {
    checkPicture("ColorJitter", img);
    const [order, b, c, s, h] = ColorJitter.getParams(this.brightness, this.contrast, this.saturation, this.hue);
    if (!(img instanceof Tensor)) {
      let im = img as Image;
      for (const id of order) {
        if (id === 0 && b !== null) im = pilAdjustBrightness(im, b);
        else if (id === 1 && c !== null) im = pilAdjustContrast(im, c);
        else if (id === 2 && s !== null) im = pilAdjustSaturation(im, s);
        else if (id === 3 && h !== null) im = pilAdjustHue(im, h);
      }
      return im as P;
    }
    let out: Tensor = img;
    for (const id of order) {
      if (id === 0 && b !== null) out = adjustBrightness(out, b);
      else if (id === 1 && c !== null) out = adjustContrast(out, c);
      else if (id === 2 && s !== null) out = adjustSaturation(out, s);
      else if (id === 3 && h !== null) out = adjustHue(out, h);
    }
    return out as P;
  }

  toString(): string {
    const f = (r: Range) => (r === null ? "None" : `[${r.join(", ")}]`);
    return `ColorJitter(brightness=${f(this.brightness)}, contrast=${f(this.contrast)}, saturation=${f(this.saturation)}, hue=${f(this.hue)})`;
  }
}

// ---------------------------------------------------------------------------------------------
// RandomInvert

/** torchvision's F.invert: bound - img (bound 1 for floats, 255 otherwise); an Image: 255 - v. */
export function invert<P extends Picture>(img: P): P {
  if (img instanceof Tensor) {
    tensorImage("invert", img);
    if (img.ndim < 3) throw new TypeError(`Input image tensor should have at least 3 dimensions, but found ${img.ndim}`);
    assertChannels(img, [1, 3]);
    const bound = mkTensor(img.isFloatingPoint() ? 1 : 255, { dtype: img.dtype });
    return bound.sub(img) as P;
  }
  checkPicture("invert", img);
  const im = img as Image;
  return { width: im.width, height: im.height, channels: im.channels, data: im.data.map((v) => 255 - v) } as P;
}

/** Inverts the colours with probability p (one torch.rand(1) per call). */
export class RandomInvert {
  constructor(readonly p = 0.5) {
    checkP("RandomInvert", p);
  }
  forward<P extends Picture>(img: P): P {
    checkPicture("RandomInvert", img);
    return rand([1]).item() < this.p ? invert(img) : img;
  }
  toString(): string {
    return `RandomInvert(p=${this.p})`;
  }
}

// ---------------------------------------------------------------------------------------------
// GaussianBlur

function gaussianKernel1d(kernelSize: number, sigma: number): Tensor {
  const half = (kernelSize - 1) * 0.5;
  const x = linspace(-half, half, kernelSize);
  const pdf = x.div(sigma).pow(2).mul(-0.5).exp();
  return pdf.div(pdf.sum());
}

/** torchvision's F.gaussian_blur: kernelSize [kx, ky] (odd, positive), sigma [sx, sy]. */
export function gaussianBlur<P extends Picture>(img: P, kernelSize: number | readonly number[], sigma?: number | readonly number[] | null): P {
  const ks = typeof kernelSize === "number" ? [kernelSize, kernelSize] : [...kernelSize];
  if (ks.length === 1) ks.push(ks[0]);
  if (ks.length !== 2) throw new RangeError(`If kernel_size is a sequence its length should be 2. Got ${ks.length}`);
  for (const k of ks) if (!Number.isSafeInteger(k) || k % 2 === 0 || k < 0) throw new RangeError(`kernel_size should have odd and positive integers. Got ${JSON.stringify(kernelSize)}`);
  let sg: number[];
  if (sigma === undefined || sigma === null) sg = ks.map((k) => ((k - 1) * 0.5 - 1) * 0.3 + 0.8);
  else sg = typeof sigma === "number" ? [sigma, sigma] : [...sigma];
  if (sg.length === 1) sg.push(sg[0]);
  if (sg.length !== 2) throw new RangeError(`If sigma is a sequence, its length should be 2. Got ${sg.length}`);
  for (const s of sg) if (!(s > 0)) throw new RangeError(`sigma should have positive values. Got ${JSON.stringify(sigma)}`);
  if (!(img instanceof Tensor)) {
    checkPicture("gaussian_blur", img);
    return uint8ToImage(gaussianBlur(imageToUint8(img as Image), ks, sg)) as P;
  }
  tensorImage("gaussian_blur", img);
  const dtype: DType = img.isFloatingPoint() ? img.dtype : "float32";
  const kx = gaussianKernel1d(ks[0], sg[0]).type(dtype);
  const ky = gaussianKernel1d(ks[1], sg[1]).type(dtype);
  let kernel = ky.unsqueeze(1).mm(kx.unsqueeze(0));
  const c = channelsOf(img);
  kernel = kernel.expand(c, 1, kernel.shape[0], kernel.shape[1]);
  // _cast_squeeze_in / _cast_squeeze_out
  const squeeze = img.ndim < 4;
  let x: Tensor = squeeze ? img.unsqueeze(0) : img;
  if (squeeze && img.ndim === 2) x = x.unsqueeze(0);
  const cast = x.dtype !== dtype;
  if (cast) x = x.type(dtype);
  x = fpad(x, [ks[0] >> 1, ks[0] >> 1, ks[1] >> 1, ks[1] >> 1], "reflect");
  let y = conv2d(x, kernel, null, 1, 0, 1, c);
  if (squeeze) y = y.squeeze(0);
  if (squeeze && img.ndim === 2) y = y.squeeze(0);
  if (cast) {
    const out = img.dtype;
    if (["uint8", "int8", "int16", "int32", "int64"].includes(out)) y = y.round();
    y = y.type(out);
  }
  return y as P;
}

/** Blurs with a Gaussian kernel of random sigma in [sigmaMin, sigmaMax] (torch.empty(1).uniform_). */
export class GaussianBlur {
  readonly kernelSize: [number, number];
  readonly sigma: [number, number];

  constructor(kernelSize: number | readonly number[], sigma: number | readonly number[] = [0.1, 2.0]) {
    const k = typeof kernelSize === "number" ? [Math.trunc(kernelSize), Math.trunc(kernelSize)] : Array.isArray(kernelSize) && kernelSize.length === 1 ? [kernelSize[0], kernelSize[0]] : kernelSize;
    if (!Array.isArray(k) || k.length !== 2) throw new RangeError("Kernel size should be a tuple/list of two integers");
    for (const ks of k) if (ks <= 0 || ks % 2 === 0) throw new RangeError("Kernel size value should be an odd and positive number.");
    this.kernelSize = [k[0], k[1]];
    if (typeof sigma === "number") {
      if (sigma <= 0) throw new RangeError("If sigma is a single number, it must be positive.");
      this.sigma = [sigma, sigma];
    } else if (Array.isArray(sigma) && sigma.length === 2) {
      if (!(0.0 < sigma[0] && sigma[0] <= sigma[1])) throw new RangeError("sigma values should be positive and of the form (min, max).");
      this.sigma = [sigma[0], sigma[1]];
    } else {
      throw new RangeError("sigma should be a single number or a list/tuple with length 2.");
    }
  }

  static getParams(sigmaMin: number, sigmaMax: number): number {
    return uniform1(sigmaMin, sigmaMax);
  }

  forward<P extends Picture>(img: P): P {
    checkPicture("GaussianBlur", img);
    const s = GaussianBlur.getParams(this.sigma[0], this.sigma[1]);
    return gaussianBlur(img, this.kernelSize, [s, s]);
  }

  toString(): string {
    return `GaussianBlur(kernel_size=(${this.kernelSize.join(", ")}), sigma=(${this.sigma.join(", ")}))`;
  }
}
