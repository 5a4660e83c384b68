// The order in which PyTorch 1.13's CPU `unique(sorted=False)` returns values: it inserts the elements
// one by one into a std::unordered_set and copies the set out, so the order is libstdc++'s: a singly
// linked list where a key whose bucket is empty goes to the front, and one whose bucket is in use goes
// first in that bucket's run; the table starts with 1 bucket and rehashes (relinking the list) to the
// next prime of its prime list when the element count passes the bucket count.
// Hashes: std::hash<int64> is the value itself (mod 2^64); std::hash<float> is 0 for ±0, else
// libstdc++'s _Hash_bytes (a 64-bit Murmur2 variant) of the 4 bytes with seed 0xc70f6907.
// ref: libstdc++ bits/hashtable.h (_M_insert_bucket_begin, _M_rehash_aux), hashtable_c++0x.cc
// (_Prime_rehash_policy), hash_bytes.cc; PyTorch 1.13 aten/src/ATen/native/Unique.cpp. Checked against
// python3-torch 1.13.1 on random int64 and float32 inputs.
import type { DType, Storage } from "../backend/types.js";

/** libstdc++'s __prime_list (src/shared/hashtable-aux.cc), up to the first entry past 2^33. */
const PRIMES = [
  2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97, 103,
  109, 113, 127, 137, 139, 149, 157, 167, 179, 193, 199, 211, 227, 241, 257, 277, 293, 313, 337, 359,
  383, 409, 439, 467, 503, 541, 577, 619, 661, 709, 761, 823, 887, 953, 1031, 1109, 1193, 1289, 1381,
  1493, 1613, 1741, 1879, 2029, 2179, 2357, 2549, 2753, 2971, 3209, 3469, 3739, 4027, 4349, 4703, 5087,
  5503, 5953, 6427, 6949, 7517, 8123, 8783, 9497, 10273, 11113, 12011, 12983, 14033, 15173, 16411,
  17749, 19183, 20753, 22447, 24281, 26267, 28411, 30727, 33223, 35933, 38873, 42043, 45481, 49201,
  53201, 57557, 62233, 67307, 72817, 78779, 85229, 92203, 99733, 107897, 116731, 126271, 136607,
  147793, 159871, 172933, 187091, 202409, 218971, 236897, 256279, 277261, 299951, 324503, 351061,
  379787, 410857, 444487, 480881, 520241, 562841, 608903, 658753, 712697, 771049, 834181, 902483,
  976369, 1056323, 1142821, 1236397, 1337629, 1447153, 1565659, 1693859, 1832561, 1982627, 2144977,
  2320627, 2510653, 2716249, 2938679, 3179303, 3439651, 3721303, 4026031, 4355707, 4712381, 5098259,
  5515729, 5967347, 6456007, 6984629, 7556579, 8175383, 8844859, 9569143, 10352717, 11200489, 12117689,
  13109983, 14183539, 15345007, 16601593, 17961079, 19431899, 21023161, 22744717, 24607243, 26622317,
  28802401, 31160981, 33712729, 36473443, 39460231, 42691603, 46187573, 49969847, 54061849, 58488943,
  63278561, 68460391, 74066549, 80131819, 86693767, 93793069, 101473717, 109783337, 118773397,
  128499677, 139022417, 150406843, 162723577, 176048909, 190465427, 206062531, 222936881, 241193053,
  260944219, 282312799, 305431229, 330442829, 357502601, 386778277, 418451333, 452718089, 489790921,
  529899637, 573292817, 620239453, 671030513, 725980837, 785430967, 849749479, 919334987, 994618837,
  1076067617, 1164186217, 1259520799, 1362662261, 1474249943, 1594975441, 1725587117, 1866894511,
  2019773507, 2185171673, 2364114217, 2557710269, 2767159799, 2993761039, 3238918481, 3504151727,
  3791104843, 4101556399, 4294967291, 6442450933, 8589934583, 12884901857,
];
const FAST_BKT = [2, 2, 2, 3, 5, 5, 7, 7, 11, 11, 11, 11, 13, 13];

const M64 = (1n << 64n) - 1n;
const MUL = (0xc6a4a793n << 32n) + 0x5bd1e995n;
const shiftMix = (v: bigint) => v ^ (v >> 47n);
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

const f64 = new Float64Array(1);
const w64 = new Uint32Array(f64.buffer);
const LOW = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1;

