// torch.utils as PyTorch spells it: torch.utils.data is the same namespace as torch.data.
export * as data from "./data/index.js";
