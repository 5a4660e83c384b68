// torch.worker.Runner: a module of the user's (a model, a training loop) living in its own
// worker_thread, called with Promises, so the event loop that owns the Runner stays free while
// the worker computes. The worker has its own torchlet (the native kernels' thread pool is shared
// by the process); tensors cross by copy, or by handing their buffer over ({ transfer: true }).
// ref: Node's worker_threads (Worker, postMessage transfer lists); the design of piscina's
// task queue (one ordered queue, Promise per task, AbortSignal per task).
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Worker } from "node:worker_threads";
import { workerBootstrap } from "./bootstrap.js";
import { moduleUrlOf } from "./module_url.js";
import { decode, decodeError, encode, type Reply, type Request } from "./message.js";

export interface CallOptions {
  /** Aborting rejects the call at once; a call not yet started never runs (a running one finishes unseen). */
  signal?: AbortSignal;
  /** Hand the argument tensors' storage to the worker instead of copying it (they become unreadable here). */
  transfer?: boolean;
}

/** Heap limits of the worker's V8 isolate, as Node's worker_threads ResourceLimits (MB). */
export interface WorkerResourceLimits {
  maxOldGenerationSizeMb?: number;
  maxYoungGenerationSizeMb?: number;
  codeRangeSizeMb?: number;
  stackSizeMb?: number;
}

// NOTE: declared here rather than imported from node:worker_threads, so the package's types need
// no @types/node (checked by npm run test:package).
export interface RunnerOptions {
  /** The worker thread's name (in stacks and inspectors). */
  name?: string;
  /** Passed to the Worker: heap limits of the worker's V8 isolate. */
  resourceLimits?: WorkerResourceLimits;
}

interface Pending {
  resolve(v: unknown): void;
  reject(e: unknown): void;
  name: string;
  cleanup(): void;
}

/** Starts the worker on our entry file, which then imports the user's module. */
function spawn(moduleUrl: URL, options: RunnerOptions): Worker {
  const self = fileURLToPath(import.meta.url);
  const entry = pathToFileURL(self.replace(/runner\.(ts|js)$/, (_, ext: string) => `worker_main.${ext}`));
  return workerBootstrap(entry, moduleUrl, { workerData: { moduleUrl: moduleUrl.href }, name: options.name ?? "torchlet-runner", resourceLimits: options.resourceLimits });
}

export class Runner {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #exports: readonly string[] = [];
  #dead: Error | null = null;
  #closing = false;
  readonly #exited: Promise<number>;
  /** Settles start()'s Promise: on the worker's "ready", or on its first failure. */
  #onStart: ((err: Error | null) => void) | null = null;

  private constructor(worker: Worker) {
    this.#worker = worker;
    this.#exited = new Promise((done) => worker.once("exit", done));
    worker.on("message", (m: Reply) => this.#onReply(m));
    worker.on("error", (e) => this.#fail(e));
    worker.on("exit", (code) => this.#fail(new Error(`torch.worker: the worker thread exited (code ${code})${this.#closing ? " after close()" : ""}`)));
  }

  /**
   * Starts a worker thread that imports `module` (a path or file: URL of an ES module, .js or .ts)
   * and resolves once it loaded; the module's exported functions become callable with call().
   */
  static async start(module: string | URL, options: RunnerOptions = {}): Promise<Runner> {
    const runner = new Runner(spawn(moduleUrlOf(module), options));
    return new Promise((resolveStart, rejectStart) => {
      runner.#onStart = (err) => (err === null ? resolveStart(runner) : rejectStart(err));
    });
  }

  /** The names of the functions the module exports. */
  get exports(): readonly string[] {
    return this.#exports;
  }

  /** Calls not yet settled. */
  get pending(): number {
    return this.#pending.size;
  }

  /**
   * Runs the module's exported function `name` on the worker with `args` (tensors, numbers,
   * strings, arrays and plain objects of them); resolves with its (awaited) return value. Calls
   * run one at a time in the order they were made.
   */
  call<T = unknown>(name: string, args: unknown[] = [], options: CallOptions = {}): Promise<T> {
    if (typeof name !== "string") return Promise.reject(new TypeError("torch.worker: call(name, args): name must be a string"));
    if (!Array.isArray(args)) return Promise.reject(new TypeError("torch.worker: call(name, args): args must be an array"));
    if (this.#dead !== null) return Promise.reject(this.#dead);
    if (this.#closing) return Promise.reject(new Error("torch.worker: call() after close()"));
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(signal.reason);
    const id = this.#nextId++;
    const transfer: ArrayBuffer[] = [];
    let payload: unknown[];
    try {
      payload = encode(args, transfer, options.transfer === true) as unknown[];
    } catch (e) {
      return Promise.reject(e);
    }
    return new Promise<T>((res, rej) => {
      const onAbort = () => {
        if (!this.#pending.delete(id)) return;
        this.#post({ type: "cancel", id });
        this.#refreshRef();
        rej(signal!.reason);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#pending.set(id, { resolve: res as (v: unknown) => void, reject: rej, name, cleanup: () => signal?.removeEventListener("abort", onAbort) });
      this.#refreshRef();
      try {
        this.#post({ type: "call", id, name, args: payload }, transfer);
      } catch (e) {
        this.#settle(id)?.reject(e);
      }
    });
  }

  /** Lets the calls already made finish, then ends the worker thread. */
  async close(): Promise<void> {
    if (this.#dead === null && !this.#closing) {
      this.#closing = true;
      this.#post({ type: "close" });
      this.#worker.ref();
    }
    await this.#exited;
  }

  /** Ends the worker thread now; calls not yet settled reject. */
  async terminate(): Promise<void> {
    this.#fail(new Error("torch.worker: the Runner was terminated"));
    await this.#worker.terminate();
  }

  #post(req: Request, transfer: ArrayBuffer[] = []): void {
    this.#worker.postMessage(req, transfer);
  }

  // NOTE: an idle Runner must not keep the process alive (a script ends when its work is done);
  // one with calls in flight must, or `await runner.call()` at the end of a script would be cut off.
  #refreshRef(): void {
    if (this.#pending.size > 0 || this.#closing) this.#worker.ref();
    else this.#worker.unref();
  }

  #settle(id: number): Pending | undefined {
    const p = this.#pending.get(id);
    if (p === undefined) return undefined;
    this.#pending.delete(id);
    p.cleanup();
    this.#refreshRef();
    return p;
  }

  #onReply(m: Reply): void {
    switch (m.type) {
      case "ready":
        this.#exports = m.exports;
        this.#refreshRef();
        this.#onStart?.(null);
        this.#onStart = null;
        return;
      case "failed":
        this.#fail(decodeError(m.error, "torch.worker.Runner.start"));
        void this.#worker.terminate();
        return;
      case "result": {
        const p = this.#settle(m.id);
        if (p === undefined) return; // aborted: the result is dropped
        try {
          p.resolve(decode(m.value));
        } catch (e) {
          p.reject(e);
        }
        return;
      }
      case "error": {
        const p = this.#settle(m.id);
        p?.reject(decodeError(m.error, `torch.worker call('${p.name}')`));
        return;
      }
    }
  }

  /** The worker can't take calls any more: everything pending (and start()) rejects with `err`. */
  #fail(err: Error): void {
    if (this.#dead !== null) return;
    this.#dead = err;
    this.#onStart?.(err);
    this.#onStart = null;
    for (const id of [...this.#pending.keys()]) this.#settle(id)?.reject(err);
  }
}
