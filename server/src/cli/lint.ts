// placeholder replaced in the same session by the real CLI
console.error('statefulset-lint: not built yet');
process.exit(2);
