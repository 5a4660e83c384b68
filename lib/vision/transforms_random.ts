// torchvision's random containers: RandomApply (one torch.rand(1) draw, as torchvision), RandomChoice
// and RandomOrder. NOTE: torchvision's RandomChoice / RandomOrder draw from Python's `random` module
// (random.choices / random.shuffle), which torchlet does not have; here they draw from torch's
// default generator instead (RandomChoice: one torch.rand(1, dtype=float64) read as Python's
// random(); RandomOrder: torch.randperm(n)), so they are reproducible under torch.manualSeed but do
// not pick the same transforms as a Python program seeded with random.seed.
// ref: torchvision/transforms/transforms.py (RandomApply, RandomTransforms, RandomOrder,
// RandomChoice), v0.14; CPython Lib/random.py (choices).
import { rand } from "../ops/creation.js";
import { randperm } from "../ops/random.js";
import { describe } from "./describe.js";
import { applyTransform, type Transform } from "./transforms.js";

function checkTransforms(fn: string, transforms: unknown): readonly Transform[] {
  if (!Array.isArray(transforms)) throw new TypeError("Argument transforms should be a sequence");
  transforms.forEach((t, i) => {
    if (typeof t !== "function" && !(t !== null && typeof t === "object" && typeof (t as { forward?: unknown }).forward === "function")) {
      throw new TypeError(`${fn}: transforms[${i}] must be a function or an object with forward(x), got ${describe(t)}`);
    }
  });
  return Object.freeze([...transforms]);
}

const fmt = (ts: readonly Transform[]) => ts.map((t) => `\n    ${String(t)}`).join("");

/** Applies all the transforms, in order, with probability p (skips them when p < torch.rand(1)). */
export class RandomApply {
  readonly transforms: readonly Transform[];
  constructor(transforms: readonly Transform[], readonly p = 0.5) {
    this.transforms = checkTransforms("RandomApply", transforms);
    if (typeof p !== "number" || Number.isNaN(p)) throw new TypeError(`RandomApply: p should be a number, got ${describe(p)}`);
  }
  forward(img: any): any {
    if (this.p < rand([1]).item()) return img;
    return this.transforms.reduce((acc, t) => applyTransform(t, acc), img);
  }
  toString(): string {
    return `RandomApply(\n    p=${this.p}${fmt(this.transforms)}\n)`;
  }
}

/** Applies the transforms in a random order (torch.randperm(n); torchvision uses random.shuffle). */
export class RandomOrder {
  readonly transforms: readonly Transform[];
  constructor(transforms: readonly Transform[]) {
    this.transforms = checkTransforms("RandomOrder", transforms);
  }
  forward(img: any): any {
    const order = this.transforms.length === 0 ? [] : (randperm(this.transforms.length).tolist() as number[]);
    return order.reduce((acc, i) => applyTransform(this.transforms[i], acc), img);
  }
  toString(): string {
    return `RandomOrder(${fmt(this.transforms)}\n)`;
  }
}

/** Applies one transform picked at random, with optional weights p (as Python's random.choices). */
export class RandomChoice {
  readonly transforms: readonly Transform[];
  readonly p: readonly number[] | null;
  constructor(transforms: readonly Transform[], p: readonly number[] | null = null) {
    this.transforms = checkTransforms("RandomChoice", transforms);
    if (p !== null && !Array.isArray(p)) throw new TypeError("Argument p should be a sequence");
    this.p = p === null ? null : Object.freeze([...p]);
  }
  forward(img: any): any {
    const n = this.transforms.length;
    const u = rand([1], { dtype: "float64" }).item();
    let k: number;
    if (this.p === null) {
      if (n === 0) throw new RangeError("Cannot choose from an empty sequence");
      k = Math.floor(u * n);
    } else {
      if (this.p.length !== n) throw new RangeError("The number of weights does not match the population");
      const cum: number[] = [];
      this.p.reduce((acc, w) => (cum.push(acc + w), acc + w), 0);
      const total = cum[n - 1] ?? 0;
      if (!(total > 0)) throw new RangeError("Total of weights must be greater than zero");
      if (!Number.isFinite(total)) throw new RangeError("Total of weights must be finite");
      // bisect_right(cum, u * total)
      const x = u * total;
      k = cum.findIndex((c) => c > x);
      if (k < 0) k = n - 1;
    }
    return applyTransform(this.transforms[k], img);
  }
  toString(): string {
    return `RandomChoice(${fmt(this.transforms)}\n)(p=${this.p === null ? "None" : `[${this.p.join(", ")}]`})`;
  }
}
