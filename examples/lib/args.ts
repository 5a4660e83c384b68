// The `npm run train` command line: flags, their defaults (the lecture's setup), validation with
// messages that name the flag, and the --help text. Parsing only; nothing here trains.
// ref: node:util parseArgs (Node 20).
import { parseArgs } from "node:util";

export type OptimizerName = "sgd" | "adam" | "adamw";
export type BackendName = "js" | "native";
export type ModelName = "mlp" | "cnn";

export interface TrainOptions {
  /** mlp: the lecture's MLP; cnn: issue #14's CNN (examples/lib/cnn_model.ts). */
  model: ModelName;
  epochs: number;
  optimizer: OptimizerName;
  lr: number;
  batchSize: number;
  /** Kernel threads; undefined leaves the backend's default. */
  threads: number | undefined;
  seed: number;
  /** undefined: the default (native when the addon loads, else js). */
  backend: BackendName | undefined;
  /** Where weights, metrics and the plot go; undefined: runs/<timestamp>. */
  out: string | undefined;
  /** Directory holding FashionMNIST/raw (torchvision's root). */
  data: string;
  /** Shuffle the training set each epoch (the lecture's DataLoader does not). */
  shuffle: boolean;
  /** Use only the first N batches' worth of training and test images (quick trials); undefined: all. */
  limitBatches: number | undefined;
  /** Data-parallel processes on this machine (DistributedDataParallel over gloo); 1: no distribution. */
  nproc: number;
  help: boolean;
}

export const HELP = `Usage: npm run train -- [options]

Trains the lecture's FashionMNIST MLP (784-512-512-10), or with --model cnn issue #14's CNN, and saves
weights, metrics and a plot.

Options:
  --model NAME           mlp | cnn (default mlp); cnn is the ConvNet of examples/lib/cnn_model.ts and
                         changes the defaults to its setup: adam, --shuffle on, 5 epochs
  --epochs N             passes over the training set (default 10)
  --optimizer NAME       sgd | adam | adamw (default sgd)
  --lr X                 learning rate (default 1e-3)
  --batch-size N         samples per step (default 64)
  --threads N            kernel threads (default: the backend's choice)
  --seed N               seeds the init and shuffling; same seed, same run (default 0)
  --backend NAME         js | native (default: native when available, else js)
  --out DIR              output directory (default runs/<timestamp>)
  --data DIR             dataset root holding FashionMNIST/raw (default data)
  --shuffle              reshuffle the training set every epoch (default: off, as in the lecture)
  --limit-batches N      use only the first N batches of each split (quick trials)
  --nproc N              train data-parallel in N processes (DistributedDataParallel over gloo);
                         --batch-size stays the global batch, split evenly, so the model is the
                         one a single process trains (default 1)
  -h, --help             show this help

Writes DIR/model.safetensors (PyTorch state_dict names), DIR/metrics.json and DIR/plot.svg.
Where the kernel threads take every core, the run starts itself again under node --single-threaded-gc
(V8's helper threads would preempt the kernels'; TORCHLET_TRAIN_DEFAULT_GC=1 keeps V8's default).

On several machines, start the ranks with the launcher on each (here 2 machines x 2 processes;
A is the first machine's address): node bin/torchlet.mjs run --nnodes 2 --node-rank R
  --nproc-per-node 2 --master-addr A --master-port 29500 examples/train.ts [options]`;

/** A bad command line; the CLI prints the message and the usage hint, and exits with status 2. */
export class UsageError extends Error {}

