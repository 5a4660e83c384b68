// The cache sizes the native GEMM derives its blocking from (native/cache_info.cc), as the addon's
// info() and backendInfo() report them: present, whole byte counts, and ordered L1d < L2 <= L3.
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { backendInfo, setBackend } from "../lib/backend/index.js";
import { nativeUnderTest } from "./helpers/native.js";

const { addon } = nativeUnderTest();

describe("cache detection", () => {
  const caches = addon.info().caches;

  it("reports whole, positive, ordered sizes and where they came from", () => {
    expect(["cpuid", "sysfs", "default"]).toContain(caches.source);
    for (const size of [caches.l1d, caches.l2, caches.l3]) {
      expect(Number.isInteger(size)).toBe(true);
      expect(size).toBeGreaterThan(0);
    }
    // Sanity bounds no real core is outside: L1d 4 KiB..4 MiB, L2 below 1 GiB.
    expect(caches.l1d).toBeGreaterThanOrEqual(4 << 10);
    expect(caches.l1d).toBeLessThanOrEqual(4 << 20);
    expect(caches.l2).toBeLessThan(1 << 30);
    expect(caches.l1d).toBeLessThan(caches.l2);
    expect(caches.l2).toBeLessThanOrEqual(caches.l3);
  });

  it("agrees with sysfs on L1d and L2 where Linux exposes them", () => {
    const dir = "/sys/devices/system/cpu/cpu0/cache";
    if (!existsSync(dir) || caches.source === "default") return;
    const unit: Record<string, number> = { K: 1 << 10, M: 1 << 20, G: 1 << 30 };
    const bytes = (s: string): number => parseInt(s, 10) * (unit[s.at(-1) ?? ""] ?? 1);
    for (let i = 0; existsSync(`${dir}/index${i}`); i++) {
      const read = (f: string): string => readFileSync(`${dir}/index${i}/${f}`, "utf8").trim();
      if (read("type") === "Instruction") continue;
      const level = read("level");
      if (level === "1") expect(caches.l1d).toBe(bytes(read("size")));
      if (level === "2") expect(caches.l2).toBe(bytes(read("size")));
    }
  });

  it("is what backendInfo() reports for the native backend", () => {
    const before = backendInfo().name;
    setBackend("native");
    try {
      expect(backendInfo().caches).toEqual(caches);
    } finally {
      setBackend(before);
    }
  });
});
