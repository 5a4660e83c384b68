// `npm run train:chars`: "which language is this word?" A character-level LSTM trained on the
// vendored word lists (data/wordlists/, seven languages), printing loss and test accuracy per epoch
// and saving the weights (safetensors, PyTorch's state_dict names) to <out>/char-lstm.safetensors.
// The analogue of PyTorch's "classifying names with a character-level RNN" tutorial;
// scripts/check_char_lstm.py replays it in PyTorch 1.13 and compares the loss curves.
// Exit status: 0 done, 1 failed, 2 bad command line.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import * as torch from "../lib/index.js";
import { CHAR_DEFAULTS, classify, trainChars, type CharOptions } from "./lib/char_train.js";

const HELP = `Usage: npm run train:chars -- [options]
  --epochs N         epochs (default ${CHAR_DEFAULTS.epochs})
  --batch-size N     words per batch (default ${CHAR_DEFAULTS.batchSize})
  --lr X             Adam's learning rate (default ${CHAR_DEFAULTS.lr})
  --seed N           torch.manualSeed (default ${CHAR_DEFAULTS.seed})
  --hidden N         LSTM hidden size (default ${CHAR_DEFAULTS.hiddenSize})
  --embedding N      embedding size (default ${CHAR_DEFAULTS.embeddingDim})
  --clip X           clip_grad_norm_ max norm, 0 for none (default ${CHAR_DEFAULTS.clip})
  --per-language N   only the first N words of each language (default all 1000)
  --out DIR          where char-lstm.safetensors goes (default runs/char-lstm)
  --losses FILE      also write every step's loss and the epochs' metrics as JSON
  -h, --help         this text`;

function number(flag: string, text: string | undefined, fallback: number, integer: boolean, min = 0): number {
  if (text === undefined) return fallback;
  const v = Number(text);
  if (!Number.isFinite(v) || v < min || (integer && !Number.isInteger(v))) {
    console.error(`train:chars: ${flag} wants ${integer ? "an integer" : "a number"} >= ${min}, got ${JSON.stringify(text)}\n${HELP}`);
    process.exit(2);
  }
  return v;
}

let values: Record<string, string | boolean | undefined>;
try {
  ({ values } = parseArgs({
    options: {
      epochs: { type: "string" }, "batch-size": { type: "string" }, lr: { type: "string" }, seed: { type: "string" },
      hidden: { type: "string" }, embedding: { type: "string" }, clip: { type: "string" }, "per-language": { type: "string" },
      out: { type: "string" }, losses: { type: "string" }, help: { type: "boolean", short: "h" },
    },
  }));
} catch (e) {
  console.error(`train:chars: ${(e as Error).message}\n${HELP}`);
  process.exit(2);
}
if (values.help) {
  console.log(HELP);
  process.exit(0);
}
const s = (k: string) => values[k] as string | undefined;
const options: CharOptions = {
  epochs: number("--epochs", s("epochs"), CHAR_DEFAULTS.epochs, true),
  batchSize: number("--batch-size", s("batch-size"), CHAR_DEFAULTS.batchSize, true, 1),
  lr: number("--lr", s("lr"), CHAR_DEFAULTS.lr, false),
  seed: number("--seed", s("seed"), CHAR_DEFAULTS.seed, true),
  hiddenSize: number("--hidden", s("hidden"), CHAR_DEFAULTS.hiddenSize, true, 1),
  embeddingDim: number("--embedding", s("embedding"), CHAR_DEFAULTS.embeddingDim, true, 1),
  clip: number("--clip", s("clip"), CHAR_DEFAULTS.clip, false),
  perLanguage: number("--per-language", s("per-language"), CHAR_DEFAULTS.perLanguage, true, 1),
};

try {
  const shown = { ...options, perLanguage: Number.isFinite(options.perLanguage) ? options.perLanguage : "all" };
  console.log(`train:chars: ${JSON.stringify(shown)}, backend ${torch.backendInfo().name}`);
  const run = trainChars(options, console.log);
  const outDir = s("out") ?? "runs/char-lstm";
  mkdirSync(outDir, { recursive: true });
  const weights = join(outDir, "char-lstm.safetensors");
  // NOTE: the vocabulary goes in the metadata, so a reader can encode words without the word lists.
  torch.save(run.model.stateDict(), weights, { metadata: { format: "pt", vocab: JSON.stringify(run.data.vocab) } });
  console.log(`saved ${weights}`);
  for (const r of classify(run.model, run.data.vocab, ["weather", "schmetterling", "papillon", "mariposa", "farfalla", "borboleta", "vlinder"])) {
    console.log(`  ${r.word.padEnd(14)} ${r.language} (${(100 * r.p).toFixed(0)}%)`);
  }
  const lossesPath = s("losses");
  if (lossesPath !== undefined) writeFileSync(lossesPath, JSON.stringify({ options, vocab: run.data.vocab, epochs: run.epochs, stepLosses: run.stepLosses }));
} catch (e) {
  console.error(`train:chars: ${e instanceof Error ? e.message : String(e)}`);
  if (process.env.TORCHLET_DEBUG) console.error(e);
  process.exit(1);
}
