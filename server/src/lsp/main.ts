// placeholder replaced in the same session by the real LSP wiring
console.error('statefulset-language-server: not built yet');
