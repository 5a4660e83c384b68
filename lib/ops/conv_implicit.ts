// When conv2d's forward skips writing its columns and has the GEMM pack them straight from the
// zero-padded image (Backend.matmulUnfolded, native/conv_pack.cc; run by conv_padded_rows.ts), and
// in which column layout: pure functions of the shape, so a result never depends on timings (the
// paths agree bit for bit anyway: each output's sum is the same products in the same order, so the
// choice only moves time). The thresholds come from scripts/conv_pack_ab.ts (issue #14).

/** Whether a stride-1 forward whose GEMM is [Og, Cg*kh*kw] x [Cg*kh*kw, width] per group packs its
 *  columns from the image. Og: output channels per group; width: outputs of the whole batch.
 *  NOTE: a GEMM narrow in Og or in width takes the dot-product form or computes C^T, which read
 *  stored columns: matmulUnfolded would build them first, for no gain (native/gemm.cc). */
export function usesImplicitGemm(Og: number, width: number): boolean {
  return Og >= IMPLICIT_MIN && width >= IMPLICIT_MIN;
}
const IMPLICIT_MIN = 32;

/** Whether the implicit GEMM's columns are the outputs themselves (OW per output row) rather than
 *  the padded-row layout's Wp per row (conv_padded_rows.ts), whose Wp - OW extra columns per row
 *  the GEMM computes and drops. The exact layout breaks each panel row into a run per output row,
 *  a cost per packed row that the Og rows of C reading the panel share: it pays when the dropped
 *  columns' work, Og * (Wp - OW) per output row, is large against it. */
export function implicitExactColumns(Og: number, OW: number, Wp: number): boolean {
  return Og * (Wp - OW) >= EXACT_MIN_RATIO * OW;
}
const EXACT_MIN_RATIO = 16;
