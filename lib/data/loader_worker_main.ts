// One DataLoader worker thread (numWorkers > 0): builds the dataset from the loader's workerDataset
// module, then turns each index list it is sent into a batch (dataset items, then the collate), or
// for an IterableDataset reads its own replica of the stream, posts the batch back on its port and
// bumps the shared counter the loader may be blocked on.
// ref: torch/utils/data/_utils/worker.py (_worker_loop: seeding, fetching, error wrapping).
import { type MessagePort, workerData } from "node:worker_threads";
import { manualSeed } from "../ops/random.js";
import { encode, encodeError } from "../worker/message.js";
import { defaultCollate, defaultConvert, type CollateFn } from "./collate.js";
import { checkDataset, type DatasetLike } from "./dataset.js";
import { fetchBatch, StreamFetcher } from "./fetch.js";
import { IterableDataset } from "./iterable_dataset.js";
import { setWorkerInfo } from "./worker_info.js";
import { datasetFromModule, type LoaderReply, type LoaderRequest, type LoaderWorkerData } from "./worker_protocol.js";

const { moduleUrl, workerId, numWorkers, port, signal, batched, expectedLength, stream } = workerData as LoaderWorkerData & { port: MessagePort };
const counter = new Int32Array(signal);

function reply(msg: LoaderReply, transfer: ArrayBuffer[] = []): void {
  port.postMessage(msg, transfer);
  // NOTE: after postMessage, so a loader woken by the counter finds the message already queued.
  Atomics.add(counter, 0, 1);
  Atomics.notify(counter, 0);
}

async function main(): Promise<void> {
  let dataset: DatasetLike | IterableDataset;
  let collate: CollateFn<unknown>;
  let init: ((id: number) => unknown) | undefined;
  try {
    const mod = (await import(moduleUrl)) as Record<string, unknown>;
    const built = await datasetFromModule(mod, moduleUrl);
    if (stream !== null) {
      if (!(built instanceof IterableDataset)) throw new TypeError(`the dataset built by ${moduleUrl} is not an IterableDataset, the loader's is: workerDataset must build the same dataset`);
    } else {
      checkDataset(built, "DataLoader worker");
      if (built.length !== expectedLength) {
        throw new Error(`the dataset built by ${moduleUrl} has ${built.length} items, the loader's has ${expectedLength}: workerDataset must build the same dataset`);
      }
    }
    dataset = built;
    collate = (typeof mod.collate === "function" ? mod.collate : batched ? defaultCollate : defaultConvert) as CollateFn<unknown>;
    init = typeof mod.workerInit === "function" ? (mod.workerInit as (id: number) => unknown) : undefined;
  } catch (e) {
    reply({ type: "failed", error: encodeError(e) });
    return;
  }
  let initError: unknown = null;
  // A stream's replica, read from its start each epoch (PyTorch makes a new fetcher per epoch).
  let fetcher: StreamFetcher<unknown> | null = null;
  port.on("message", (req: LoaderRequest) => {
    if (req.type === "epoch") {
      // PyTorch seeds each worker with base_seed + worker_id when it starts an epoch's work, and
      // sets the worker's info before its init function runs.
      // NOTE: our generator, as PyTorch's mt19937, is seeded with the low 32 bits.
      const seed = BigInt(req.baseSeed) + BigInt(workerId);
      manualSeed(Number(BigInt.asUintN(32, seed)));
      setWorkerInfo({ id: workerId, numWorkers, seed, dataset });
      initError = null;
      fetcher = null;
      try {
        init?.(workerId);
        if (stream !== null) fetcher = new StreamFetcher(dataset as IterableDataset, collate, stream.dropLast);
      } catch (e) {
        initError = e; // reported with this worker's first batch
      }
      return;
    }
    try {
      if (initError !== null) throw initError;
      let value: unknown;
      if (req.type === "samples") {
        const got = fetcher!.next(req.count);
        // NOTE: every request after the end says so (PyTorch's worker goes quiet after one), so the
        // loader, which takes requests in order, never waits on one that gets no answer.
        if (got === null) return reply({ type: "batch", epoch: req.epoch, batch: req.batch, streamEnded: true });
        value = got.value;
      } else {
        const map = dataset as DatasetLike;
        value = Array.isArray(req.indices) ? fetchBatch(map, req.indices, collate) : collate(map.get(req.indices) as never);
      }
      const transfer: ArrayBuffer[] = [];
      const encoded = encode(value, transfer, false);
      reply({ type: "batch", epoch: req.epoch, batch: req.batch, value: encoded }, transfer);
    } catch (e) {
      reply({ type: "batch", epoch: req.epoch, batch: req.batch, error: encodeError(e) });
    }
  });
  // NOTE: a worker ended by process.exit() or an uncaught error still says so, so a loader blocked
  // in Atomics.wait (which hears no 'exit' event) wakes up and reports it.
  process.on("exit", (code) => reply({ type: "exited", code }));
  reply({ type: "ready" });
}

void main();
