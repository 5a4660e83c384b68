// torchvision's ResNet family built from torchlet layers: BasicBlock, Bottleneck, ResNet, and the
// builders resnet18/34/50 (no pretrained weights: `weights` must be null). Module and parameter names
// equal torchvision's, so stateDict keys match (`layer1.0.conv1.weight`, `layer2.0.downsample.0.weight`,
// `bn1.running_mean`, `fc.bias`), and so does the init: every conv is first built with nn.Conv2d's
// default init, then redrawn kaiming_normal_(fan_out, relu) in modules() order, as torchvision does.
// ref: torchvision/models/resnet.py (torchvision 0.14).
import type { Tensor } from "../../tensor.js";
import { isGradEnabled } from "../../autograd/grad_mode.js";
import { Module } from "../../nn/module.js";
import { Conv2d } from "../../nn/conv.js";
import { BatchNorm2d } from "../../nn/normalization.js";
import { ReLU } from "../../nn/activation.js";
import { AdaptiveAvgPool2d, MaxPool2d } from "../../nn/pooling.js";
import { Linear } from "../../nn/linear.js";
import { Sequential } from "../../nn/container.js";
import { checkBool, checkInt, parseArgs } from "../../nn/args.js";
import * as init from "../../nn/init.js";
import { convBn } from "../../nn/conv_bn.js";

/** Builds the normalization layer of a block from its channel count (torchvision's norm_layer). */
export type NormLayer = (numFeatures: number) => Module;
const batchNorm2d: NormLayer = (n) => new BatchNorm2d(n);

/** 3x3 convolution with padding = dilation, no bias (torchvision's conv3x3). */
function conv3x3(inPlanes: number, outPlanes: number, stride = 1, groups = 1, dilation = 1): Conv2d {
  return new Conv2d(inPlanes, outPlanes, 3, { stride, padding: dilation, groups, bias: false, dilation });
}

/** 1x1 convolution, no bias (torchvision's conv1x1). */
function conv1x1(inPlanes: number, outPlanes: number, stride = 1): Conv2d {
  return new Conv2d(inPlanes, outPlanes, 1, { stride, bias: false });
}

/** out + identity; in place (torchvision's `out += identity`) where no graph is recorded, because
 *  torchlet refuses in-place writes into a recorded graph. out is always a fresh result. */
function addResidual(out: Tensor, identity: Tensor): Tensor {
  return isGradEnabled() && (out.requiresGrad || identity.requiresGrad) ? out.add(identity) : out.add_(identity);
}

/** What ResNet passes to a block after inplanes, planes, stride, downsample. */
interface BlockArgs {
  groups?: number;
  baseWidth?: number;
  dilation?: number;
  normLayer?: NormLayer | null;
}

/** A block class ResNet can stack: expansion = output channels / planes. */
export interface BlockType {
  readonly expansion: number;
  new (inplanes: number, planes: number, stride?: number, downsample?: Module | null, options?: BlockArgs): BasicBlock | Bottleneck;
}

/** Two 3x3 convs with a residual connection (ResNet-18/34). */
export class BasicBlock extends Module {
  static readonly expansion = 1;
  conv1: Conv2d;
  bn1: Module;
  relu: ReLU;
  conv2: Conv2d;
  bn2: Module;
  downsample: Module | null;
  readonly stride: number;

  constructor(inplanes: number, planes: number, stride = 1, downsample: Module | null = null, options: BlockArgs = {}) {
    super();
    const { groups = 1, baseWidth = 64, dilation = 1 } = options;
    const norm = options.normLayer ?? batchNorm2d;
    if (groups !== 1 || baseWidth !== 64) throw new RangeError("BasicBlock only supports groups=1 and base_width=64");
    if (dilation > 1) throw new Error("Dilation > 1 not supported in BasicBlock");
    // Both conv1 and downsample reduce the spatial size when stride != 1.
    this.conv1 = conv3x3(inplanes, planes, stride);
    this.bn1 = norm(planes);
    this.relu = new ReLU(true);
    this.conv2 = conv3x3(planes, planes);
    this.bn2 = norm(planes);
    this.downsample = downsample;
    this.stride = stride;
  }

  forward(x: Tensor): Tensor {
    const identity = this.downsample === null ? x : (this.downsample(x) as Tensor);
    const out = convBn(this.conv2, this.bn2, this.relu(convBn(this.conv1, this.bn1, x)) as Tensor);
    return this.relu(addResidual(out, identity));
  }
}

