// The character-level example (npm run train:chars, examples/lib/char_*.ts) on a tiny slice of the
// vendored word lists: the vocabulary and split, the padded batches, the model's shapes (and that
// padding doesn't change a word's logits), a few epochs whose loss falls, and the same losses for
// the same seed. Once per backend. The PyTorch comparison is scripts/check_char_lstm.py, not a test.
import { describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import { LANGUAGES, charIndex, loadWords, padCollate, TEST_EVERY } from "../examples/lib/char_data.js";
import { CharLSTM } from "../examples/lib/char_model.js";
import { trainChars } from "../examples/lib/char_train.js";
import { backends, useBackend, vals } from "./helpers/backends.js";
import { close } from "./helpers/close.js";

const tiny = { perLanguage: 10, epochs: 4, batchSize: 8, embeddingDim: 4, hiddenSize: 8, lr: 0.02 };

describe("char data", () => {
  it("the full lists: 1000 words per language, 4/5 train and 1/5 test, a sorted vocabulary with padding at 0", () => {
    const { vocab, train, test } = loadWords();
    expect(train.length).toBe(LANGUAGES.length * 800);
    expect(test.length).toBe(LANGUAGES.length * 200);
    expect(vocab[0]).toBe("<pad>");
    const chars = vocab.slice(1);
    expect(new Set(chars).size).toBe(chars.length);
    expect([...chars].sort()).toEqual(chars);
    for (const w of [...train, ...test]) expect([...w.word].every((ch) => chars.includes(ch))).toBe(true);
    const trainWords = new Set(train.map((w) => w.word));
    expect(test.some((w) => trainWords.has(w.word))).toBe(false);
  });

  it("a slice takes the first lines of each file; every TEST_EVERY-th line is a test word", () => {
    const { train, test } = loadWords(undefined, 10);
    expect(train.length).toBe(LANGUAGES.length * (10 - 10 / TEST_EVERY));
    expect(test.map((w) => w.label)).toEqual(LANGUAGES.flatMap((_, i) => [i, i]));
  });

  it("padCollate pads with 0 to the longest word and keeps lengths and labels", () => {
    const { vocab } = loadWords(undefined, 10);
    const index = charIndex(vocab);
    const [codes, lengths, labels] = padCollate(index)([{ word: "abc", label: 2 }, { word: "zy", label: 5 }]);
    expect(codes.shape).toEqual([2, 3]);
    expect(codes.dtype).toBe("int64");
    expect(codes.tolist()).toEqual([[index.get("a"), index.get("b"), index.get("c")], [index.get("z"), index.get("y"), 0]]);
    expect(lengths.tolist()).toEqual([3, 2]);
    expect(labels.tolist()).toEqual([2, 5]);
    expect(() => padCollate(index)([{ word: "a1", label: 0 }])).toThrow('character "1" is not in the vocabulary');
  });
});

describe.each(backends())("char model [%s]", (name) => {
  useBackend(name);

  it("logits [B, 7]; a word's logits don't depend on the padding after it", () => {
    torch.manualSeed(1);
    const { vocab } = loadWords(undefined, 10);
    const model = new CharLSTM(vocab.length, 4, 8, LANGUAGES.length);
    expect(model.namedParameters().map(([n]) => n)).toEqual([
      "embedding.weight", "lstm.weight_ih_l0", "lstm.weight_hh_l0", "lstm.bias_ih_l0", "lstm.bias_hh_l0", "fc.weight", "fc.bias",
    ]);
    const collate = padCollate(charIndex(vocab));
    const [codes, lengths] = collate([{ word: "haus", label: 0 }, { word: "schmetterling", label: 0 }]);
    const logits = model(codes, lengths);
    expect(logits.shape).toEqual([2, LANGUAGES.length]);
    const [alone, alength] = collate([{ word: "haus", label: 0 }]);
    close(vals(logits).slice(0, LANGUAGES.length), vals(model(alone, alength)), 1e-5);
  });

  it("a few epochs on a slice: the loss falls; the same seed gives the same losses, another seed others", { timeout: 120_000 }, () => {
    const a = trainChars({ ...tiny, seed: 3 });
    expect(a.stepLosses.length).toBe(tiny.epochs * Math.ceil(a.data.train.length / tiny.batchSize));
    expect(a.epochs.map((e) => e.epoch)).toEqual([1, 2, 3, 4]);
    expect(a.epochs[3].trainLoss).toBeLessThan(a.epochs[0].trainLoss);
    for (const e of a.epochs) {
      expect(e.testAccuracy).toBeGreaterThanOrEqual(0);
      expect(e.testAccuracy).toBeLessThanOrEqual(1);
    }
    const b = trainChars({ ...tiny, seed: 3 });
    expect(b.stepLosses).toEqual(a.stepLosses);
    expect(vals(b.model.fc.weight)).toEqual(vals(a.model.fc.weight));
    const c = trainChars({ ...tiny, seed: 4 });
    expect(c.stepLosses).not.toEqual(a.stepLosses);
  });
});
