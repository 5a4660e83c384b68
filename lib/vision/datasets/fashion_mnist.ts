// torchvision.datasets.FashionMNIST: 28x28 grayscale clothing images and their class (0-9), read
// from root/FashionMNIST/raw, then Debian's /usr/share/datasets/fashion-mnist, then (download: true)
// the mirrors. get(i) gives [image, label]; without a transform the image is an `Image` (torchvision
// gives a PIL image). With a ToTensor/Normalize transform it also serves whole batches (batch()).
// ref: torchvision/datasets/mnist.py (MNIST, FashionMNIST), v0.14.
import { join, resolve } from "node:path";
import { Tensor } from "../../tensor.js";
import { checkIndex, Dataset } from "../../data/dataset.js";
import { ImageArray, type Image } from "../image.js";
import { applyTransform, isBatchTransform, type BatchTransform, type Transform } from "../transforms.js";
import { parseIdx } from "./idx.js";
import { resolveFiles } from "./mnist_files.js";

export interface FashionMNISTOptions {
  /** Directory holding FashionMNIST/raw/. Default "data". */
  root?: string;
  /** Training split (60,000 images) or test split (10,000). Default true. */
  train?: boolean;
  /** Fetch missing files from the mirrors (synchronously, in a child process). Default false. */
  download?: boolean;
  /** Applied to each image (an Image) in get(); ToTensor, Normalize, Compose, Lambda or a function. */
  transform?: Transform;
  /** Applied to each label (a number). */
  targetTransform?: Transform;
  /** Per-read download timeout in ms. Default 30 s. */
  timeoutMs?: number;
}

export class FashionMNIST extends Dataset<[any, any]> {
  /** Base URLs tried in order. torchvision's one mirror, then the dataset authors' GitHub copy.
   *  Subclasses and tests may replace it (as torchvision users set FashionMNIST.mirrors). */
  static mirrors: readonly string[] = [
    "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
    "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/",
  ];
  /** Decompressed file name -> SHA-256 of its decompressed bytes (re-compressed copies are fine). */
  static resources: Readonly<Record<string, string>> = {
    "train-images-idx3-ubyte": "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
    "train-labels-idx1-ubyte": "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
    "t10k-images-idx3-ubyte": "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
    "t10k-labels-idx1-ubyte": "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
  };
  /** Searched after root/FashionMNIST/raw: where Debian's dataset-fashion-mnist installs the files. */
  static systemDirs: readonly string[] = ["/usr/share/datasets/fashion-mnist"];
  /** The folder under root (torchvision uses the class name). */
  static folder = "FashionMNIST";
  static classes: readonly string[] = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

  readonly root: string;
  readonly train: boolean;
  readonly classes: readonly string[];
  /** All images, uint8 [N, 28, 28] (torchvision's dataset.data). */
  readonly data: ImageArray;
  /** All labels, int64 [N] (torchvision's dataset.targets). */
  readonly targets: Tensor;
  transform: Transform | undefined;
  targetTransform: Transform | undefined;
  private readonly labels: Uint8Array;
  private cache: { transform: BatchTransform; images: Tensor } | null = null;

