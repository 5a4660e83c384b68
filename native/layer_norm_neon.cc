// The LayerNorm row kernels of layer_norm_rows.h compiled with arm64's baseline NEON (CMakeLists.txt).
#include "layer_norm_rows.h"

namespace torchlet {

const LayerNormKernels& layer_norm_kernels_neon() {
  static const LayerNormKernels k{ln_forward, ln_backward};
  return k;
}

}  // namespace torchlet
