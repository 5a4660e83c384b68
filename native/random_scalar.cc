// Dropout's mask kernel of random_mask.h compiled with the baseline of the arch (no extra flags) (CMakeLists.txt).
#include "random_mask.h"

namespace torchlet {

DropoutMaskFn dropout_mask_kernel_scalar() { return dropout_mask_impl; }

}  // namespace torchlet
