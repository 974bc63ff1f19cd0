// Kustomize overlays rendered by the real kubectl and each finding put back on the line that produced it:
// the base file, a strategic-merge patch file, a component's patch, an inline or file JSON 6902 op, or the
// replicas / images / namePrefix / labels entry of kustomization.yaml. Also: kustomize's errors, remote
// bases (never fetched), a missing kubectl, cancellation and the timeout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkOverlay, type OverlayResult } from '../../server/src/sources/kustomize/overlay';
import { argsFor, KustomizeError, withBuildMetadata } from '../../server/src/sources/kustomize/render';
import { HAS_KUBECTL, KUBECTL, NO_KUBECTL } from '../simulator/testkit';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'overlays');
const skip = HAS_KUBECTL ? false : NO_KUBECTL;
const tool = { command: KUBECTL };

async function check(rel: string): Promise<OverlayResult> {
  const r = await checkOverlay(path.join(FIXTURES, rel), { tool, labelFrom: FIXTURES });
  assert.ok(r, `${rel} is an overlay`);
  return r;
}

/** Findings as `relative/file:line: code` with the text of that line, for asserting where they landed. */
function where(r: OverlayResult): Array<{ file: string; line: number; code: string; text: string; message: string }> {
  const out = [];
  for (const [file, ds] of r.files) {
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    for (const d of ds) out.push({ file: path.relative(FIXTURES, file), line: d.range.start.line + 1, code: String(d.code), text: lines[d.range.start.line] ?? '', message: d.message });
  }
  return out;
}

function expectAt(r: OverlayResult, code: string, file: string, lineText: RegExp, messagePart?: RegExp): void {
  const all = where(r);
  const hit = all.find((f) => f.code === code && f.file === file && lineText.test(f.text) && (!messagePart || messagePart.test(f.message)));
  assert.ok(hit, `${code} expected in ${file} on a line matching ${lineText}; found:\n${all.map((f) => `  ${f.file}:${f.line} ${f.code} | ${f.text.trim()}`).join('\n')}`);
}

