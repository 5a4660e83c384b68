// Output plumbing: a fixed-width text table (n/a cells numbered, their reasons listed under it)
// and the writer of bench-results/bench-<timestamp>.json, the file scripts/bench_torch.py reads.
// What goes in the tables is decided in render.ts; nothing is measured here.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** A cell: a number to format, or a Result / reason that is n/a. */
export type Cell = number | string | { na: string } | undefined;

export class Table {
  private readonly rows: Cell[][] = [];
  private readonly reasons: string[] = [];

  constructor(
    private readonly title: string,
    private readonly headers: string[],
    /** Digits after the point for numeric columns (index = column; the first column is the label). */
    private readonly digits: number[],
  ) {}

  add(row: Cell[]): void {
    this.rows.push(row);
  }

  private text(c: Cell, col: number): string {
    if (c === undefined) return "";
    if (typeof c === "string") return c;
    if (typeof c === "number") {
      if (!Number.isFinite(c)) return "-";
      // At least two significant digits: 0.48 rather than 0.5, 1.6 rather than 2.
      const d = this.digits[col] ?? 1;
      const sig = c === 0 ? d : Math.max(d, Math.min(4, 1 - Math.floor(Math.log10(Math.abs(c)))));
      return c.toFixed(sig);
    }
    let i = this.reasons.indexOf(c.na);
    if (i < 0) i = this.reasons.push(c.na) - 1;
    return `n/a[${i + 1}]`;
  }

  toString(): string {
    const body = this.rows.map((r) => r.map((c, i) => this.text(c, i)));
    const all = [this.headers, ...body];
    const w = this.headers.map((_, i) => Math.max(...all.map((r) => (r[i] ?? "").length)));
    const line = (r: string[]) => r.map((s, i) => (i === 0 ? (s ?? "").padEnd(w[i]) : (s ?? "").padStart(w[i]))).join("  ").trimEnd();
    const out = [`\n## ${this.title}`, line(this.headers), w.map((n) => "-".repeat(n)).join("  "), ...body.map(line)];
    this.reasons.forEach((r, i) => out.push(`  n/a[${i + 1}]: ${r}`));
    return out.join("\n");
  }
}

/** a / b, or NaN when either is missing. */
export function ratio(a: number, b: number): number {
  return Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? a / b : NaN;
}

/** Writes the JSON next to earlier runs; returns its path. */
export function writeJson(dir: string, data: unknown, startedAt: Date): string {
  mkdirSync(dir, { recursive: true });
  const stamp = startedAt.toISOString().replace(/[:.]/g, "-");
  const file = join(dir, `bench-${stamp}.json`);
  writeFileSync(file, JSON.stringify(data, (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? null : v), 2) + "\n");
  return file;
}
