#!/usr/bin/env node
// The StatefulSet Studio language server over stdio (--stdio), for any LSP editor.
require('../dist/server.js');