test('prod overlay: each finding on the file and line that produced it (inline JSON 6902, images, patch file, component, base)', { skip }, async () => {
  const r = await check('shop/overlays/prod');
  assert.equal(r.failed, undefined);
  expectAt(r, 'invalid-enum', 'shop/overlays/prod/kustomization.yaml', /value: parallel/);
  expectAt(r, 'image-tag-latest', 'shop/overlays/prod/kustomization.yaml', /newTag: latest/);
  expectAt(r, 'invalid-quantity', 'shop/overlays/prod/storage.yaml', /storage: 100 Gi/);
  expectAt(r, 'container-memory-limit', 'shop/components/metrics/exporter.yaml', /- name: exporter/, /"exporter"/);
  expectAt(r, 'container-cpu-request', 'shop/components/metrics/exporter.yaml', /- name: exporter/, /"exporter"/);
  // one finding per object per rule, naming both containers, on the first: the component's exporter
  expectAt(r, 'container-ephemeral-storage', 'shop/components/metrics/exporter.yaml', /- name: exporter/, /"exporter" and "postgres"/);
  // namePrefix rewrites serviceName and the PDB keeps selecting the pods: no false mismatch
  const codes = where(r).map((f) => f.code);
  for (const c of ['service-not-found', 'service-selector-mismatch', 'missing-pod-disruption-budget', 'pdb-no-policy']) assert.ok(!codes.includes(c), `${c} is not reported`);
  // every message says which overlay and which rendered object
  for (const f of where(r)) assert.match(f.message, /\[kustomize overlay shop\/overlays\/prod: (StatefulSet|Service|PodDisruptionBudget) prod-orders-db/);
});

test('staging overlay: namePrefix makes the name too long (on namePrefix), a file JSON 6902 op (on its value line), a patch file', { skip }, async () => {
  const r = await check('shop/overlays/staging');
  expectAt(r, 'statefulset-name-too-long', 'shop/overlays/staging/kustomization.yaml', /^namePrefix:/);
  expectAt(r, 'pvc-deleted-on-scale-down', 'shop/overlays/staging/retention.json6902.yaml', /whenScaled: Delete/);
  expectAt(r, 'termination-grace-period-zero', 'shop/overlays/staging/fast-shutdown.yaml', /terminationGracePeriodSeconds: 0/);
});

test('a base used by two overlays is checked per overlay, and each finding says which overlay', { skip }, async () => {
  const [prod, staging] = [await check('shop/overlays/prod'), await check('shop/overlays/staging')];
  const base = path.join(FIXTURES, 'shop/base/statefulset.yaml');
  const p = prod.files.get(base) ?? [];
  const s = staging.files.get(base) ?? [];
  assert.ok(p.length > 0 && s.length > 0, 'both overlays report on the shared base');
  assert.ok(p.every((d) => d.message.includes('overlay shop/overlays/prod')));
  assert.ok(s.every((d) => d.message.includes('overlay shop/overlays/staging')));
});

test('replicas and labels transformers: findings on their entries in kustomization.yaml', { skip }, async () => {
  const r = await check('scaled/overlay');
  expectAt(r, 'missing-pod-disruption-budget', 'scaled/overlay/kustomization.yaml', /count: 3/);
  expectAt(r, 'invalid-label', 'scaled/overlay/kustomization.yaml', /cost-center: eu\/orders/);
  expectAt(r, 'missing-pod-anti-affinity', 'scaled/base/cache.yaml', /./);
});

test('the rendered text the engine checks carries none of the annotations added for mapping, and the originals are untouched', { skip }, async () => {
  const before = fs.readFileSync(path.join(FIXTURES, 'shop/overlays/prod/kustomization.yaml'), 'utf8');
  const r = await check('shop/overlays/prod');
  assert.ok(r.rendered);
  assert.doesNotMatch(r.rendered.text, /config\.kubernetes\.io\/origin|alpha\.config\.kubernetes\.io\/transformations/);
  assert.equal(r.rendered.objects.find((o) => o.kind === 'StatefulSet')?.origin, path.join(FIXTURES, 'shop/base/statefulset.yaml'));
  assert.equal(fs.readFileSync(path.join(FIXTURES, 'shop/overlays/prod/kustomization.yaml'), 'utf8'), before);
  assert.deepEqual(fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith('sts-kustomize-')), []);
});

test('an open editor text is rendered instead of the file on disk', { skip }, async () => {
  const patch = path.join(FIXTURES, 'shop/overlays/prod/storage.yaml');
  const edited = fs.readFileSync(patch, 'utf8').replace('storage: 100 Gi', 'storage: 100Gi');
  const r = await checkOverlay(path.join(FIXTURES, 'shop/overlays/prod'), { tool, labelFrom: FIXTURES, read: (f) => (f === patch ? edited : fs.readFileSync(f, 'utf8')) });
  assert.ok(!where(r!).some((f) => f.code === 'invalid-quantity'));
});

test("kustomize's own error is a diagnostic on the kustomization entry it names, with the original paths", { skip }, async () => {
  const r = await check('broken');
  assert.ok(r.failed);
  const [f, ...rest] = where(r);
  assert.equal(rest.length, 0);
  assert.equal(f.code, 'kustomize');
  assert.equal(f.file, 'broken/kustomization.yaml');
  assert.match(f.text, /- missing\.yaml/);
  assert.match(f.message, /kustomize cannot build overlay broken: .*missing\.yaml/);
  assert.doesNotMatch(f.message, /sts-kustomize-|E\d{4} /);
});

test('a remote base is refused before rendering (no network): a warning on its entry, kustomize never started', async () => {
  // a command that does not exist: had it been started, checkOverlay would reject with "not found"
  const r = await checkOverlay(path.join(FIXTURES, 'remote'), { tool: { command: path.join(FIXTURES, 'no-such-kubectl') }, labelFrom: FIXTURES });
  assert.ok(r?.failed);
  const [f] = where(r);
  assert.equal(f.code, 'kustomize');
  assert.match(f.text, /https:\/\/github\.com/);
  assert.match(f.message, /remote base.*without the network/);
});

