// How Node is started for the language server by the extension (and by `npm run bench`, which measures
// the server as the extension runs it; the bin's #! line carries the same flags). The server keeps ~10 MB
// of parsed documents for a 200-document file, and each keystroke parses the edited document again (~1 MB
// of short-lived objects: the `yaml` package; ~0.6 MB in all for a keystroke inside a plain value, which is
// not parsed: engine/scalarEdit.ts) and replaces its cached analysis (the old one becomes garbage in the old
// generation). With V8's defaults (a young generation of up to 3 × 16 MB, and an old generation
// allowed to grow to up to 4× what survived the last collection when collections are fast) that garbage
// piled up to 120–130 MB of RSS while typing. `--max-semi-space-size=1` keeps the young generation small;
// `--heap-growing-percent=40` lets the old generation grow to 1.4× what survived a collection before the
// next one (100: 2×; 200 documents, 400 edits, paired runs of 2026-12-07: peak RSS 94.0–96.0 MiB with 50
// against 104–107 MiB with 100; with 40, three runs alternated with 50 in the evening: 92.1–92.5 against
// 93.9–95.0 MiB, CPU per edit and latency within the runs' noise; docs/benchmarks.md).
// `--v8-pool-size=1` gives V8 one worker thread for its background work (concurrent marking and sweeping, the
// helpers of each young-generation collection) instead of four: on a machine of two cores the editor and
// the server share, four workers' collections after every keystroke competed with the client (seven
// alternated rounds at 200 documents, 2026-12-07: edit p95 8.6–11.3 ms, mean 9.5, against 9.3–13.3, mean
// 11.3; peak RSS 82.5–85.1 MiB against 89.9–93.0: each worker has its own stack and buffers).
// The first two are V8's flags, the third Node's (since 5.10); all are known to Node 20, 22 (Electron) and
// 24 (code-server).
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=1', '--heap-growing-percent=40', '--v8-pool-size=1'];
