// The batch-norm row kernels of batch_norm_rows.h compiled with the baseline of the arch (no extra flags) (CMakeLists.txt).
#include "batch_norm_rows.h"

namespace torchlet {

const BatchNormKernels& batch_norm_kernels_scalar() { return kBatchNormRows; }

}  // namespace torchlet