test('no kubectl: a KustomizeError that says it was not found (the CLI and the editor say how to get one)', async () => {
  await assert.rejects(checkOverlay(path.join(FIXTURES, 'shop/overlays/prod'), { tool: { command: path.join(FIXTURES, 'no-such-kubectl') } }), (e: unknown) => e instanceof KustomizeError && e.notFound);
});

test('a render is cancellable and bounded by a timeout; both leave no temporary copy behind', { skip }, async () => {
  const ac = new AbortController();
  const p = checkOverlay(path.join(FIXTURES, 'shop/overlays/prod'), { tool, signal: ac.signal });
  ac.abort();
  await assert.rejects(p, (e: Error) => e.name === 'AbortError');
  const t = await checkOverlay(path.join(FIXTURES, 'shop/overlays/prod'), { tool: { command: KUBECTL, timeoutMs: 1 }, labelFrom: FIXTURES });
  assert.match(t!.failed ?? '', /took longer than/);
  assert.deepEqual(fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith('sts-kustomize-')), []);
});

test('kustomize is run without plugin or exec flags: kubectl kustomize DIR, kustomize build DIR', () => {
  assert.deepEqual(argsFor({ command: 'kubectl' }, '/o'), ['kustomize', '/o']);
  assert.deepEqual(argsFor({ command: '/usr/local/bin/kustomize' }, '/o'), ['build', '/o']);
  for (const a of [...argsFor({ command: 'kubectl' }, '/o'), ...argsFor({ command: 'kustomize' }, '/o')]) assert.doesNotMatch(a, /enable|plugin|exec|helm/);
});

test('buildMetadata is added to the copy, merged with what the overlay already asks for', () => {
  assert.match(withBuildMetadata('resources:\n- a.yaml\n'), /buildMetadata:\n\s*- originAnnotations\n\s*- transformerAnnotations/);
  const merged = withBuildMetadata('resources:\n- a.yaml\nbuildMetadata: [managedByLabel]\n');
  assert.match(merged, /managedByLabel/);
  assert.match(merged, /originAnnotations/);
  assert.equal(merged.match(/buildMetadata/g)?.length, 1);
});

test('the kustomize path setting is machine-scoped and restricted in untrusted workspaces; the client enables rendering only when trusted', () => {
  const root = path.join(__dirname, '..', '..');
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const props = Object.assign({}, ...pkg.contributes.configuration.map((g: { properties: object }) => g.properties));
  assert.equal(props['statefulsetStudio.kustomize.path'].scope, 'machine');
  assert.ok(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations.includes('statefulsetStudio.kustomize.path'));
  // the options the client sends: enabled is the workspace's trust (the server renders nothing otherwise: test/lsp/overlay.test.ts)
  const ext = fs.readFileSync(path.join(root, 'client', 'src', 'extension.ts'), 'utf8');
  assert.match(ext, /enabled: vscode\.workspace\.isTrusted/);
  assert.match(ext, /onDidGrantWorkspaceTrust\(\(\) => void \(client\?\.isRunning\(\) && client\.sendNotification\('statefulsetStudio\/kustomize'/);
});

test('a kustomization that is not valid YAML: the error on the line kustomize names', { skip }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sts-broken-yaml-'));
  try {
    fs.writeFileSync(path.join(dir, 'kustomization.yaml'), 'resources:\n- sts.yaml\n  bad: [\n');
    const r = await checkOverlay(dir, { tool });
    const [d] = r!.files.get(path.join(dir, 'kustomization.yaml')) ?? [];
    assert.equal(d?.code, 'kustomize');
    assert.equal(d.range.start.line, 2);
    assert.match(d.message, /yaml: line 3/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("kustomize's message without the logger's wrapping: kubectl's quoted and block forms, kustomize's Error:", async () => {
  const { cleanError } = await import('../../server/src/sources/kustomize/render');
  assert.equal(cleanError('E1207 14:03:01.437723   26851 run.go:72] "command failed" err="accumulating resources: \\"x\\" missing"\n'), 'accumulating resources: "x" missing');
  assert.equal(cleanError('E1207 run.go:72] "command failed" err=<\n\taccumulating resources: a\n\t: exit status 128\n >\n'), 'accumulating resources: a : exit status 128');
  assert.equal(cleanError('Error: no such file\n'), 'no such file');
});
