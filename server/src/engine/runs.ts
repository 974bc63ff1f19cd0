// A list assembled per document of a file (the file's findings, its objects, a publish's findings), kept
// with where each document's part starts in it, so that after an edit the list is the last one with the
// changed documents' parts replaced: two slices and the middle, at the cost of the change, not the file.

/** A list made of runs, one per document: run k is `items[at[k] .. at[k + 1])`; `at` has one entry more than there are runs. */
export interface Runs<T> {
  items: T[];
  at: Int32Array;
}

/** Where each run starts, for `last`'s runs with [head, n − tail) replaced by runs of these lengths. */
export function spliceOffsets(last: Int32Array, head: number, tail: number, lengths: readonly number[]): Int32Array {
  const n = last.length - 1;
  const m = head + lengths.length + tail;
  const at = new Int32Array(m + 1);
  at.set(last.subarray(0, head + 1));
  for (let k = 0; k < lengths.length; k++) at[head + k + 1] = at[head + k] + lengths[k];
  const shift = at[m - tail] - last[n - tail];
  for (let k = m - tail + 1; k <= m; k++) at[k] = last[k - m + n] + shift;
  return at;
}

/** `last` with its runs [head, n − tail) replaced by `mid` (the others kept as they are). */
export function spliceRuns<T>(last: Runs<T>, head: number, tail: number, mid: readonly (readonly T[])[]): Runs<T> {
  const n = last.at.length - 1;
  const middle: T[] = [];
  for (const run of mid) for (const x of run) middle.push(x);
  return {
    items: last.items.slice(0, last.at[head]).concat(middle, last.items.slice(last.at[n - tail])),
    at: spliceOffsets(last.at, head, tail, mid.map((r) => r.length)),
  };
}

/** The list of these runs, from nothing. */
export function runsFrom<T>(runs: readonly (readonly T[])[]): Runs<T> {
  return spliceRuns({ items: [], at: new Int32Array(1) }, 0, 0, runs);
}
