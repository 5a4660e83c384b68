// libstdc++'s std::sort, std::nth_element and std::partial_sort, step for step, over (value, index)
// pairs compared by value only. PyTorch 1.13's CPU sort(stable=False) and topk run these, so the order
// they give tied values (and topk(sorted=False) its order) is theirs: porting them gives PyTorch's
// indices exactly where its docs say "unspecified". Checked against python3-torch 1.13.1.
// ref: libstdc++ bits/stl_algo.h (__introsort_loop, __final_insertion_sort, __introselect,
// __unguarded_partition_pivot, __heap_select) and bits/stl_heap.h (__adjust_heap, __push_heap).

/** Less-than on values (PyTorch's KeyValueComp / topk lambdas). */
export type Less = (a: number, b: number) => boolean;

/** Pairs stored in two parallel arrays; positions are indices into both. */
export class Pairs {
  constructor(
    readonly v: Float64Array,
    readonly ix: Float64Array,
  ) {}
  swap(a: number, b: number): void {
    const tv = this.v[a];
    this.v[a] = this.v[b];
    this.v[b] = tv;
    const ti = this.ix[a];
    this.ix[a] = this.ix[b];
    this.ix[b] = ti;
  }
  move(to: number, from: number): void {
    this.v[to] = this.v[from];
    this.ix[to] = this.ix[from];
  }
}

const lg = (n: number) => 31 - Math.clz32(n);

function insertionSort(p: Pairs, first: number, last: number, less: Less): void {
  if (first === last) return;
  for (let i = first + 1; i < last; i++) {
    const val = p.v[i];
    const idx = p.ix[i];
    if (less(val, p.v[first])) {
      for (let j = i; j > first; j--) p.move(j, j - 1);
      p.v[first] = val;
      p.ix[first] = idx;
    } else unguardedLinearInsert(p, i, less);
  }
}

function unguardedLinearInsert(p: Pairs, last: number, less: Less): void {
  const val = p.v[last];
  const idx = p.ix[last];
  let next = last - 1;
  while (less(val, p.v[next])) {
    p.move(last, next);
    last = next;
    next--;
  }
  p.v[last] = val;
  p.ix[last] = idx;
}

function moveMedianToFirst(p: Pairs, result: number, a: number, b: number, c: number, less: Less): void {
  const v = p.v;
  if (less(v[a], v[b])) {
    if (less(v[b], v[c])) p.swap(result, b);
    else if (less(v[a], v[c])) p.swap(result, c);
    else p.swap(result, a);
  } else if (less(v[a], v[c])) p.swap(result, a);
  else if (less(v[b], v[c])) p.swap(result, c);
  else p.swap(result, b);
}

function unguardedPartition(p: Pairs, first: number, last: number, pivot: number, less: Less): number {
  const v = p.v;
  for (;;) {
    while (less(v[first], v[pivot])) first++;
    last--;
    while (less(v[pivot], v[last])) last--;
    if (!(first < last)) return first;
    p.swap(first, last);
    first++;
  }
}

function unguardedPartitionPivot(p: Pairs, first: number, last: number, less: Less): number {
  const mid = first + Math.floor((last - first) / 2);
  moveMedianToFirst(p, first, first + 1, mid, last - 1, less);
  return unguardedPartition(p, first + 1, last, first, less);
}

// ---- heaps (positions relative to `first`) ----

function pushHeap(p: Pairs, first: number, hole: number, top: number, val: number, idx: number, less: Less): void {
  let parent = Math.floor((hole - 1) / 2);
  while (hole > top && less(p.v[first + parent], val)) {
    p.move(first + hole, first + parent);
    hole = parent;
    parent = Math.floor((hole - 1) / 2);
  }
  p.v[first + hole] = val;
  p.ix[first + hole] = idx;
}

function adjustHeap(p: Pairs, first: number, hole: number, len: number, val: number, idx: number, less: Less): void {
  const top = hole;
  let child = hole;
  while (child < Math.floor((len - 1) / 2)) {
    child = 2 * (child + 1);
    if (less(p.v[first + child], p.v[first + child - 1])) child--;
    p.move(first + hole, first + child);
    hole = child;
  }
  if ((len & 1) === 0 && child === Math.floor((len - 2) / 2)) {
    child = 2 * (child + 1);
    p.move(first + hole, first + child - 1);
    hole = child - 1;
  }
  pushHeap(p, first, hole, top, val, idx, less);
}

function makeHeap(p: Pairs, first: number, last: number, less: Less): void {
  const len = last - first;
  if (len < 2) return;
  for (let parent = Math.floor((len - 2) / 2); ; parent--) {
    adjustHeap(p, first, parent, len, p.v[first + parent], p.ix[first + parent], less);
    if (parent === 0) return;
  }
}

function popHeap(p: Pairs, first: number, last: number, result: number, less: Less): void {
  const val = p.v[result];
  const idx = p.ix[result];
  p.move(result, first);
  adjustHeap(p, first, 0, last - first, val, idx, less);
}

function heapSelect(p: Pairs, first: number, middle: number, last: number, less: Less): void {
  makeHeap(p, first, middle, less);
  for (let i = middle; i < last; i++) if (less(p.v[i], p.v[first])) popHeap(p, first, middle, i, less);
}

function sortHeap(p: Pairs, first: number, last: number, less: Less): void {
  while (last - first > 1) {
    last--;
    popHeap(p, first, last, last, less);
  }
}

/** std::partial_sort(first, middle, last). */
export function partialSort(p: Pairs, first: number, middle: number, last: number, less: Less): void {
  heapSelect(p, first, middle, last, less);
  sortHeap(p, first, middle, less);
}

const THRESHOLD = 16;

function introsortLoop(p: Pairs, first: number, last: number, depth: number, less: Less): void {
  while (last - first > THRESHOLD) {
    if (depth === 0) {
      partialSort(p, first, last, last, less);
      return;
    }
    depth--;
    const cut = unguardedPartitionPivot(p, first, last, less);
    introsortLoop(p, cut, last, depth, less);
    last = cut;
  }
}

/** std::sort(first, last). */
export function stdSort(p: Pairs, first: number, last: number, less: Less): void {
  if (first === last) return;
  introsortLoop(p, first, last, lg(last - first) * 2, less);
  if (last - first > THRESHOLD) {
    insertionSort(p, first, first + THRESHOLD, less);
    for (let i = first + THRESHOLD; i < last; i++) unguardedLinearInsert(p, i, less);
  } else insertionSort(p, first, last, less);
}

/** std::nth_element(first, nth, last). */
export function nthElement(p: Pairs, first: number, nth: number, last: number, less: Less): void {
  if (first === last || nth === last) return;
  let depth = lg(last - first) * 2;
  while (last - first > 3) {
    if (depth === 0) {
      heapSelect(p, first, nth + 1, last, less);
      p.swap(first, nth);
      return;
    }
    depth--;
    const cut = unguardedPartitionPivot(p, first, last, less);
    if (cut <= nth) first = cut;
    else last = cut;
  }
  insertionSort(p, first, last, less);
}
