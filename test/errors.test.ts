// Bad input across the public API: every case must throw a JS Error of the right class whose
// message names what was wrong, in PyTorch's words where PyTorch has them (issue 7's examples
// first), on both backends. Not here: hostile files (safetensors.test.ts, fashion_mnist.test.ts)
// and the raw binding (native-backend.test.ts, fuzz.test.ts). ref: PyTorch 1.13's error messages.
import { afterAll, describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import { expectAll } from "./helpers/expect_all.js";

const { nn, optim } = torch;
const F = nn.functional;
const long = (xs: number[]) => torch.tensor(xs, { dtype: "int64" });
const params = () => new nn.Linear(2, 2).parameters();

afterAll(() => torch.setBackend("native"));

for (const backendName of ["native", "js"] as const) {
  describe(`bad input gives a clear error (${backendName})`, () => {
    it("uses the backend under test", () => {
      torch.setBackend(backendName);
      expect(torch.backendInfo().name).toBe(backendName);
    });

    it("matmul and Linear: shapes that cannot be multiplied", () => {
      torch.setBackend(backendName);
      expectAll([
        ["matmul", () => torch.randn(64, 784).matmul(torch.randn(512, 10)), RangeError, /^mat1 and mat2 shapes cannot be multiplied \(64x784 and 512x10\)$/],
        ["torch.matmul", () => torch.matmul(torch.randn(64, 784), torch.randn(512, 10)), RangeError, /\(64x784 and 512x10\)/],
        ["Linear.forward", () => new nn.Linear(784, 512).forward(torch.randn(64, 10)), RangeError, /mat1 and mat2 shapes cannot be multiplied \(64x10 and 784x512\)/],
        ["Sequential", () => new nn.Sequential(new nn.Linear(784, 512), new nn.ReLU(), new nn.Linear(10, 2)).forward(torch.randn(64, 784)), RangeError, /\(64x512 and 10x2\)/],
        ["batched", () => torch.randn(2, 3, 4).matmul(torch.randn(5, 6)), RangeError, /\(6x4 and 5x6\)/],
        ["mm of a vector", () => torch.randn(3).mm(torch.randn(3, 2)), RangeError, /self must be a matrix/],
        ["bmm of 2-D", () => torch.randn(3, 3).bmm(torch.randn(1, 3, 3)), RangeError, /batch1 must be a 3D tensor/],
        ["0-d", () => torch.tensor(2).matmul(torch.randn(2)), RangeError, /both arguments to matmul need to be at least 1D, but they are 0D and 1D/],
        ["int64 operands", () => torch.ones(2, 2, { dtype: "int64" }).matmul(torch.ones(2, 2)), TypeError, /matmul: expected floating point operands, but got int64 and float32/],
        ["not a tensor", () => torch.randn(2, 2).matmul([[1, 2]] as never), TypeError, /matmul: expected Tensor operands/],
      ]);
    });

    it("loss targets: out of bounds, wrong dtype, wrong shape", () => {
      torch.setBackend(backendName);
      const x = torch.randn(4, 10);
      expectAll([
        ["crossEntropy 12", () => F.crossEntropy(x, long([1, 12, 0, 3])), RangeError, /^Target 12 is out of bounds\.$/],
        ["CrossEntropyLoss 12", () => new nn.CrossEntropyLoss().forward(x, long([1, 12, 0, 3])), RangeError, /^Target 12 is out of bounds\.$/],
        ["negative target", () => F.crossEntropy(x, long([1, -3, 0, 3])), RangeError, /^Target -3 is out of bounds\.$/],
        ["nllLoss 10", () => F.nllLoss(x.logSoftmax(1), long([10, 0, 0, 0])), RangeError, /^Target 10 is out of bounds\.$/],
        ["float class indices", () => F.crossEntropy(x, torch.tensor([1, 2, 0, 3])), TypeError, /expected scalar type Long but found Float/],
        ["bool class indices", () => F.crossEntropy(x, torch.tensor([true, false, true, true])), TypeError, /expected scalar type Long but found Bool/],
        ["int64 class probabilities", () => F.crossEntropy(x, torch.zeros([4, 10], { dtype: "int64" })), TypeError, /expected scalar type Long|floating point type for target/],
        ["nllLoss float target", () => F.nllLoss(x, torch.tensor([1, 2, 0, 3])), TypeError, /expected scalar type Long but found Float/],
        ["BCE int64 target", () => F.binaryCrossEntropy(torch.rand(4), long([1, 0, 1, 0])), TypeError, /binary_cross_entropy: expected scalar type Float but found Long/],
        ["BCE input outside [0, 1]", () => F.binaryCrossEntropy(torch.tensor([1.5]), torch.tensor([1])), RangeError, /all elements of input should be between 0 and 1/],
        ["batch mismatch", () => F.crossEntropy(x, long([1, 2, 0])), RangeError, /Expected input batch_size \(4\) to match target batch_size \(3\)\./],
        ["target not a tensor", () => new nn.CrossEntropyLoss().forward(x, [0, 1, 2, 3] as never), TypeError, /cross_entropy\(\): argument 'target' \(position 2\) must be Tensor, not list/],
        ["mseLoss target not a tensor", () => F.mseLoss(x, 3 as never), TypeError, /mse_loss\(\): argument 'target' \(position 2\) must be Tensor, not number/],
        ["bad reduction", () => F.crossEntropy(x, long([0, 1, 2, 3]), { reduction: "avg" as never }), RangeError, /avg is not a valid value for reduction/],
        ["labelSmoothing > 1", () => F.crossEntropy(x, long([0, 1, 2, 3]), { labelSmoothing: 2 }), RangeError, /label_smoothing must be between 0.0 and 1.0. Got: 2/],
        ["class weight size", () => F.crossEntropy(x, long([0, 1, 2, 3]), { weight: torch.ones(4) }), RangeError, /weight tensor should be defined either for all 10 classes or no classes but got weight tensor of shape: \[4\]/],
      ]);
    });

    it("broadcasting: sizes that don't match", () => {
      torch.setBackend(backendName);
      expectAll([
        ["add", () => torch.randn(2, 3).add(torch.randn(2, 4)), RangeError, /^The size of tensor a \(3\) must match the size of tensor b \(4\) at non-singleton dimension 1$/],
        ["mul", () => torch.randn(5, 3).mul(torch.randn(4, 1)), RangeError, /The size of tensor a \(5\) must match the size of tensor b \(4\) at non-singleton dimension 0/],
        ["where", () => torch.where(torch.ones(3, { dtype: "bool" }), torch.randn(4), 0), RangeError, /The size of tensor a \(3\) must match the size of tensor b \(4\)/],
        ["mseLoss", () => F.mseLoss(torch.randn(4, 3), torch.randn(4, 5)), RangeError, /The size of tensor a \(3\) must match the size of tensor b \(5\) at non-singleton dimension 1/],
        ["in-place add_", () => torch.zeros(2).add_(torch.ones(3)), RangeError, /must match the existing size \(3\)/],
        ["copy_", () => torch.zeros(2).copy_(torch.ones(3)), RangeError, /The size of tensor a \(3\) must match the size of tensor b \(2\)/],
        ["expand", () => torch.randn(3).expand(2, 4), RangeError, /The expanded size of the tensor \(4\) must match the existing size \(3\) at non-singleton dimension 1/],
        ["cat", () => torch.cat([torch.randn(2, 3), torch.randn(2, 4)]), RangeError, /Sizes of tensors must match except in dimension 0. Expected size 3 but got size 4 for tensor number 1 in the list\./],
        ["stack", () => torch.stack([torch.randn(2), torch.randn(3)]), RangeError, /stack expects each tensor to be equal size, but got \[2\] at entry 0 and \[3\] at entry 1/],
        ["reshape", () => torch.randn(6).reshape(4, 2), RangeError, /shape '\[4, 2\]' is invalid for input of size 6/],
      ]);
    });

    it("indices out of bounds", () => {
      torch.setBackend(backendName);
      const x = torch.randn(64, 3);
      expectAll([
        ["x[70]", () => x.index(70), RangeError, /^index 70 is out of bounds for dimension 0 with size 64$/],
        ["x[-65]", () => x.index(-65), RangeError, /^index -65 is out of bounds for dimension 0 with size 64$/],
        ["x[:, 3]", () => x.index(":", 3), RangeError, /^index 3 is out of bounds for dimension 1 with size 3$/],
        ["x[long tensor]", () => x.index(long([0, 70])), RangeError, /^index 70 is out of bounds for dimension 0 with size 64$/],
        ["x[70] = 1", () => x.set(70, 1), RangeError, /^index 70 is out of bounds for dimension 0 with size 64$/],
        ["too many indices", () => x.index(0, 0, 0), RangeError, /too many indices for tensor of dimension 2/],
        ["fractional index", () => x.index(1.5), TypeError, /index 1.5 is not an integer/],
        ["float index tensor", () => x.index(torch.tensor([1])), TypeError, /tensors used as indices must be long, int, byte or bool tensors/],
        ["bad slice string", () => x.index("a:b"), TypeError, /cannot parse "a:b" as a slice/],
        ["NaN slice bound", () => x.index(torch.slice(Number.NaN, 2)), TypeError, /slice indices must be integers or None/],
        ["slice step 0", () => x.index("::0"), RangeError, /slice step must be positive/],
        ["gather", () => x.gather(1, long([5]).reshape(1, 1)), RangeError, /^gather\(\): index 5 is out of bounds for dimension 1 with size 3/],
        ["gather float index", () => x.gather(1, torch.tensor([[1]])), TypeError, /gather\(\): Expected dtype int64 for index/],
        ["indexSelect", () => x.indexSelect(0, long([64])), RangeError, /index 64 is out of bounds for dimension 0 with size 64/],
        ["mask shape", () => x.index(torch.ones(5, { dtype: "bool" })), RangeError, /The shape of the mask \[5\] at index 0 does not match the shape of the indexed tensor \[64\]/],
        ["narrow", () => x.narrow(0, 60, 5), RangeError, /start \(60\) \+ length \(5\) exceeds dimension size \(64\)\./],
        ["narrow NaN start", () => x.narrow(0, Number.NaN, 1), TypeError, /narrow\(\): argument 'start' must be an integer, not NaN/],
        ["dim out of range", () => x.sum(2), RangeError, /sum: Dimension out of range \(expected to be in range of \[-2, 1\], but got 2\)/],
        ["dim NaN", () => x.softmax(Number.NaN), RangeError, /softmax: Dimension out of range .*but got NaN/],
        ["dim as a string", () => x.sum("1" as never), RangeError, /but got "1"/],
        ["permute duplicate", () => x.permute(0, 0), RangeError, /permute\(\): duplicate dims are not allowed\./],
      ]);
    });

    it("sizes: negative, non-integer, NaN, infinite, too large", () => {
      torch.setBackend(backendName);
      expectAll([
        ["zeros(-1, 3)", () => torch.zeros(-1, 3), RangeError, /zeros: Trying to create tensor with negative dimension -1: \[-1, 3\]/],
        ["randn(-2)", () => torch.randn(-2), RangeError, /randn: Trying to create tensor with negative dimension -2/],
        ["empty([-1])", () => torch.empty([-1]), RangeError, /empty: .*negative dimension -1/],
        ["full([-3], 1)", () => torch.full([-3], 1), RangeError, /full: .*negative dimension -3/],
        ["eye(-2)", () => torch.eye(-2), RangeError, /eye: .*negative dimension -2/],
        ["reshape(-2, 3)", () => torch.randn(6).reshape(-2, 3), RangeError, /reshape: .*negative dimension -2/],
        ["Linear(-1, 3)", () => new nn.Linear(-1, 3), RangeError, /negative dimension -1/],
        ["zeros(2.5)", () => torch.zeros(2.5, 3), TypeError, /zeros: size must be a sequence of integers, got 2.5 in \[2.5, 3\]/],
        ["rand([2, 0.5])", () => torch.rand([2, 0.5]), TypeError, /rand: size must be a sequence of integers, got 0.5/],
        ["Linear(2.5, 3)", () => new nn.Linear(2.5, 3), TypeError, /Linear\(\): argument 'inFeatures' must be an integer, not 2.5/],
        ["view(1.5, 4)", () => torch.randn(6).view(1.5, 4), TypeError, /view: size must be a sequence of integers, got 1.5/],
        ["zeros(NaN)", () => torch.zeros(Number.NaN, 3), TypeError, /zeros: size must be a sequence of integers, got NaN/],
        ["ones([NaN])", () => torch.ones([Number.NaN]), TypeError, /ones: size must be a sequence of integers, got NaN/],
        ["Linear(NaN, 3)", () => new nn.Linear(Number.NaN, 3), TypeError, /Linear\(\): argument 'inFeatures' must be an integer, not NaN/],
        ["linspace steps NaN", () => torch.linspace(0, 1, Number.NaN), TypeError, /linspace: size must be a sequence of integers, got NaN/],
        ["expand(NaN)", () => torch.randn(1).expand(Number.NaN), RangeError, /expand: invalid size NaN at dimension 0/],
        ["zeros(Infinity)", () => torch.zeros(Infinity), TypeError, /zeros: size must be a sequence of integers, got Infinity/],
        ["zeros('3')", () => torch.zeros("3" as never), TypeError, /zeros: size must be a sequence of integers/],
        ["zeros(1e6, 1e6)", () => torch.zeros(1e6, 1e6), RangeError, /zeros: shape \[1000000, 1000000\] has more than 2147483647 elements/],
        ["arange(1e12)", () => torch.arange(0, 1e12), RangeError, /arange: shape \[1000000000000\] has more than/],
        ["arange(NaN)", () => torch.arange(Number.NaN), RangeError, /arange: unsupported range: non-finite bound/],
        ["randint bounds", () => torch.randint(10, 10, [3]), RangeError, /random_ expects 'from' to be less than 'to', but got from=10 >= to=10/],
        ["randperm(-1)", () => torch.randperm(-1), RangeError, /randperm: n must be a non-negative integer, got -1/],
        ["view -1 twice", () => torch.randn(6).view(-1, -1), RangeError, /only one dimension can be inferred/],
        ["DataLoader batchSize 0", () => new torch.data.DataLoader(new torch.data.TensorDataset(torch.zeros(3)), { batchSize: 0 }), RangeError, /batch_size should be a positive integer value, but got batch_size=0/],
        ["DataLoader batchSize 1.5", () => new torch.data.DataLoader(new torch.data.TensorDataset(torch.zeros(3)), { batchSize: 1.5 }), RangeError, /batch_size=1.5/],
        ["setNumThreads(0)", () => torch.setNumThreads(0), RangeError, /setNumThreads: n must be a positive integer, got 0/],
      ]);
    });

    it("empty tensors where a value is meaningless", () => {
      torch.setBackend(backendName);
      const e = torch.zeros(0);
      expectAll([
        ["max()", () => e.max(), RangeError, /max\(\): Expected reduction dim to be specified for input.numel\(\) == 0/],
        ["amin()", () => e.amin(), RangeError, /amin\(\): Expected reduction dim to be specified for input.numel\(\) == 0/],
        ["argmax()", () => e.argmax(), RangeError, /argmax\(\): Expected reduction dim to be specified for input.numel\(\) == 0/],
        ["max(1) of [3, 0]", () => torch.zeros(3, 0).max(1), RangeError, /max\(\): Expected reduction dim 1 to have non-zero size\./],
        ["item()", () => e.item(), RangeError, /only one element tensors can be converted to Python scalars \(got 0 elements\)/],
        ["cat([])", () => torch.cat([]), RangeError, /torch.cat\(\): expected a non-empty list of Tensors/],
        ["stack([])", () => torch.stack([]), RangeError, /stack expects a non-empty TensorList/],
        ["optimizer without params", () => new optim.SGD([], { lr: 0.1 }), RangeError, /optimizer got an empty parameter list/],
        ["crossEntropy with 0 classes", () => F.crossEntropy(torch.randn(4, 0), long([0, 0, 0, 0])), RangeError, /Target 0 is out of bounds\./],
      ]);
    });

    it("optimizers: learning rate < 0 and other bad hyperparameters", () => {
      torch.setBackend(backendName);
      expectAll([
        ["SGD lr -1", () => new optim.SGD(params(), { lr: -1 }), RangeError, /^Invalid learning rate: -1$/],
        ["Adam lr -1", () => new optim.Adam(params(), { lr: -1 }), RangeError, /^Invalid learning rate: -1$/],
        ["AdamW lr -0.1", () => new optim.AdamW(params(), { lr: -0.1 }), RangeError, /^Invalid learning rate: -0.1$/],
        ["RMSprop lr -1", () => new optim.RMSprop(params(), { lr: -1 }), RangeError, /^Invalid learning rate: -1$/],
        ["Adagrad lr -1", () => new optim.Adagrad(params(), { lr: -1 }), RangeError, /^Invalid learning rate: -1$/],
        ["SGD lr NaN", () => new optim.SGD(params(), { lr: Number.NaN }), TypeError, /SGD: lr must be a number, got number NaN/],
        ["SGD lr string", () => new optim.SGD(params(), { lr: "0.1" as never }), TypeError, /SGD: lr must be a number, got string "0.1"/],
        ["SGD without lr", () => new optim.SGD(params()), RangeError, /didn't specify a value of required optimization parameter lr/],
        ["SGD momentum -1", () => new optim.SGD(params(), { lr: 0.1, momentum: -1 }), RangeError, /Invalid momentum value: -1/],
        ["SGD weightDecay -1", () => new optim.SGD(params(), { lr: 0.1, weightDecay: -1 }), RangeError, /Invalid weight_decay value: -1/],
        ["Adam betas", () => new optim.Adam(params(), { betas: [1.5, 0.9] }), RangeError, /Invalid beta parameter at index 0: 1.5/],
        ["Adam eps", () => new optim.Adam(params(), { eps: -1 }), RangeError, /Invalid epsilon value: -1/],
        ["snake_case option", () => new optim.SGD(params(), { lr: 0.1, weight_decay: 1 } as never), TypeError, /SGD: unknown option "weight_decay" \(options are camelCase: did you mean "weightDecay"\?\)/],
        ["params not iterable", () => new optim.SGD(5 as never, { lr: 0.1 }), TypeError, /SGD: params must be an iterable of Tensors or param group objects, got number 5/],
        ["non-leaf param", () => new optim.SGD([torch.zeros(2, { requiresGrad: true }).mul(2)], { lr: 0.1 }), RangeError, /can't optimize a non-leaf Tensor/],
        ["StepLR stepSize", () => new optim.lrScheduler.StepLR(new optim.SGD(params(), { lr: 0.1 }), -1), RangeError, /StepLR: stepSize must be positive, got -1/],
      ]);
    });

    it("wrong types and values passed from plain JavaScript", () => {
      torch.setBackend(backendName);
      const x = torch.randn(2, 3);
      expectAll([
        ["add(string)", () => x.add("1" as never), TypeError, /add\(\): argument 'other' must be Tensor or Number, not string/],
        ["add(undefined)", () => x.add(undefined as never), TypeError, /add\(\): argument 'other' must be Tensor or Number, not undefined/],
        ["cat with a number", () => torch.cat([x, 1 as never]), TypeError, /cat\(\): expected Tensor as element 1 in argument 0, but got number/],
        ["stack with null", () => torch.stack([x, null as never]), TypeError, /stack\(\): expected Tensor as element 1 in argument 0, but got null/],
        ["Linear.forward(string)", () => new nn.Linear(3, 2).forward("x" as never), TypeError, /linear\(\): argument 'input' \(position 1\) must be Tensor, not string/],
        ["tensor of strings", () => torch.tensor(["a"] as never), TypeError, /tensor: expected numbers or booleans, got string/],
        ["ragged tensor", () => torch.tensor([[1, 2], [3]] as never), RangeError, /tensor\(\): expected sequence of length 2 at dim 1 \(got 1\)/],
        ["int64 NaN", () => torch.tensor([Number.NaN], { dtype: "int64" }), RangeError, /tensor: value cannot be converted to type int64_t without overflow \(got NaN\)/],
        ["int64 1e300", () => torch.tensor([1e300], { dtype: "int64" }), RangeError, /value 1e\+300 is outside the int64 range torchlet stores exactly/],
        ["unknown dtype", () => torch.zeros(2, { dtype: "complex64" as never }), TypeError, /zeros: unsupported dtype complex64 \(expected one of float32, float64/],
        ["to(complex64)", () => x.to("complex64"), TypeError, /to: unsupported dtype complex64/],
        ["requiresGrad on int64", () => torch.zeros(2, { dtype: "int64", requiresGrad: true }), TypeError, /only Tensors of floating point dtype can require gradients/],
        ["mean of int64", () => torch.ones(2, { dtype: "int64" }).mean(), TypeError, /mean\(\): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: Long/],
        ["clamp()", () => x.clamp(), TypeError, /torch.clamp: At least one of 'min' or 'max' must not be None/],
        ["dropout p string", () => F.dropout(x, "0.5" as never), TypeError, /dropout\(\): argument 'p' must be a number, not string/],
        ["dropout p 1.5", () => new nn.Dropout(1.5), RangeError, /dropout probability has to be between 0 and 1, but got 1.5/],
        ["Sequential(3)", () => new nn.Sequential(3 as never), TypeError, /Sequential: argument 0 is not a Module subclass \(got number\)/],
        ["in-place on a leaf", () => torch.zeros(2, { requiresGrad: true }).add_(1), Error, /add_: a leaf Variable that requires grad is being used in an in-place operation\./],
        ["backward of a vector", () => torch.randn(3, { requiresGrad: true }).mul(2).backward(), Error, /grad can be implicitly created only for scalar outputs/],
        ["backward without grad", () => torch.randn(1).backward(), Error, /element 0 of tensors does not require grad and does not have a grad_fn/],
        ["setBackend('gpu')", () => torch.setBackend("gpu" as never), TypeError, /setBackend: unknown backend "gpu"/],
        ["save a function", () => torch.save((() => 42) as never, "unused.safetensors"), TypeError, /save: the object is function/],
        ["loadStateDict shapes", () => new nn.Linear(2, 2).loadStateDict({ weight: torch.zeros(3, 3), bias: torch.zeros(2) }), Error, /size mismatch for weight: copying a param with shape torch.Size\(\[3, 3\]\) from checkpoint, the shape in current model is torch.Size\(\[2, 2\]\)/],
      ]);
    });

    it("a disposed tensor (and only it, not its views) refuses to be used", () => {
      torch.setBackend(backendName);
      const x = torch.randn(3, { requiresGrad: true });
      const y = x.sin(); // its backward reads x (x * 2's doesn't: no gradient for the 2 is computed)
      const view = x.detach();
      x.dispose();
      expect(x.isDisposed).toBe(true);
      expect(view.isDisposed).toBe(false);
      expect(view.add(1).shape).toEqual([3]); // the storage lives on through the view
      const disposed = /this Tensor was disposed: dispose\(\) released its storage, so it can no longer be used/;
      expectAll([
        ["x.add(1)", () => x.add(1), Error, disposed],
        ["String(x)", () => String(x), Error, disposed],
        ["backward through it", () => y.sum().backward(), Error, disposed],
        ["as an operand", () => view.add(x), Error, disposed],
      ]);
    });

    it("hand-built tensors whose view leaves the storage are refused, not read", () => {
      torch.setBackend(backendName);
      const T = torch.Tensor;
      // NOTE: refused where the view is made (Tensor's constructor), the same on both backends.
      const outside = /reaches element \d+ of a storage of length 2/;
      expectAll([
        ["shape past the end", () => new T(new Float32Array(2), [5]).add(1), RangeError, outside],
        ["offset past the end", () => new T(new Float32Array(2), [2], [1], 5).exp(), RangeError, outside],
        ["negative stride", () => new T(new Float32Array(4), [2, 2], [-1, 1], 3).sum(), RangeError, /stride/],
        ["plain array storage", () => new T([1, 2] as never, [2]).mul(2), TypeError, /unsupported storage \[object Array\]/],
      ]);
      // A tensor whose buffer was transferred away (postMessage / structuredClone with transfer).
      const x = torch.randn(4);
      structuredClone(x.typedArray.buffer, { transfer: [x.typedArray.buffer as ArrayBuffer] });
      const detached = backendName === "native" ? /x's ArrayBuffer is detached/ : /storage of length 0 \(empty: was its ArrayBuffer transferred to another thread\?\)/;
      expectAll([["transferred buffer", () => x.exp(), backendName === "native" ? TypeError : RangeError, detached]]);
    });
  });
}
