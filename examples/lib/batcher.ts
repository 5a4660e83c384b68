// Dynamic batching for a model server: requests that arrive while the model is busy, or within
// `maxWaitMs` of the first one, go to the model together as one batch (up to `maxBatch`), so the
// per-call cost (a message to the worker, the GEMM's packing) is paid once per batch, not per
// request. Each caller still gets its own row back.
// ref: the design of TorchServe's batch_size / max_batch_delay and Triton's dynamic batcher.
import * as torch from "../../lib/index.js";

export interface BatcherOptions {
  /** Most requests per batch; 1 turns batching off. */
  maxBatch: number;
  /** How long the first request of a batch waits for others while the model is idle. */
  maxWaitMs: number;
  /** Runs the model on a batch [B, ...] and resolves with one output row per input row. */
  run(batch: torch.Tensor): Promise<torch.Tensor>;
}

interface Waiting {
  input: torch.Tensor;
  resolve(row: torch.Tensor): void;
  reject(e: unknown): void;
}

export class DynamicBatcher {
  readonly #queue: Waiting[] = [];
  #busy = false;
  #timer: NodeJS.Timeout | null = null;
  /** Sizes of the batches run so far (for the server's /stats). */
  readonly batchSizes = new Map<number, number>();

  constructor(private readonly options: BatcherOptions) {
    if (!Number.isInteger(options.maxBatch) || options.maxBatch < 1) throw new RangeError(`maxBatch must be a positive integer, got ${options.maxBatch}`);
    if (!(options.maxWaitMs >= 0)) throw new RangeError(`maxWaitMs must be >= 0, got ${options.maxWaitMs}`);
  }

  /** One input (without the batch dimension); resolves with its output row. */
  submit(input: torch.Tensor): Promise<torch.Tensor> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ input, resolve, reject });
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#busy || this.#queue.length === 0) return;
    if (this.#queue.length >= this.options.maxBatch || this.options.maxWaitMs === 0) {
      void this.#flush();
    } else if (this.#timer === null) {
      this.#timer = setTimeout(() => void this.#flush(), this.options.maxWaitMs);
    }
  }

  async #flush(): Promise<void> {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#busy || this.#queue.length === 0) return;
    this.#busy = true;
    const batch = this.#queue.splice(0, this.options.maxBatch);
    this.batchSizes.set(batch.length, (this.batchSizes.get(batch.length) ?? 0) + 1);
    try {
      const out = await this.options.run(torch.stack(batch.map((w) => w.input)));
      batch.forEach((w, i) => w.resolve(out.index(i)));
    } catch (e) {
      for (const w of batch) w.reject(e);
    } finally {
      this.#busy = false;
      // NOTE: what queued up while the model ran goes next, at once: the wait was already paid.
      if (this.#queue.length > 0) void this.#flush();
    }
  }
}
