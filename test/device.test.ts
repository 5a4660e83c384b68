// Devices: PyTorch programs' device boilerplate runs unchanged in meaning. torch.device parses like
// PyTorch's; "cpu" is accepted everywhere (creation options, tensor.to, module.to, .cpu()) as a
// no-op, and every other device is refused with one clear error. Tensor.to's overloads.
// ref: PyTorch 1.13 (messages and `is` results below were read off python3-torch 1.13).
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import { backends, useBackend } from "./helpers/backends.js";

const { nn } = torch;
const CPU_ONLY = /torchlet runs on the CPU only \(torch\.cuda\.isAvailable\(\) is false\); use device "cpu"/;

describe("torch.device and torch.cuda", () => {
  it("parses device strings, indices and devices as PyTorch does", () => {
    const cpu = torch.device("cpu");
    expect([cpu.type, cpu.index]).toEqual(["cpu", null]);
    expect(inspect(cpu)).toBe("device(type='cpu')");
    expect(String(cpu)).toBe("cpu");
    const c1 = torch.device("cuda:1");
    expect([c1.type, c1.index, String(c1), inspect(c1)]).toEqual(["cuda", 1, "cuda:1", "device(type='cuda', index=1)"]);
    expect(inspect(torch.device("cuda", 0))).toBe("device(type='cuda', index=0)");
    expect(inspect(torch.device(0))).toBe("device(type='cuda', index=0)");
    expect(torch.device(cpu)).toBe(cpu);
    expect(inspect(torch.device("cpu:1"))).toBe("device(type='cpu', index=1)");
    expect(torch.device("mps").type).toBe("mps");
  });

  it("rejects malformed device strings with PyTorch's messages", () => {
    expect(() => torch.device("foo")).toThrow(
      "Expected one of cpu, cuda, ipu, xpu, mkldnn, opengl, opencl, ideep, hip, ve, fpga, ort, xla, lazy, vulkan, mps, meta, hpu, privateuseone device type at start of device string: foo",
    );
    expect(() => torch.device("CPU")).toThrow("device type at start of device string: CPU");
    expect(() => torch.device("cpu:x")).toThrow("Invalid device string: 'cpu:x'");
    expect(() => torch.device("cuda:-1")).toThrow("Invalid device string: 'cuda:-1'");
    expect(() => torch.device(" cpu")).toThrow("Invalid device string: ' cpu'");
    expect(() => torch.device("cuda:01")).toThrow("Invalid device string: 'cuda:01'");
    expect(() => torch.device("cuda:")).toThrow("Invalid device string: 'cuda:'");
    expect(() => torch.device("CPU:1")).toThrow(/device type at start of device string: CPU$/);
    expect(() => torch.device("")).toThrow("Device string must not be empty");
    expect(() => torch.device("cuda:1", 1)).toThrow("type (string) must not include an index because index was passed explicitly: cuda:1");
    expect(() => torch.device("cuda", -1)).toThrow("Device index must not be negative");
  });

  it("torch.cuda and torch.backends.mps report nothing available; cuda seeding is a no-op", () => {
    expect(torch.cuda.isAvailable()).toBe(false);
    expect(torch.cuda.deviceCount()).toBe(0);
    expect(torch.backends.mps.isAvailable()).toBe(false);
    torch.cuda.manualSeed(0);
    torch.cuda.manualSeedAll(0);
    // the boilerplate of PyTorch's tutorials
    const device = torch.cuda.isAvailable() ? "cuda" : torch.backends.mps.isAvailable() ? "mps" : "cpu";
    expect(device).toBe("cpu");
  });
});

