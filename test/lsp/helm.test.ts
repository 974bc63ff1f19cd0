// Helm charts over real LSP stdio: a file inside a chart gets the findings of the chart rendered by the real helm,
// on its own lines; an unsaved values edit is rendered from a temporary copy; only in a trusted workspace; a helm
// that is not there is said once and template files keep their notice. Runs the built server (dist/server.js).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { startClient, type TestClient } from './lspClient';
import { CHARTS, HELM, SKIP } from '../helm/helmkit';

let dir: string;
let chart: string;
const uriOf = (rel: string) => pathToFileURL(path.join(chart, rel)).toString();
const read = (rel: string) => fs.readFileSync(path.join(chart, rel), 'utf8');

before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sts-lsp-helm-'));
  chart = path.join(dir, 'db');
  fs.cpSync(path.join(CHARTS, 'db'), chart, { recursive: true });
});

after(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function withClient(initializationOptions: unknown, run: (c: TestClient) => Promise<void>): Promise<void> {
  const c = await startClient({ rootUri: pathToFileURL(dir).toString(), initializationOptions });
  try {
    await run(c);
  } finally {
    await c.stop();
  }
}

test('trusted: a template gets the rendered findings on its own lines; an unsaved values edit lands on its line; the subchart file gets its own', { skip: SKIP }, async () => {
  await withClient({ helm: { trusted: true, path: HELM, delay: 50, releaseName: 'rel', namespace: 'prod' } }, async (c) => {
    const tpl = uriOf('templates/statefulset.yaml');
    const sub = uriOf('charts/metrics/templates/statefulset.yaml');
    const subFindings = c.diagnostics(sub, (p) => p.diagnostics.some((d) => d.code === 'service-not-found'));
    const rendered = c.diagnostics(tpl, (p) => p.diagnostics.some((d) => d.code === 'container-user-group-id'));
    c.open(tpl, read('templates/statefulset.yaml'));
    const p = await rendered;
    const lines = p.diagnostics.map((d) => `${d.range.start.line + 1} ${d.code}`).sort();
    assert.deepEqual(lines, ['29 container-user-group-id', '40 container-ephemeral-storage']);
    assert.ok(!p.diagnostics.some((d) => d.code === 'template'), 'the template notice goes once the chart is rendered');
    assert.match(p.diagnostics[0].message, /helm release "rel"/);
    // a file that is not open (the subchart's template) gets its findings too
    assert.equal((await subFindings).diagnostics.find((d) => d.code === 'service-not-found')!.range.start.line, 6);

    // typing in values.yaml (unsaved): rendered from a copy with the buffer in it; the error is on the typed line
    const values = uriOf('values.yaml');
    const text = read('values.yaml');
    let got = c.diagnostics(values, (x) => x.diagnostics.some((d) => d.code === 'invalid-quantity'));
    c.open(values, text);
    c.change(values, 2, text.replace('size: 10Gi', 'size: 1'));
    c.change(values, 3, text.replace('size: 10Gi', 'size: 1 G'));
    c.change(values, 4, text.replace('size: 10Gi', 'size: 10 Gi'));
    const q = (await got).diagnostics.find((d) => d.code === 'invalid-quantity')!;
    assert.equal(q.range.start.line, 9);
    assert.match(q.message, /"10 Gi" is not a Kubernetes quantity/);
    assert.equal(read('values.yaml'), text, 'the file on disk is untouched');
    // fixed again: the error goes
    got = c.diagnostics(values, (x) => !x.diagnostics.some((d) => d.code === 'invalid-quantity'));
    c.change(values, 5, text);
    await got;

    // a values file changed on disk (not open: a checkout, another tool): the chart renders again
    const prod = path.join(chart, 'values-prod.yaml');
    const before = fs.readFileSync(prod, 'utf8');
    try {
      c.connection.sendNotification('workspace/didChangeConfiguration', { settings: { statefulsetStudio: { helm: { releaseName: 'rel', namespace: 'prod', delay: 50, charts: { db: { values: ['values-prod.yaml'] } } } } } });
      let tplGot = c.diagnostics(tpl, (x) => x.diagnostics.some((d) => d.code === 'image-pull-policy'));
      fs.writeFileSync(prod, 'sidecars:\n  - name: exporter\n    image: prom/postgres-exporter:latest\n    port: 9187\n');
      c.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf('values-prod.yaml'), type: 2 }] });
      assert.equal((await tplGot).diagnostics.find((d) => d.code === 'image-pull-policy')!.range.start.line, 50);
      tplGot = c.diagnostics(tpl, (x) => !x.diagnostics.some((d) => d.code === 'image-pull-policy'));
      fs.writeFileSync(prod, before);
      c.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf('values-prod.yaml'), type: 2 }] });
      await tplGot;
    } finally {
      fs.writeFileSync(prod, before);
    }

    // a template syntax error typed into the template: helm's error on that line
    got = c.diagnostics(tpl, (x) => x.diagnostics.some((d) => d.code === 'helm-template'));
    c.change(tpl, 2, read('templates/statefulset.yaml').replace('replicas: {{ .Values.replicaCount }}', 'replicas: {{ .Values.replicaCount }'));
    const e = (await got).diagnostics.find((d) => d.code === 'helm-template')!;
    assert.equal(e.range.start.line, 8);
    assert.match(e.message, /template syntax/);
  });
});

