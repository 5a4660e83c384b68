// Dropout's mask kernel of random_mask.h compiled with arm64's baseline NEON (CMakeLists.txt).
#include "random_mask.h"

namespace torchlet {

DropoutMaskFn dropout_mask_kernel_neon() { return dropout_mask_impl; }

}  // namespace torchlet
