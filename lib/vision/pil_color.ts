// ColorJitter's adjustments on an `Image`, as torchvision 0.14's PIL path (functional_pil.py) does
// them with Pillow: brightness / contrast / saturation are ImageEnhance's Image.blend of a
// "degenerate" image (black; the rounded mean luma; the luma image) with the image, in float32
// (temp = d + f * (v - d), clipped to 0..255 and truncated); hue converts to Pillow's 8-bit HSV,
// adds uint8(hueFactor * 255) to H with wrap-around, and converts back. Pillow's conversions are
// written here from their definitions (float32 where Pillow uses float, double where it uses double).
// ref: torchvision/transforms/functional_pil.py (adjust_brightness/contrast/saturation/hue), v0.14;
// Pillow's ImageEnhance.py, ImageStat.py, libImaging/Blend.c and Convert.c (rgb2l, rgb2hsv, hsv2rgb).
import type { Image } from "./image.js";

const f32 = Math.fround;
const luma = (r: number, g: number, b: number): number => (r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16;

function checkImage(img: Image): void {
  if (img.channels !== 1 && img.channels !== 3) throw new TypeError(`Only 1 (L) and 3 (RGB) channel Images are supported here, got ${img.channels} channels`);
}

/** Image.blend(degenerate, img, factor) with degenerate(pixel, channel) the other image's value. */
function blend(img: Image, degenerate: (p: number, c: number) => number, factor: number): Image {
  const a = f32(factor);
  const n = img.width * img.height;
  const c = img.channels;
  const out = new Uint8Array(img.data.length);
  for (let p = 0; p < n; p++) {
    for (let k = 0; k < c; k++) {
      const d = degenerate(p, k);
      const t = f32(d + f32(a * (img.data[p * c + k] - d)));
      out[p * c + k] = t <= 0 ? 0 : t >= 255 ? 255 : Math.trunc(t);
    }
  }
  return { width: img.width, height: img.height, channels: c, data: out };
}

const lumaAt = (img: Image, p: number): number =>
  img.channels === 1 ? img.data[p] : luma(img.data[3 * p], img.data[3 * p + 1], img.data[3 * p + 2]);

export function pilAdjustBrightness(img: Image, factor: number): Image {
  if (factor < 0) throw new RangeError(`brightness_factor (${factor}) is not non-negative.`);
  checkImage(img);
  return blend(img, () => 0, factor);
}

export function pilAdjustContrast(img: Image, factor: number): Image {
  if (factor < 0) throw new RangeError(`contrast_factor (${factor}) is not non-negative.`);
  checkImage(img);
  const n = img.width * img.height;
  let sum = 0;
  for (let p = 0; p < n; p++) sum += lumaAt(img, p);
  // ImageStat's mean (sum / count in double), rounded as int(mean + 0.5)
  const mean = Math.trunc(sum / n + 0.5);
  return blend(img, () => mean, factor);
}

export function pilAdjustSaturation(img: Image, factor: number): Image {
  if (factor < 0) throw new RangeError(`saturation_factor (${factor}) is not non-negative.`);
  checkImage(img);
  return blend(img, (p) => lumaAt(img, p), factor);
}

const clip8 = (v: number): number => (v <= 0 ? 0 : v >= 255 ? 255 : v);
/** C's round(): halves away from zero (here for non-negative values and small negatives alike). */
const cRound = (x: number): number => (x < 0 ? -cRound(-x) : x - Math.floor(x) >= 0.5 ? Math.floor(x) + 1 : Math.floor(x));

function rgbToHsv(r: number, g: number, b: number): [number, number, number] {
  const maxc = Math.max(r, g, b);
  const minc = Math.min(r, g, b);
  if (minc === maxc) return [0, 0, maxc];
  const cr = maxc - minc;
  const s = f32(cr / maxc);
  const rc = f32((maxc - r) / cr);
  const gc = f32((maxc - g) / cr);
  const bc = f32((maxc - b) / cr);
  let h: number;
  if (r === maxc) h = f32(bc - gc);
  else if (g === maxc) h = f32(2.0 + rc - bc);
  else h = f32(4.0 + gc - rc);
  h = f32((h / 6.0 + 1.0) % 1.0);
  return [clip8(Math.trunc(h * 255.0)), clip8(Math.trunc(s * 255.0)), maxc];
}

function hsvToRgb(h: number, s: number, v: number): [number, number, number] {
  if (s === 0) return [v, v, v];
  const i = Math.floor((h * 6.0) / 255.0);
  const f = f32((h * 6.0) / 255.0 - i);
  const fs = f32(s / 255.0);
  const p = clip8(cRound(v * (1.0 - fs)));
  const q = clip8(cRound(v * (1.0 - fs * f)));
  const t = clip8(cRound(v * (1.0 - fs * (1.0 - f))));
  switch (i % 6) {
    case 0: return [v, t, p];
    case 1: return [q, v, p];
    case 2: return [p, v, t];
    case 3: return [p, q, v];
    case 4: return [t, p, v];
    default: return [v, p, q];
  }
}

export function pilAdjustHue(img: Image, hueFactor: number): Image {
  if (!(hueFactor >= -0.5 && hueFactor <= 0.5)) throw new RangeError(`hue_factor (${hueFactor}) is not in [-0.5, 0.5].`);
  checkImage(img);
  if (img.channels === 1) return img;
  // np.uint8(hue_factor * 255): truncated toward zero, then wrapped into 0..255
  const shift = ((Math.trunc(hueFactor * 255) % 256) + 256) % 256;
  const out = new Uint8Array(img.data.length);
  for (let i = 0; i < out.length; i += 3) {
    const [h, s, v] = rgbToHsv(img.data[i], img.data[i + 1], img.data[i + 2]);
    const rgb = hsvToRgb((h + shift) & 255, s, v);
    out[i] = rgb[0];
    out[i + 1] = rgb[1];
    out[i + 2] = rgb[2];
  }
  return { width: img.width, height: img.height, channels: 3, data: out };
}
