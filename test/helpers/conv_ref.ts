// conv2d at stride 1 as direct loops in float64: the reference the implicit-GEMM tests compare with.

/** A stride-1 conv2d: image x [N, C, H, W], weight w [O, C/groups, kh, kw], padding `pad` per side. */
export interface StrideOneConv {
  x: [number, number, number, number];
  w: [number, number, number, number];
  pad: number;
  dil?: number;
  groups?: number;
}

/** The output [N, O, OH, OW] of c on x, w and bias b (null: none), flat, summed in float64. */
export function refConv(c: StrideOneConv, x: number[], w: number[], b: number[] | null): number[] {
  const [N, C, H, W] = c.x, [O, Cg, kh, kw] = c.w, G = c.groups ?? 1, d = c.dil ?? 1, p = c.pad;
  const OH = H + 2 * p - d * (kh - 1), OW = W + 2 * p - d * (kw - 1), Og = O / G;
  const out: number[] = [];
  for (let n = 0; n < N; n++) for (let o = 0; o < O; o++) for (let oy = 0; oy < OH; oy++) for (let ox = 0; ox < OW; ox++) {
    let s = b ? b[o] : 0;
    const g = Math.floor(o / Og);
    for (let ci = 0; ci < Cg; ci++) for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) {
      const y = oy - p + i * d, xx = ox - p + j * d;
      if (y < 0 || y >= H || xx < 0 || xx >= W) continue;
      s += x[((n * C + g * Cg + ci) * H + y) * W + xx] * w[((o * Cg + ci) * kh + i) * kw + j];
    }
    out.push(s);
  }
  return out;
}
