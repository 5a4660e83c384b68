// The LayerNorm row kernels of layer_norm_rows.h compiled with the baseline of the arch (no extra flags) (CMakeLists.txt).
#include "layer_norm_rows.h"

namespace torchlet {

const LayerNormKernels& layer_norm_kernels_scalar() {
  static const LayerNormKernels k{ln_forward, ln_backward};
  return k;
}

}  // namespace torchlet
