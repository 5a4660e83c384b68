// `npm run serve`: an HTTP inference server for the model `npm run train` saved. The model lives
// in a torch.worker.Runner (its own thread), so this event loop only parses requests and batches
// them: it answers /health at once even while the model, or a training run (--train),
// computes. node:http only; see --help.
//   curl -s localhost:3000/predict -d '{"image": [[0, 0.5, ...], ...]}'   (28 rows of 28 values in [0, 1])
//   curl -s localhost:3000/predict -H 'content-type: image/png' --data-binary @shirt.png
import { existsSync, readdirSync, statSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { join } from "node:path";
import { parseArgs } from "node:util";
import * as torch from "../lib/index.js";
import { DynamicBatcher } from "./lib/batcher.js";
import { classes } from "./lib/model.js";

const HELP = `Usage: npm run serve -- [options]

Serves the FashionMNIST model: POST /predict with JSON {"image": 28 rows of 28 numbers in [0, 1]}
(or 784 numbers, or the bare array), or a 28x28 PNG file (content-type image/png; color is turned
gray as PIL's convert("L")), answers {"class", "label", "probabilities"}. GET /health, GET /stats.

Options:
  --weights FILE     model.safetensors to serve (default: the newest runs/*/model.safetensors)
  --port N           port (default 3000; 0 picks a free one)
  --host H           address to listen on (default 127.0.0.1)
  --max-batch N      most requests per model call (default 64; 1 turns dynamic batching off)
  --max-wait-ms X    how long a request waits for others while the model is idle (default 0:
                     requests that arrive while the model computes form the next batch)
  --train="ARGS"     also run \`npm run train -- ARGS\` in a second worker while serving
                     (e.g. --train="--epochs 1"); this event loop keeps answering meanwhile
  -h, --help         show this help`;

const MAX_BODY = 1 << 20;

class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

function newestWeights(): string | null {
  if (!existsSync("runs")) return null;
  const files = readdirSync("runs")
    .map((d) => join("runs", d, "model.safetensors"))
    .filter((f) => existsSync(f))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  return files[0] ?? null;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    // NOTE: an oversized body is read to its end and dropped (memory stays bounded) before the 413
    // goes out: answering mid-upload makes clients see the connection close instead of the status.
    req.on("end", () => (size > MAX_BODY ? reject(new HttpError(413, `request body over ${MAX_BODY} bytes`)) : resolve(Buffer.concat(chunks))));
    req.on("error", reject);
  });
}

/** A PNG file's image (gray, or RGB converted as PIL's convert("L")) as ToTensor's [1, 28, 28]. */
function parsePng(body: Buffer): torch.Tensor {
  let img;
  try {
    img = torch.vision.io.toGrayscale(torch.vision.io.decodePng(new Uint8Array(body)));
  } catch (e) {
    throw new HttpError(400, (e as Error).message);
  }
  if (img.width !== 28 || img.height !== 28) throw new HttpError(400, `expected a 28x28 image, got ${img.width}x${img.height}`);
  return new torch.vision.transforms.ToTensor().forward(img);
}

/** The request's image as a [1, 28, 28] tensor, or an HttpError saying what is wrong with it. */
function parseImage(body: Buffer, contentType: string | undefined): torch.Tensor {
  if (contentType?.startsWith("image/png")) return parsePng(body);
  let json: unknown;
  try {
    json = JSON.parse(body.toString("utf8"));
  } catch {
    throw new HttpError(400, "the body is not JSON");
  }
  const image = json !== null && typeof json === "object" && !Array.isArray(json) ? (json as { image?: unknown }).image : json;
  if (!Array.isArray(image)) throw new HttpError(400, 'expected {"image": [...]}: 28 rows of 28 numbers, or 784 numbers');
  const flat = (image as unknown[]).flat();
  if (flat.length !== 784 || (image.length !== 784 && image.length !== 28)) {
    throw new HttpError(400, `expected 28x28 = 784 numbers, got ${image.length} rows and ${flat.length} numbers`);
  }
  if (!flat.every((v) => typeof v === "number" && Number.isFinite(v))) throw new HttpError(400, "every pixel must be a finite number");
  return torch.tensor(flat as number[]).reshape([1, 28, 28]);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

async function main(): Promise<void> {
  const { values: v } = parseArgs({
    options: {
      weights: { type: "string" },
      port: { type: "string", default: "3000" },
      host: { type: "string", default: "127.0.0.1" },
      "max-batch": { type: "string", default: "64" },
      "max-wait-ms": { type: "string", default: "0" },
      train: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (v.help) {
    console.log(HELP);
    return;
  }
  const weights = v.weights ?? newestWeights();
  if (weights === null) throw new Error("no weights to serve: run `npm run train` first, or pass --weights FILE");
  if (!existsSync(weights)) throw new Error(`no such weights file: ${weights}`);
  const port = Number(v.port);
  const maxBatch = Number(v["max-batch"]);
  const maxWaitMs = Number(v["max-wait-ms"]);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0..65535, got ${v.port}`);

  const module = new URL("./lib/serve_model.ts", import.meta.url);
  const model = await torch.worker.Runner.start(module, { name: "model" });
  await model.call("load", [weights]);
  const batcher = new DynamicBatcher({ maxBatch, maxWaitMs, run: (batch) => model.call<torch.Tensor>("predict", [batch], { transfer: true }) });

  let trainer: torch.worker.Runner | null = null;
  if (v.train !== undefined) {
    trainer = await torch.worker.Runner.start(module, { name: "trainer" });
    trainer.call<string>("trainRun", [v.train.split(/\s+/).filter((a) => a !== "")]).then(
      (dir) => console.log(`serve: the training run finished: ${dir}`),
      (e: Error) => console.error(`serve: the training run failed: ${e.message}`),
    );
  }

  let served = 0;
  const server = createServer((req, res) => {
    void (async () => {
      try {
        if (req.method === "GET" && req.url === "/health") return send(res, 200, { ok: true });
        if (req.method === "GET" && req.url === "/stats") {
          return send(res, 200, { served, batchSizes: Object.fromEntries(batcher.batchSizes), rssBytes: process.memoryUsage().rss });
        }
        if (req.url !== "/predict") throw new HttpError(404, `no route ${req.url}; POST /predict`);
        if (req.method !== "POST") throw new HttpError(405, "POST /predict");
        const probs = (await batcher.submit(parseImage(await readBody(req), req.headers["content-type"]))).tolist() as number[];
        const cls = probs.indexOf(Math.max(...probs));
        served++;
        send(res, 200, { class: cls, label: classes[cls], probabilities: probs });
      } catch (e) {
        const status = e instanceof HttpError ? e.status : 500;
        send(res, status, { error: e instanceof Error ? e.message : String(e) });
      }
    })();
  });
  server.listen(port, v.host, () => {
    const addr = server.address();
    const actual = typeof addr === "object" && addr !== null ? addr.port : port;
    console.log(`serve: ${weights} on http://${v.host}:${actual} (max batch ${maxBatch}, max wait ${maxWaitMs} ms)`);
  });
  const stop = () => {
    server.close();
    void Promise.all([model.terminate(), trainer?.terminate()]).then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((e: Error) => {
  console.error(`serve: ${e.message}`);
  process.exit(1);
});
