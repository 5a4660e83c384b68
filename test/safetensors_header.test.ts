// The safetensors header scanner (lib/io/header_scanner.ts): for valid headers it reads what
// JSON.parse reads; it refuses malformed JSON, wrong types, huge numbers, duplicate names and deep
// nesting with clear errors (never a stack overflow); empty tensors of a load share frozen shapes.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import { MAX_DEPTH, scanHeader, HeaderSyntaxError } from "../lib/io/header_scanner.js";

/** A header + data buffer as bytes. */
function file(header: string, data = new Uint8Array(0)): Uint8Array {
  const json = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

/** What the scanner hands over, as one object in key order (metadata under "__metadata__"). */
function scan(text: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let meta: Record<string, string> | null = null;
  const own = (o: Record<string, unknown>, k: string, v: unknown) => Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  scanHeader(text, {
    entry: (name, value) => own(out, name, value),
    metadataBegin: () => {
      meta = {};
      own(out, "__metadata__", meta);
    },
    metadata: (k, v) => own(meta!, k, v),
    badMetadata: () => {
      throw new Error("bad metadata");
    },
    duplicate: (name) => {
      throw new Error(`duplicate ${name}`);
    },
  });
  return out;
}

const jsonText = (v: unknown, indent: number | string | undefined) => JSON.stringify(v, null, indent);

describe("safetensors header scanner: valid headers read as JSON.parse reads them", () => {
  it("any object of JSON values (and a metadata map of strings) scans to JSON.parse's value", () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ unit: "grapheme" }).filter((k) => k !== "__metadata__"), fc.jsonValue({ maxDepth: 4 })),
        fc.option(fc.dictionary(fc.string({ unit: "binary" }), fc.string({ unit: "binary" }))),
        fc.constantFrom(undefined, 1, "\t", "\r\n "),
        (entries, metadata, indent) => {
          const obj = metadata === null ? entries : { __metadata__: metadata, ...entries };
          const text = jsonText(obj, indent);
          expect(scan(text)).toStrictEqual(JSON.parse(text));
        },
      ),
      { seed: 13, numRuns: 300 },
    );
  });

  it("random valid safetensors files load to what JSON.parse's reading of the header says", () => {
    const dtypes = ["F32", "F64", "F16", "BF16", "I64", "I32", "I16", "I8", "U8", "BOOL", "U16", "U32", "U64"] as const;
    const size: Record<string, number> = { F32: 4, F64: 8, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1, U16: 2, U32: 4, U64: 8 };
    const tensor = fc.record({ dtype: fc.constantFrom(...dtypes), shape: fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 4 }) });
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(fc.string({ unit: "binary", minLength: 1 }).filter((k) => k !== "__metadata__"), tensor), { selector: (e) => e[0], maxLength: 8 }),
        fc.option(fc.dictionary(fc.string(), fc.string())),
        fc.constantFrom(undefined, 2),
        (list, metadata, indent) => {
          const header: Record<string, unknown> = {};
          const own = (k: string, v: unknown) => Object.defineProperty(header, k, { value: v, enumerable: true });
          if (metadata !== null) own("__metadata__", metadata);
          let at = 0;
          for (const [name, t] of list) {
            const bytes = t.shape.reduce((a, b) => a * b, 1) * size[t.dtype];
            own(name, { dtype: t.dtype, shape: t.shape, data_offsets: [at, at + bytes] });
            at += bytes;
          }
          const text = jsonText(header, indent);
          const loaded = torch.safetensors.deserialize(file(text, new Uint8Array(at)));
          const parsed = JSON.parse(text) as Record<string, { shape: number[] }>;
          const names = Object.keys(parsed).filter((k) => k !== "__metadata__");
          expect(Object.keys(loaded.tensors)).toEqual(names);
          for (const k of names) expect(loaded.tensors[k].shape).toEqual(parsed[k].shape);
          expect(loaded.metadata).toStrictEqual(metadata === null ? null : parsed.__metadata__);
        },
      ),
      { seed: 13, numRuns: 200 },
    );
  });

  it("an empty __metadata__ object is metadata; escapes in names decode", () => {
    const m = torch.safetensors.deserialize(file(`{"__metadata__" : { } , "a\\u0062\\n":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}}   `));
    expect(m.metadata).toEqual({});
    expect(Object.keys(m.tensors)).toEqual(["ab\n"]);
  });

  it("empty tensors of one load share a frozen shape: a stray write throws, ops work", () => {
    const entry = (a: number) => `{"dtype":"F32","shape":[${a},0],"data_offsets":[0,0]}`;
    const { tensors } = torch.safetensors.deserialize(file(`{"a":${entry(2)},"b":${entry(2)},"c":${entry(3)}}`));
    expect(tensors.a.shape).toBe(tensors.b.shape);
    expect(tensors.c.shape).toEqual([3, 0]);
    expect(() => (tensors.a.shape as number[]).push(1)).toThrow(TypeError);
    expect(torch.cat([tensors.a, tensors.c]).shape).toEqual([5, 0]);
    expect(tensors.a.reshape(0, 2).shape).toEqual([0, 2]);
    expect(tensors.a.shape).toEqual([2, 0]);
  });
});