test('untrusted (the client says nothing): no render, templates keep their notice', { skip: SKIP }, async () => {
  await withClient(undefined, async (c) => {
    const tpl = uriOf('templates/pdb.yaml');
    const got = c.diagnostics(tpl);
    c.open(tpl, read('templates/pdb.yaml'));
    const p = await got;
    assert.deepEqual(p.diagnostics.map((d) => d.code), ['template']);
    // trust granted later: rendered (and the notice goes)
    const rendered = c.diagnostics(tpl, (x) => !x.diagnostics.some((d) => d.code === 'template'));
    c.connection.sendNotification('statefulsetStudio/helm', { trusted: true, path: HELM });
    await rendered;
  });
});

test('live objects that change faster than helm renders do not starve the chart: the running render is not cancelled, the chart is checked again after it', { skip: SKIP || (process.platform === 'win32' ? 'a /bin/sh wrapper' : false), timeout: 60_000 }, async () => {
  // a helm that takes 0.6 s: the explorer sends the live StatefulSets every 200 ms (a rollout, pods coming and going)
  const slow = path.join(dir, 'slow-helm');
  // (sleep's output away from helm's pipes: a cancelled render's pipes close at once, as the real helm's do)
  fs.writeFileSync(slow, `#!/bin/sh\nsleep 0.6 </dev/null >/dev/null 2>&1\nexec '${HELM.replace(/'/g, `'\\''`)}' "$@"\n`, { mode: 0o755 });
  await withClient({ helm: { trusted: true, path: slow, delay: 50, releaseName: 'rel', namespace: 'prod' } }, async (c) => {
    const tpl = uriOf('templates/statefulset.yaml');
    let streaming = true;
    const rendered = c.diagnostics(tpl, (p) => p.diagnostics.some((d) => d.code === 'container-user-group-id')).then((p) => ({ p, streaming }));
    c.open(tpl, read('templates/statefulset.yaml'));
    const started = Date.now();
    let got: Awaited<typeof rendered> | undefined;
    void rendered.then((r) => (got = r));
    for (let i = 0; !got && Date.now() - started < 15_000; i++) {
      const sts = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'rel-db', namespace: 'prod', uid: 'u-1', resourceVersion: String(100 + i) }, status: { readyReplicas: i % 3 } };
      c.connection.sendNotification('statefulsetStudio/liveObjects', { objects: [sts] });
      await new Promise((r) => setTimeout(r, 200));
    }
    streaming = false;
    const r = await rendered;
    assert.ok(r.streaming, 'the chart rendered while the live objects kept changing');
    assert.ok(!r.p.diagnostics.some((d) => d.code === 'template'), 'the template notice went');
  });
});

test('helm not found: one message saying how to get it; the template keeps its notice', async () => {
  await withClient({ helm: { trusted: true, path: path.join(dir, 'no-helm') } }, async (c) => {
    const messages: string[] = [];
    c.connection.onNotification('window/showMessage', (m: { message: string }) => messages.push(m.message));
    const tpl = uriOf('templates/service.yaml');
    const got = c.diagnostics(tpl);
    c.open(tpl, read('templates/service.yaml'));
    assert.deepEqual((await got).diagnostics.map((d) => d.code), ['template']);
    c.open(uriOf('templates/pdb.yaml'), read('templates/pdb.yaml'));
    for (let i = 0; i < 50 && messages.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(messages.length, 1, messages.join('\n'));
    assert.match(messages[0], /helm was not found .*Install helm \(https:\/\/helm\.sh\/docs\/intro\/install\/\).*statefulsetStudio\.helm\.path/);
  });
});

test('values files: hover says which rendered fields a key feeds (with the field doc); go to definition jumps to the template lines that read it', { skip: SKIP }, async () => {
  await withClient({ helm: { trusted: true, path: HELM, delay: 50, releaseName: 'rel' } }, async (c) => {
    const values = uriOf('values.yaml');
    const text = read('values.yaml');
    const rendered = c.diagnostics(uriOf('templates/statefulset.yaml'));
    c.open(values, text);
    await rendered; // the chart has rendered: hover names the objects
    const lines = text.split('\n');
    const sizeLine = lines.indexOf('  size: 10Gi');
    const h = (await c.connection.sendRequest('textDocument/hover', { textDocument: { uri: values }, position: { line: sizeLine, character: 3 } })) as { contents: { value: string } } | null;
    assert.ok(h, 'a hover on persistence.size');
    assert.match(h!.contents.value, /^\*\*Helm value\*\* `persistence\.size` feeds:/);
    assert.match(h!.contents.value, /- `spec\.volumeClaimTemplates\[0\]\.spec\.resources\.requests\.storage` of StatefulSet `rel-db` — \[templates\/statefulset\.yaml:83\]/);
    assert.match(h!.contents.value, /\*\*storage\*\* · `quantity`|\*\*storage\*\*/);
    // a key printed with its parent block (toYaml .Values.resources)
    const memLine = lines.indexOf('    memory: 1Gi');
    const m = (await c.connection.sendRequest('textDocument/hover', { textDocument: { uri: values }, position: { line: memLine, character: 5 } })) as { contents: { value: string } } | null;
    assert.match(m!.contents.value, /`spec\.template\.spec\.containers\[0\]\.resources\.limits\.memory` of StatefulSet `rel-db` \(reads `resources`\) — \[templates\/statefulset\.yaml:41\]/);
    const defs = (await c.connection.sendRequest('textDocument/definition', { textDocument: { uri: values }, position: { line: sizeLine, character: 3 } })) as Array<{ uri: string; range: { start: { line: number } } }>;
    assert.deepEqual(defs.map((d) => `${path.relative(chart, new URL(d.uri).pathname)}:${d.range.start.line + 1}`), ['templates/statefulset.yaml:83']);
    // the sidecar list item's image, read inside `range .Values.sidecars`
    const imgLine = lines.findIndex((l) => l.includes('image: prom/postgres-exporter'));
    const defs2 = (await c.connection.sendRequest('textDocument/definition', { textDocument: { uri: values }, position: { line: imgLine, character: 6 } })) as Array<{ uri: string; range: { start: { line: number } } }>;
    assert.deepEqual(defs2.map((d) => `${path.relative(chart, new URL(d.uri).pathname)}:${d.range.start.line + 1}`), ['templates/statefulset.yaml:50']);
  });
});

test("values files: completion and hover from the chart's values.schema.json", async () => {
  const schemaChart = path.join(dir, 'schema');
  fs.cpSync(path.join(CHARTS, 'schema'), schemaChart, { recursive: true });
  await withClient(undefined, async (c) => {
    const uri = pathToFileURL(path.join(schemaChart, 'values-dev.yaml')).toString();
    const text = 'image: redis:7.2\nstorage:\n  \n';
    const got = c.diagnostics(uri);
    c.open(uri, text);
    await got;
    const items = (await c.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line: 2, character: 2 } })) as Array<{ label: string; detail?: string }>;
    assert.deepEqual(items.map((i) => i.label), ['size']);
    assert.equal(items[0].detail, 'string · values.schema.json');
    const top = (await c.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line: 3, character: 0 } })) as Array<{ label: string }>;
    assert.deepEqual(top.map((i) => i.label), ['replicas'], 'keys already there are not offered again');
    const h = (await c.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 2 } })) as { contents: { value: string } };
    assert.match(h.contents.value, /^\*\*Helm value\*\* `image` · values\.schema\.json: `string` — The redis image\./);
    assert.match(h.contents.value, /It feeds:\n- `spec\.template\.spec\.containers\[0\]\.image`/);
  });
});

test('a Chart.yaml made while a template is open: the file becomes part of the chart and renders (the chart folder is looked up once per file, again after a Chart.yaml changes)', { skip: SKIP, timeout: 60_000 }, async () => {
  const late = path.join(dir, 'late');
  fs.cpSync(chart, late, { recursive: true });
  const chartYaml = fs.readFileSync(path.join(late, 'Chart.yaml'), 'utf8');
  fs.rmSync(path.join(late, 'Chart.yaml'));
  try {
    await withClient({ helm: { trusted: true, path: HELM, delay: 50, releaseName: 'rel', namespace: 'prod' } }, async (c) => {
      const tplFile = path.join(late, 'templates', 'statefulset.yaml');
      const tpl = pathToFileURL(tplFile).toString();
      const text = fs.readFileSync(tplFile, 'utf8');
      // no Chart.yaml above it: a template file of no chart gets no rendered findings
      const first = await (() => {
        const p = c.diagnostics(tpl, () => true);
        c.open(tpl, text);
        return p;
      })();
      assert.ok(!first.diagnostics.some((d) => d.code === 'container-user-group-id'), 'not rendered without a chart');
      const rendered = c.diagnostics(tpl, (x) => x.diagnostics.some((d) => d.code === 'container-user-group-id'));
      fs.writeFileSync(path.join(late, 'Chart.yaml'), chartYaml);
      c.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(path.join(late, 'Chart.yaml')).toString(), type: 1 }] });
      c.change(tpl, 2, `${text}\n`);
      assert.deepEqual((await rendered).diagnostics.filter((d) => d.code === 'container-user-group-id').map((d) => d.range.start.line + 1), [29]);
    });
  } finally {
    fs.rmSync(late, { recursive: true, force: true });
  }
});
