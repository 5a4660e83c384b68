// Softmax backward's row kernel of softmax_backward_row.h compiled with the baseline of the arch (no extra flags) (CMakeLists.txt).
#include "softmax_backward_row.h"

namespace torchlet {

SoftmaxBackwardRowFn softmax_backward_row_scalar() { return softmax_backward_row_impl; }

}  // namespace torchlet
