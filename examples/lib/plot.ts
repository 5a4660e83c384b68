// A hand-written SVG line chart of a training run: train loss per epoch (left axis) and test
// accuracy per epoch (right axis, 0-100%), with ticks, markers and a legend. Only this chart;
// no general plotting. ref: SVG 1.1 (https://www.w3.org/TR/SVG11/), matplotlib's twin-axis look.

export interface EpochPoint {
  epoch: number;
  trainLoss: number;
  /** In [0, 1]. */
  testAccuracy: number;
}

const W = 640;
const H = 400;
const M = { left: 64, right: 64, top: 64, bottom: 56 };
const LOSS_COLOR = "#1f77b4"; // matplotlib's first two default colours
const ACC_COLOR = "#ff7f0e";

/** The SVG document for `points` (one per epoch, in order), titled `title`. */
export function trainingPlotSvg(points: readonly EpochPoint[], title: string): string {
  if (points.length === 0) throw new RangeError("trainingPlotSvg: no epochs to plot");
  for (const p of points) {
    if (![p.epoch, p.trainLoss, p.testAccuracy].every(Number.isFinite)) {
      throw new RangeError(`trainingPlotSvg: epoch ${p.epoch} has a non-finite value (loss ${p.trainLoss}, accuracy ${p.testAccuracy})`);
    }
  }
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const first = points[0].epoch;
  const last = points[points.length - 1].epoch;
  // NOTE: a one-epoch run has no x range; centre its point instead of dividing by zero.
  const x = (e: number) => M.left + (last === first ? plotW / 2 : ((e - first) / (last - first)) * plotW);
  const lossTicks = niceTicks(Math.max(...points.map((p) => p.trainLoss)));
  const lossTop = lossTicks[lossTicks.length - 1];
  const yLoss = (v: number) => M.top + plotH - (v / lossTop) * plotH;
  const yAcc = (v: number) => M.top + plotH - v * plotH;
  const fmt = (v: number) => v.toFixed(2);

  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
  out.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  out.push(`<text x="${W / 2}" y="24" text-anchor="middle" font-size="15">${escape(title)}</text>`);

  // Grid and left (loss) axis ticks.
  for (const t of lossTicks) {
    const y = fmt(yLoss(t));
    out.push(`<line x1="${M.left}" y1="${y}" x2="${M.left + plotW}" y2="${y}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${M.left - 8}" y="${y}" text-anchor="end" dominant-baseline="middle" fill="${LOSS_COLOR}">${trimNumber(t)}</text>`);
  }
  // Right (accuracy) axis ticks.
  for (let pct = 0; pct <= 100; pct += 20) {
    out.push(`<text x="${M.left + plotW + 8}" y="${fmt(yAcc(pct / 100))}" dominant-baseline="middle" fill="${ACC_COLOR}">${pct}%</text>`);
  }
  // x ticks: every epoch, or about ten of them for long runs.
  const every = Math.max(1, Math.ceil(points.length / 10));
  points.forEach((p, i) => {
    if (i % every !== 0 && i !== points.length - 1) return;
    const px = fmt(x(p.epoch));
    out.push(`<line x1="${px}" y1="${M.top + plotH}" x2="${px}" y2="${M.top + plotH + 5}" stroke="black"/>`);
    out.push(`<text x="${px}" y="${M.top + plotH + 18}" text-anchor="middle">${p.epoch}</text>`);
  });
  out.push(`<rect x="${M.left}" y="${M.top}" width="${plotW}" height="${plotH}" fill="none" stroke="black"/>`);
  out.push(`<text x="${M.left + plotW / 2}" y="${H - 14}" text-anchor="middle">epoch</text>`);
  out.push(`<text transform="translate(18 ${M.top + plotH / 2}) rotate(-90)" text-anchor="middle" fill="${LOSS_COLOR}">train loss</text>`);
  out.push(`<text transform="translate(${W - 14} ${M.top + plotH / 2}) rotate(90)" text-anchor="middle" fill="${ACC_COLOR}">test accuracy</text>`);

  // The two series.
  for (const [color, y, value] of [
    [LOSS_COLOR, yLoss, (p: EpochPoint) => p.trainLoss],
    [ACC_COLOR, yAcc, (p: EpochPoint) => p.testAccuracy],
  ] as const) {
    const pts = points.map((p) => `${fmt(x(p.epoch))},${fmt(y(value(p)))}`);
    out.push(`<polyline points="${pts.join(" ")}" fill="none" stroke="${color}" stroke-width="2"/>`);
    for (const pt of pts) {
      const [cx, cy] = pt.split(",");
      out.push(`<circle cx="${cx}" cy="${cy}" r="3" fill="${color}"/>`);
    }
  }

  // Legend, centred between the title and the plot, where no data line can run under it.
  const lx = W / 2 - 120;
  const ly = 46;
  out.push(`<line x1="${lx}" y1="${ly}" x2="${lx + 20}" y2="${ly}" stroke="${LOSS_COLOR}" stroke-width="2"/>`);
  out.push(`<text x="${lx + 26}" y="${ly}" dominant-baseline="middle">train loss</text>`);
  out.push(`<line x1="${lx + 120}" y1="${ly}" x2="${lx + 140}" y2="${ly}" stroke="${ACC_COLOR}" stroke-width="2"/>`);
  out.push(`<text x="${lx + 146}" y="${ly}" dominant-baseline="middle">test accuracy</text>`);
  out.push(`</svg>`);
  return out.join("\n") + "\n";
}

/** Ticks 0, step, 2*step, ... up to the first one >= max, with step 1, 2 or 5 times a power of ten. */
export function niceTicks(max: number, target = 5): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / target;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw)!;
  const ticks: number[] = [];
  for (let i = 0; ; i++) {
    const t = Number((i * step).toPrecision(12)); // NOTE: strips float noise like 0.30000000000000004
    ticks.push(t);
    if (t >= max) return ticks;
  }
}

function trimNumber(v: number): string {
  return String(Number(v.toPrecision(6)));
}

function escape(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
