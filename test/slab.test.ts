// Small op outputs are cut from shared slabs (lib/ops/slab.ts). A piece must behave exactly as a
// storage of its own: same results bit for bit, writes that stay inside it, its own version
// counter, the same overlap errors, and copies (not hand-overs) to workers. Runs on every backend.
import { describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import { backends, useBackend } from "./helpers/backends.js";
import { MAX_PIECE_BYTES } from "../lib/ops/slab.js";
import { encode } from "../lib/worker/message.js";

type T = torch.Tensor;
const onSlab = (t: T) => t.typedArray.byteLength < t.typedArray.buffer.byteLength;
const bits = (t: T) => Array.from(new Uint8Array(t.typedArray.buffer, t.typedArray.byteOffset + t.offset * t.typedArray.BYTES_PER_ELEMENT, t.numel() * t.typedArray.BYTES_PER_ELEMENT));

/** A deterministic stream of numbers in [0, 1). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

describe.each(backends())("slab storages on %s", (name) => {
  useBackend(name);

  it("small results come from slabs; V8's on-heap sizes and larger results get storages of their own", () => {
    const x = torch.randn(4, 5);
    expect(onSlab(x.add(1))).toBe(true); // 80 bytes
    expect(onSlab(x.sum())).toBe(false); // 0-d
    expect(onSlab(torch.randn(16).add(1))).toBe(false); // 64 bytes: on V8's heap
    expect(onSlab(torch.randn(16, { dtype: "float64" }).add(1))).toBe(true); // 128 bytes
    const big = torch.randn(MAX_PIECE_BYTES / 4 + 1);
    expect(onSlab(big.add(1))).toBe(false);
    expect(onSlab(torch.zeros(4, 4))).toBe(false); // creation functions own their buffers
  });

  it("gives the bits of a result written into a storage of its own, for random shapes, dtypes and layouts", () => {
    const r = rng(16);
    const dtypes = ["float32", "float64", "int64", "int32", "bool"] as const;
    for (let trial = 0; trial < 60; trial++) {
      const dtype = dtypes[trial % dtypes.length];
      const m = 1 + Math.floor(r() * 9), n = 2 + Math.floor(r() * 9);
      const src = torch.randn(m + 1, n + 1).mul(5);
      // strided operands: a slice of a slab result, the transpose of one
      const a = src.add(0.5).to(dtype).index([torch.slice(1), torch.slice(0, n)]);
      const b = torch.randn(n, m).mul(3).to(dtype).t(); // a transposed slab result
      const ops: [string, (o?: T) => T][] = [
        ["add", (o) => torch.add(a, b, o ? { out: o } : undefined)],
        ["mul", (o) => torch.mul(a, b, o ? { out: o } : undefined)],
      ];
      if (dtype !== "bool") ops.push(["neg", (o) => torch.neg(a, o ? { out: o } : undefined)]);
      if (dtype === "float32" || dtype === "float64") {
        ops.push(["exp", (o) => torch.exp(a, o ? { out: o } : undefined)]);
        ops.push(["mm", (o) => torch.mm(a, b.t(), o ? { out: o } : undefined)]);
      }
      for (const [op, f] of ops) {
        const res = f();
        const own = torch.empty(res.shape, { dtype: res.dtype });
        f(own);
        expect(onSlab(own)).toBe(false);
        expect(bits(res), `${op} ${dtype} [${m}, ${n}]`).toEqual(bits(own));
      }
    }
  });

  it("writes stay inside a piece; in-place ops bump only that piece's version", () => {
    const a = torch.randn(3, 6);
    const xs = Array.from({ length: 40 }, (_, i) => a.add(i));
    const before = xs.map((x) => x.tolist());
    xs[7].mul_(0).add_(1);
    xs[8].fill_(2);
    xs.forEach((x, i) => {
      if (i === 7) expect(x.tolist()).toEqual(Array.from({ length: 3 }, () => [1, 1, 1, 1, 1, 1]));
      else if (i === 8) expect(x.tolist()).toEqual(Array.from({ length: 3 }, () => [2, 2, 2, 2, 2, 2]));
      else expect(x.tolist()).toEqual(before[i]);
    });
    expect(xs[7].typedArray.buffer).toBe(xs[6].typedArray.buffer);
    expect(xs[7]._version).toBe(2);
    expect(xs[6]._version).toBe(0);
    expect(xs[8]._version).toBe(1);
  });

  it("keeps the overlap rules: neighbours on one slab never overlap, a piece's own views do", () => {
    const a = torch.randn(6, 6);
    const x = a.add(1), y = a.add(2);
    expect(x.typedArray.buffer).toBe(y.typedArray.buffer);
    expect(() => x.add_(y)).not.toThrow();
    expect(() => torch.add(x, y, { out: a.mul(1) })).not.toThrow();
    const want = x.add(y).tolist();
    const out = a.mul(0);
    expect(torch.add(x, y, { out }).tolist()).toEqual(want);
    expect(() => x.index(torch.slice(1)).add_(x.index(torch.slice(0, 5)))).toThrow(/single memory location/);
    expect(() => torch.add(x, y, { out: x.t() })).toThrow(/single memory location/);
    expect(() => torch.mm(x, y, { out: x })).not.toThrow(); // out= may be an input exactly
  });

  it("cuts a fresh slab after a piece's buffer was transferred away", () => {
    const x = torch.randn(20).add(1);
    structuredClone(x.typedArray.buffer, { transfer: [x.typedArray.buffer as ArrayBuffer] });
    expect(() => x.tolist()).toThrow(/transferred/);
    const y = torch.randn(20).add(1);
    expect(onSlab(y)).toBe(true);
    expect(y.typedArray.buffer).not.toBe(x.typedArray.buffer);
    expect(y.sub(1).tolist().length).toBe(20);
  });

  it("is copied, not handed over, when sent to a worker with transfer", () => {
    const x = torch.randn(20).add(1);
    const transfer: ArrayBuffer[] = [];
    const enc = encode(x, transfer, true) as { data: Float32Array };
    expect(enc.data.buffer).not.toBe(x.typedArray.buffer);
    expect(transfer).toEqual([enc.data.buffer]);
    expect(Array.from(enc.data)).toEqual(x.tolist());
  });
});
