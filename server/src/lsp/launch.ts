// How Node is started for the language server by the extension (and by `npm run bench`, which measures
// the server as the extension runs it). The server keeps ~20 MB of parsed documents for a 200-document
// file and, on every keystroke, makes a flat copy of the edited file's text (V8 flattens the edited
// string) and a publish of every finding of the file. With V8's defaults (a young generation of up to
// 3 × 16 MB, and an old generation allowed to grow to up to 4× what survived the last collection when
// collections are fast) that garbage piled up to 120–130 MB of RSS while typing; with these flags the
// same session peaks near 100 MB. The price is CPU: more frequent collections cost ~2.5 ms of server CPU
// per keystroke at 200 documents (paired bench runs: 9.3–11.3 against 6.4–7.2 ms; docs/benchmarks.md).
// Both flags are V8's and known to Node 20, 22 (Electron) and 24 (code-server).
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=1', '--heap-growing-percent=100'];