  constructor(options: FashionMNISTOptions = {}) {
    super();
    if (options === null || typeof options !== "object") throw new TypeError("FashionMNIST: options must be an object");
    const { root = "data", train = true, download = false, transform, targetTransform, timeoutMs = 30_000 } = options;
    if (typeof root !== "string" || root === "") throw new TypeError("FashionMNIST: root must be a non-empty string");
    if (typeof train !== "boolean") throw new TypeError(`FashionMNIST: train must be a boolean, got ${typeof train}`);
    if (typeof download !== "boolean") throw new TypeError(`FashionMNIST: download must be a boolean, got ${typeof download}`);
    for (const [name, t] of [["transform", transform], ["targetTransform", targetTransform]] as const) {
      if (t !== undefined && typeof t !== "function" && typeof (t as { forward?: unknown })?.forward !== "function") {
        throw new TypeError(`FashionMNIST: ${name} must be a function or an object with forward(x)`);
      }
    }
    const cls = this.constructor as typeof FashionMNIST;
    this.root = root;
    this.train = train;
    this.transform = transform;
    this.targetTransform = targetTransform;
    this.classes = cls.classes;

    const split = train ? "train" : "t10k";
    const names = [`${split}-images-idx3-ubyte`, `${split}-labels-idx1-ubyte`];
    const [images, labels] = resolveFiles(
      names.map((n): [string, string] => [n, cls.resources[n]]),
      {
        dataset: cls.name || "FashionMNIST",
        rawFolder: this.rawFolder,
        searchDirs: [this.rawFolder, ...cls.systemDirs],
        download,
        mirrors: cls.mirrors,
        timeoutMs,
        installHint: "install Debian's dataset-fashion-mnist package (apt-get install dataset-fashion-mnist)",
      },
    );
    const img = parseIdx(images.bytes, 3, images.path);
    const lab = parseIdx(labels.bytes, 1, labels.path);
    if (img.shape[0] !== lab.shape[0]) {
      throw new Error(`${cls.name}: ${images.path} has ${img.shape[0]} images but ${labels.path} has ${lab.shape[0]} labels`);
    }
    const bad = lab.data.findIndex((v) => v >= this.classes.length);
    if (bad >= 0) throw new Error(`${labels.path}: label ${lab.data[bad]} at index ${bad} is not a class index (0..${this.classes.length - 1})`);
    this.data = new ImageArray(img.data, img.shape);
    this.labels = lab.data;
    this.targets = Tensor.fromStorage(Float64Array.from(lab.data), [lab.shape[0]]);
  }

  /** root/FashionMNIST/raw, absolute. */
  get rawFolder(): string {
    return resolve(join(this.root, (this.constructor as typeof FashionMNIST).folder, "raw"));
  }

  /** Class name -> index. */
  get classToIdx(): Record<string, number> {
    return Object.fromEntries(this.classes.map((c, i) => [c, i]));
  }

  get length(): number {
    return this.data.length;
  }

  /** [image, label]: the image through transform, the label through targetTransform. */
  get(index: number): [any, any] {
    const i = checkIndex(index, this.length);
    let img: Image | unknown = this.data.image(i);
    let target: unknown = this.labels[i];
    if (this.transform !== undefined) img = applyTransform(this.transform, img);
    if (this.targetTransform !== undefined) target = applyTransform(this.targetTransform, target);
    return [img, target];
  }

  /**
   * The DataLoader's fast path: [images [B, 1, 28, 28], labels int64 [B]] gathered with indexSelect
   * from the whole split transformed once (kept for later batches), when the transform is ToTensor,
   * Normalize or a Compose of them and there is no targetTransform. Otherwise undefined (per-sample path).
   */
  batch(indices: readonly number[]): [Tensor, Tensor] | undefined {
    const t = this.transform;
    if (this.targetTransform !== undefined || !isBatchTransform(t)) return undefined;
    // NOTE: memory for speed: the float32 copy of the split is 4x the uint8 data (188 MB for train).
    if (this.cache === null || this.cache.transform !== t) this.cache = { transform: t, images: t.forwardBatch(this.data) };
    const idx = Tensor.fromStorage(Float64Array.from(indices), [indices.length]);
    return [this.cache.images.indexSelect(0, idx), this.targets.indexSelect(0, idx)];
  }

  override toString(): string {
    return [
      `Dataset ${(this.constructor as typeof FashionMNIST).name}`,
      `    Number of datapoints: ${this.length}`,
      `    Root location: ${this.root}`,
      `    Split: ${this.train ? "Train" : "Test"}`,
      ...(this.transform !== undefined ? [`    StandardTransform`, `Transform: ${String(this.transform)}`] : []),
    ].join("\n");
  }
}
