// A single-pass reader for the safetensors header's JSON: an object whose values are small objects
// (tensor entries) or, under "__metadata__", strings. NOTE: replaces JSON.parse of the whole header,
// which builds an object graph of ~10x the header's bytes before any check runs; this keeps one small
// value alive at a time and hands each top-level member to a callback. Accepts exactly JSON (RFC 8259);
// nesting deeper than MAX_DEPTH is refused (serde_json, which safetensors uses, stops at 128 too).

export const MAX_DEPTH = 128;

export class HeaderSyntaxError extends Error {}

export interface HeaderVisitor {
  /** A top-level member that is not "__metadata__": its value as JSON.parse would give it. */
  entry(name: string, value: unknown): void;
  /** "__metadata__"'s value is an object (its members follow). */
  metadataBegin(): void;
  /** Each member of "__metadata__" whose value is a string, in order. */
  metadata(key: string, value: string): void;
  /** "__metadata__"'s value when it is not an object of strings (`key` is the first non-string member). */
  badMetadata(key: string | null): never;
  /** A top-level name seen twice (names are compared after unescaping). */
  duplicate(name: string): never;
}

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

/** Walks `text` (the header, already UTF-8 decoded), calling `visit` per member. Throws HeaderSyntaxError. */
export function scanHeader(text: string, visit: HeaderVisitor): void {
  const n = text.length;
  let i = 0;
  const fail = (what: string): never => {
    const at = i < n ? `character ${JSON.stringify(text[i])} at position ${i}` : "end of header";
    throw new HeaderSyntaxError(`${what}: unexpected ${at}`);
  };
  const ws = () => {
    for (let c = text.charCodeAt(i); c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09; c = text.charCodeAt(++i));
  };
  const expect = (c: number, what: string) => {
    ws();
    if (text.charCodeAt(i) !== c) fail(what);
    i++;
  };
  const string = (): string => {
    if (text.charCodeAt(i) !== 0x22) fail("expected a string");
    const start = i + 1;
    let plain = true;
    let j = start;
    for (;;) {
      const c = text.charCodeAt(j);
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
    if (plain) return text.slice(start, j);
    try {
      // NOTE: only strings with escapes go through JSON.parse (it validates and decodes them).
      return JSON.parse(text.slice(start - 1, j + 1)) as string;
    } catch {
      i = start;
      return fail("bad escape in string");
    }
  };
  // One JSON value; recursion bounded by MAX_DEPTH.
  const value = (depth: number): unknown => {
    ws();
    const c = text.charCodeAt(i);
    if (c === 0x22) return string();
    if (c === 0x7b || c === 0x5b) {
      if (depth >= MAX_DEPTH) fail(`nesting deeper than ${MAX_DEPTH} levels`);
      i++;
      ws();
      if (c === 0x5b) {
        const arr: unknown[] = [];
        if (text.charCodeAt(i) === 0x5d) {
          i++;
          return arr;
        }
        for (;;) {
          arr.push(value(depth + 1));
          ws();
          const d = text.charCodeAt(i++);
          if (d === 0x5d) return arr;
          if (d !== 0x2c) {
            i--;
            fail("expected ',' or ']'");
          }
        }
      }
      const obj: Record<string, unknown> = {};
      if (text.charCodeAt(i) === 0x7d) {
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
        const d = text.charCodeAt(i++);
        if (d === 0x7d) return obj;
        if (d !== 0x2c) {
          i--;
          fail("expected ',' or '}'");
        }
      }
    }
    if (text.startsWith("true", i)) return (i += 4), true;
    if (text.startsWith("false", i)) return (i += 5), false;
    if (text.startsWith("null", i)) return (i += 4), null;
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (m === null) return fail("expected a JSON value");
    i += m[0].length;
    return Number(m[0]);
  };
  // "__metadata__": strings are handed over as they come, so millions of them build no second object.
  const metadata = () => {
    ws();
    if (text.charCodeAt(i) !== 0x7b) {
      value(1);
      visit.badMetadata(null);
    }
    visit.metadataBegin();
    i++;
    ws();
    if (text.charCodeAt(i) === 0x7d) {
      i++;
      return;
    }
    for (;;) {
      ws();
      const k = string();
      expect(0x3a, "expected ':'");
      ws();
      if (text.charCodeAt(i) !== 0x22) {
        value(2);
        visit.badMetadata(k);
      }
      visit.metadata(k, string());
      ws();
      const d = text.charCodeAt(i++);
      if (d === 0x7d) return;
      if (d !== 0x2c) {
        i--;
        fail("expected ',' or '}'");
      }
    }
  };

  expect(0x7b, "expected '{'");
  ws();
  const seen = new Set<string>();
  if (text.charCodeAt(i) === 0x7d) i++;
  else {
    for (;;) {
      ws();
      const name = string();
      if (seen.has(name)) visit.duplicate(name);
      seen.add(name);
      expect(0x3a, "expected ':'");
      if (name === "__metadata__") metadata();
      else visit.entry(name, value(1));
      ws();
      const d = text.charCodeAt(i++);
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