/** 1x1 reduce, 3x3 (the stride, as torchvision's "ResNet V1.5"), 1x1 expand by 4 (ResNet-50 and up). */
export class Bottleneck extends Module {
  static readonly expansion = 4;
  conv1: Conv2d;
  bn1: Module;
  conv2: Conv2d;
  bn2: Module;
  conv3: Conv2d;
  bn3: Module;
  relu: ReLU;
  downsample: Module | null;
  readonly stride: number;

  constructor(inplanes: number, planes: number, stride = 1, downsample: Module | null = null, options: BlockArgs = {}) {
    super();
    const { groups = 1, baseWidth = 64, dilation = 1 } = options;
    const norm = options.normLayer ?? batchNorm2d;
    const width = Math.trunc(planes * (baseWidth / 64)) * groups;
    this.conv1 = conv1x1(inplanes, width);
    this.bn1 = norm(width);
    this.conv2 = conv3x3(width, width, stride, groups, dilation);
    this.bn2 = norm(width);
    this.conv3 = conv1x1(width, planes * Bottleneck.expansion);
    this.bn3 = norm(planes * Bottleneck.expansion);
    this.relu = new ReLU(true);
    this.downsample = downsample;
    this.stride = stride;
  }

  forward(x: Tensor): Tensor {
    const identity = this.downsample === null ? x : (this.downsample(x) as Tensor);
    let out = this.relu(convBn(this.conv1, this.bn1, x)) as Tensor;
    out = this.relu(convBn(this.conv2, this.bn2, out)) as Tensor;
    out = convBn(this.conv3, this.bn3, out);
    return this.relu(addResidual(out, identity));
  }
}

export interface ResNetOptions {
  numClasses?: number;
  /** Zero the last BN's weight in each residual branch, so each block starts as the identity. */
  zeroInitResidual?: boolean;
  groups?: number;
  widthPerGroup?: number;
  /** Per stage 2-4: replace the stride 2 by a dilation (segmentation backbones). */
  replaceStrideWithDilation?: boolean[] | null;
  /** Default: BatchNorm2d. */
  normLayer?: NormLayer | null;
}

/** Stem (conv 7x7/2, BN, ReLU, max-pool 3/2), four stages of blocks, global average pool, fc. */
export class ResNet extends Module {
  conv1: Conv2d;
  bn1: Module;
  relu: ReLU;
  maxpool: MaxPool2d;
  layer1: Sequential;
  layer2: Sequential;
  layer3: Sequential;
  layer4: Sequential;
  avgpool: AdaptiveAvgPool2d;
  fc: Linear;
  #inplanes = 64;
  #dilation = 1;
  readonly #groups: number;
  readonly #baseWidth: number;
  readonly #normLayer: NormLayer;

