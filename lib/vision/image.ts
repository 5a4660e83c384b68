// 8-bit images as datasets hand them out before any transform: where torchvision gives a PIL image,
// we give an `Image` (bytes in height x width x channels order, like numpy.asarray(pil_image)).
// `ImageArray` is a stack of equal-sized images in one buffer (torchvision's uint8 `dataset.data`).
// No decoding of image files, no drawing: just the container ToTensor understands.

/** One image: `data[(y * width + x) * channels + c]`, values 0..255. */
export interface Image {
  readonly width: number;
  readonly height: number;
  readonly channels: number;
  readonly data: Uint8Array;
}

export function isImage(x: unknown): x is Image {
  if (x === null || typeof x !== "object") return false;
  const o = x as Record<string, unknown>;
  return (
    o.data instanceof Uint8Array &&
    [o.width, o.height, o.channels].every((v) => Number.isSafeInteger(v) && (v as number) >= 0) &&
    o.data.length === (o.width as number) * (o.height as number) * (o.channels as number)
  );
}

/** N single-channel images of one size, row-major [N, H, W] in one Uint8Array (no copy is made). */
export class ImageArray {
  readonly shape: readonly [number, number, number];

  constructor(readonly data: Uint8Array, shape: readonly number[]) {
    if (shape.length !== 3 || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      throw new RangeError(`ImageArray: shape must be [N, H, W] of non-negative integers, got [${shape.join(", ")}]`);
    }
    if (data.length !== shape[0] * shape[1] * shape[2]) {
      throw new RangeError(`ImageArray: shape [${shape.join(", ")}] needs ${shape[0] * shape[1] * shape[2]} bytes, got ${data.length}`);
    }
    this.shape = [shape[0], shape[1], shape[2]];
  }

  get length(): number {
    return this.shape[0];
  }

  /** A copy of image i (so a transform that writes to it cannot change the dataset). */
  image(i: number): Image {
    const [, height, width] = this.shape;
    const size = height * width;
    // NOTE: new Uint8Array(view) copies; slice() would not if data were a Node Buffer.
    return { width, height, channels: 1, data: new Uint8Array(this.data.subarray(i * size, (i + 1) * size)) };
  }
}
