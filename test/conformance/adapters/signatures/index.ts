// Every signature the function-case adapter knows, one file per area so that areas grow apart.
// Format (see core.ts): PyTorch's parameters after the first argument, by op name; a key may be
// qualified ("Tensor.reshape") where torch.* and Tensor.* differ. "*name": keyword-only, passed in
// the trailing options object as camelCase. "...name": varargs (sizes), passed through as given.
import { CORE } from "./core.js";
import { TENSOR_OPS_A } from "./tensor_ops_a.js";
import { TENSOR_OPS_B } from "./tensor_ops_b.js";
import { NN_FUNCTIONAL } from "./nn_functional.js";

export const SIGNATURES: Record<string, string[]> = { ...CORE, ...TENSOR_OPS_A, ...TENSOR_OPS_B, ...NN_FUNCTIONAL };