describe("safetensors header scanner: refusals", () => {
  const ok = `{"dtype":"F32","shape":[0],"data_offsets":[0,0]}`;
  const bad: [string, string, RegExp][] = [
    ["trailing comma", `{"a":${ok},}`, /not valid JSON/],
    ["single quotes", `{'a':${ok}}`, /not valid JSON/],
    ["missing colon", `{"a" ${ok}}`, /not valid JSON \(expected ':'/],
    ["unterminated string", `{"a`, /not valid JSON \(unterminated string/],
    ["bad escape", `{"a\\x":${ok}}`, /not valid JSON \(bad escape/],
    ["raw control character in a string", `{"a\n":${ok}}`, /not valid JSON/],
    ["garbage after the object", `{"a":${ok}} x`, /not valid JSON \(expected the end of the header/],
    ["leading zero", `{"a":{"dtype":"F32","shape":[01],"data_offsets":[0,0]}}`, /not valid JSON/],
    ["NaN", `{"a":{"dtype":"F32","shape":[NaN],"data_offsets":[0,0]}}`, /not valid JSON \(expected a JSON value/],
    ["unclosed object", `{"a":${ok}`, /not valid JSON .*end of header/],
    ["shape a string", `{"a":{"dtype":"F32","shape":"0","data_offsets":[0,0]}}`, /tensor "a": shape is missing or not an array/],
    ["offsets a triple", `{"a":{"dtype":"F32","shape":[0],"data_offsets":[0,0,0]}}`, /tensor "a": data_offsets is missing or not a \[begin, end\] pair/],
    ["dtype a number", `{"a":{"dtype":4,"shape":[0],"data_offsets":[0,0]}}`, /tensor "a": dtype is missing or not a string/],
    ["metadata not an object", `{"__metadata__":["x"]}`, /__metadata__ is not an object/],
    ["metadata value not a string", `{"__metadata__":{"k":"v","n":{"x":1}}}`, /__metadata__\["n"\] is not a string/],
    ["a dim of 1e400", `{"a":{"dtype":"F32","shape":[1e400],"data_offsets":[0,0]}}`, /not a non-negative integer/],
    ["a dim of 2^64", `{"a":{"dtype":"F32","shape":[18446744073709551616, 0],"data_offsets":[0,0]}}`, /not a non-negative integer/],
    ["duplicate names", `{"a":${ok},"b":${ok},"a":${ok}}`, /tensor name "a" appears more than once/],
    ["duplicate names, one escaped", `{"ab":${ok},"\\u0061b":${ok}}`, /tensor name "ab" appears more than once/],
    ["__metadata__ twice", `{"__metadata__":{},"__metadata__":{}}`, /tensor name "__metadata__" appears more than once/],
    [`nesting deeper than ${MAX_DEPTH}`, `{"a":{"x":${"[".repeat(MAX_DEPTH)}${"]".repeat(MAX_DEPTH)}}}`, new RegExp(`nesting deeper than ${MAX_DEPTH} levels`)],
    ["a million open brackets (no stack overflow)", `{"a":${"[".repeat(1_000_000)}`, /nesting deeper than/],
  ];
  it.each(bad)("%s", (_, header, message) => {
    expect(() => torch.safetensors.deserialize(file(header), "mem")).toThrow(message);
  });

  it("extra members of an entry are ignored (as the reference reader does); nesting up to the limit is fine", () => {
    const deep = `${"[".repeat(MAX_DEPTH - 2)}${"]".repeat(MAX_DEPTH - 2)}`;
    const { tensors } = torch.safetensors.deserialize(file(`{"a":{"dtype":"F32","x":${deep},"shape":[0],"data_offsets":[0,0]}}`));
    expect(tensors.a.shape).toEqual([0]);
  });

  it("syntax errors are HeaderSyntaxError with a position", () => {
    expect(() => scan(`{"a":1 "b":2}`)).toThrow(HeaderSyntaxError);
    expect(() => scan(`{"a":1 "b":2}`)).toThrow(/expected ',' or '}': unexpected character "\\"" at position 7/);
  });
});
