// The safetensors header scanner (lib/io/header_scanner.ts): for valid headers it reads what
// JSON.parse reads; it refuses malformed JSON, wrong types, huge numbers, duplicate names and deep
// nesting with clear errors (never a stack overflow); empty tensors of a load share frozen shapes.
// The scanner reads the header's bytes: non-ASCII, escapes and surrogates read as JSON.parse reads
// the decoded text, invalid UTF-8 is refused, and nothing of the header stays alive with the result.
// The maps a load returns are views (lib/io/record_view.ts): every read and every write of them
// agrees with JSON.parse's plain object, and string-keyed hostile headers cost a small multiple of
// the file, not a JS object per entry.
import v8 from "node:v8";
import vm from "node:vm";
import { inspect } from "node:util";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import { Tensor } from "../lib/tensor.js";
import { decodeString, MAX_DEPTH, scanHeader, HeaderSyntaxError } from "../lib/io/header_scanner.js";

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
  const bytes = new TextEncoder().encode(text);
  const str = (start: number, end: number, decoded: string | null) => decoded ?? new TextDecoder().decode(bytes.subarray(start, end));
  scanHeader(bytes, {
    entry: (start, end, decoded, value) => own(out, str(start, end, decoded), value),
    metadataBegin: () => {
      meta = {};
      own(out, "__metadata__", meta);
    },
    metadata: (start, end, decoded, vStart, vEnd) => own(meta!, str(start, end, decoded), decodeString(bytes, vStart, vEnd)),
    badMetadata: () => {
      throw new Error("bad metadata");
    },
  });
  return out;
}

const jsonText = (v: unknown, indent: number | string | undefined) => JSON.stringify(v, null, indent);

/** `text` (JSON) with every non-ASCII UTF-16 unit written as a \uXXXX escape (pairs as two escapes). */
const escapeAll = (text: string) => text.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);

/** Any UTF-16 units, lone surrogates included (JSON.stringify writes those as escapes). */
const anyUnits = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) });

