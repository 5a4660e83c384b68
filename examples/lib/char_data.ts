// The data of `npm run train:chars`: the vendored word lists (data/wordlists/<language>.txt, one
// word a line), a character vocabulary, the fixed train/test split and the padding collate.
// scripts/check_char_lstm.py builds the same vocabulary, split and batches in Python: change both.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as torch from "../../lib/index.js";

/** The class order (label = index), as in data/wordlists/README.md. */
export const LANGUAGES = ["english", "german", "french", "spanish", "italian", "portuguese", "dutch"] as const;

export const WORDLIST_DIR = fileURLToPath(new URL("../../data/wordlists/", import.meta.url));

/** Every 5th line (1-based line 5, 10, ...) of each file is a test word. */
export const TEST_EVERY = 5;

export interface Word {
  word: string;
  label: number;
}

export interface WordData {
  /** Index 0 is padding; character vocab[i] has index i (i >= 1). */
  vocab: string[];
  train: Word[];
  test: Word[];
}

/** Reads the word lists; `perLanguage` keeps only the first lines of each file (for quick runs). */
export function loadWords(dir = WORDLIST_DIR, perLanguage = Infinity): WordData {
  const train: Word[] = [];
  const test: Word[] = [];
  const chars = new Set<string>();
  LANGUAGES.forEach((lang, label) => {
    const words = readFileSync(`${dir}/${lang}.txt`, "utf8").split("\n").filter((w) => w.length > 0).slice(0, perLanguage);
    words.forEach((word, i) => {
      for (const ch of word) chars.add(ch);
      ((i + 1) % TEST_EVERY === 0 ? test : train).push({ word, label });
    });
  });
  // NOTE: code-point order, as Python's sorted() on str, so both programs number characters alike.
  const sorted = [...chars].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!);
  return { vocab: ["<pad>", ...sorted], train, test };
}

/** Character → index lookup for a vocabulary from loadWords. */
export function charIndex(vocab: readonly string[]): Map<string, number> {
  return new Map(vocab.map((ch, i) => [ch, i]));
}

/** A batch: codes [B, T] int64 padded with 0, lengths [B] int64, labels [B] int64. */
export type WordBatch = [torch.Tensor, torch.Tensor, torch.Tensor];

/** The DataLoader's collateFn: pads the words of a batch to its longest one. */
export function padCollate(index: Map<string, number>): (samples: unknown[]) => WordBatch {
  return (samples) => {
    const items = samples as Word[];
    const codes = items.map(({ word }) => [...word].map((ch) => {
      const i = index.get(ch);
      if (i === undefined) throw new Error(`character ${JSON.stringify(ch)} is not in the vocabulary`);
      return i;
    }));
    const T = Math.max(...codes.map((c) => c.length));
    const padded = codes.map((c) => [...c, ...new Array<number>(T - c.length).fill(0)]);
    return [
      torch.tensor(padded, { dtype: "int64" }),
      torch.tensor(codes.map((c) => c.length), { dtype: "int64" }),
      torch.tensor(items.map((w) => w.label), { dtype: "int64" }),
    ];
  };
}

/** A list of words as a dataset. */
export function wordDataset(words: readonly Word[]): torch.data.DatasetLike<Word> {
  return { length: words.length, get: (i: number) => words[i] };
}
