// IDX files (the MNIST family's format): read a file, gunzip it when it is gzip, check its
// SHA-256, and parse the header and payload with every size checked. Unsigned-byte payloads only.
// Every error names the file and what is wrong with it.
// ref: http://yann.lecun.com/exdb/mnist/ ("FILE FORMATS") and torchvision's read_sn3_pascalvincent_tensor.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";

/** A parsed IDX file: its dimensions and its bytes, row-major. */
export interface IdxArray {
  shape: number[];
  data: Uint8Array;
}

const IDX_UBYTE = 0x08;
const TYPE_NAMES: Record<number, string> = { 0x08: "unsigned byte", 0x09: "signed byte", 0x0b: "short", 0x0c: "int", 0x0d: "float", 0x0e: "double" };

// NOTE: far above the largest MNIST-family file (EMNIST byclass, ~550 MB) and far below what a
// gzip bomb would inflate to; the limit makes a hostile file fail instead of exhausting memory.
const MAX_DECOMPRESSED = 1 << 30;

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.byteLength >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** The file's bytes, decompressed if it is gzip (detected by its magic, whatever its name). */
export function readMaybeGzip(path: string): Uint8Array {
  const raw = plain(readFileSync(path));
  if (!isGzip(raw)) return raw;
  try {
    return plain(gunzipSync(raw, { maxOutputLength: MAX_DECOMPRESSED }));
  } catch (e) {
    throw new Error(`${path}: corrupt or truncated gzip data (${(e as Error).message})`, { cause: e });
  }
}

// NOTE: a Node Buffer's slice() shares memory, unlike Uint8Array's; hand out plain Uint8Arrays.
function plain(b: Buffer): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

export function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/**
 * Parses IDX bytes. `expectNdim` is 3 for image files (magic 0x00000803), 1 for label files
 * (0x00000801). The payload must be exactly the product of the dimensions: a shorter file is
 * truncated, a longer one is not what it claims to be.
 */
export function parseIdx(bytes: Uint8Array, expectNdim: number, file: string): IdxArray {
  const fail = (msg: string): never => {
    throw new Error(`${file}: ${msg}`);
  };
  if (bytes.byteLength < 4) fail(`file is ${bytes.byteLength} bytes, too short for an IDX header (truncated?)`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = dv.getUint32(0, false);
  const expected = (IDX_UBYTE << 8) | expectNdim;
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    fail(`not an IDX file (magic number 0x${hex(magic)}, expected 0x${hex(expected)})`);
  }
  if (bytes[2] !== IDX_UBYTE) {
    fail(`IDX element type 0x${bytes[2].toString(16).padStart(2, "0")} (${TYPE_NAMES[bytes[2]] ?? "unknown"}) is not supported; expected unsigned byte (magic 0x${hex(expected)})`);
  }
  if (bytes[3] !== expectNdim) {
    fail(`IDX file has ${bytes[3]} dimensions (magic 0x${hex(magic)}), expected ${expectNdim} (magic 0x${hex(expected)})`);
  }
  const headerSize = 4 + 4 * expectNdim;
  if (bytes.byteLength < headerSize) fail(`file is ${bytes.byteLength} bytes, too short for its ${headerSize}-byte header (truncated?)`);
  const shape: number[] = [];
  let numel = 1;
  for (let i = 0; i < expectNdim; i++) {
    const d = dv.getUint32(4 + 4 * i, false);
    shape.push(d);
    numel *= d;
  }
  const payload = bytes.byteLength - headerSize;
  // NOTE: a product past 2^53 may be rounded, but then it is not a safe integer and fails here.
  if (!Number.isSafeInteger(numel) || numel > payload) {
    fail(`file is truncated: dimensions [${shape.join(", ")}] need ${numel} bytes of data but only ${payload} follow the header`);
  }
  if (numel < payload) {
    fail(`file has ${payload - numel} unexpected bytes after the ${numel} that dimensions [${shape.join(", ")}] need`);
  }
  return { shape, data: bytes.subarray(headerSize) };
}

function hex(v: number): string {
  return v.toString(16).padStart(8, "0");
}
