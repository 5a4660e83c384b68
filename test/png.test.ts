// vision.io.decodePng: PNG files written by PIL (gray with optimize's filters, RGB, RGBA, palette)
// decode to the pixels they were made from (FashionMNIST's first training image), filters of every
// type round-trip, and malformed files are refused with a reason, never decoded into garbage.
import { readFileSync } from "node:fs";
import { deflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import type { Image } from "../lib/vision/image.js";

const { decodePng, toGrayscale } = torch.vision.io;
const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`./fixtures/png/${name}`, import.meta.url)));
const first = (new torch.vision.datasets.FashionMNIST({ root: "data", train: true }).get(0) as [Image, number])[0];

/** A PNG of `img` whose rows use the given filter types in turn (our own encoder, for the decoder's filters). */
function encode(img: Image, colorType: number, filters: number[]): Uint8Array {
  const { width, height, channels, data } = img;
  const stride = width * channels;
  const raw = new Uint8Array(height * (stride + 1));
  for (let y = 0; y < height; y++) {
    const f = filters[y % filters.length];
    raw[y * (stride + 1)] = f;
    for (let x = 0; x < stride; x++) {
      const v = data[y * stride + x];
      const a = x >= channels ? data[y * stride + x - channels] : 0;
      const b = y > 0 ? data[(y - 1) * stride + x] : 0;
      const c = x >= channels && y > 0 ? data[(y - 1) * stride + x - channels] : 0;
      const p = a + b - c;
      const pred = [0, a, b, (a + b) >> 1, Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c][f];
      raw[y * (stride + 1) + 1 + x] = (v - pred) & 255;
    }
  }
  const chunk = (type: string, body: Uint8Array) => {
    const out = Buffer.alloc(12 + body.length);
    out.writeUInt32BE(body.length, 0);
    out.write(type, 4, "latin1");
    Buffer.from(body).copy(out, 8);
    return out; // CRC left zero: the decoder doesn't check it
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = colorType;
  return new Uint8Array(Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk("IHDR", ihdr), chunk("IDAT", deflateSync(raw)), chunk("IEND", new Uint8Array(0))]));
}

describe("vision.io.decodePng", () => {
  it("decodes PIL's files into the pixels they were made from", () => {
    expect(decodePng(fixture("fashion0_gray.png"))).toEqual(first);
    const rgb = decodePng(fixture("fashion0_rgb.png"));
    expect([rgb.width, rgb.height, rgb.channels]).toEqual([28, 28, 3]);
    for (let i = 0; i < 784; i++) expect([rgb.data[3 * i], rgb.data[3 * i + 1], rgb.data[3 * i + 2]]).toEqual([first.data[i], 255 - first.data[i], first.data[i] >> 1]);
    const rgba = decodePng(fixture("fashion0_rgba.png"));
    expect(rgba.channels).toBe(4);
    expect(Array.from(rgba.data.subarray(0, 4 * 784)).filter((_, i) => i % 4 === 3).every((a) => a === 200)).toBe(true);
    const pal = decodePng(fixture("fashion0_palette.png"));
    expect(pal.channels).toBe(3);
    expect(new Set(Array.from({ length: 784 }, (_, i) => pal.data.subarray(3 * i, 3 * i + 3).join())).size).toBeLessThanOrEqual(16);
  });

  it("undoes every filter type, for every color type", () => {
    const img3: Image = { width: 7, height: 5, channels: 3, data: new Uint8Array(105).map((_, i) => (i * 37 + (i >> 3) * 11) & 255) };
    for (const filters of [[0], [1], [2], [3], [4], [0, 1, 2, 3, 4]]) {
      expect(decodePng(encode(first, 0, filters))).toEqual(first);
      expect(decodePng(encode(img3, 2, filters))).toEqual(img3);
    }
  });

  it("converts to gray as PIL's convert('L')", () => {
    const rgb: Image = { width: 6, height: 1, channels: 3, data: new Uint8Array([255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 200, 30, 127, 128, 129, 1, 1, 1]) };
    expect(Array.from(toGrayscale(rgb).data)).toEqual([76, 150, 29, 124, 128, 1]); // PIL 9's values
    expect(toGrayscale(first)).toBe(first);
  });

  it("refuses malformed files with a reason", () => {
    const good = encode(first, 0, [0]);
    expect(() => decodePng(new Uint8Array([1, 2, 3]))).toThrow(/not a PNG file/);
    expect(() => decodePng(good.subarray(0, 40))).toThrow(/truncated/);
    const depth16 = good.slice();
    depth16[8 + 8 + 8] = 16; // IHDR's bit depth
    expect(() => decodePng(depth16)).toThrow(/bit depth 16 is not supported for color type 0/);
    const huge = good.slice();
    new DataView(huge.buffer).setUint32(16, 100000); // width
    new DataView(huge.buffer).setUint32(20, 100000); // height
    expect(() => decodePng(huge)).toThrow(/larger than/);
    const badFilter = encode(first, 0, [0]);
    const wrongSize = encode({ ...first, height: 27, data: first.data.subarray(0, 27 * 28) }, 0, [0]);
    new DataView(wrongSize.buffer).setUint32(20, 28); // claims 28 rows, holds 27
    expect(() => decodePng(wrongSize)).toThrow(/image data holds/);
    expect(() => decodePng(badFilter.subarray(0, badFilter.length - 12))).toThrow(/truncated|IEND/);
    expect(() => decodePng("png" as never)).toThrow(TypeError);
  });
});
