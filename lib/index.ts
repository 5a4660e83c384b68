// torchlet's public entry: `import * as torch from "torchlet"` gives the tensor API as torch.*,
// and the namespaces nn, optim, data (torch.utils.data) and vision (torchvision).
export { Tensor } from "./tensor.js";
// Installs the Tensor methods that live outside tensor.ts (must precede tensor_keywords.ts).
import "./tensor_methods/index.js";
// Sets V8's heap growing factor for tensor memory (lib/gc_tuning.ts) on import, so a main thread
// that only hands work to torchlet workers tunes the process too.
import { applyGcTuning } from "./gc_tuning.js";
applyGcTuning();
export type { TensorOrScalar, Scalar, ValuesIndices } from "./tensor.js";
export type { DType } from "./backend/types.js";
export { float32, float, int64, long, bool, float64, double, float16, half, bfloat16, int32, int, int16, short, int8, uint8 } from "./dtype.js";
export { resultType, promoteTypes, canCast } from "./dtype.js";
export * from "./functional.js";
export * from "./functional_more.js";
export * from "./functional_misc.js";
export type { FInfo, IInfo } from "./functional_misc.js";
export * from "./functional_products.js";
export * from "./functional_order.js";
export * from "./functional_index.js";
export * from "./functional_shape.js";
export * from "./functional_creation.js";
export * from "./functional_random.js";
export * from "./functional_bitwise.js";
export * from "./functional_aliases.js";
export * from "./functional_math_extras.js";
export * from "./functional_inplace.js";
export * from "./functional_linalg.js";
export * from "./functional_nn.js";
export {
  tensor, zeros, ones, full, empty, arange, linspace, logspace, eye, rand, randn, randint,
  zerosLike, onesLike, emptyLike, fullLike, randLike, randnLike,
} from "./ops/creation.js";
export type { TensorOptions, RandomOptions } from "./ops/creation.js";
export { device, Device, cuda, backends } from "./device.js";
export type { DeviceLike, DeviceType } from "./device.js";
export type { ToOptions } from "./ops/to.js";
export { Generator, manualSeed, initialSeed, seed, randperm, defaultGenerator, getRngState, setRngState } from "./ops/random.js";
export { slice } from "./ops/indexing.js";
export { cat, stack } from "./tensor_keywords.js";
export { frombuffer } from "./ops/frombuffer.js";
export type { FrombufferOptions } from "./ops/frombuffer.js";
export type { IndexItem, Slice } from "./ops/indexing.js";
export type { SortOptions } from "./ops/sorting.js";
export type { ScatterOptions, ScatterReduceOp, ScatterReduceOptions } from "./ops/scatter.js";
export type { NonzeroOptions, UniqueOptions, UniqueResult, SearchsortedOptions } from "./ops/sets.js";
export type { MultinomialOptions } from "./ops/multinomial.js";
export { noGrad, enableGrad, isGradEnabled, setGradEnabled } from "./autograd/grad_mode.js";
export { backendInfo, setBackend, availableBackends } from "./backend/index.js";
export { setNumThreads, getNumThreads, setIsa } from "./backend/native.js";
export * as data from "./data/index.js";
export * as utils from "./utils_namespace.js";
export * as vision from "./vision/index.js";
export { save, load } from "./io/safetensors.js";
export * as safetensors from "./io/safetensors.js";
export * as optim from "./optim/index.js";
export * as nn from "./nn/index.js";
export { gradcheck, gradgradcheck } from "./autograd/gradcheck.js";
export * as autograd from "./autograd/index.js";
export * as linalg from "./linalg.js";
export * as distributed from "./distributed/index.js";
export * as worker from "./worker/index.js";
export {
  FloatTensor, DoubleTensor, HalfTensor, BFloat16Tensor, LongTensor, IntTensor, ShortTensor, CharTensor, ByteTensor, BoolTensor,
} from "./ops/legacy_constructors.js";
export { deepcopy } from "./nn/clone.js";
export { setPrintoptions } from "./format.js";
export type { SetPrintOptions } from "./format.js";
