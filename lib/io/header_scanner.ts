// A single-pass reader for the safetensors header's JSON: an object whose values are small objects
// (tensor entries) or, under "__metadata__", strings. NOTE: replaces JSON.parse of the whole header,
// which builds an object graph of ~10x the header's bytes before any check runs; this keeps one small
// value alive at a time and hands each top-level member to a callback. It reads the header's bytes
// directly (no decoded copy of the whole header): member names and metadata strings are handed over
// as byte positions (the caller copies what it keeps), other strings are decoded each from its own
// slice, so nothing it returns shares memory with (or keeps alive) the header. Accepts exactly JSON
// (RFC 8259); nesting deeper than MAX_DEPTH is refused (serde_json, which safetensors uses, stops at
// 128 too).
import { Buffer } from "node:buffer";

export const MAX_DEPTH = 128;

const METADATA_KEY = "__metadata__";

export class HeaderSyntaxError extends Error {}

/**
 * A string of the header, by position: its bytes are bytes[start, end) (between the quotes), and
 * `decoded` is its value when it has escapes, else null (then it is those bytes as UTF-8).
 * NOTE: positions, not strings: a header may hold millions of keys, which its reader keeps as bytes.
 */
export interface HeaderVisitor {
  /** A top-level member that is not "__metadata__": its value as JSON.parse would give it. */
  entry(start: number, end: number, decoded: string | null, value: unknown): void;
  /** A "__metadata__" member whose value is an object (its members follow); called once per such member. */
  metadataBegin(): void;
  /** Each member of "__metadata__" whose value is a string, in order: its key, then its value's bytes. */
  metadata(start: number, end: number, decoded: string | null, valueStart: number, valueEnd: number): void;
  /** "__metadata__"'s value when it is not an object of strings (`key` is the first non-string member). */
  badMetadata(key: string | null): never;
}

/** The string whose bytes (between its quotes, escapes as written) are bytes[start, end). */
export function decodeString(bytes: Uint8Array, start: number, end: number): string {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // NOTE: searched within the string only (indexOf from `start` would scan the whole rest of the buffer).
  if (bytes.subarray(start, end).indexOf(0x5c) < 0) return buf.toString("utf8", start, end);
  // NOTE: strings with escapes go through JSON.parse (it decodes them, lone surrogates included,
  // exactly as it would inside the whole header).
  return JSON.parse(`"${buf.toString("utf8", start, end)}"`) as string;
}

/** Strings every tensor entry repeats, by byte length. NOTE: found by comparing bytes, they cost
 *  no decoding: a Buffer toString call per string was a quarter of a million-entry header's load. */
const COMMON_STRINGS: string[][] = [];
for (const k of ["dtype", "shape", "data_offsets", "BOOL", "U8", "I8", "I16", "U16", "F16", "BF16", "I32", "U32", "F32", "I64", "U64", "F64"]) {
  (COMMON_STRINGS[k.length] ??= []).push(k);
}

/** The common string (ASCII) whose bytes are bytes[start, end), or undefined. */
function commonString(bytes: Uint8Array, start: number, end: number): string | undefined {
  const list = COMMON_STRINGS[end - start];
  if (list === undefined) return undefined;
  next: for (const k of list) {
    for (let j = 0; j < k.length; j++) if (bytes[start + j] !== k.charCodeAt(j)) continue next;
    return k;
  }
  return undefined;
}

const isDigit = (c: number) => c >= 0x30 && c <= 0x39;

/**
 * Walks `bytes` (the header; the caller has checked that it is valid UTF-8), calling `visit` per
 * member. Throws HeaderSyntaxError, whose positions are byte offsets into `bytes`.
 */
