// Tensor methods added outside tensor.ts, one file per family of ops: each file declares its
// methods on Tensor (TypeScript module augmentation of "../tensor.js") and installs them on
// Tensor.prototype when it loads. tensor.ts keeps the core surface; new families land here so
// that file stays one job. lib/index.ts imports this module before tensor_keywords.ts wraps
// methods, so a family's methods can take keyword arguments too.
import "./linalg.js";
