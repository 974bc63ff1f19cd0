#!/usr/bin/env -S node --max-semi-space-size=1 --heap-growing-percent=40 --v8-pool-size=1
// The StatefulSet Studio language server over stdio (--stdio), for any LSP editor.
// Started as a program (`statefulset-language-server --stdio`: the npm bin link, or npm's Windows shim, which
// reads this line), Node gets the same memory flags as in VS Code (server/src/lsp/launch.ts SERVER_NODE_FLAGS;
// test/lsp/bin-flags.test.ts keeps the two in step). `node <path>/statefulset-language-server.js` bypasses
// this line: pass the flags yourself then.
require('../dist/server.js');
