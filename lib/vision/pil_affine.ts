// RandomRotation / RandomAffine on an `Image`, as torchvision 0.14's PIL path: Pillow's
// Image.rotate (angle % 360; 90 / 180 / 270 about the centre as exact transposes; the matrix of
// cos / sin rounded to 15 decimals; expand to the rotated corners' floor / ceil box) and
// Image.transform(AFFINE) with NEAREST resampling: a fresh image of the fill colour, then Pillow's
// nearest affine sampler (16.16 fixed point stepping from the first pixel centre while the corners
// stay within +-32768; the pure-scale path and the floating-point path otherwise). Bilinear
// resampling on Images (Pillow's own filter) is not built and throws: apply ToTensor first.
// ref: torchvision/transforms/functional_pil.py (rotate, affine, _parse_fill), functional.py (affine:
// the PIL centre), v0.14; Pillow's Image.py (rotate, transform), libImaging/Geometry.c
// (ImagingTransformAffine, affine_fixed, ImagingScaleAffine).
import type { Image } from "./image.js";

/** torchvision's _parse_fill: one int per channel. */
export function pilFill(fill: number | readonly number[] | null, channels: number): number[] {
  let f: number[];
  if (fill === null) f = new Array(channels).fill(0);
  else if (typeof fill === "number") f = new Array(channels).fill(fill);
  else {
    if (fill.length !== channels) {
      throw new RangeError(`The number of elements in 'fill' does not match the number of channels of the image (${fill.length} != ${channels})`);
    }
    f = [...fill];
  }
  // int(x), then stored in a uint8 pixel
  return f.map((v) => Math.trunc(v) & 255);
}

/** Pillow's Image.transform(size, AFFINE, a, NEAREST, fillcolor=fill). `a` maps output (x, y) to input. */
export function pilAffineNearest(img: Image, a: readonly number[], outW: number, outH: number, fill: readonly number[]): Image {
  const c = img.channels;
  const out = new Uint8Array(outW * outH * c);
  for (let p = 0; p < outW * outH; p++) for (let k = 0; k < c; k++) out[p * c + k] = fill[k];
  const { width: xsize, height: ysize, data } = img;
  const put = (x: number, y: number, xin: number, yin: number) => {
    const o = (y * outW + x) * c;
    const i = (yin * xsize + xin) * c;
    for (let k = 0; k < c; k++) out[o + k] = data[i + k];
  };
  const coord = (v: number) => (v < 0.0 ? -1 : Math.trunc(v));
  if (a[1] === 0 && a[3] === 0) {
    // ImagingScaleAffine: pretabulated columns, rows stepped in double
    const xin = new Int32Array(outW).fill(-1);
    let xo = a[2] + a[0] * 0.5;
    for (let x = 0; x < outW; x++, xo += a[0]) {
      const v = coord(xo);
      if (v >= 0 && v < xsize) xin[x] = v;
    }
    let yo = a[5] + a[4] * 0.5;
    for (let y = 0; y < outH; y++, yo += a[4]) {
      const yi = coord(yo);
      if (yi < 0 || yi >= ysize) continue;
      for (let x = 0; x < outW; x++) if (xin[x] >= 0) put(x, y, xin[x], yi);
    }
  } else {
    const fits = (x: number, y: number) => Math.abs(x * a[0] + y * a[1] + a[2]) < 32768.0 && Math.abs(x * a[3] + y * a[4] + a[5]) < 32768.0;
    if (fits(0, 0) && fits(outW, outH) && fits(0, outH) && fits(outW, 0)) {
      // affine_fixed: 16.16 fixed point (int32 arithmetic)
      const fix = (v: number) => Math.floor(v * 65536.0 + 0.5) | 0;
      const [a0, a1, a3, a4] = [fix(a[0]), fix(a[1]), fix(a[3]), fix(a[4])];
      let a2 = fix(a[2] + a[0] * 0.5 + a[1] * 0.5);
      let a5 = fix(a[5] + a[3] * 0.5 + a[4] * 0.5);
      for (let y = 0; y < outH; y++) {
        let xx = a2;
        let yy = a5;
        for (let x = 0; x < outW; x++) {
          const xi = xx >> 16;
          if (xi >= 0 && xi < xsize) {
            const yi = yy >> 16;
            if (yi >= 0 && yi < ysize) put(x, y, xi, yi);
          }
          xx = (xx + a0) | 0;
          yy = (yy + a3) | 0;
        }
        a2 = (a2 + a1) | 0;
        a5 = (a5 + a4) | 0;
      }
    } else {
      let xo = a[2] + a[1] * 0.5 + a[0] * 0.5;
      let yo = a[5] + a[4] * 0.5 + a[3] * 0.5;
      for (let y = 0; y < outH; y++, xo += a[1], yo += a[4]) {
        let xx = xo;
        let yy = yo;
        for (let x = 0; x < outW; x++, xx += a[0], yy += a[3]) {
          const xi = coord(xx);
          if (xi >= 0 && xi < xsize) {
            const yi = coord(yy);
            if (yi >= 0 && yi < ysize) put(x, y, xi, yi);
          }
        }
      }
    }
  }
  return { width: outW, height: outH, channels: c, data: out };
}

