// Decoding PNG files into an Image (torchvision.io.decode_png's job; ours gives the bytes in
// height x width x channels order, as our datasets hand images out, for ToTensor). Non-interlaced
// 8-bit gray, gray+alpha, RGB, RGBA and palette images, and 1/2/4-bit gray and palette images;
// anything else (16-bit samples, interlacing) is refused with the reason.
// ref: the PNG specification (ISO/IEC 15948, W3C REC-png), sections 5 (chunks), 9 (filters),
// 11.2 (IHDR, PLTE); zlib inflate comes from node:zlib.
import { inflateSync } from "node:zlib";
import type { Image } from "./image.js";

const SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];
/** Channels per color type: 0 gray, 2 RGB, 3 palette (expanded to RGB), 4 gray+alpha, 6 RGBA. */
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
/** A decoded image this large is refused before inflating (a small file can claim a huge size). */
const MAX_PIXELS = 1 << 26;

function fail(why: string): never {
  throw new RangeError(`decodePng: ${why}`);
}

/** The Paeth predictor of the PNG filter type 4. */
function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Undoes the per-row filters in place; returns the raw scanlines without their filter bytes. */
function unfilter(data: Uint8Array, height: number, stride: number, bpp: number): Uint8Array {
  const out = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = data[y * (stride + 1)];
    const src = y * (stride + 1) + 1;
    const row = y * stride;
    const up = row - stride;
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? out[row + x - bpp] : 0;
      const b = y > 0 ? out[up + x] : 0;
      const c = x >= bpp && y > 0 ? out[up + x - bpp] : 0;
      const v = data[src + x];
      switch (filter) {
        case 0: out[row + x] = v; break;
        case 1: out[row + x] = (v + a) & 255; break;
        case 2: out[row + x] = (v + b) & 255; break;
        case 3: out[row + x] = (v + ((a + b) >> 1)) & 255; break;
        case 4: out[row + x] = (v + paeth(a, b, c)) & 255; break;
        default: fail(`row ${y} has an unknown filter type ${filter}`);
      }
    }
  }
  return out;
}

/** One byte per sample from rows of `depth`-bit samples; gray is scaled to 0..255 as PIL does. */
function unpack(rows: Uint8Array, width: number, height: number, stride: number, depth: number, gray: boolean): Uint8Array {
  if (depth === 8) return rows;
  const out = new Uint8Array(width * height);
  const perByte = 8 / depth;
  const mask = (1 << depth) - 1;
  const scale = gray ? 255 / mask : 1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const byte = rows[y * stride + Math.floor(x / perByte)];
      const v = (byte >> (8 - depth * ((x % perByte) + 1))) & mask;
      out[y * width + x] = v * scale;
    }
  }
  return out;
}

/** The image in a PNG file's bytes. */
export function decodePng(bytes: Uint8Array): Image {
  if (!(bytes instanceof Uint8Array)) throw new TypeError("decodePng: expected the file's bytes as a Uint8Array");
  if (bytes.length < 8 || SIGNATURE.some((v, i) => bytes[i] !== v)) fail("not a PNG file (bad signature)");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let width = 0, height = 0, colorType = -1, depth = 8;
  let palette: Uint8Array | null = null;
  const idat: Uint8Array[] = [];
  let pos = 8;
  let ended = false;
  while (!ended) {
    if (pos + 8 > bytes.length) fail("truncated file (no IEND chunk)");
    const length = view.getUint32(pos);
    const type = String.fromCharCode(...bytes.subarray(pos + 4, pos + 8));
    const body = pos + 8;
    if (body + length + 4 > bytes.length) fail(`truncated ${type} chunk`);
    const data = bytes.subarray(body, body + length);
    if (type === "IHDR") {
      if (length !== 13) fail("IHDR must be 13 bytes");
      width = view.getUint32(body);
      height = view.getUint32(body + 4);
      depth = data[8];
      colorType = data[9];
      if (width === 0 || height === 0) fail(`an image of ${width}x${height} has no pixels`);
      if (width * height > MAX_PIXELS) fail(`${width}x${height} is larger than the ${MAX_PIXELS} pixels decodePng accepts`);
      if (!(colorType in CHANNELS)) fail(`unknown color type ${colorType}`);
      // NOTE: gray and palette images may pack 1, 2 or 4 bits per pixel; 16-bit samples are refused.
      const packable = colorType === 0 || colorType === 3;
      if (!(depth === 8 || (packable && (depth === 1 || depth === 2 || depth === 4)))) fail(`bit depth ${depth} is not supported for color type ${colorType}`);
      if (data[12] !== 0) fail("interlaced images are not supported");
    } else if (type === "PLTE") {
      palette = data;
    } else if (type === "IDAT") {
      idat.push(data);
    } else if (type === "IEND") {
      ended = true;
    }
    pos = body + length + 4; // NOTE: CRCs are not checked; inflate catches corrupt image data.
  }
  if (colorType < 0) fail("no IHDR chunk");
  const channels = CHANNELS[colorType];
  const stride = Math.ceil((width * channels * depth) / 8);
  let raw: Uint8Array;
  try {
    raw = inflateSync(Buffer.concat(idat), { maxOutputLength: height * (stride + 1) + 1 });
  } catch (e) {
    fail(`corrupt image data (${(e as Error).message})`);
  }
  if (raw.length !== height * (stride + 1)) fail(`image data holds ${raw.length} bytes, ${width}x${height} needs ${height * (stride + 1)}`);
  const pixels = unpack(unfilter(raw, height, stride, Math.max(1, (channels * depth) >> 3)), width, height, stride, depth, colorType === 0);
  if (colorType !== 3) return { width, height, channels, data: pixels };
  if (palette === null) fail("a palette image without a PLTE chunk");
  const rgb = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) {
    const k = pixels[i] * 3;
    if (k + 2 >= palette.length) fail(`palette index ${pixels[i]} is outside the ${palette.length / 3}-color palette`);
    rgb[i * 3] = palette[k];
    rgb[i * 3 + 1] = palette[k + 1];
    rgb[i * 3 + 2] = palette[k + 2];
  }
  return { width, height, channels: 3, data: rgb };
}

/**
 * The image as one gray channel, as PIL's convert("L") computes it: ITU-R 601-2 luma in 16-bit
 * fixed point, (R * 19595 + G * 38470 + B * 7471 + 0x8000) >> 16 (Convert.c's L24); alpha dropped.
 */
export function toGrayscale(img: Image): Image {
  const { width, height, channels, data } = img;
  if (channels === 1) return img;
  const out = new Uint8Array(width * height);
  for (let i = 0; i < out.length; i++) {
    const p = i * channels;
    out[i] = channels <= 2 ? data[p] : Math.floor((data[p] * 19595 + data[p + 1] * 38470 + data[p + 2] * 7471 + 0x8000) / 65536);
  }
  return { width, height, channels: 1, data: out };
}
