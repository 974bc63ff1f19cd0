// Code actions for 500 findings of a 10 MB file (select all, then the light bulb), in-process: as the
// language server answers them (the analysis' parsed documents handed over) and without them (each
// document the findings are in parsed again). Figures only.   node --import tsx bench/code-actions.ts
import { performance } from 'node:perf_hooks';
import { bigFile } from '../test/fuzz/common';
import { FileAnalyzer, fileDiagnostics } from '../server/src/engine/analyzer';
import { quickFixes } from '../server/src/engine/quickfix';

const text = bigFile(10 * 1024 * 1024);
const analyzer = new FileAnalyzer();
const diagnostics = fileDiagnostics(analyzer.analyze(text), { uri: 'file:///big.yaml' });
const many = JSON.parse(JSON.stringify(diagnostics.slice(0, 500)));
// (the second text differs by a trailing line break: the fixes' own per-text memo starts empty for it)
for (const [label, t, parsed] of [['reusing the analysis', text, (c: string) => analyzer.parsed(c)], ['parsing again', `${text}\n`, undefined]] as const) {
  const t0 = performance.now();
  const actions = quickFixes('file:///big.yaml', many, t, parsed);
  console.log(`500 findings of ${(text.length / 2 ** 20).toFixed(1)} MB, ${label}: ${(performance.now() - t0).toFixed(0)} ms, ${actions.length} code actions`);
}
