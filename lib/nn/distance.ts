// nn.CosineSimilarity and nn.PairwiseDistance: F.cosineSimilarity / F.pairwiseDistance as modules
// (no extra repr, as PyTorch's). PairwiseDistance keeps p as `norm`, PyTorch's attribute name.
// ref: torch/nn/modules/distance.py (PyTorch 1.13).
import type { Tensor } from "../tensor.js";
import { Module } from "./module.js";
import { checkBool, checkInt, checkNumber, parseArgs } from "./args.js";
import { cosineSimilarity, pairwiseDistance, type CosineSimilarityOptions, type PairwiseDistanceOptions } from "./functional_distance.js";

export class CosineSimilarity extends Module {
  readonly dim: number;
  readonly eps: number;
  constructor(dim?: number | CosineSimilarityOptions, eps?: number);
  constructor(...args: unknown[]) {
    super();
    const o = parseArgs<{ dim: unknown; eps: unknown }>("CosineSimilarity", args, ["dim", "eps"], { dim: 1, eps: 1e-8 });
    this.dim = checkInt("CosineSimilarity", "dim", o.dim);
    this.eps = checkNumber("CosineSimilarity", "eps", o.eps);
  }
  forward(x1: Tensor, x2: Tensor): Tensor {
    return cosineSimilarity(x1, x2, this.dim, this.eps);
  }
}

export class PairwiseDistance extends Module {
  readonly norm: number;
  readonly eps: number;
  readonly keepdim: boolean;
  constructor(p?: number | PairwiseDistanceOptions, eps?: number, keepdim?: boolean);
  constructor(...args: unknown[]) {
    super();
    const o = parseArgs<{ p: unknown; eps: unknown; keepdim: unknown }>("PairwiseDistance", args, ["p", "eps", "keepdim"], { p: 2, eps: 1e-6, keepdim: false });
    this.norm = checkNumber("PairwiseDistance", "p", o.p);
    this.eps = checkNumber("PairwiseDistance", "eps", o.eps);
    this.keepdim = checkBool("PairwiseDistance", "keepdim", o.keepdim);
  }
  forward(x1: Tensor, x2: Tensor): Tensor {
    return pairwiseDistance(x1, x2, this.norm, this.eps, this.keepdim);
  }
}
