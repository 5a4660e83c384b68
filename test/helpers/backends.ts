// Shared by the test files that run once per backend: which backends load here, and small readers.
import { afterAll, beforeAll } from "vitest";
import * as torch from "../../lib/index.js";
import type { Tensor } from "../../lib/index.js";

/** "js" always; "native" too when the addon is built and loads. */
export function backends(): ("js" | "native")[] {
  return torch.availableBackends();
}

/** A tensor's elements as plain numbers, row-major. */
export const vals = (t: Tensor): number[] => Array.from(t.detach().contiguous().storage() as ArrayLike<number>);

/** The float32 values of xs, to compare with a float32 tensor exactly. */
export const f32 = (xs: number[]): number[] => xs.map(Math.fround);

/** Inside a describe block: run its tests on backend `name`, restoring the previous one after. */
export function useBackend(name: "js" | "native"): void {
  let prev: "js" | "native";
  beforeAll(() => {
    prev = torch.backendInfo().name;
    torch.setBackend(name);
  });
  afterAll(() => torch.setBackend(prev));
}
