// Tensor methods added outside tensor.ts, one file per family of ops: each file declares its
// methods on Tensor (TypeScript module augmentation of "../tensor.js") and installs them on
// Tensor.prototype when it loads. tensor.ts keeps the core surface; new families land here so
// that file stays one job. lib/index.ts imports this module before tensor_keywords.ts wraps
// methods, so a family's methods can take keyword arguments too.
import "./products.js";
import "./order.js";
import "./index_extra.js";
import "./shape.js";
import "./correlation.js";
import "./random.js";
import "./misc.js";
import "./bitwise.js";
import "./aliases.js";
import "./math_extras.js";
import "./predicates.js";
import "./linalg.js";
