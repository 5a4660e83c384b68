// The `npm run train` command line (examples/train.ts): its own messages for bad numbers (also
// negative ones, which node:util parseArgs alone calls "ambiguous"), no empty runs/<time>/ from a
// run stopped or refused before its first files, and a progress line that names both losses.
// The end-to-end cases run the real CLI in a child process, in a temporary working directory; one
// checks that a run whose threads cover the cores goes to a node --single-threaded-gc process (not
// with fewer threads, the JS backend, or TORCHLET_TRAIN_DEFAULT_GC set).
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { parseTrainArgs, UsageError } from "../examples/lib/args.js";
import { Progress } from "../examples/lib/progress.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DATA = join(ROOT, "data");
const tmp = mkdtempSync(join(tmpdir(), "torchlet-train-cli-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const message = (argv: string[]) => {
  try {
    parseTrainArgs(argv);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  return "accepted";
};

describe("train CLI arguments", () => {
  it("negative and malformed numbers get the flag's own message", () => {
    expect(message(["--epochs", "-1"])).toBe('--epochs must be an integer >= 1, got "-1"');
    expect(message(["--epochs=-1"])).toBe('--epochs must be an integer >= 1, got "-1"');
    expect(message(["--batch-size", "-64"])).toBe('--batch-size must be an integer >= 1, got "-64"');
    expect(message(["--seed", "-3"])).toBe('--seed must be an integer >= 0, got "-3"');
    expect(message(["--lr", "-0.5"])).toBe('--lr must be a positive number, got "-0.5"');
    expect(message(["--lr", "-.5"])).toBe('--lr must be a positive number, got "-.5"');
    expect(message(["--epochs", "2.0"])).toBe('--epochs must be an integer >= 1, got "2.0"');
    expect(message(["--epochs", "1e3"])).toBe('--epochs must be an integer >= 1, got "1e3"');
    expect(message(["--threads", "two"])).toBe('--threads must be an integer >= 1, got "two"');
  });

  it("parseArgs's errors come out in the CLI's words", () => {
    expect(message(["--epochs"])).toBe("--epochs needs a value, e.g. --epochs 5");
    expect(message(["--epochs", "--lr", "0.1"])).toBe("--epochs needs a value, e.g. --epochs 5");
    expect(message(["--bogus"])).toBe("unknown option --bogus");
    expect(message(["-x"])).toBe("unknown option -x");
    expect(message(["5"])).toBe('unexpected argument "5": every value follows its option, e.g. --epochs 5');
    expect(message(["--shuffle=yes"])).toBe("--shuffle takes no value");
  });

  it("still reads good command lines as before", () => {
    const o = parseTrainArgs(["--epochs", "3", "--lr=0.01", "--batch-size", "32", "--shuffle", "--seed", "0"]);
    expect(o).toMatchObject({ epochs: 3, lr: 0.01, batchSize: 32, shuffle: true, seed: 0 });
    expect(parseTrainArgs([])).toMatchObject({ epochs: 10, lr: 1e-3, batchSize: 64, shuffle: false, optimizer: "sgd" });
  });
});

describe("progress line", () => {
  it("labels the latest batch's loss and the epoch's running mean", () => {
    const lines: string[] = [];
    let t = 0;
    const p = new Progress({ label: "epoch 1/1", total: 100, out: { write: (s: string) => lines.push(s) }, tty: false, now: () => (t += 100) });
    p.update(50, 0.75, 0.5);
    p.update(100, 0.6, 0.45);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^epoch 1\/1 {3}50% {3}50\/100 {2}batch loss 0\.5000 {2}mean loss 0\.7500 {2}\d+ samples\/s/);
    expect(lines[1]).toContain("batch loss 0.4500  mean loss 0.6000");
  });
});

/** Runs examples/train.ts in `cwd`; `onStdout` may kill it. Resolves with the exit code or signal. */
function runCli(args: string[], cwd: string, onStdout?: (all: string, kill: (sig: NodeJS.Signals) => void) => void, env?: NodeJS.ProcessEnv) {
  return new Promise<{ code: number | null; out: string; err: string }>((resolve, reject) => {
    const child = spawn(join(ROOT, "node_modules", ".bin", "tsx"), [join(ROOT, "examples", "train.ts"), ...args], { cwd, env: env ?? process.env });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => {
      out += d;
      onStdout?.(out, (sig) => child.kill(sig));
    });
    child.stderr.on("data", (d) => (err += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, out, err }));
  });
}

