// Shapes of the conformance fixtures (test/fixtures/conformance/FORMAT.md) and the runner's outcomes.
// A case adapter returns the list of differences it found (empty = passed) or throws Skip when the
// area it needs isn't built yet; any other exception is a failure of the case.
// ref: test/fixtures/conformance/FORMAT.md (format v1).

/** Every dtype the fixtures may name (FORMAT.md "Values"); torchlet supports a subset (values.ts). */
export const JSON_DTYPES = ["float32", "int64", "bool", "float64", "float16", "bfloat16", "int32", "int16", "int8", "uint8"] as const;
export type JsonDType = (typeof JSON_DTYPES)[number];

/** The floating dtypes: compared within `tol`; every other dtype is compared exactly. */
export const FLOATING_JSON_DTYPES: readonly JsonDType[] = ["float32", "float64", "float16", "bfloat16"];

/** A tensor as written in the fixtures: row-major data, "NaN"/"Infinity" strings for non-finite floats. */
export interface JsonTensor {
  shape: number[];
  dtype: JsonDType;
  data: (number | string | boolean)[];
}

export interface Tol {
  rtol: number;
  atol: number;
}

/** One case object; the fields beyond these depend on the case kind (see FORMAT.md). */
export interface Case {
  id: string;
  op: string;
  tol?: Tol;
  raises?: string;
  error_message?: string;
  note?: string;
  [field: string]: any;
}

export type Status = "pass" | "fail" | "skip";

export interface Outcome {
  file: string;
  id: string;
  backend: string;
  status: Status;
  /** What differed (fail) or why it didn't run (skip). */
  detail?: string;
}

/** Thrown by an adapter when the case needs something torchlet doesn't have yet. */
export class Skip extends Error {
  override name = "Skip";
}

export function skip(reason: string): never {
  throw new Skip(reason);
}

/** Exact tolerance for checks that must match bit for bit. */
export const EXACT: Tol = { rtol: 0, atol: 0 };
