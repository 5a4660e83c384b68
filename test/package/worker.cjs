// Worker thread of smoke.cjs: require()s torchlet (and so the addon) in its own thread, trains, and
// posts the result to the main thread.
"use strict";
const { parentPort, workerData } = require("node:worker_threads");
const torch = require("torchlet");
const { train } = require("./train.cjs");

parentPort.postMessage(train(torch, workerData.label));
