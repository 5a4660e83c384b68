// torch.optim.lr_scheduler as one namespace (optim.lrScheduler): the base and the classic
// schedulers (lr_scheduler.ts), and the warm-up, cyclic and combining ones (lr_scheduler_more.ts).
export * from "./lr_scheduler.js";
export * from "./lr_scheduler_more.js";
