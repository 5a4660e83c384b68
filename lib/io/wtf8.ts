// WTF-8: UTF-8 that also encodes lone surrogates (as the 3-byte form UTF-8 forbids), so that every
// JS string, well-formed or not, has exactly one byte form and back. NOTE: safetensors names and
// metadata keys may hold lone surrogates through \uD800-style escapes (JSON.parse keeps them); two
// such keys must stay distinct, which UTF-8's replacement character would merge.
// ref: https://simonsapin.github.io/wtf-8/
import { Buffer } from "node:buffer";

/** Reused for short strings (lookups of keys); longer ones get their own buffer. */
const SCRATCH_BYTES = 1 << 16;
let scratch = Buffer.allocUnsafe(SCRATCH_BYTES);

/** Whether `s` has no lone surrogate. NOTE: String.prototype.isWellFormed (Node 20), which our TS lib predates. */
const wellFormed = (s: string): boolean => (s as unknown as { isWellFormed(): boolean }).isWellFormed();

/** Bytes `s` takes in WTF-8. */
function byteLength(s: string): number {
  if (wellFormed(s)) return Buffer.byteLength(s, "utf8");
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** `s` in WTF-8. NOTE: the result may be a shared scratch buffer, valid until the next call. */
export function encodeWtf8(s: string): Uint8Array {
  const n = byteLength(s);
  const out = n <= SCRATCH_BYTES ? scratch : Buffer.allocUnsafe(n);
  if (wellFormed(s)) {
    out.write(s, 0, "utf8");
    return out.subarray(0, n);
  }
  let j = 0;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      out[j++] = c;
      continue;
    }
    if (c < 0x800) {
      out[j++] = 0xc0 | (c >> 6);
      out[j++] = 0x80 | (c & 0x3f);
      continue;
    }
    if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      c = 0x10000 + ((c - 0xd800) << 10) + (s.charCodeAt(++i) - 0xdc00);
      out[j++] = 0xf0 | (c >> 18);
      out[j++] = 0x80 | ((c >> 12) & 0x3f);
    } else out[j++] = 0xe0 | (c >> 12);
    out[j++] = 0x80 | ((c >> 6) & 0x3f);
    out[j++] = 0x80 | (c & 0x3f);
  }
  return out.subarray(0, n);
}

/** The string that bytes[start, end) (WTF-8, as encodeWtf8 writes it) encodes. */
export function decodeWtf8(bytes: Uint8Array, start: number, end: number): string {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // A surrogate's 3-byte form starts 0xED 0xA0..0xBF; without one the bytes are plain UTF-8.
  const own = bytes.subarray(start, end);
  let surrogates = false;
  for (let i = own.indexOf(0xed); i >= 0; i = own.indexOf(0xed, i + 1)) {
    if (own[i + 1] >= 0xa0) {
      surrogates = true;
      break;
    }
  }
  if (!surrogates) return buf.toString("utf8", start, end);
  const units: number[] = [];
  for (let i = start; i < end; ) {
    const b = bytes[i];
    if (b < 0x80) {
      units.push(b);
      i += 1;
    } else if (b < 0xe0) {
      units.push(((b & 0x1f) << 6) | (bytes[i + 1] & 0x3f));
      i += 2;
    } else if (b < 0xf0) {
      units.push(((b & 0x0f) << 12) | ((bytes[i + 1] & 0x3f) << 6) | (bytes[i + 2] & 0x3f));
      i += 3;
    } else {
      const c = ((b & 0x07) << 18) | ((bytes[i + 1] & 0x3f) << 12) | ((bytes[i + 2] & 0x3f) << 6) | (bytes[i + 3] & 0x3f);
      units.push(0xd800 + ((c - 0x10000) >> 10), 0xdc00 + ((c - 0x10000) & 0x3ff));
      i += 4;
    }
  }
  let out = "";
  // NOTE: in chunks: String.fromCharCode's arguments live on the stack.
  for (let k = 0; k < units.length; k += 8192) out += String.fromCharCode(...units.slice(k, k + 8192));
  return out;
}
