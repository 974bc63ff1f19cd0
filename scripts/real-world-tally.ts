// The warnings (and information findings) per rule over test/fixtures/real-world/: how often each
// rule fires on manifests nobody here wrote. Prints a Markdown table.
// Usage: node --import tsx scripts/real-world-tally.ts [--files]
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeText } from '../server/src/engine/analyzer';

const dir = path.join(__dirname, '..', 'test', 'fixtures', 'real-world');
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
const tally = new Map<string, { severity: number; findings: number; files: Set<string> }>();
for (const f of files) {
  for (const d of analyzeText(fs.readFileSync(path.join(dir, f), 'utf8'), { uri: path.join(dir, f) }).diagnostics) {
    const id = String(d.code);
    const t = tally.get(id) ?? { severity: d.severity ?? 1, findings: 0, files: new Set<string>() };
    t.findings++;
    t.files.add(f);
    tally.set(id, t);
  }
}
const names = ['', 'error', 'warning', 'information', 'hint'];
console.log(`${files.length} files\n\n| rule | severity | findings | files |${process.argv.includes('--files') ? ' which |' : ''}\n|---|---|---|---|${process.argv.includes('--files') ? '---|' : ''}`);
for (const [id, t] of [...tally].sort((a, b) => a[1].severity - b[1].severity || b[1].findings - a[1].findings)) {
  console.log(`| ${id} | ${names[t.severity]} | ${t.findings} | ${t.files.size} |${process.argv.includes('--files') ? ` ${[...t.files].join(', ')} |` : ''}`);
}
