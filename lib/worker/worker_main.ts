// The worker thread of a torch.worker.Runner: imports the user's module, then runs the calls that
// arrive, one at a time in arrival order, each to completion (awaiting a returned Promise), and
// posts each result or error back under the call's id.
import { parentPort, workerData } from "node:worker_threads";
import { decode, encode, encodeError, type Request, type Reply } from "./message.js";

interface WorkerData {
  readonly moduleUrl: string;
}

const port = parentPort;
if (port === null) throw new Error("torch.worker: worker_main runs only as a Runner's worker thread");

function post(reply: Reply, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(reply, transfer);
}

async function main(): Promise<void> {
  const { moduleUrl } = workerData as WorkerData;
  let exported: Record<string, unknown>;
  try {
    exported = (await import(moduleUrl)) as Record<string, unknown>;
  } catch (e) {
    post({ type: "failed", error: encodeError(e) });
    return;
  }
  const functions = Object.keys(exported).filter((k) => typeof exported[k] === "function");
  // NOTE: calls queue behind one another (a chain of promises), so they run in arrival order even
  // when one awaits; the next starts when the previous settled.
  let queue: Promise<void> = Promise.resolve();
  const cancelled = new Set<number>();
  let lastStarted = 0; // calls start in id order, so a cancel of an id up to this one came too late
  port!.on("message", (req: Request) => {
    if (req.type === "close") {
      void queue.then(() => port!.close());
      return;
    }
    if (req.type === "cancel") {
      if (req.id > lastStarted) cancelled.add(req.id);
      return;
    }
    queue = queue.then(async () => {
      // NOTE: a call aborted before it started is skipped; one already running can't be stopped.
      // Waiting one turn of the event loop first lets the messages that came in meanwhile (a
      // cancel of this call, sent while the previous one ran) arrive before the call starts.
      await new Promise((r) => setImmediate(r));
      lastStarted = req.id;
      if (cancelled.delete(req.id)) return;
      try {
        const fn = exported[req.name];
        if (typeof fn !== "function") {
          throw new TypeError(`torch.worker: the module exports no function '${req.name}' (it exports: ${functions.join(", ") || "none"})`);
        }
        const value = await (fn as (...a: unknown[]) => unknown)(...(decode(req.args) as unknown[]));
        const transfer: ArrayBuffer[] = [];
        post({ type: "result", id: req.id, value: encode(value, transfer, false) }, transfer);
      } catch (e) {
        post({ type: "error", id: req.id, error: encodeError(e) });
      }
    });
  });
  post({ type: "ready", exports: functions });
}

void main();