/** Python's round(x, 15). */
const round15 = (x: number): number => Number(x.toFixed(15));

/** Pillow's Image.rotate(angle, NEAREST, expand, center, fillcolor=fill): counter-clockwise degrees. */
export function pilRotate(img: Image, angle: number, expand: boolean, center: readonly number[] | null, fill: readonly number[]): Image {
  angle = ((angle % 360.0) + 360.0) % 360.0;
  let w = img.width;
  let h = img.height;
  if (center === null) {
    if (angle === 0) return { ...img, data: new Uint8Array(img.data) };
    const quarter = angle === 180 || ((angle === 90 || angle === 270) && (expand || w === h));
    if (quarter) {
      // Image.transpose: exact rotations by 90 / 180 / 270 degrees counter-clockwise
      const c = img.channels;
      const [ow, oh] = angle === 180 ? [w, h] : [h, w];
      const out = new Uint8Array(img.data.length);
      for (let y = 0; y < oh; y++) {
        for (let x = 0; x < ow; x++) {
          const [sx, sy] = angle === 180 ? [w - 1 - x, h - 1 - y] : angle === 90 ? [w - 1 - y, x] : [y, h - 1 - x];
          for (let k = 0; k < c; k++) out[(y * ow + x) * c + k] = img.data[(sy * w + sx) * c + k];
        }
      }
      return { width: ow, height: oh, channels: c, data: out };
    }
  }
  const [cx, cy] = center === null ? [w / 2.0, h / 2.0] : [center[0], center[1]];
  const rad = -(angle * (Math.PI / 180.0));
  const m = [round15(Math.cos(rad)), round15(Math.sin(rad)), 0.0, round15(-Math.sin(rad)), round15(Math.cos(rad)), 0.0];
  const apply = (x: number, y: number): [number, number] => [m[0] * x + m[1] * y + m[2], m[3] * x + m[4] * y + m[5]];
  [m[2], m[5]] = apply(-cx, -cy);
  m[2] += cx;
  m[5] += cy;
  if (expand) {
    const pts = [[0, 0], [w, 0], [w, h], [0, h]].map(([x, y]) => apply(x, y));
    const xs = pts.map((p) => p[0]);
    const ys = pts.map((p) => p[1]);
    const nw = Math.ceil(Math.max(...xs)) - Math.floor(Math.min(...xs));
    const nh = Math.ceil(Math.max(...ys)) - Math.floor(Math.min(...ys));
    [m[2], m[5]] = apply(-(nw - w) / 2.0, -(nh - h) / 2.0);
    w = nw;
    h = nh;
  }
  return pilAffineNearest(img, m, w, h, fill);
}
