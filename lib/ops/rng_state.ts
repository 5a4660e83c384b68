// Generator.getState / setState (torch.get_rng_state / set_rng_state) in PyTorch 1.13's byte layout,
// CPUGeneratorImplState: 5056 bytes, so a state saved by either library restores in the other.
//   u64 the_initial_seed | i32 left | i32 seeded | u64 next | u64 state[624]      (mt19937's words)
//   f64 normal_x | f64 normal_y | f64 normal_rho | i32 normal_is_valid | 4 pad    (the cached double normal in normal_y)
//   f32 next_float_normal_sample | u8 is_next_float_normal_sample_valid | 3 pad
// mt19937 here keeps `index` (the next word, N = twist first); PyTorch keeps left = N - index + 1
// and next = index. The 5048-byte legacy form (no float cache) is accepted too, as PyTorch does.
// ref: aten/src/ATen/CPUGeneratorImpl.cpp (get_state, set_state), ATen/core/MT19937RNGEngine.h.
import { allocStorage } from "../dtype.js";
import { Tensor } from "../tensor.js";

export const STATE_WORDS = 624;
const SIZE = 5056;
const LEGACY_SIZE = 5048;
const STATE_AT = 24;
const NORMAL_Y_AT = STATE_AT + STATE_WORDS * 8 + 8;
const NORMAL_VALID_AT = NORMAL_Y_AT + 16;

/** What a generator's state is made of. */
export interface RngState {
  seed: number;
  words: Int32Array;
  index: number;
  cachedNormal: number | null;
}

export function encodeState(s: RngState): Tensor {
  const bytes = allocStorage("uint8", SIZE) as Uint8Array;
  const v = new DataView(bytes.buffer, bytes.byteOffset, SIZE);
  v.setBigUint64(0, BigInt(s.seed), true);
  v.setInt32(8, STATE_WORDS - s.index + 1, true);
  v.setInt32(12, 1, true);
  v.setBigUint64(16, BigInt(s.index), true);
  for (let i = 0; i < STATE_WORDS; i++) v.setUint32(STATE_AT + 8 * i, s.words[i] >>> 0, true);
  if (s.cachedNormal !== null) {
    v.setFloat64(NORMAL_Y_AT, s.cachedNormal, true);
    v.setInt32(NORMAL_VALID_AT, 1, true);
  }
  return new Tensor(bytes, [SIZE]);
}

export function decodeState(t: Tensor): RngState {
  if (!(t instanceof Tensor) || t.dtype !== "uint8") throw new TypeError("RNG state must be a torch.ByteTensor");
  const n = t.numel();
  if (n !== SIZE && n !== LEGACY_SIZE) {
    throw new RangeError(`Expected either a CPUGeneratorImplStateLegacy of size ${LEGACY_SIZE} or a CPUGeneratorImplState of size ${SIZE} but found the input RNG state size to be ${n}`);
  }
  const bytes = Uint8Array.from(t.contiguous().storage() as Uint8Array);
  const v = new DataView(bytes.buffer);
  const left = v.getInt32(8, true);
  if (left < 1 || left > STATE_WORDS) throw new RangeError(`RNG state is corrupted: left ${left} is outside [1, ${STATE_WORDS}]`);
  const words = new Int32Array(STATE_WORDS);
  for (let i = 0; i < STATE_WORDS; i++) words[i] = v.getUint32(STATE_AT + 8 * i, true) | 0;
  const seed = v.getBigUint64(0, true);
  return {
    seed: seed <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(seed) : Number(seed & 0x1fffffffffffffn),
    words,
    index: STATE_WORDS - left + 1,
    cachedNormal: v.getInt32(NORMAL_VALID_AT, true) !== 0 ? v.getFloat64(NORMAL_Y_AT, true) : null,
  };
}