const OPTIONS = {
  model: { type: "string" },
  epochs: { type: "string" },
  optimizer: { type: "string" },
  lr: { type: "string" },
  "batch-size": { type: "string" },
  threads: { type: "string" },
  seed: { type: "string" },
  backend: { type: "string" },
  out: { type: "string" },
  data: { type: "string" },
  shuffle: { type: "boolean" },
  "limit-batches": { type: "string" },
  nproc: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

export function parseTrainArgs(argv: readonly string[]): TrainOptions {
  let parsed;
  try {
    parsed = parseArgs({ args: joinNegativeValues(argv), strict: true, allowPositionals: false, options: OPTIONS });
  } catch (e) {
    throw new UsageError(usageMessage(e as Error & { code?: string }));
  }
  const v = parsed.values;
  const model = oneOf("--model", v.model ?? "mlp", ["mlp", "cnn"] as const);
  const cnn = model === "cnn"; // NOTE: issue #14's setup (Adam, shuffled, 5 epochs) is the CNN's default
  const options: TrainOptions = {
    model,
    epochs: v.epochs === undefined ? (cnn ? 5 : 10) : integer("--epochs", v.epochs, 1),
    optimizer: oneOf("--optimizer", v.optimizer ?? (cnn ? "adam" : "sgd"), ["sgd", "adam", "adamw"] as const),
    lr: v.lr === undefined ? 1e-3 : positiveNumber("--lr", v.lr),
    batchSize: v["batch-size"] === undefined ? 64 : integer("--batch-size", v["batch-size"], 1),
    threads: v.threads === undefined ? undefined : integer("--threads", v.threads, 1),
    seed: v.seed === undefined ? 0 : integer("--seed", v.seed, 0),
    backend: v.backend === undefined ? undefined : oneOf("--backend", v.backend, ["js", "native"] as const),
    out: v.out === undefined ? undefined : nonEmpty("--out", v.out),
    data: v.data === undefined ? "data" : nonEmpty("--data", v.data),
    shuffle: v.shuffle ?? cnn,
    limitBatches: v["limit-batches"] === undefined ? undefined : integer("--limit-batches", v["limit-batches"], 1),
    nproc: v.nproc === undefined ? 1 : integer("--nproc", v.nproc, 1),
    help: v.help ?? false,
  };
  if (options.batchSize % options.nproc !== 0) {
    throw new UsageError(`--batch-size ${options.batchSize} must be divisible by --nproc ${options.nproc}: each process takes an equal share of the batch`);
  }
  return options;
}

/**
 * `--epochs -1` as `--epochs=-1`: parseArgs reads a value that starts with a dash as a missing
 * value ("argument is ambiguous"); a negative number after a flag that takes a value is its value,
 * which the flag's own check then refuses with the CLI's message.
 */
function joinNegativeValues(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].startsWith("--") ? argv[i].slice(2) : "";
    const takesValue = (OPTIONS as Record<string, { type: string }>)[name]?.type === "string";
    if (takesValue && i + 1 < argv.length && /^-(\d|\.\d|Infinity)/.test(argv[i + 1])) {
      out.push(`${argv[i]}=${argv[++i]}`);
    } else {
      out.push(argv[i]);
    }
  }
  return out;
}

/** parseArgs's errors in the CLI's words (its own mention "option arguments" and "positionals"). */
function usageMessage(e: Error & { code?: string }): string {
  const flag = /Option '(-[^' ]+)/.exec(e.message)?.[1] ?? /'([^']+)'/.exec(e.message)?.[1] ?? "";
  switch (e.code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
      return `unknown option ${flag}`;
    case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL":
      return `unexpected argument "${flag}": every value follows its option, e.g. --epochs 5`;
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
      return /does not take an argument/.test(e.message) ? `${flag} takes no value` : `${flag} needs a value, e.g. ${flag} ${EXAMPLES[flag.slice(2)] ?? "VALUE"}`;
    default:
      return e.message;
  }
}

const EXAMPLES: Record<string, string> = {
  epochs: "5", optimizer: "adam", lr: "0.01", "batch-size": "64", threads: "2", seed: "1", backend: "js",
  model: "cnn", out: "runs/mine", data: "data", "limit-batches": "10", nproc: "2",
};

/** A whole decimal number (no 2.0, 1e3 or 0x10) of at least `min`. */
function integer(flag: string, text: string, min: number): number {
  const n = Number(text);
  if (!/^[+-]?\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < min) {
    throw new UsageError(`${flag} must be an integer >= ${min}, got "${text}"`);
  }
  return n;
}

function positiveNumber(flag: string, text: string): number {
  const n = Number(text);
  if (text.trim() === "" || !Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} must be a positive number, got "${text}"`);
  return n;
}

function oneOf<T extends string>(flag: string, text: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(text)) {
    throw new UsageError(`${flag} must be one of ${choices.join(", ")}, got "${text}"`);
  }
  return text as T;
}

function nonEmpty(flag: string, text: string): string {
  if (text === "") throw new UsageError(`${flag} must not be empty`);
  return text;
}
