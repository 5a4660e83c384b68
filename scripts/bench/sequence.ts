// The sequence-model benchmarks of issue #15, torchlet side (PyTorch's: worker_torch's "sequence"
// family in scripts/bench_torch.py, the same models, shapes and steps):
//   lstm_step     nn.LSTM(200, 200, 2) on (35, 20, 200): forward, mean-square loss, backward, SGD step
//   gru_step      the same with nn.GRU
//   tel_fwd_bwd   nn.TransformerEncoderLayer(256, 4, 1024) in train mode (dropout 0.1) on (128, 16, 256):
//                 forward, mean-square loss, backward, zeroGrad
//   tel_infer_b1  the same layer in eval mode under noGrad on one sequence (128, 1, 256): forward only
import * as torch from "../../lib/index.js";
import { type Budget, type Result, tryMeasure } from "./harness.js";
import { type TorchletImpl, unavailable, withImpl } from "./impls.js";
import { type Cell, Table, ratio } from "./report.js";

export interface SequenceCase {
  id: "lstm_step" | "gru_step" | "tel_fwd_bwd" | "tel_infer_b1";
  label: string;
}

export const SEQUENCE_CASES: readonly SequenceCase[] = [
  { id: "lstm_step", label: "LSTM 2x200 train step (seq 35, batch 20)" },
  { id: "gru_step", label: "GRU 2x200 train step (seq 35, batch 20)" },
  { id: "tel_fwd_bwd", label: "TransformerEncoderLayer 256/4/1024 fwd+bwd (seq 128, batch 16)" },
  { id: "tel_infer_b1", label: "TransformerEncoderLayer 256/4/1024 inference (seq 128, batch 1)" },
];

/** A step of the case, built on a fixed random model and input (seed 0). */
export function makeSequenceStep(id: SequenceCase["id"]): () => void {
  const { nn } = torch;
  torch.manualSeed(0);
  if (id === "lstm_step" || id === "gru_step") {
    const rnn = id === "lstm_step" ? new nn.LSTM(200, 200, { numLayers: 2 }) : new nn.GRU(200, 200, { numLayers: 2 });
    const opt = new torch.optim.SGD(rnn.parameters(), { lr: 0.1 });
    const x = torch.randn(35, 20, 200);
    return () => {
      const [out] = rnn.forward(x) as [torch.Tensor, unknown];
      out.pow(2).mean().backward();
      opt.step();
      opt.zeroGrad();
    };
  }
  const layer = new nn.TransformerEncoderLayer(256, 4, { dimFeedforward: 1024 });
  if (id === "tel_fwd_bwd") {
    const x = torch.randn(128, 16, 256);
    return () => {
      layer.forward(x).pow(2).mean().backward();
      layer.zeroGrad();
    };
  }
  layer.eval();
  const x = torch.randn(128, 1, 256);
  return () => torch.noGrad(() => layer.forward(x));
}

export function runTorchletSequence(impl: TorchletImpl, c: SequenceCase, budget: Budget): Result {
  const why = unavailable(impl);
  if (why) return { na: why };
  return withImpl(impl, () => tryMeasure(makeSequenceStep(c.id), budget));
}

export interface SequenceRow { id: string; label: string; results: Record<string, Result> }

/** The table of the family: per-call ms on each torchlet configuration (JS is not run: minutes per call). */
export function renderSequence(rows: SequenceRow[], stat: "median" | "min"): string {
  const tb = new Table(`sequence models (issue #15): ms per call, ${stat}`, ["case", "nat 1T", "nat 2T", "2T speed-up"], [0, 1, 1, 2]);
  const ms = (r: Result | undefined) => (r === undefined || "na" in r ? NaN : stat === "min" ? r.minMs : r.medianMs);
  const cell = (r: Result | undefined): Cell => (r === undefined ? undefined : "na" in r ? r : ms(r));
  for (const row of rows) tb.add([row.label, cell(row.results["native-1t"]), cell(row.results["native-2t"]), ratio(ms(row.results["native-1t"]), ms(row.results["native-2t"]))]);
  return `${tb}\n  PyTorch's times for the same steps: npm run bench:torch -- --only sequence.`;
}