  constructor(block: BlockType, layers: number[], options?: ResNetOptions);
  constructor(...args: unknown[]) {
    super();
    const o = parseArgs<{ block: BlockType; layers: number[] } & Required<ResNetOptions>>(
      "ResNet", args, ["block", "layers", "numClasses", "zeroInitResidual", "groups", "widthPerGroup", "replaceStrideWithDilation", "normLayer"],
      { numClasses: 1000, zeroInitResidual: false, groups: 1, widthPerGroup: 64, replaceStrideWithDilation: null, normLayer: null },
    );
    const block = o.block;
    if (typeof block !== "function" || !(block.prototype instanceof Module) || typeof block.expansion !== "number") {
      throw new TypeError("ResNet(): block must be BasicBlock, Bottleneck or another Module class with a static expansion");
    }
    if (!Array.isArray(o.layers) || o.layers.length !== 4) throw new RangeError("ResNet(): layers must be a list of 4 block counts");
    const layers = o.layers.map((n, i) => checkInt("ResNet", `layers[${i}]`, n));
    const numClasses = checkInt("ResNet", "numClasses", o.numClasses);
    this.#normLayer = o.normLayer ?? batchNorm2d;
    const dilate = o.replaceStrideWithDilation ?? [false, false, false];
    if (!Array.isArray(dilate) || dilate.length !== 3) {
      throw new RangeError(`replace_stride_with_dilation should be None or a 3-element tuple, got ${String(dilate)}`);
    }
    this.#groups = checkInt("ResNet", "groups", o.groups);
    this.#baseWidth = checkInt("ResNet", "widthPerGroup", o.widthPerGroup);

    this.conv1 = new Conv2d(3, this.#inplanes, 7, { stride: 2, padding: 3, bias: false }); // [N,3,H,W] -> [N,64,H/2,W/2]
    this.bn1 = this.#normLayer(this.#inplanes);
    this.relu = new ReLU(true);
    this.maxpool = new MaxPool2d({ kernelSize: 3, stride: 2, padding: 1 }); // -> [N,64,H/4,W/4]
    this.layer1 = this.#makeLayer(block, 64, layers[0]);
    this.layer2 = this.#makeLayer(block, 128, layers[1], 2, checkBool("ResNet", "replaceStrideWithDilation[0]", dilate[0]));
    this.layer3 = this.#makeLayer(block, 256, layers[2], 2, checkBool("ResNet", "replaceStrideWithDilation[1]", dilate[1]));
    this.layer4 = this.#makeLayer(block, 512, layers[3], 2, checkBool("ResNet", "replaceStrideWithDilation[2]", dilate[2])); // -> [N,512e,H/32,W/32]
    this.avgpool = new AdaptiveAvgPool2d([1, 1]);
    this.fc = new Linear(512 * block.expansion, numClasses);

    // NOTE: after every layer drew its default init, as torchvision: the convs are redrawn in modules()
    // order, so for one seed the weights follow torchvision's draws (the fc keeps nn.Linear's).
    for (const m of this.modules()) {
      if (m instanceof Conv2d) init.kaiming_normal_(m.weight, { mode: "fan_out", nonlinearity: "relu" });
      else if (m instanceof BatchNorm2d && m.weight !== null && m.bias !== null) {
        init.constant_(m.weight, 1);
        init.constant_(m.bias, 0);
      }
    }
    if (checkBool("ResNet", "zeroInitResidual", o.zeroInitResidual)) {
      for (const m of this.modules()) {
        const last = m instanceof Bottleneck ? m.bn3 : m instanceof BasicBlock ? m.bn2 : null;
        const w = (last as { weight?: unknown } | null)?.weight;
        if (w) init.constant_(w as Tensor, 0);
      }
    }
  }

  /** One stage: the first block may stride (and gets the downsample shortcut), the rest keep the size. */
  #makeLayer(block: BlockType, planes: number, blocks: number, stride = 1, dilate = false): Sequential {
    let downsample: Module | null = null;
    const previousDilation = this.#dilation;
    if (dilate) {
      this.#dilation *= stride;
      stride = 1;
    }
    // NOTE: built before the block, as torchvision, so the default-init draws come in its order.
    if (stride !== 1 || this.#inplanes !== planes * block.expansion) {
      downsample = new Sequential(conv1x1(this.#inplanes, planes * block.expansion, stride), this.#normLayer(planes * block.expansion));
    }
    const common = { groups: this.#groups, baseWidth: this.#baseWidth, normLayer: this.#normLayer };
    const out: Module[] = [new block(this.#inplanes, planes, stride, downsample, { ...common, dilation: previousDilation })];
    this.#inplanes = planes * block.expansion;
    for (let i = 1; i < blocks; i++) out.push(new block(this.#inplanes, planes, 1, null, { ...common, dilation: this.#dilation }));
    return new Sequential(...out);
  }

  forward(x: Tensor): Tensor {
    x = this.maxpool(this.relu(convBn(this.conv1, this.bn1, x))) as Tensor;
    x = this.layer4(this.layer3(this.layer2(this.layer1(x))));
    x = this.avgpool(x); // -> [N,512e,1,1]
    return this.fc(x.flatten(1)); // -> [N,numClasses]
  }
}

/** What the builders accept: ResNet's options, and torchvision's `weights` (only null: none are shipped). */
export interface ResNetBuilderOptions extends ResNetOptions {
  weights?: null;
  /** Accepted for porting (torchvision's download progress bar); unused. */
  progress?: boolean;
}

function build(name: string, block: BlockType, layers: number[], options: ResNetBuilderOptions = {}): ResNet {
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new TypeError(`${name}(): options must be an object, got ${options === null ? "null" : typeof options}`);
  }
  const { weights = null, progress: _progress, ...rest } = options;
  if (weights !== null) throw new Error(`${name}(): pretrained weights are not available in torchlet; pass weights: null (or omit it) and load a state dict`);
  return new ResNet(block, layers, rest);
}

/** ResNet-18 (BasicBlock x [2, 2, 2, 2]): 11,689,512 parameters with 1000 classes. */
export function resnet18(options?: ResNetBuilderOptions): ResNet {
  return build("resnet18", BasicBlock, [2, 2, 2, 2], options);
}

/** ResNet-34 (BasicBlock x [3, 4, 6, 3]). */
export function resnet34(options?: ResNetBuilderOptions): ResNet {
  return build("resnet34", BasicBlock, [3, 4, 6, 3], options);
}

/** ResNet-50 (Bottleneck x [3, 4, 6, 3]). */
export function resnet50(options?: ResNetBuilderOptions): ResNet {
  return build("resnet50", Bottleneck, [3, 4, 6, 3], options);
}
