// A table of calls that must each throw a given error class with a message matching a pattern;
// a call that returns fails with its name. Shared by the error and reliability suites.
import { expect } from "vitest";

export type ThrowCase = [what: string, fn: () => unknown, cls: typeof Error, message: RegExp];

/** Runs each case and checks class and message; a case that doesn't throw fails with its name. */
export function expectAll(cases: ThrowCase[]): void {
  for (const [what, fn, cls, message] of cases) {
    let thrown: unknown = null;
    try {
      fn();
    } catch (e) {
      thrown = e;
    }
    expect(thrown, `${what}: did not throw`).not.toBeNull();
    expect(thrown, `${what}: ${String(thrown)}`).toBeInstanceOf(cls);
    expect((thrown as Error).message, what).toMatch(message);
  }
}