describe.each(backends())("devices on tensors and modules [%s]", (name) => {
  useBackend(name);

  it("every tensor is on the CPU; .cpu() and .to(cpu) return the tensor itself", () => {
    const t = torch.ones(2, 3);
    expect(t.device).toBe(torch.zeros(1).device); // one CPU device object
    expect(String(t.device)).toBe("cpu");
    expect(t.device.type).toBe("cpu");
    expect(t.isCuda).toBe(false);
    expect(t.isCpu).toBe(true);
    expect(t.getDevice()).toBe(-1); // python: torch.ones(1).get_device() == -1
    // python: t.to("cpu") is t, t.to(torch.float32) is t, t.to(t) is t, t.cpu() is t -> True
    expect(t.cpu()).toBe(t);
    expect(t.to("cpu")).toBe(t);
    expect(t.to(torch.device("cpu"))).toBe(t);
    expect(t.to("cpu:0")).toBe(t);
    expect(t.to(torch.float32)).toBe(t);
    expect(t.to(t)).toBe(t);
    expect(t.to()).toBe(t);
    expect(t.to({ device: "cpu", nonBlocking: true })).toBe(t);
  });

  it("tensor.to converts dtype in each of PyTorch's forms; copy: true always copies", () => {
    const t = torch.tensor([1.5, -2]);
    for (const r of [t.to("cpu", torch.long), t.to(torch.device("cpu"), "int64"), t.to({ device: "cpu", dtype: "int64" }), t.to(torch.long), t.to(torch.zeros(1, { dtype: "int64" }))]) {
      expect(r.dtype).toBe("int64");
      expect(r.tolist()).toEqual([1, -2]);
    }
    const c = t.to("cpu", { copy: true });
    expect(c).not.toBe(t);
    expect(c.tolist()).toEqual([1.5, -2]);
    c.fill_(0);
    expect(t.tolist()).toEqual([1.5, -2]);
    // a differentiable conversion, as PyTorch's
    const x = torch.ones(2, { requiresGrad: true });
    x.to({ copy: true }).sum().backward();
    expect(x.grad!.tolist()).toEqual([1, 1]);
  });

  it("refuses other devices with one clear message, and bad arguments", () => {
    const t = torch.ones(2);
    expect(() => t.to("cuda")).toThrow(/^to: Torch not compiled with CUDA enabled: /);
    expect(() => t.to("cuda")).toThrow(CPU_ONLY);
    expect(() => t.to(torch.device("cuda", 0))).toThrow(CPU_ONLY);
    expect(() => t.to("mps")).toThrow("to: device 'mps' is not available");
    expect(() => t.to(0)).toThrow(CPU_ONLY);
    expect(() => t.cuda()).toThrow(CPU_ONLY);
    expect(() => t.to("complex64")).toThrow("to: unsupported dtype complex64");
    expect(() => t.to("cpu", { memoryFormat: 1 } as never)).toThrow("to() got an unexpected keyword argument 'memoryFormat'");
    expect(() => t.to("cpu", { copy: "yes" } as never)).toThrow("argument 'copy' must be a boolean");
  });

  it("creation functions accept device 'cpu' (or a CPU device, or null) and refuse others", () => {
    const cpu = torch.device("cpu");
    const made = [
      torch.tensor([1, 2], { device: "cpu" }), torch.zeros(2, { device: cpu }), torch.ones([2], { device: null }),
      torch.empty(2, { device: "cpu" }), torch.full([2], 3, { device: "cpu" }), torch.arange(2, undefined, 1, { device: "cpu" }),
      torch.linspace(0, 1, 2, { device: "cpu" }), torch.eye(2, { device: "cpu" }), torch.rand(2, { device: "cpu" }),
      torch.randn(2, { device: "cpu" }), torch.randint(0, 3, [2], { device: "cpu" }), torch.zerosLike(torch.ones(2), { device: "cpu" }),
    ];
    for (const t of made) expect(t.device.type).toBe("cpu");
    expect(() => torch.zeros(2, { device: "cuda" })).toThrow(/^zeros: Torch not compiled with CUDA enabled/);
    expect(() => torch.tensor([1], { device: "cuda:0" })).toThrow(CPU_ONLY);
    expect(() => torch.randn(2, { device: "mps" })).toThrow(CPU_ONLY);
    expect(() => torch.randint(0, 3, [2], { device: "cuda" })).toThrow(CPU_ONLY);
    expect(() => torch.onesLike(torch.ones(2), { device: "cuda" })).toThrow(CPU_ONLY);
    expect(() => torch.zeros(2, { device: "gpu" })).toThrow("device type at start of device string: gpu");
  });

  it("modules: .to(device) / .cpu() return the module; other devices and non-float dtypes throw", () => {
    const model = new nn.Sequential(new nn.Linear(2, 2));
    expect(model.to("cpu")).toBe(model);
    expect(model.to(torch.device("cpu"))).toBe(model);
    expect(model.to("cpu", torch.float32)).toBe(model);
    expect(model.to({ device: "cpu", dtype: "float32" })).toBe(model);
    expect(model.to(torch.ones(1))).toBe(model);
    expect(model.cpu()).toBe(model);
    expect(() => model.to("cuda")).toThrow(/^Module\.to: Torch not compiled with CUDA enabled/);
    expect(() => model.cuda()).toThrow(CPU_ONLY);
    expect(() => model.to(torch.long)).toThrow("nn.Module.to only accepts floating point or complex dtypes, but got desired dtype=torch.int64");
    expect(new nn.Linear(2, 2, { device: "cpu" }).weight.device.type).toBe("cpu");
    expect(new nn.Linear(2, 2, { device: torch.device("cpu") }).inFeatures).toBe(2);
    expect(() => new nn.Linear(2, 2, { device: "cuda" })).toThrow(CPU_ONLY);
  });
});
