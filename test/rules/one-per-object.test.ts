// Findings worth reading: over manifests nobody here wrote (test/fixtures/real-world/) and the parity
// corpus, no best-practice rule reports an object more than once (its finding names the containers).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FileAnalyzer, fileDiagnostics } from '../../server/src/engine/analyzer';
import { practiceRules } from '../../server/src/rules/practices';

const PRACTICES = new Set(practiceRules.map((r) => r.id));

for (const folder of ['real-world', 'parity']) {
  test(`${folder}: at most one finding per object per best-practice rule`, () => {
    const dir = path.join(__dirname, '..', 'fixtures', folder);
    let checked = 0;
    const twice: string[] = [];
    for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.yaml'))) {
      const file = new FileAnalyzer().analyze(fs.readFileSync(path.join(dir, f), 'utf8'));
      const diags = fileDiagnostics(file, { uri: path.join(dir, f) }).filter((d) => PRACTICES.has(String(d.code)));
      for (const d of file.documents) {
        const first = d.chunk.startLine;
        const last = first + d.chunk.text.split('\n').length - 1;
        const per = new Map<string, number>();
        for (const x of diags) if (x.range.start.line >= first && x.range.start.line <= last) per.set(String(x.code), (per.get(String(x.code)) ?? 0) + 1);
        for (const [id, n] of per) {
          checked++;
          if (n > 1) twice.push(`${f}:${first + 1} ${id} ×${n}`);
        }
      }
    }
    assert.ok(checked > 20, `findings were checked (${checked})`);
    assert.deepEqual(twice, []);
  });
}
