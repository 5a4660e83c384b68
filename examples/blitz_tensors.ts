// PyTorch's 60-minute blitz, "Tensors" page, translated line by line to torchlet. Python's
// `print(x)` is console.log(x) (torchlet prints tensors as PyTorch does), keyword arguments are an
// options object, `tensor[:, 1] = 0` is tensor.set([":", 1], 0), and the NumPy bridge is the
// tensor's typed array: t.storage() shares memory with t as t.numpy() does, and
// torch.frombuffer(typedArray) shares memory with the array as torch.from_numpy does.
// The CUDA-only lines (`if torch.cuda.is_available(): tensor = tensor.to("cuda")`) are kept but
// never taken: torchlet is CPU-only, and torch.cuda.isAvailable() is false.
// Seeded (torch.manualSeed(0)) so scripts/check_blitz.py prints the same random numbers.
// Run: npx tsx examples/blitz_tensors.ts
// ref: https://pytorch.org/tutorials/beginner/blitz/tensor_tutorial.html
import * as torch from "../lib/index.js";
import { pyBool, pyFloat } from "./lib/pyformat.js";

torch.manualSeed(0);

// Initializing a Tensor: directly from data.
const data = [[1, 2], [3, 4]];
// NOTE: JS has one number type, so integer data needs { dtype: torch.int64 } (Python infers it).
const xData = torch.tensor(data, { dtype: torch.int64 });
console.log(xData);

// From a NumPy array: here a typed array, copied (torch.frombuffer, below, shares memory instead).
const npArray = BigInt64Array.from(data.flat(), (v) => BigInt(v));
const xNp = torch.tensor(npArray).view(2, 2);
console.log(xNp);

// From another tensor: the new tensor keeps the shape and dtype unless overridden.
const xOnes = torch.onesLike(xData); // retains the properties of xData
console.log(`Ones Tensor: \n ${xOnes} \n`);
const xRand = torch.randLike(xData, { dtype: torch.float }); // overrides the datatype of xData
console.log(`Random Tensor: \n ${xRand} \n`);

// With random or constant values: shape is a tuple of dimensions.
const shape = [2, 3];
const randTensor = torch.rand(shape);
const onesTensor = torch.ones(shape);
const zerosTensor = torch.zeros(shape);
console.log(`Random Tensor: \n ${randTensor} \n`);
console.log(`Ones Tensor: \n ${onesTensor} \n`);
console.log(`Zeros Tensor: \n ${zerosTensor}`);

// Attributes of a Tensor: shape, datatype and device.
let tensor = torch.rand(3, 4);
console.log(`Shape of tensor: torch.Size([${tensor.shape.join(", ")}])`);
console.log(`Datatype of tensor: torch.${tensor.dtype}`);
console.log(`Device tensor is stored on: ${tensor.device}`);

// Operations on Tensors: move to the GPU if available (never here: torchlet is CPU-only).
if (torch.cuda.isAvailable()) tensor = tensor.to("cuda");

// Standard numpy-like indexing and slicing.
tensor = torch.ones(4, 4);
console.log(`First row: ${tensor.index(0)}`);
console.log(`First column: ${tensor.index([":", 0])}`);
console.log(`Last column: ${tensor.index(["...", -1])}`);
tensor.set([":", 1], 0);
console.log(tensor);

// Joining tensors.
const t1 = torch.cat([tensor, tensor, tensor], 1);
console.log(t1);

// Arithmetic operations: three ways to matrix-multiply, three ways to multiply elementwise.
const y1 = tensor.matmul(tensor.T);
const y2 = tensor.matmul(tensor.T); // Python: tensor @ tensor.T
let y3 = torch.randLike(y1);
torch.matmul(tensor, tensor.T, { out: y3 });
console.log(pyBool(torch.equal(y1, y2)), pyBool(torch.equal(y1, y3)));

const z1 = tensor.mul(tensor); // Python: tensor * tensor
const z2 = tensor.mul(tensor);
let z3 = torch.randLike(tensor);
torch.mul(tensor, tensor, { out: z3 });
console.log(pyBool(torch.equal(z1, z2)), pyBool(z1.equal(z3)));

// Single-element tensors: aggregate, then item() gives a JS number.
const agg = tensor.sum();
const aggItem = agg.item();
console.log(pyFloat(aggItem), `<class '${typeof aggItem === "number" ? "float" : typeof aggItem}'>`); // a JS number is a Python float

// In-place operations end in _.
console.log(`${tensor} \n`);
tensor.add_(5);
console.log(tensor);

// Bridge with NumPy: tensor to array (shared memory; a change in the tensor shows in the array).
let t = torch.ones(5);
console.log(`t: ${t}`);
let n = t.storage();
console.log(`n: [${Array.from(n).join(". ")}.]`);
t.add_(1);
console.log(`t: ${t}`);
console.log(`n: [${Array.from(n).join(". ")}.]`);

// Array to tensor (shared memory; a change in the array shows in the tensor).
n = new Float64Array(5).fill(1);
t = torch.frombuffer(n, { dtype: torch.float64 });
for (let i = 0; i < n.length; i++) n[i] += 1; // Python: np.add(n, 1, out=n)
console.log(`t: ${t}`);
console.log(`n: [${Array.from(n).join(". ")}.]`);
