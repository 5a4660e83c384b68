// torch.worker.Runner: a module on a worker thread, called with Promises: results equal the same
// calls made here, calls keep their order, errors keep their class and the worker's stack, aborts
// and shutdowns reject what they must and nothing hangs, and the caller's event loop stays free.
import { spawnSync } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";

const MODULE = new URL("./fixtures/worker/model_module.ts", import.meta.url);
const started: torch.worker.Runner[] = [];

async function start(): Promise<torch.worker.Runner> {
  const r = await torch.worker.Runner.start(MODULE);
  started.push(r);
  return r;
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((r) => r.terminate()));
});

describe("torch.worker.Runner", () => {
  it("lists the module's functions and computes what the same call computes here", async () => {
    const r = await start();
    expect(r.exports).toEqual(expect.arrayContaining(["forward", "spin", "sum"]));
    const x = torch.randn([5, 4]);
    const y = await r.call<torch.Tensor>("forward", [x]);
    torch.manualSeed(0);
    const here = new torch.nn.Linear(4, 3);
    expect(y).toBeInstanceOf(torch.Tensor);
    expect(y.shape).toEqual([5, 3]);
    expect(y.tolist()).toEqual(torch.noGrad(() => here(x)).tolist());
  });

  it("carries tensors inside arrays and objects, of every dtype, and views by their elements only", async () => {
    const r = await start();
    const a = torch.arange(0, 4).float();
    const s = await r.call<torch.Tensor>("sum", [{ a, b: [a, a.flip(0)] }]);
    expect(s.tolist()).toEqual([3, 4, 5, 6]); // a + a + flip(a)
    for (const t of [torch.tensor([1, 2, 3]), torch.tensor([true, false])]) {
      const back = await r.call<torch.Tensor>("slowEcho", [t, 0]);
      expect(back.dtype).toBe(t.dtype);
      expect(back.tolist()).toEqual(t.tolist());
    }
    const big = torch.zeros([1000, 10]);
    expect(await r.call("numel", [big.index(3)])).toBe(10);
  });

  it("runs calls one at a time in the order they were made", async () => {
    const r = await start();
    const order: number[] = [];
    await Promise.all([50, 20, 0].map((ms, i) => r.call("slowEcho", [i, ms]).then((v) => order.push(v as number))));
    expect(order).toEqual([0, 1, 2]);
    expect(r.pending).toBe(0);
  });

  it("keeps the event loop free while the worker computes", async () => {
    const r = await start();
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const t0 = performance.now();
    await r.call("spin", [400]);
    clearInterval(timer);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(390);
    // NOTE: no timing threshold: a blocked loop would give 0 ticks, a free one dozens.
    expect(ticks).toBeGreaterThan(3);
  });

  it("rethrows the worker's errors with their class, message and the worker's stack", async () => {
    const r = await start();
    const err = await r.call("fail", ["range"]).catch((e: Error) => e);
    expect(err).toBeInstanceOf(RangeError);
    expect((err as Error).message).toBe("bad range from the worker");
    expect((err as Error).stack).toContain("model_module.ts");
    await expect(r.call("fail", ["plain"])).rejects.toThrow(/^plain failure$/);
    await expect(r.call("noSuchFunction")).rejects.toThrow(/exports no function 'noSuchFunction' \(it exports: .*forward/);
    // A value structured clone can't carry is refused here, before it reaches the worker.
    await expect(r.call("slowEcho", [() => 1, 0])).rejects.toThrow(/could not be cloned/);
    await expect(r.call(42 as unknown as string)).rejects.toThrow(TypeError);
    // The Runner still works after errors.
    expect(await r.call("slowEcho", ["ok", 0])).toBe("ok");
  });

  it("refuses a module that can't load, naming why", async () => {
    await expect(torch.worker.Runner.start(new URL("./fixtures/worker/missing.ts", import.meta.url))).rejects.toThrow(/missing\.ts/);
    await expect(torch.worker.Runner.start("")).rejects.toThrow(TypeError);
  });

  it("hands storage over with { transfer: true } and copies otherwise", async () => {
    const r = await start();
    const kept = torch.ones([3]);
    await r.call("numel", [kept]);
    expect(kept.tolist()).toEqual([1, 1, 1]);
    const moved = torch.ones([3]);
    expect(await r.call("numel", [moved], { transfer: true })).toBe(3);
    expect(() => moved.tolist()).toThrow();
  });

  it("aborts: a queued call never runs, a running one rejects at once, later calls still work", async () => {
    const r = await start();
    const before = (await r.call("count")) as number;
    const running = r.call("spin", [200]);
    const ctl = new AbortController();
    const queued = r.call("count", [], { signal: ctl.signal });
    ctl.abort();
    await expect(queued).rejects.toThrow(/abort/i);
    await running;
    expect(await r.call("count")).toBe(before + 1);

    const ctl2 = new AbortController();
    const long = r.call("spin", [300], { signal: ctl2.signal });
    const t0 = performance.now();
    setTimeout(() => ctl2.abort(), 20);
    await expect(long).rejects.toThrow(/abort/i);
    expect(performance.now() - t0).toBeLessThan(10_000);
    const pre = new AbortController();
    pre.abort();
    await expect(r.call("count", [], { signal: pre.signal })).rejects.toThrow(/abort/i);
    expect(await r.call("count")).toBe(before + 2);
  });

  it("terminate() rejects the calls in flight; close() lets them finish; neither hangs", async () => {
    const r = await start();
    const inFlight = expect(r.call("spin", [2000])).rejects.toThrow(/terminated/);
    await r.terminate();
    await inFlight;
    await expect(r.call("count")).rejects.toThrow(/terminated/);

    const r2 = await start();
    const last = r2.call("slowEcho", ["done", 50]);
    await r2.close();
    expect(await last).toBe("done");
    await expect(r2.call("count")).rejects.toThrow(/exited|close/);
  });

  it("rejects the calls in flight when the worker dies", async () => {
    const r = await start();
    const after = r.call("count");
    await expect(r.call("crash")).rejects.toThrow(/exited \(code 7\)/);
    expect(await after).toBeGreaterThan(0); // it ran before the crash
    await expect(r.call("count")).rejects.toThrow(/exited \(code 7\)/);
  });

  it("an idle Runner does not keep the process alive; one with a call in flight does", () => {
    const code = [
      'import * as torch from "./lib/index.js";',
      `const r = await torch.worker.Runner.start(${JSON.stringify(MODULE.href)});`,
      'r.call("slowEcho", ["late", 200]).then((v) => console.log(v));',
    ].join("\n");
    const child = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], { encoding: "utf8", timeout: 60_000 });
    expect(child.error).toBeUndefined();
    expect(child.status).toBe(0);
    expect(child.stdout.trim()).toBe("late");
  });
});