/** libstdc++'s std::hash<double>: _Hash_bytes over the 8 bytes (one block), 0 for ±0. */
function hashDouble(v: number): bigint {
  if (v === 0) return 0n;
  f64[0] = v;
  const bits = BigInt(w64[LOW]) | (BigInt(w64[1 - LOW]) << 32n);
  let h = (0xc70f6907n ^ ((8n * MUL) & M64)) & M64;
  h ^= (shiftMix((bits * MUL) & M64) * MUL) & M64;
  h = (h * MUL) & M64;
  h = (shiftMix(h) * MUL) & M64;
  return shiftMix(h);
}

/** std::hash of one element, as an unsigned 64-bit BigInt. */
function hashOf(v: number, dtype: DType): bigint {
  if (dtype === "float64") return hashDouble(v);
  if (dtype !== "float32") return BigInt(v) & M64;
  if (v === 0) return 0n;
  f32[0] = v;
  let h = (0xc70f6907n ^ ((4n * MUL) & M64)) & M64;
  h ^= BigInt(u32[0]);
  h = (h * MUL) & M64;
  h = (shiftMix(h) * MUL) & M64;
  return shiftMix(h);
}

/** _Prime_rehash_policy with max_load_factor 1. */
class RehashPolicy {
  nextResize = 0;
  nextBkt(n: number): number {
    if (n < FAST_BKT.length) {
      if (n === 0) return 1;
      this.nextResize = FAST_BKT[n];
      return FAST_BKT[n];
    }
    let lo = 6;
    let hi = PRIMES.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (PRIMES[mid] < n) lo = mid + 1;
      else hi = mid;
    }
    this.nextResize = PRIMES[lo];
    return PRIMES[lo];
  }
  /** The new bucket count when inserting one more element, or 0 for none. */
  needRehash(buckets: number, elements: number): number {
    if (elements + 1 <= this.nextResize) return 0;
    const minBkts = Math.max(elements + 1, this.nextResize ? 0 : 11);
    if (minBkts >= buckets) return this.nextBkt(Math.max(minBkts + 1, buckets * 2));
    this.nextResize = buckets;
    return 0;
  }
}

const EMPTY = -2;
const BEFORE_BEGIN = -1;

/** The distinct values of `data` in std::unordered_set iteration order (NaNs are never equal: each stays). */
export function unorderedSetOrder(data: Storage, dtype: DType): number[] {
  const n = data.length;
  const keys: number[] = [];
  const codes: bigint[] = [];
  const next = new Int32Array(n);
  const seen = new Set<number>();
  const policy = new RehashPolicy();
  let nb = 1;
  let before = new Int32Array(nb).fill(EMPTY); // per bucket: the node before its first node
  let head = -1;
  const bucket = (node: number, count: number) => Number(codes[node] % BigInt(count));
  const nextOf = (p: number) => (p === BEFORE_BEGIN ? head : next[p]);
  const link = (p: number, node: number) => {
    if (p === BEFORE_BEGIN) head = node;
    else next[p] = node;
  };
  for (let i = 0; i < n; i++) {
    const v = data[i] === 0 ? 0 : data[i]; // -0 and 0 are one key; the first one stays
    if (seen.has(v) && !Number.isNaN(v)) continue;
    seen.add(v);
    const node = keys.length;
    keys.push(data[i]);
    codes.push(hashOf(data[i], dtype));
    const grown = policy.needRehash(nb, node);
    if (grown) {
      const fresh = new Int32Array(grown).fill(EMPTY);
      let p = head;
      head = -1;
      let beginBkt = 0;
      while (p !== -1) {
        const after = next[p];
        const b = bucket(p, grown);
        if (fresh[b] === EMPTY) {
          next[p] = head;
          head = p;
          fresh[b] = BEFORE_BEGIN;
          if (next[p] !== -1) fresh[beginBkt] = p;
          beginBkt = b;
        } else {
          next[p] = nextOf(fresh[b]);
          link(fresh[b], p);
        }
        p = after;
      }
      before = fresh;
      nb = grown;
    }
    const b = bucket(node, nb);
    if (before[b] !== EMPTY) {
      next[node] = nextOf(before[b]);
      link(before[b], node);
    } else {
      next[node] = head;
      head = node;
      if (next[node] !== -1) before[bucket(next[node], nb)] = node;
      before[b] = BEFORE_BEGIN;
    }
  }
  const out: number[] = [];
  for (let p = head; p !== -1; p = next[p]) out.push(keys[p]);
  return out;
}
