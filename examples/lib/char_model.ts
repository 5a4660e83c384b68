// The "which language is this word?" model: Embedding → LSTM (batch_first) → Linear over languages.
// Padded batches: the LSTM runs over the padding too, and the prediction reads the output at each
// word's last real character (the same number as a packed sequence's h_n, without PackedSequence).
import * as torch from "../../lib/index.js";
const { nn } = torch;

export class CharLSTM extends nn.Module {
  // NOTE: fields initialise in this order, PyTorch's __init__ order, so the random init is drawn from
  // the generator in the same order as scripts/check_char_lstm.py's model.
  embedding: InstanceType<typeof nn.Embedding>;
  lstm: InstanceType<typeof nn.LSTM>;
  fc: InstanceType<typeof nn.Linear>;

  constructor(vocabSize: number, embeddingDim: number, hiddenSize: number, numClasses: number) {
    super();
    this.embedding = new nn.Embedding(vocabSize, embeddingDim, { paddingIdx: 0 });
    this.lstm = new nn.LSTM(embeddingDim, hiddenSize, { batchFirst: true });
    this.fc = new nn.Linear(hiddenSize, numClasses);
  }

  /** codes [B, T] int64, lengths [B] int64 (each ≥ 1) → logits [B, numClasses]. */
  forward(codes: torch.Tensor, lengths: torch.Tensor): torch.Tensor {
    const [B] = codes.shape;
    const H = this.lstm.hiddenSize;
    const [out] = this.lstm(this.embedding(codes)); // [B, T, H]
    const last = lengths.sub(1).view(B, 1, 1).expand(B, 1, H); // index of the last real step
    return this.fc(out.gather(1, last).squeeze(1));
  }
}
