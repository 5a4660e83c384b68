// Worker thread of smoke.mjs: loads torchlet (and so the addon) in its own thread, trains, and
// posts the result to the main thread.
import { parentPort, workerData } from "node:worker_threads";
import * as torch from "torchlet";
import { train } from "./train.cjs";

parentPort.postMessage(train(torch, workerData.label));
