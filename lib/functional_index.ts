// torch.* forms of the flat-index and scatter-into-view ops: take, take_along_dim, put, index_put,
// select_scatter, slice_scatter, diagonal_scatter, diag_embed, diagflat, narrow_copy, rot90. Each
// forwards to its Tensor method, so PyTorch's keyword names bind there.
import type { Tensor } from "./tensor.js";

export const take = (x: Tensor, index: Tensor) => x.take(index);
export const takeAlongDim = (x: Tensor, ...args: Parameters<Tensor["takeAlongDim"]>) => x.takeAlongDim(...args);
export const put = (x: Tensor, ...args: Parameters<Tensor["put"]>) => x.put(...args);
export const indexPut = (x: Tensor, ...args: Parameters<Tensor["indexPut"]>) => x.indexPut(...args);
export const indexPut_ = (x: Tensor, ...args: Parameters<Tensor["indexPut_"]>) => x.indexPut_(...args);
export const selectScatter = (x: Tensor, ...args: Parameters<Tensor["selectScatter"]>) => x.selectScatter(...args);
export const sliceScatter = (x: Tensor, ...args: Parameters<Tensor["sliceScatter"]>) => x.sliceScatter(...args);
export const diagonalScatter = (x: Tensor, ...args: Parameters<Tensor["diagonalScatter"]>) => x.diagonalScatter(...args);
export const diagEmbed = (x: Tensor, ...args: Parameters<Tensor["diagEmbed"]>) => x.diagEmbed(...args);
export const diagflat = (x: Tensor, ...args: Parameters<Tensor["diagflat"]>) => x.diagflat(...args);
export const narrowCopy = (x: Tensor, ...args: Parameters<Tensor["narrowCopy"]>) => x.narrowCopy(...args);
export const rot90 = (x: Tensor, ...args: Parameters<Tensor["rot90"]>) => x.rot90(...args);
