// Softmax backward's row kernel of softmax_backward_row.h compiled with arm64's baseline NEON (CMakeLists.txt).
#include "softmax_backward_row.h"

namespace torchlet {

SoftmaxBackwardRowFn softmax_backward_row_neon() { return softmax_backward_row_impl; }

}  // namespace torchlet
