// A progress display for one training epoch: on a terminal, one bar redrawn in place (at most every
// 100 ms) with the losses, samples/s and time left; elsewhere (pipes, CI logs) a plain line at every
// 10%. Two losses: "batch loss" is the latest batch's, the number the lecture's train_loop prints;
// "mean loss" is the mean per sample so far in the epoch (smoother; the epoch's train loss at the end).
// It only formats and writes; the numbers come from the caller. No dependencies.
// ref: the tqdm-style bar PyTorch users know, reduced to what `npm run train` shows.

export interface ProgressOptions {
  /** Text before the bar, e.g. "epoch 3/10". */
  label: string;
  /** Samples in the epoch. */
  total: number;
  /** Where to write; default process.stdout. */
  out?: { write(s: string): unknown; isTTY?: boolean };
  /** Redraw in place (default: out.isTTY). */
  tty?: boolean;
  /** Clock in ms; default performance.now (replaceable for tests). */
  now?: () => number;
}

const WIDTH = 24;
const REDRAW_MS = 100;

export class Progress {
  private readonly out: { write(s: string): unknown };
  private readonly tty: boolean;
  private readonly now: () => number;
  private readonly start: number;
  private lastDraw = -Infinity;
  private nextTenth = 1;
  private drawn = false;

  constructor(private readonly opts: ProgressOptions) {
    this.out = opts.out ?? process.stdout;
    this.tty = opts.tty ?? Boolean((opts.out ?? process.stdout).isTTY);
    this.now = opts.now ?? (() => performance.now());
    this.start = this.now();
  }

  /** Reports `done` samples finished, the mean loss per sample so far and the latest batch's loss. */
  update(done: number, meanLoss: number, batchLoss?: number): void {
    const t = this.now();
    const total = this.opts.total;
    if (this.tty) {
      if (t - this.lastDraw < REDRAW_MS && done < total) return;
      this.lastDraw = t;
      this.drawn = true;
      this.out.write(`\r\x1b[2K${this.line(done, meanLoss, batchLoss, t, true)}`);
      return;
    }
    // Plain output: one line each time another tenth of the epoch is done.
    if (total <= 0 || done * 10 < this.nextTenth * total) return;
    while (done * 10 >= this.nextTenth * total) this.nextTenth++;
    this.out.write(`${this.line(done, meanLoss, batchLoss, t, false)}\n`);
  }

  /** Removes the bar (terminal) so the caller's summary line takes its place. */
  finish(): void {
    if (this.tty && this.drawn) this.out.write("\r\x1b[2K");
  }

  private line(done: number, meanLoss: number, batchLoss: number | undefined, t: number, bar: boolean): string {
    const { label, total } = this.opts;
    const frac = total > 0 ? Math.min(1, done / total) : 1;
    const seconds = Math.max(t - this.start, 1e-9) / 1000;
    const rate = done / seconds;
    const eta = rate > 0 ? (total - done) / rate : 0;
    const pct = `${(100 * frac).toFixed(0).padStart(3)}%`;
    const count = `${String(done).padStart(String(total).length)}/${total}`;
    const losses = `${batchLoss === undefined ? "" : `batch loss ${batchLoss.toFixed(4)}  `}mean loss ${meanLoss.toFixed(4)}`;
    const stats = `${losses}  ${formatRate(rate)} samples/s  ${bar ? `eta ${formatDuration(eta)}` : `${seconds.toFixed(1)}s`}`;
    if (!bar) return `${label}  ${pct}  ${count}  ${stats}`;
    const filled = Math.round(frac * WIDTH);
    return `${label} [${"#".repeat(filled)}${".".repeat(WIDTH - filled)}] ${pct}  ${count}  ${stats}`;
  }
}

function formatRate(r: number): string {
  return r >= 10_000 ? `${(r / 1000).toFixed(1)}k` : r.toFixed(0);
}

/** 75 -> "1:15", 3700 -> "1:01:40". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
}