describe("train CLI end to end (child process)", () => {
  it("a refused command line exits 2 with the CLI's message and makes no directory", async () => {
    const cwd = mkdtempSync(join(tmp, "refused-"));
    const r = await runCli(["--epochs", "-1"], cwd);
    expect(r.code).toBe(2);
    expect(r.err).toContain('train: --epochs must be an integer >= 1, got "-1"');
    expect(r.err).not.toContain("ambiguous");
    expect(readdirSync(cwd)).toEqual([]);
  }, 60_000);

  it("a run stopped by SIGINT or SIGTERM during its first epoch leaves no runs/ directory", async () => {
    const stop = async (signal: NodeJS.Signals) => {
      const cwd = mkdtempSync(join(tmp, "killed-"));
      let sent = false;
      const r = await runCli(["--epochs", "1", "--data", DATA], cwd, (all, kill) => {
        if (!sent && all.includes("Training on FashionMNIST")) {
          sent = true;
          kill(signal);
        }
      });
      return { signal, sent, stopped: r.code !== 0, left: readdirSync(cwd) };
    };
    // NOTE: both at once, to halve the wall time of two child processes that mostly wait.
    const results = await Promise.all([stop("SIGINT"), stop("SIGTERM")]);
    expect(results).toEqual([
      { signal: "SIGINT", sent: true, stopped: true, left: [] },
      { signal: "SIGTERM", sent: true, stopped: true, left: [] },
    ]);
  }, 60_000);

  it("with threads covering the cores it runs under node --single-threaded-gc, else (or opted out) under V8's default", async () => {
    const cores = availableParallelism();
    const header = async (extra: string[], env?: NodeJS.ProcessEnv) => {
      const cwd = mkdtempSync(join(tmp, "gc-"));
      const r = await runCli(["--epochs", "1", "--limit-batches", "1", "--data", DATA, "--out", join(cwd, "o"), ...extra], cwd, undefined, env);
      expect(r.code, r.err).toBe(0);
      return r.out.split("\n").find((l) => l.startsWith("Training on FashionMNIST")) ?? "";
    };
    const [all, optedOut, js] = await Promise.all([
      header(["--threads", String(cores)]),
      header(["--threads", String(cores)], { ...process.env, TORCHLET_TRAIN_DEFAULT_GC: "1" }),
      header(["--backend", "js"]),
    ]);
    expect(all).toContain(`${cores} thread`);
    expect(all).toContain("node --single-threaded-gc");
    expect(optedOut).not.toContain("single-threaded-gc");
    expect(js).not.toContain("single-threaded-gc");
    if (cores > 1) expect(await header(["--threads", "1"])).not.toContain("single-threaded-gc");
  }, 120_000);

  it("a finished run writes runs/<time>/ with its three files", async () => {
    const cwd = mkdtempSync(join(tmp, "done-"));
    const r = await runCli(["--epochs", "1", "--limit-batches", "2", "--data", DATA], cwd);
    expect(r.code).toBe(0);
    const [stamp, ...others] = readdirSync(join(cwd, "runs"));
    expect(others).toEqual([]);
    expect(stamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d$/);
    expect(readdirSync(join(cwd, "runs", stamp)).sort()).toEqual(["metrics.json", "model.safetensors", "plot.svg"]);
    expect(r.out).toMatch(/epoch 1\/1 +100% +128\/128 +batch loss \d\.\d{4} +mean loss \d\.\d{4}/);
    expect(r.out).toContain("mean train loss");
    expect(existsSync(join(cwd, "runs", stamp, "model.safetensors"))).toBe(true);
  }, 60_000);
});