export function scanHeader(bytes: Uint8Array, visit: HeaderVisitor): void {
  // NOTE: a view, not a copy; its utf8Slice makes a fresh string, never a slice of a parent string.
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = bytes.length;
  let i = 0;
  const fail = (what: string): never => {
    let at = "end of header";
    if (i < n) {
      // The whole UTF-8 character that starts at byte i (a lead byte says how many bytes follow).
      const c = bytes[i];
      const len = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
      at = `character ${JSON.stringify(buf.toString("utf8", i, Math.min(n, i + len)))} at byte ${i}`;
    }
    throw new HeaderSyntaxError(`${what}: unexpected ${at}`);
  };
  const ws = () => {
    for (let c = bytes[i]; c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09; c = bytes[++i]);
  };
  const expect = (c: number, what: string) => {
    ws();
    if (bytes[i] !== c) fail(what);
    i++;
  };
  // The string at i: sets [strStart, strEnd) and strDecoded (its value if it has escapes, else null).
  let strStart = 0;
  let strEnd = 0;
  let strDecoded: string | null = null;
  const stringToken = (): void => {
    if (bytes[i] !== 0x22) fail("expected a string");
    const start = i + 1;
    let plain = true;
    let j = start;
    // NOTE: every byte of a multi-byte UTF-8 character is >= 0x80, so it can't be mistaken for '"' or '\'.
    for (;;) {
      const c = bytes[j];
      if (c === 0x22) break;
      if (j >= n || c < 0x20) {
        i = j;
        fail("unterminated string");
      }
      if (c === 0x5c) {
        plain = false;
        j += 2;
      } else j++;
    }
    i = j + 1;
    strStart = start;
    strEnd = j;
    strDecoded = null;
    if (plain) return;
    try {
      // NOTE: decoded now even where only the bytes are kept: this is where a bad escape is refused.
      strDecoded = decodeString(bytes, start, j);
    } catch {
      i = start;
      fail("bad escape in string");
    }
  };
  const string = (): string => {
    stringToken();
    return strDecoded ?? commonString(bytes, strStart, strEnd) ?? buf.toString("utf8", strStart, strEnd);
  };
  const digits = () => {
    if (!isDigit(bytes[i])) fail("expected a digit");
    while (isDigit(bytes[++i]));
  };
  // A JSON number, read without a RegExp. NOTE: V8 keeps a RegExp's last input alive, which kept the
  // whole decoded header in memory as long as the loaded tensors.
  const number = (): number => {
    const start = i;
    const neg = bytes[i] === 0x2d;
    if (neg) i++;
    if (bytes[i] === 0x30) i++;
    else if (isDigit(bytes[i])) while (isDigit(bytes[++i]));
    else {
      i = start;
      return fail("expected a JSON value");
    }
    let integer = true;
    if (bytes[i] === 0x2e) {
      integer = false;
      i++;
      digits();
    }
    if (bytes[i] === 0x65 || bytes[i] === 0x45) {
      integer = false;
      i++;
      if (bytes[i] === 0x2b || bytes[i] === 0x2d) i++;
      digits();
    }
    // Up to 15 digits an integer is exact in a double: sum it here, no string made.
    if (integer && i - start <= 15) {
      let v = 0;
      for (let k = neg ? start + 1 : start; k < i; k++) v = v * 10 + bytes[k] - 0x30;
      return neg ? -v : v;
    }
    return Number(buf.toString("latin1", start, i));
  };
  const literal = (word: string, v: boolean | null): boolean | null => {
    for (let k = 0; k < word.length; k++) {
      if (bytes[i + k] !== word.charCodeAt(k)) fail("expected a JSON value");
    }
    i += word.length;
    return v;
  };
  // One JSON value; recursion bounded by MAX_DEPTH.
  const value = (depth: number): unknown => {
    ws();
    const c = bytes[i];
    if (c === 0x22) return string();
    if (c === 0x7b || c === 0x5b) {
      if (depth >= MAX_DEPTH) fail(`nesting deeper than ${MAX_DEPTH} levels`);
      i++;
      ws();
      if (c === 0x5b) {
        const arr: unknown[] = [];
        if (bytes[i] === 0x5d) {
          i++;
          return arr;
        }
        for (;;) {
          arr.push(value(depth + 1));
          ws();
          const d = bytes[i++];
          if (d === 0x5d) return arr;
          if (d !== 0x2c) {
            i--;
            fail("expected ',' or ']'");
          }
        }
      }
      const obj: Record<string, unknown> = {};
      if (bytes[i] === 0x7d) {
        i++;
        return obj;
      }
      for (;;) {
        ws();
        const k = string();
        expect(0x3a, "expected ':'");
        const v = value(depth + 1);
        // NOTE: as JSON.parse: "__proto__" becomes an own key, and a repeated key keeps the last value.
        if (k === "__proto__") Object.defineProperty(obj, k, { value: v, enumerable: true, writable: true, configurable: true });
        else obj[k] = v;
        ws();
        const d = bytes[i++];
        if (d === 0x7d) return obj;
        if (d !== 0x2c) {
          i--;
          fail("expected ',' or '}'");
        }
      }
    }
    if (c === 0x74) return literal("true", true);
    if (c === 0x66) return literal("false", false);
    if (c === 0x6e) return literal("null", null);
    return number();
  };
  // "__metadata__": strings are handed over as they come, so millions of them build no second object.
  const metadata = () => {
    ws();
    if (bytes[i] !== 0x7b) {
      value(1);
      visit.badMetadata(null);
    }
    visit.metadataBegin();
    i++;
    ws();
    if (bytes[i] === 0x7d) {
      i++;
      return;
    }
    for (;;) {
      ws();
      stringToken();
      const [kStart, kEnd, kDecoded] = [strStart, strEnd, strDecoded];
      expect(0x3a, "expected ':'");
      ws();
      if (bytes[i] !== 0x22) {
        value(2);
        visit.badMetadata(kDecoded ?? buf.toString("utf8", kStart, kEnd));
      }
      stringToken();
      visit.metadata(kStart, kEnd, kDecoded, strStart, strEnd);
      ws();
      const d = bytes[i++];
      if (d === 0x7d) return;
      if (d !== 0x2c) {
        i--;
        fail("expected ',' or '}'");
      }
    }
  };

  expect(0x7b, "expected '{'");
  ws();
  if (bytes[i] === 0x7d) i++;
  else {
    for (;;) {
      ws();
      stringToken();
      const [start, end, decoded] = [strStart, strEnd, strDecoded];
      expect(0x3a, "expected ':'");
      if ((decoded ?? (end - start === METADATA_KEY.length ? buf.toString("latin1", start, end) : null)) === METADATA_KEY) metadata();
      else visit.entry(start, end, decoded, value(1));
      ws();
      const d = bytes[i++];
      if (d === 0x7d) break;
      if (d !== 0x2c) {
        i--;
        fail("expected ',' or '}'");
      }
    }
  }
  ws();
  if (i < n) fail("expected the end of the header");
}
