// torch.utils.data.DistributedSampler: each rank walks its own 1/num_replicas of the dataset, the
// same permutation on every rank (seeded by seed + epoch), padded or trimmed to split evenly.
// ref: torch/utils/data/distributed.py (PyTorch 1.13).
import { Generator, randperm } from "../ops/random.js";
import { getRank, getWorldSize, isAvailable } from "../distributed/process_group.js";
import { checkDataset, type DatasetLike } from "./dataset.js";
import { Sampler } from "./sampler.js";

export interface DistributedSamplerOptions {
  /** Default: the default group's world size. */
  numReplicas?: number;
  /** Default: this process's rank in the default group. */
  rank?: number;
  shuffle?: boolean;
  seed?: number;
  dropLast?: boolean;
}

export class DistributedSampler extends Sampler<number> {
  readonly dataset: DatasetLike;
  readonly numReplicas: number;
  readonly rank: number;
  readonly shuffle: boolean;
  readonly seed: number;
  readonly dropLast: boolean;
  readonly numSamples: number;
  readonly totalSize: number;
  epoch = 0;

  constructor(dataset: DatasetLike, options: DistributedSamplerOptions = {}) {
    super();
    checkDataset(dataset, "DistributedSampler");
    const { shuffle = true, seed = 0, dropLast = false } = options;
    if ((options.numReplicas === undefined || options.rank === undefined) && !isAvailable()) {
      throw new Error("Requires distributed package to be available");
    }
    const numReplicas = options.numReplicas ?? getWorldSize();
    const rank = options.rank ?? getRank();
    if (!Number.isInteger(numReplicas) || numReplicas < 1) throw new RangeError(`num_replicas must be a positive integer, got ${numReplicas}`);
    if (!Number.isInteger(rank) || rank >= numReplicas || rank < 0) {
      throw new RangeError(`Invalid rank ${rank}, rank should be in the interval [0, ${numReplicas - 1}]`);
    }
    if (!Number.isSafeInteger(seed)) throw new TypeError(`seed must be an integer, got ${seed}`);
    this.dataset = dataset;
    this.numReplicas = numReplicas;
    this.rank = rank;
    this.shuffle = shuffle;
    this.seed = seed;
    this.dropLast = dropLast;
    const n = dataset.length;
    // NOTE: drop_last trims the tail so every rank gets the same count; otherwise the tail is padded.
    this.numSamples = dropLast && n % numReplicas !== 0 ? Math.ceil((n - numReplicas) / numReplicas) : Math.ceil(n / numReplicas);
    this.totalSize = this.numSamples * numReplicas;
  }

  override get length(): number {
    return this.numSamples;
  }

  /** Makes the next iteration's shuffle differ (call it at the start of every epoch, as in PyTorch). */
  setEpoch(epoch: number): void {
    if (!Number.isSafeInteger(epoch)) throw new TypeError(`epoch must be an integer, got ${epoch}`);
    this.epoch = epoch;
  }

  *[Symbol.iterator](): Iterator<number> {
    const n = this.dataset.length;
    let indices: number[];
    if (this.shuffle) {
      const g = new Generator();
      g.manualSeed(this.seed + this.epoch);
      indices = Array.from(randperm(n, { generator: g }).typedArray as Float64Array);
    } else {
      indices = Array.from({ length: n }, (_, i) => i);
    }
    if (!this.dropLast) {
      const pad = this.totalSize - indices.length;
      for (let i = 0; i < pad; i++) indices.push(indices[i % n]);
    } else {
      indices.length = this.totalSize;
    }
    for (let i = this.rank; i < this.totalSize; i += this.numReplicas) yield indices[i];
  }
}
