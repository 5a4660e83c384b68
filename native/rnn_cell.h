// Fused LSTM and GRU cell steps, forward and backward, over contiguous float32 rows: the gate
// nonlinearities and state update of one time step of lib/nn/rnn_lstm_layer.ts / rnn_gru_layer.ts
// in one pass instead of a dozen elementwise kernels. Every value is computed with the operations,
// in the order, that the composed tensor ops use (sigmoid/tanh from the ISA's unary table, the
// rest IEEE float adds and multiplies, -ffp-contract=off), so fused == composed bit for bit on the
// same ISA and for any thread count (rows are split in fixed chunks; no element depends on another).
// Semantics and order: lib/backend/js/rnn_cell.ts (the JS twin).
#pragma once

#include <cstdint>

#include "ops.h"

namespace torchlet {

// Pointers are row-major [n, k*H] blocks (k = 4 for the LSTM's i,f,g,o and 3 for the GRU's r,z,n).

// gates = act(gi + hh) (sigmoid i, f, o; tanh g); c = f*c_prev + i*g; tanh_c = tanh(c); h = o*tanh_c.
void lstm_cell_forward(const OpContext& ctx, int64_t n, int64_t H, const float* gi, const float* hh,
                       const float* c_prev, float* gates, float* c, float* tanh_c, float* h);
// From dh (the state's gradient) + gy (the output's): d_pre [n, 4H], the pre-activation gradient,
// and dc_prev [n, H]. dc_prev may be dc itself (the state's gradient updated in place).
void lstm_cell_backward(const OpContext& ctx, int64_t n, int64_t H, const float* dh, const float* gy,
                        const float* dc, const float* gates, const float* tanh_c, const float* c_prev,
                        float* d_pre, float* dc_prev);
// r, z = sigmoid(gi + hh); n = tanh(gi_n + r * hh_n); h = (h_prev - n) * z + n.
void gru_cell_forward(const OpContext& ctx, int64_t n, int64_t H, const float* gi, const float* hh,
                      const float* h_prev, float* gates, float* h);
// From dh + gy: d_gi [n, 3H] (input projection), d_gh [n, 3H] (recurrent projection) and d_diff =
// (dh + gy) * z [n, H], the direct part of h_prev's gradient. d_diff may be dh itself.
void gru_cell_backward(const OpContext& ctx, int64_t n, int64_t H, const float* dh, const float* gy,
                       const float* gates, const float* hh, const float* h_prev, float* d_gi, float* d_gh,
                       float* d_diff);

}  // namespace torchlet
