// What `npm run train:chars` does: seeds the global generator, builds the model (CharLSTM), trains it
// with Adam on shuffled, padded batches and evaluates on the test words after every epoch. Returns
// the per-epoch metrics and every step's loss (what scripts/check_char_lstm.py compares with PyTorch).
import * as torch from "../../lib/index.js";
import { LANGUAGES, charIndex, loadWords, padCollate, wordDataset, type WordBatch, type WordData } from "./char_data.js";
import { CharLSTM } from "./char_model.js";

const { nn, optim } = torch;
const { DataLoader } = torch.data;

export interface CharOptions {
  epochs: number;
  batchSize: number;
  lr: number;
  seed: number;
  embeddingDim: number;
  hiddenSize: number;
  /** Gradient norm clip (clip_grad_norm_) before each step; 0: none. */
  clip: number;
  /** Only the first N words of each language file (before the split); Infinity: all. */
  perLanguage: number;
}

export const CHAR_DEFAULTS: CharOptions = {
  epochs: 5, batchSize: 32, lr: 0.005, seed: 0, embeddingDim: 16, hiddenSize: 64, clip: 5, perLanguage: Infinity,
};

export interface CharEpoch {
  epoch: number;
  /** Mean training loss per sample over the epoch. */
  trainLoss: number;
  testLoss: number;
  testAccuracy: number;
  trainSeconds: number;
}

export interface CharRun {
  model: CharLSTM;
  data: WordData;
  epochs: CharEpoch[];
  /** The loss of every training step, in order. */
  stepLosses: number[];
}

/** Trains as described above; `log` gets one line per epoch. */
export function trainChars(options: Partial<CharOptions> = {}, log: (line: string) => void = () => {}): CharRun {
  const o = { ...CHAR_DEFAULTS, ...options };
  const data = loadWords(undefined, o.perLanguage);
  const collateFn = padCollate(charIndex(data.vocab));
  // NOTE: seeded after the files are read and before the model: the init, then the shuffle seeds
  // (one 64-bit draw per DataLoader iteration plus one per RandomSampler pass) come from this stream.
  torch.manualSeed(o.seed);
  const model = new CharLSTM(data.vocab.length, o.embeddingDim, o.hiddenSize, LANGUAGES.length);
  const trainLoader = new DataLoader<WordBatch>(wordDataset(data.train), { batchSize: o.batchSize, shuffle: true, collateFn });
  const testLoader = new DataLoader<WordBatch>(wordDataset(data.test), { batchSize: 256, collateFn });
  const lossFn = new nn.CrossEntropyLoss();
  const optimizer = new optim.Adam(model.parameters(), { lr: o.lr });

  const epochs: CharEpoch[] = [];
  const stepLosses: number[] = [];
  for (let epoch = 1; epoch <= o.epochs; epoch++) {
    const start = performance.now();
    model.train();
    let sum = 0;
    for (const [codes, lengths, labels] of trainLoader) {
      const loss = lossFn(model(codes, lengths), labels);
      optimizer.zeroGrad();
      loss.backward();
      if (o.clip > 0) nn.utils.clipGradNorm_(model.parameters(), o.clip);
      optimizer.step();
      const value = loss.item();
      stepLosses.push(value);
      sum += value * labels.size(0);
    }
    const trainSeconds = (performance.now() - start) / 1000;
    const { loss: testLoss, accuracy: testAccuracy } = evaluateChars(model, testLoader, lossFn);
    const e = { epoch, trainLoss: sum / data.train.length, testLoss, testAccuracy, trainSeconds };
    epochs.push(e);
    log(`epoch ${epoch}: train loss ${e.trainLoss.toFixed(4)}, test loss ${testLoss.toFixed(4)}, ` +
      `test accuracy ${(100 * testAccuracy).toFixed(1)}% (${data.test.length} words), ${trainSeconds.toFixed(1)} s`);
  }
  return { model, data, epochs, stepLosses };
}

/** Mean loss per test word and accuracy (argmax = label), without gradients. */
export function evaluateChars(model: CharLSTM, loader: torch.data.DataLoader<WordBatch>, lossFn: (a: torch.Tensor, b: torch.Tensor) => torch.Tensor): { loss: number; accuracy: number } {
  model.eval();
  let loss = 0;
  let correct = 0;
  let n = 0;
  torch.noGrad(() => {
    for (const [codes, lengths, labels] of loader) {
      const logits = model(codes, lengths);
      loss += lossFn(logits, labels).item() * labels.size(0);
      correct += logits.argmax(1).eq(labels).sum().item();
      n += labels.size(0);
    }
  });
  return { loss: loss / n, accuracy: correct / n };
}

/** Language names and their probabilities for each word, most likely first. */
export function classify(model: CharLSTM, vocab: readonly string[], words: readonly string[]): { word: string; language: string; p: number }[] {
  const [codes, lengths] = padCollate(charIndex(vocab))(words.map((word) => ({ word, label: 0 })));
  model.eval();
  const probs = torch.noGrad(() => model(codes, lengths).softmax(1).tolist() as number[][]);
  return words.map((word, i) => {
    const best = probs[i].indexOf(Math.max(...probs[i]));
    return { word, language: LANGUAGES[best], p: probs[i][best] };
  });
}