const OK_ENTRY = `{"dtype":"F32","shape":[0],"data_offsets":[0,0]}`;

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

  it("non-ASCII, surrogate pairs, lone surrogates and escapes (raw or \\u-escaped) scan as JSON.parse reads them", () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.oneof(fc.string({ unit: "binary" }), anyUnits).filter((k) => k !== "__metadata__"), fc.oneof(fc.string({ unit: "binary" }), anyUnits, fc.double(), fc.integer())),
        fc.option(fc.dictionary(anyUnits, fc.string({ unit: "binary" }))),
        fc.boolean(),
        (entries, metadata, escaped) => {
          const obj = metadata === null ? entries : { __metadata__: metadata, ...entries };
          const text = escaped ? escapeAll(JSON.stringify(obj)) : JSON.stringify(obj);
          expect(scan(text)).toStrictEqual(JSON.parse(text));
        },
      ),
      { seed: 13, numRuns: 300 },
    );
  });

  it("bytes >= 0x80 put into a name are refused as not valid UTF-8 exactly when a strict decoder refuses them", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 6 }).map((b) => b.map((v) => v | 0x80)), fc.string({ unit: "grapheme", maxLength: 3 }), (raw, tail) => {
        const [head, rest] = [new TextEncoder().encode(`{"a`), new TextEncoder().encode(`${tail}":${OK_ENTRY}}`)];
        const header = new Uint8Array([...head, ...raw, ...rest]);
        let name: string | null = null;
        try {
          name = (JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(header)) as Record<string, unknown>) && Object.keys(JSON.parse(new TextDecoder().decode(header)) as object)[0];
        } catch {
          name = null;
        }
        const bytes = new Uint8Array(8 + header.length);
        new DataView(bytes.buffer).setBigUint64(0, BigInt(header.length), true);
        bytes.set(header, 8);
        if (name === null) expect(() => torch.safetensors.deserialize(bytes)).toThrow(/header is not valid UTF-8/);
        else expect(Object.keys(torch.safetensors.deserialize(bytes).tensors)).toEqual([name]);
      }),
      { seed: 13, numRuns: 500 },
    );
  });

  it("overlong forms, encoded surrogates, code points past U+10FFFF and truncated characters are refused", () => {
    for (const raw of [[0xc0, 0x80], [0xe0, 0x80, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0x80], [0xff], [0xe2, 0x82]]) {
      const head = new TextEncoder().encode(`{"a`);
      const rest = new TextEncoder().encode(`":${OK_ENTRY}}`);
      const header = new Uint8Array([...head, ...raw, ...rest]);
      const bytes = new Uint8Array(8 + header.length);
      new DataView(bytes.buffer).setBigUint64(0, BigInt(header.length), true);
      bytes.set(header, 8);
      expect(() => torch.safetensors.deserialize(bytes), raw.join(",")).toThrow(/header is not valid UTF-8/);
    }
  });

  it("names that Object.prototype has, or that look like array indices, are tensors like any other", () => {
    const names = ["toString", "constructor", "__proto__", "hasOwnProperty", "0", "12", "4294967295", "-1", "01"];
    const { tensors } = torch.safetensors.deserialize(file(`{${names.map((k) => `"${k}":${OK_ENTRY}`).join(",")}}`));
    expect(Object.keys(tensors).sort()).toEqual([...names].sort());
    for (const k of names) expect(Object.hasOwn(tensors, k) && tensors[k].shape).toEqual([0]);
    expect(Object.getPrototypeOf(tensors)).toBe(Object.prototype);
  });

  it("tensors with data under such names, mixed with empty ones, load their own bytes", () => {
    const data = new Float32Array([1, 2, 3, 4, 5]);
    const header = `{"__proto__":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"3":{"dtype":"F32","shape":[0],"data_offsets":[8,8]},`
      + `"toString":{"dtype":"F32","shape":[1],"data_offsets":[8,12]},"1":{"dtype":"F32","shape":[2],"data_offsets":[12,20]}}`;
    const { tensors } = torch.safetensors.deserialize(file(header, new Uint8Array(data.buffer)));
    expect(Object.keys(tensors)).toEqual(["1", "3", "__proto__", "toString"]);
    expect(tensors.__proto__.tolist()).toEqual([1, 2]);
    expect(tensors["toString"].tolist()).toEqual([3]);
    expect(tensors["1"].tolist()).toEqual([4, 5]);
    expect(tensors["3"].shape).toEqual([0]);
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
    ["a byte-order mark before '{' (as the reference reader)", `\ufeff{"a":${ok}}`, /header does not start with '\{'/],
    ["duplicate __proto__", `{"__proto__":${ok},"__proto__":${ok}}`, /tensor name "__proto__" appears more than once/],
    ["duplicate index-like names", `{"7":${ok},"7":${ok}}`, /tensor name "7" appears more than once/],
    ["a number cut short", `{"a":{"dtype":"F32","shape":[1.],"data_offsets":[0,0]}}`, /not valid JSON \(expected a digit/],
    ["an exponent without digits", `{"a":{"dtype":"F32","shape":[1e+],"data_offsets":[0,0]}}`, /not valid JSON \(expected a digit/],
    ["a lone minus", `{"a":{"dtype":"F32","shape":[-],"data_offsets":[0,0]}}`, /not valid JSON \(expected a JSON value/],
    ["a misspelled literal", `{"a":{"dtype":"F32","x":nul,"shape":[0],"data_offsets":[0,0]}}`, /not valid JSON \(expected a JSON value/],
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
    expect(() => scan(`{"a":1 "b":2}`)).toThrow(/expected ',' or '}': unexpected character "\\"" at byte 7/);
    // Positions count bytes; the character shown is the whole UTF-8 character there.
    expect(() => scan(`{"é":1 €}`)).toThrow(/expected ',' or '}': unexpected character "€" at byte 8/);
  });
});

describe("safetensors header scanner: memory", () => {
  // NOTE: gc() from V8's flag, set at run time (vitest's workers don't pass --expose-gc).
  v8.setFlagsFromString("--expose-gc");
  const gc = vm.runInNewContext("gc") as () => void;
  /** JS heap plus memory outside it (ArrayBuffers, and the large strings V8 keeps off its heap). */
  const memoryAfterGc = async () => {
    // NOTE: a WeakRef keeps its target alive until the current job ends: let it end first.
    await new Promise((resolve) => setTimeout(resolve, 0));
    gc();
    gc();
    const m = process.memoryUsage();
    return m.heapUsed + m.external;
  };

  it("the loaded result keeps nothing of the header alive (no decoded copy, no RegExp input)", async () => {
    // 40 MB of padding (the reference writer pads with spaces) around numbers, strings and escapes.
    const pad = " ".repeat(40_000_000);
    let bytes: Uint8Array | null = file(`{"__metadata__":{"k\\u00e9":"v"},${pad}"w\\n":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"e":{"dtype":"I64","shape":[1, 0],"data_offsets":[8,8]}${pad}}`, new Uint8Array(8));
    const fileSize = bytes.byteLength;
    // What is in use besides the file (which the load's result must not keep alive).
    const before = (await memoryAfterGc()) - fileSize;
    const loaded = torch.safetensors.deserialize(bytes);
    const buffer = new WeakRef(bytes.buffer);
    bytes = null;
    const held = (await memoryAfterGc()) - before;
    expect(Object.keys(loaded.tensors)).toEqual(["w\n", "e"]);
    expect(loaded.metadata).toEqual({ "k\u00e9": "v" });
    expect(buffer.deref() === undefined, "the file's bytes are still reachable").toBe(true);
    // NOTE: the file, or a decoded copy of its header, is 80 MB; the result itself is a few KB.
    expect(held).toBeLessThan(8_000_000);
  });

  it("string-keyed hostile headers: what the load holds is a small multiple of the file, not a JS object per entry", async () => {
    // NOTE: keys that are not array indices: as a plain object's properties each would cost an
    // internalized string and a dictionary slot (metadata ~95 bytes, ~7x its `"k1":"",`), and a
    // tensor a 104-byte Tensor object (~2x its header entry) on top.
    const n = 200_000;
    const cases: [string, Uint8Array, number][] = [
      ["metadata", file(`{"__metadata__":{${Array.from({ length: n }, (_, i) => `"k${i}":""`).join(",")}}}`), 4],
      ["tensors", file(`{${Array.from({ length: n }, (_, i) => `"t${i}":${OK_ENTRY}`).join(",")}}`), 1.2],
    ];
    for (const [what, bytes, bound] of cases) {
      const before = await memoryAfterGc();
      const loaded = torch.safetensors.deserialize(bytes);
      const held = (await memoryAfterGc()) - before;
      expect(Object.keys(what === "metadata" ? loaded.metadata! : loaded.tensors).length).toBe(n);
      expect(held / bytes.byteLength, what).toBeLessThan(bound);
    }
  });
});

describe("safetensors header: the loaded maps are views that behave as plain objects", () => {
  /** A header of `metadata` (written member by member, so repeats stay) and empty tensors named `names`. */
  const headerText = (metadata: [string, string][] | null, names: string[], escaped: boolean) => {
    const members = names.map((k) => `${JSON.stringify(k)}:${OK_ENTRY}`);
    if (metadata !== null) members.unshift(`"__metadata__":{${metadata.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(",")}}`);
    const text = `{${members.join(",")}}`;
    return escaped ? escapeAll(text) : text;
  };
  /** Names a hostile file may use: Object.prototype's, index-like ones, lone surrogates, any units. */
  const hostileKey = fc.oneof(
    fc.constantFrom("__proto__", "toString", "constructor", "hasOwnProperty", "valueOf", "0", "7", "01", "-1", "4294967294", "4294967295", "1e3", "", "\ud800", "\udc00x", "é", "😀"),
    fc.string({ unit: "binary", maxLength: 4 }),
    anyUnits,
    fc.nat().map(String),
  );
  /** Every read a plain object answers, as one comparable value. */
  const reads = (o: Record<string, unknown>, probes: string[]) => {
    const forIn: string[] = [];
    for (const k in o) forIn.push(k);
    return {
      keys: Object.keys(o),
      ownKeys: Reflect.ownKeys(o),
      names: Object.getOwnPropertyNames(o),
      entries: Object.entries(o),
      values: Object.values(o),
      forIn,
      json: JSON.stringify(o),
      spread: { ...o },
      assign: Object.assign({}, o),
      proto: Object.getPrototypeOf(o) === Object.prototype,
      extensible: Object.isExtensible(o),
      frozen: Object.isFrozen(o),
      inspect: inspect(o),
      probes: probes.map((k) => [k, k in o, Object.hasOwn(o, k), o[k], Object.getOwnPropertyDescriptor(o, k), Object.prototype.propertyIsEnumerable.call(o, k)]),
      string: Object.prototype.toString.call(o),
    };
  };

  it("metadata reads as JSON.parse's object under every read (keys, order, repeats, escapes, hostile names)", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(hostileKey, fc.oneof(anyUnits, fc.string({ unit: "binary" })))), fc.array(hostileKey, { maxLength: 4 }), fc.boolean(), (members, absent, escaped) => {
        const text = headerText(members, [], escaped);
        const { metadata } = torch.safetensors.deserialize(file(text));
        const expected = (JSON.parse(text) as { __metadata__: Record<string, string> }).__metadata__;
        const probes = [...members.map(([k]) => k), ...absent, "__proto__", "toString"];
        expect(reads(metadata!, probes)).toStrictEqual(reads(expected, probes));
      }),
      { seed: 13, numRuns: 300 },
    );
  });

  it("the tensor map has JSON.parse's keys in its order, and the same Tensor on every access", () => {
    fc.assert(
      fc.property(fc.uniqueArray(hostileKey.filter((k) => k !== "__metadata__")), fc.boolean(), (names, escaped) => {
        const text = headerText(null, names, escaped);
        const { tensors } = torch.safetensors.deserialize(file(text));
        const expected = JSON.parse(text) as Record<string, unknown>;
        expect(Object.keys(tensors)).toEqual(Object.keys(expected));
        const forIn: string[] = [];
        for (const k in tensors) forIn.push(k);
        expect(forIn).toEqual(Object.keys(expected));
        for (const [k, t] of Object.entries(tensors)) {
          expect(t).toBeInstanceOf(Tensor);
          expect(tensors[k]).toBe(t);
          expect(Object.getOwnPropertyDescriptor(tensors, k)?.value).toBe(t);
          expect({ ...tensors }[k]).toBe(t);
        }
        expect("toString" in tensors).toBe(true);
        expect(Object.hasOwn(tensors, "toString")).toBe(names.includes("toString"));
      }),
      { seed: 13, numRuns: 200 },
    );
  });

  it("writes of every kind act as on the plain object (then reads still agree), in any order", () => {
    const op = fc.oneof(
      fc.tuple(fc.constant("set"), hostileKey, fc.string()),
      fc.tuple(fc.constant("delete"), hostileKey, fc.constant("")),
      fc.tuple(fc.constant("define"), hostileKey, fc.string()),
      fc.tuple(fc.constant("freeze"), fc.constant(""), fc.constant("")),
      fc.tuple(fc.constant("preventExtensions"), fc.constant(""), fc.constant("")),
      fc.tuple(fc.constant("setPrototypeOf"), fc.constant(""), fc.constant("")),
    );
    const apply = (o: Record<string, unknown>, [kind, k, v]: [string, string, string]) => {
      try {
        if (kind === "set") o[k] = v;
        else if (kind === "delete") delete o[k];
        else if (kind === "define") Object.defineProperty(o, k, { value: v, enumerable: false, writable: false, configurable: true });
        else if (kind === "freeze") Object.freeze(o);
        else if (kind === "preventExtensions") Object.preventExtensions(o);
        else Object.setPrototypeOf(o, { inherited: 1 });
        return "ok";
      } catch (e) {
        return (e as Error).constructor.name;
      }
    };
    fc.assert(
      fc.property(fc.array(fc.tuple(hostileKey, fc.string())), fc.array(op, { minLength: 1, maxLength: 5 }), (members, ops) => {
        const text = headerText(members, [], false);
        const view = torch.safetensors.deserialize(file(text)).metadata!;
        const plain = (JSON.parse(text) as { __metadata__: Record<string, string> }).__metadata__;
        const probes = [...members.map(([k]) => k), ...ops.map((o) => o[1]), "inherited"];
        for (const o of ops) {
          expect(apply(view, o)).toBe(apply(plain, o));
          const [a, b] = [reads(view, probes), reads(plain, probes)];
          // NOTE: inspect shows a changed prototype by its constructor name; both are plain objects.
          expect({ ...a, proto: undefined }).toStrictEqual({ ...b, proto: undefined });
          expect(Object.getPrototypeOf(view)).toStrictEqual(Object.getPrototypeOf(plain));
        }
      }),
      { seed: 13, numRuns: 300 },
    );
  });

  it("a tensor keeps its identity through writes to the map; tensors with data load their bytes", () => {
    const data = new Float32Array([1, 2, 3]);
    const text = `{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,12]},"e":${OK_ENTRY},"__proto__":${OK_ENTRY}}`;
    const { tensors } = torch.safetensors.deserialize(file(text, new Uint8Array(data.buffer)));
    const [w, e, p] = [tensors.w, tensors.e, tensors.__proto__];
    expect(w.tolist()).toEqual([1, 2, 3]);
    tensors.extra = w;
    delete tensors.e;
    expect(tensors.w).toBe(w);
    expect(tensors.extra).toBe(w);
    expect(tensors.__proto__).toBe(p);
    expect(Object.getPrototypeOf(tensors)).toBe(Object.prototype);
    expect(Object.keys(tensors)).toEqual(["w", "__proto__", "extra"]);
    expect(e.shape).toEqual([0]);
  });

  it("console.log / util.inspect print the entries, nested or not", () => {
    const { tensors, metadata } = torch.safetensors.deserialize(file(`{"__metadata__":{"b":"1","a":"x\\ny"},"t":${OK_ENTRY}}`));
    expect(inspect(metadata)).toBe(inspect({ b: "1", a: "x\ny" }));
    expect(inspect({ deep: { metadata } }, { depth: 0 })).toBe(inspect({ deep: { metadata: { b: "1", a: "x\ny" } } }, { depth: 0 }));
    expect(inspect({ tensors })).toBe(inspect({ tensors: { t: tensors.t } }));
    // The inspector the view carries for this is not a key of it.
    expect(Object.getOwnPropertySymbols(metadata)).toEqual([]);
    expect((metadata as Record<symbol, unknown>)[inspect.custom]).toBeUndefined();
    expect(inspect.custom in metadata!).toBe(false);
    expect(Object.getOwnPropertyDescriptor(metadata, inspect.custom)).toBeUndefined();
  });
});
