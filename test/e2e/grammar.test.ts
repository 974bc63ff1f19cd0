// The injected TextMate grammar (syntaxes/kubernetes-yaml.injection.tmLanguage.json), tokenized exactly as
// VS Code does it: with the vscode-textmate + vscode-oniguruma and the YAML grammar that code-server's VS Code
// bundles (provisioned like the editor test; fast when cached).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ROOT, editorSkip, provision } from './harness';

const skip = editorSkip();

type Token = { text: string; scopes: string[] };

async function tokenizer() {
  const env = await provision();
  const vscodeDir = join(dirname(env.codeServer), '..', '..', 'lib', 'vscode');
  const req = createRequire(join(vscodeDir, 'package.json'));
  const tm = req('vscode-textmate');
  const onig = req('vscode-oniguruma');
  await onig.loadWASM(readFileSync(join(dirname(req.resolve('vscode-oniguruma')), 'onig.wasm')).buffer);
  const yamlDir = join(vscodeDir, 'extensions', 'yaml');
  const yamlPkg = JSON.parse(readFileSync(join(yamlDir, 'package.json'), 'utf8'));
  const files: Record<string, string> = {};
  for (const g of yamlPkg.contributes.grammars) files[g.scopeName] = join(yamlDir, g.path);
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const ours = manifest.contributes.grammars.find((g: { injectTo?: string[] }) => g.injectTo?.includes('source.yaml'));
  assert.ok(ours, 'no grammar injected into source.yaml in package.json');
  files[ours.scopeName] = join(ROOT, ours.path);
  const registry = new tm.Registry({
    onigLib: Promise.resolve({ createOnigScanner: (p: string[]) => new onig.OnigScanner(p), createOnigString: (s: string) => new onig.OnigString(s) }),
    loadGrammar: async (scope: string) => (files[scope] ? tm.parseRawGrammar(readFileSync(files[scope], 'utf8'), files[scope]) : null),
    getInjections: (scope: string) => (scope === 'source.yaml' ? [ours.scopeName] : undefined),
  });
  const grammar = await registry.loadGrammar('source.yaml');
  return (text: string): Token[][] => {
    let state = tm.INITIAL;
    return text.split('\n').map((line) => {
      const r = grammar.tokenizeLine(line, state);
      state = r.ruleStack;
      return r.tokens.map((t: { startIndex: number; endIndex: number; scopes: string[] }) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes }));
    });
  };
}

const scopesOf = (lines: Token[][], line: number, text: string) => {
  const t = lines[line].find((x) => x.text === text);
  assert.ok(t, `no token "${text}" on line ${line + 1}: ${JSON.stringify(lines[line].map((x) => x.text))}`);
  return t.scopes.join(' ');
};

test('the injected grammar colours apiVersion/kind lines and resource quantities in YAML', { skip, timeout: 10 * 60_000 }, async () => {
  const tokenize = await tokenizer();
  const lines = tokenize([
    'apiVersion: apps/v1', //                  0
    'kind: StatefulSet', //                    1
    'spec:', //                                2
    '  replicas: 3', //                        3
    '  template:', //                          4
    '    spec:', //                            5
    '      containers:', //                    6
    '      - resources:', //                   7
    '          requests:', //                  8
    '            cpu: 500m', //                9
    '            memory: "512Mi"  # quoted', // 10
    '          limits: {cpu: 1}', //           11
    '        args: [--size=10Gi]', //          12
    '  storage: 10Gi', //                      13
    '  name: 10Gi-volume', //                  14
    '  # size: 20Gi', //                       15
    '  weight: 1e3', //                        16
    '---', //                                  17
    'apiVersion: v1', //                       18
    'kind: Service', //                        19
    'limits: {cpu: 500m, memory: 1Gi}', //     20
  ].join('\n'));
  assert.match(scopesOf(lines, 0, 'apps'), /entity\.name\.namespace\.kubernetes\.api-group/);
  assert.match(scopesOf(lines, 0, 'v1'), /constant\.language\.kubernetes\.api-version/);
  assert.match(scopesOf(lines, 0, 'apiVersion'), /keyword\.other\.kubernetes\.header/);
  assert.match(scopesOf(lines, 1, 'StatefulSet'), /entity\.name\.type\.class\.kubernetes\.kind/);
  assert.match(scopesOf(lines, 9, '500'), /constant\.numeric\.kubernetes\.quantity/);
  assert.match(scopesOf(lines, 9, 'm'), /keyword\.other\.unit\.kubernetes\.quantity/);
  assert.match(scopesOf(lines, 10, '512'), /constant\.numeric\.kubernetes\.quantity/);
  assert.match(scopesOf(lines, 10, 'Mi'), /keyword\.other\.unit\.kubernetes\.quantity/);
  assert.match(scopesOf(lines, 13, '10'), /constant\.numeric\.kubernetes\.quantity/);
  assert.match(scopesOf(lines, 13, 'Gi'), /unit\.kubernetes\.quantity/);
  assert.match(scopesOf(lines, 16, 'e3'), /unit\.exponent\.kubernetes\.quantity/);
  assert.match(scopesOf(lines, 11, '1'), /constant\.numeric/); // flow mapping value (a plain number stays a YAML number)
  assert.match(scopesOf(lines, 20, 'Gi'), /unit\.kubernetes\.quantity/); // inside a flow mapping
  assert.match(scopesOf(lines, 18, 'v1'), /kubernetes\.api-version/);
  assert.match(scopesOf(lines, 19, 'Service'), /kubernetes\.kind/);
  // not quantities: a plain number, part of a longer scalar, a comment, a flag inside a flow sequence
  const all = (i: number) => lines[i].map((t) => t.scopes.join(' ')).join(' | ');
  assert.doesNotMatch(all(3), /kubernetes/);
  assert.doesNotMatch(all(12), /kubernetes\.quantity/);
  assert.doesNotMatch(all(14), /kubernetes\.quantity/);
  assert.doesNotMatch(all(15), /kubernetes/);
});
