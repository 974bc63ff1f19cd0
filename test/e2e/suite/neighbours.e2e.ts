// Beside Red Hat YAML and Microsoft Kubernetes (issue 22), inside a real VS Code (code-server) with the neighbours'
// real VSIXs installed. Two sessions run this file (test/e2e/neighbours.test.ts):
//   - phase "baseline": the two neighbours alone (our extension not installed): what a user sees without us;
//   - phase "full": the neighbours and ours: one answer per question on StatefulSet documents, and the same
//     answers as the baseline on a Deployment.
// Both phases record what they saw (completion items, hovers, Problems entries per file) into
// $E2E_NEIGHBOURS_OUT as JSON, which the node test prints and keeps in test-results/e2e/neighbours-*/.
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { click, hasBrowser, hoverText, openFile, positionOf, screenshot, sleep, waitFor, workbench } from './util';

const PHASE = process.env.E2E_NEIGHBOURS_PHASE === 'baseline' ? 'baseline' : 'full';
const OUT = process.env.E2E_NEIGHBOURS_OUT ?? '';
const BASELINE = process.env.E2E_NEIGHBOURS_BASELINE ?? '';
const YAML_ID = 'redhat.vscode-yaml';
const K8S_ID = 'ms-kubernetes-tools.vscode-kubernetes-tools';
const OURS_ID = process.env.E2E_EXTENSION_ID ?? 'statefulset-studio.statefulset-studio';

const STS = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
  replicas: 3
  podManagementPolicy: 
  selector:
    matchLabels:
      app: db
  template:
    metadata:
      labels:
        app: db
    spec:
      containers:
      - name: db
        image: postgres:17
`;

/** Three faults: replicas is a string, podManagementPolicy is not one of its values, the template's labels do not
 *  match the selector. */
const THREE_FAULTS = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: shop
spec:
  serviceName: shop
  replicas: "3"
  podManagementPolicy: parallel
  selector:
    matchLabels:
      app: shop
  template:
    metadata:
      labels:
        app: other
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
`;

/** One YAML syntax fault: an unclosed quote. */
const SYNTAX = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: broken
spec:
  serviceName: broken
  replicas: 1
  selector:
    matchLabels:
      app: broken
  template:
    metadata:
      labels:
        app: broken
    spec:
      containers:
      - name: db
        image: "postgres:17
`;

const MULTI = `apiVersion: v1
kind: Service
metadata:
  name: db
spec:
  clusterIP: None
  selector:
    app: db
  ports:
  - port: 5432
---
${STS.replace('  podManagementPolicy: \n', '  podManagementPolicy: Parallel\n')}---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: db
spec:
  maxUnavailable: 1
  selector:
    matchLabels:
      app: db
`;

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
${'  '}
spec:
  replicas: "2"
  selector:
    matchLabels:
      app: api
  template:
    metadata:
      labels:
        app: api
    spec:
      containers:
      - name: api
        image: nginx:1.27
`;

const HELM = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: {{ .Release.Name }}-db
spec:
  serviceName: {{ .Release.Name }}-db
  replicas: {{ .Values.replicas }}
  podManagementPolicy: 
  selector:
    matchLabels:
      app: db
  template:
    metadata:
      labels:
        app: db
    spec:
      containers:
      - name: db
        image: postgres:17
`;

interface Seen {
  languageId: string;
  completion?: { at: string; labels: string[]; duplicates: string[] };
  keyCompletion?: { at: string; labels: string[]; duplicates: string[] };
  hover?: { at: string; count: number; texts: string[] };
  problems: Array<{ source: string; line: number; severity: string; message: string }>;
}
const measured: Record<string, Seen> = {};

const labelOf = (i: vscode.CompletionItem) => (typeof i.label === 'string' ? i.label : i.label.label);
/** An item's label and kind ("persistentVolumeClaimRetentionPolicy" the key and the snippet of that name are two
 *  different things; the same key offered twice is one thing twice). */
const itemOf = (i: vscode.CompletionItem) => `${labelOf(i)} (${i.kind === undefined ? 'text' : vscode.CompletionItemKind[i.kind]})`;
const duplicatesOf = (xs: string[]) => [...new Set(xs.filter((x, i) => xs.indexOf(x) !== i))];
/** Hovers VS Code shows: a hover whose contents are all empty is not rendered. */
const shown = (hs: vscode.Hover[]) => hs.filter((h) => hoverText([h]).trim() !== '');
const SEVERITY = ['error', 'warning', 'info', 'hint'];

async function completion(doc: vscode.TextDocument, pos: vscode.Position): Promise<string[]> {
  const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, pos);
  return (list?.items ?? []).map(itemOf);
}

async function hovers(doc: vscode.TextDocument, pos: vscode.Position): Promise<vscode.Hover[]> {
  return (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, pos)) ?? [];
}

/** The Problems entries of a file once they have stopped changing for 3 s (each extension answers in its own time). */
async function settledProblems(uri: vscode.Uri, o: { atLeast?: number } = {}): Promise<vscode.Diagnostic[]> {
  const key = () => JSON.stringify(vscode.languages.getDiagnostics(uri).map((d) => [d.source, d.range.start.line, d.message]));
  let last = key();
  let since = Date.now();
  const deadline = Date.now() + 45_000;
  while (Date.now() < deadline) {
    await sleep(250);
    const k = key();
    if (k !== last) {
      last = k;
      since = Date.now();
    } else if (Date.now() - since >= 3000 && vscode.languages.getDiagnostics(uri).length >= (o.atLeast ?? 0)) break;
  }
  return vscode.languages.getDiagnostics(uri);
}

function record(name: string, doc: vscode.TextDocument, problems: vscode.Diagnostic[], extra: Partial<Seen> = {}): Seen {
  const seen: Seen = {
    languageId: doc.languageId,
    problems: problems.map((d) => ({ source: d.source ?? '', line: d.range.start.line + 1, severity: SEVERITY[d.severity] ?? String(d.severity), message: d.message })),
    ...extra,
  };
  measured[name] = seen;
  return seen;
}

const problemsText = (s: Seen) => s.problems.map((p) => `${p.line} [${p.source}] ${p.message}`).join('\n');

// root hook: after every suite of this file, the explorer's included
after(() => {
  if (OUT) writeFileSync(OUT, JSON.stringify({ phase: PHASE, measured }, null, 2));
});

describe(`beside Red Hat YAML and Kubernetes (${PHASE})`, () => {

  it('the neighbours are installed and active', async function () {
    this.timeout(90_000);
    for (const id of [YAML_ID, K8S_ID]) assert.ok(vscode.extensions.getExtension(id), `${id} is not installed`);
    assert.equal(Boolean(vscode.extensions.getExtension(OURS_ID)), PHASE === 'full', `our extension installed in the ${PHASE} phase`);
    // opening a YAML file activates all of them
    await openFile('warmup.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: warmup\n');
    await waitFor(() => vscode.extensions.getExtension(YAML_ID)?.isActive, 'Red Hat YAML to activate', 60_000);
    await waitFor(() => vscode.extensions.getExtension(K8S_ID)?.isActive, 'Kubernetes to activate', 60_000);
    if (PHASE === 'full') await waitFor(() => vscode.extensions.getExtension(OURS_ID)?.isActive, 'our extension to activate', 60_000);
  });

  it('StatefulSet file: completion on podManagementPolicy, key completion under spec, hover on serviceName', async function () {
    this.timeout(120_000);
    const editor = await openFile('sts.yaml', STS);
    const doc = editor.document;
    const valuePos = positionOf(doc, 'podManagementPolicy: ', 'podManagementPolicy: '.length);
    // the YAML server needs the schema first: wait until someone offers a value
    const labels = await waitFor(async () => {
      const l = await completion(doc, valuePos);
      return l.some((x) => x.startsWith('Parallel ')) || (PHASE === 'baseline' && l.length > 0) ? l : undefined;
    }, 'value completion on podManagementPolicy', 45_000).catch(() => [] as string[]);
    const keyPos = new vscode.Position(positionOf(doc, 'serviceName: db').line, 2);
    const keyLabels = await completion(doc, keyPos);
    const hoverPos = positionOf(doc, 'serviceName', 3);
    const hs = await waitFor(async () => {
      const h = await hovers(doc, hoverPos);
      return h.length ? h : undefined;
    }, 'a hover on serviceName', 30_000).catch(() => [] as vscode.Hover[]);
    await sleep(2000); // a slower provider may still add a hover
    const hs2 = await hovers(doc, hoverPos);
    const problems = await settledProblems(doc.uri);
    const seen = record('sts.yaml', doc, problems, {
      completion: { at: 'podManagementPolicy: ', labels, duplicates: duplicatesOf(labels) },
      keyCompletion: { at: 'spec: (a new key)', labels: keyLabels, duplicates: duplicatesOf(keyLabels) },
      hover: { at: 'serviceName', count: Math.max(shown(hs).length, shown(hs2).length), texts: shown(hs2.length >= hs.length ? hs2 : hs).map((h) => hoverText([h]).slice(0, 1000)) },
    });
    if (PHASE === 'full') {
      assert.deepEqual(labels.filter((l) => /^(Parallel|OrderedReady) /.test(l)).map((l) => l.split(' ')[0]).sort(), ['OrderedReady', 'Parallel'], `each value once: ${labels.join(', ')}`);
      assert.deepEqual(seen.completion?.duplicates, [], `duplicate items: ${labels.join(', ')}`);
      assert.deepEqual(seen.keyCompletion?.duplicates, [], `duplicate key items: ${keyLabels.join(', ')}`);
      assert.equal(seen.hover?.count, 1, `one hover on serviceName, got ${seen.hover?.count}:\n${seen.hover?.texts.join('\n---\n')}`);
      assert.match(seen.hover?.texts[0] ?? '', /governs this StatefulSet/);
    }
  });

  it('a StatefulSet with three faults: one Problems entry per fault', async function () {
    this.timeout(90_000);
    const editor = await openFile('three-faults.yaml', THREE_FAULTS);
    const problems = await settledProblems(editor.document.uri, { atLeast: PHASE === 'full' ? 3 : 1 });
    const seen = record('three-faults.yaml', editor.document, problems);
    if (PHASE === 'full') {
      const doc = editor.document;
      const lines = [positionOf(doc, 'replicas').line, positionOf(doc, 'podManagementPolicy').line].map((l) => l + 1);
      for (const line of lines) {
        const here = seen.problems.filter((p) => p.line === line);
        assert.equal(here.length, 1, `one entry on line ${line}:\n${problemsText(seen)}`);
      }
      assert.equal(seen.problems.filter((p) => p.severity === 'error').length, 3, `three errors:\n${problemsText(seen)}`);
      assert.ok(seen.problems.every((p) => p.source === 'statefulset-studio'), `only ours on a StatefulSet:\n${problemsText(seen)}`);
    }
  });

  it('a YAML syntax error in a StatefulSet file: one Problems entry', async function () {
    this.timeout(90_000);
    const editor = await openFile('syntax.yaml', SYNTAX);
    const problems = await settledProblems(editor.document.uri, { atLeast: 1 });
    const seen = record('syntax.yaml', editor.document, problems);
    if (PHASE === 'full') {
      const errors = seen.problems.filter((p) => p.severity === 'error');
      assert.equal(errors.length, 1, `one syntax error entry:\n${problemsText(seen)}`);
    }
  });

  it('a multi-document file (Service + StatefulSet + PDB)', async function () {
    this.timeout(90_000);
    const editor = await openFile('multi.yaml', MULTI);
    const doc = editor.document;
    const hoverPos = positionOf(doc, 'serviceName', 3);
    await sleep(1500);
    const hs = shown(await hovers(doc, hoverPos));
    const svcHover = shown(await hovers(doc, positionOf(doc, 'clusterIP', 3)));
    const pdbHover = shown(await hovers(doc, positionOf(doc, 'maxUnavailable', 3)));
    const problems = await settledProblems(doc.uri);
    const seen = record('multi.yaml', doc, problems, {
      hover: { at: 'serviceName (StatefulSet), clusterIP (Service), maxUnavailable (PDB)', count: hs.length, texts: [...hs, ...svcHover, ...pdbHover].map((h) => hoverText([h]).slice(0, 1000)) },
    });
    if (PHASE === 'full') {
      assert.equal(hs.length, 1, `one hover on serviceName:\n${seen.hover?.texts.join('\n---\n')}`);
      assert.equal(svcHover.length, 1, `one hover on the Service's clusterIP:\n${seen.hover?.texts.join('\n---\n')}`);
      assert.equal(pdbHover.length, 1, `one hover on the PDB's maxUnavailable:\n${seen.hover?.texts.join('\n---\n')}`);
      assert.deepEqual(seen.problems.filter((p) => p.severity === 'error'), [], problemsText(seen));
    }
  });

  it('a Deployment file: the neighbours\' answers, unchanged', async function () {
    this.timeout(90_000);
    const editor = await openFile('deploy.yaml', DEPLOYMENT);
    const doc = editor.document;
    // the Kubernetes extension picks the schema for visible editors only: the YAML server's check on open may come
    // before the editor is visible; an edit (as a user makes) checks it again, in both phases alike
    await sleep(1500);
    await editor.edit((e) => e.insert(doc.positionAt(doc.getText().length), '\n'));
    const keyPos = new vscode.Position(positionOf(doc, 'name: api').line + 1, 2); // a new key under metadata:
    const keyLabels = await waitFor(async () => {
      const l = await completion(doc, keyPos);
      return l.length ? l : undefined;
    }, 'completion under a Deployment\'s metadata', 45_000).catch(() => [] as string[]);
    const hs = shown(await hovers(doc, positionOf(doc, 'replicas', 3)));
    // two: the schema's replicas type error and the Kubernetes extension's own resources lint
    const problems = await settledProblems(doc.uri, { atLeast: 2 });
    const seen = record('deploy.yaml', doc, problems, {
      keyCompletion: { at: 'metadata: (a new key)', labels: keyLabels, duplicates: duplicatesOf(keyLabels) },
      hover: { at: 'replicas', count: hs.length, texts: hs.map((h) => hoverText([h]).slice(0, 1000)) },
    });
    if (PHASE === 'full' && BASELINE) {
      const base = (JSON.parse(readFileSync(BASELINE, 'utf8')) as { measured: Record<string, Seen> }).measured['deploy.yaml'];
      assert.ok(base, 'the baseline run recorded no Deployment');
      assert.ok(base.keyCompletion!.labels.length > 0, 'the baseline offered no completion under metadata: (the Kubernetes schema did not load)');
      // our contributed snippets (package.json contributes.snippets for yaml) are offered in every YAML file, as any
      // snippet contribution is: they are the only difference allowed, and they are named here
      const prefixes = ourSnippetPrefixes();
      const ourSnippet = (l: string) => l.endsWith(' (Snippet)') && prefixes.has(l.slice(0, -' (Snippet)'.length));
      assert.deepEqual(seen.keyCompletion!.labels.filter((l) => !ourSnippet(l)).sort(), [...base.keyCompletion!.labels].sort(), 'completion items differ from the run without our extension');
      assert.deepEqual(seen.hover!.texts, base.hover!.texts, 'hovers differ from the run without our extension');
      assert.deepEqual(seen.problems, base.problems, 'Problems differ from the run without our extension');
    }
  });

  it('a Helm template (templates/statefulset.yaml)', async function () {
    this.timeout(90_000);
    await openFile('chart/Chart.yaml', 'apiVersion: v2\nname: demo\nversion: 0.1.0\n');
    const editor = await openFile('chart/templates/statefulset.yaml', HELM);
    const doc = editor.document;
    const valuePos = positionOf(doc, 'podManagementPolicy: ', 'podManagementPolicy: '.length);
    await sleep(2000);
    const labels = PHASE === 'full'
      ? await waitFor(async () => {
        const l = await completion(doc, valuePos);
        return l.some((x) => x.startsWith('Parallel ')) ? l : undefined;
      }, 'our value completion in a Helm template', 45_000).catch(() => [] as string[])
      : await completion(doc, valuePos);
    const hs = await hovers(doc, positionOf(doc, 'serviceName', 3));
    const problems = await settledProblems(doc.uri);
    const seen = record('chart/templates/statefulset.yaml', doc, problems, {
      completion: { at: 'podManagementPolicy: ', labels, duplicates: duplicatesOf(labels) },
      hover: { at: 'serviceName', count: shown(hs).length, texts: shown(hs).map((h) => hoverText([h]).slice(0, 1000)) },
    });
    if (PHASE === 'full') {
      // the Kubernetes extension makes it the helm language; ours serves it too (its Helm function items stay)
      assert.deepEqual(labels.filter((l) => /^(Parallel|OrderedReady) /.test(l)).map((l) => l.split(' ')[0]).sort(), ['OrderedReady', 'Parallel'], `each value once: ${labels.join(', ')}`);
      assert.equal(seen.hover?.count, 1, `one hover on serviceName:\n${seen.hover?.texts.join('\n---\n')}`);
      assert.deepEqual(seen.problems.filter((p) => p.severity === 'error'), [], problemsText(seen));
    }
  });
});

function ourSnippetPrefixes(): Set<string> {
  const ext = vscode.extensions.getExtension(OURS_ID);
  assert.ok(ext, 'our extension is not installed');
  const file = join(ext.extensionPath, 'snippets', 'statefulset.json');
  const snippets = JSON.parse(readFileSync(file, 'utf8')) as Record<string, { prefix: string | string[] }>;
  return new Set(Object.values(snippets).flatMap((s) => [s.prefix].flat()));
}

interface OurState { state: string; context?: string }
const ourState = () => vscode.commands.executeCommand<OurState>('statefulsetStudio.test.getState');
/** The sidebar's tree rows as their text (label, then description). */
const rows = () => workbench<string[]>(`[...document.querySelectorAll('.sidebar .monaco-list-row')].map((e) => (e.textContent || '').trim())`);
/** Expands the first sidebar tree row whose text starts with `label` (a real click on its twistie), unless expanded. */
async function expand(label: string): Promise<void> {
  const mark = `e2e-${label.replace(/\W+/g, '_')}`;
  const find = `(() => { const r = [...document.querySelectorAll('.sidebar .monaco-list-row')].find((e) => (e.textContent || '').trim().startsWith(${JSON.stringify(label)})); if (!r) return null; r.setAttribute('data-e2e', ${JSON.stringify(mark)}); return r.getAttribute('aria-expanded') ?? 'leaf'; })()`;
  const state = await waitFor(() => workbench<string | null>(find), `a row "${label}"`, 60_000, 300).catch(async (e: Error) => {
    await screenshot(`missing-${label.replace(/\W+/g, '_')}`);
    throw new Error(`${e.message}; rows: ${(await rows()).join(' | ')}`);
  });
  if (state !== 'true') await click(`.monaco-list-row[data-e2e="${mark}"] .monaco-tl-twistie`);
  await waitFor(async () => (await workbench<string | null>(find)) === 'true', `row "${label}" to expand`, 30_000, 300);
}

describe('beside the Kubernetes extension\'s Cluster Explorer (full)', () => {
  before(function () {
    if (PHASE !== 'full') this.skip();
  });

  it('our explorer follows their kubeconfig and connects to the demo cluster', async function () {
    this.timeout(90_000);
    const s = await waitFor(async () => {
      const x = await ourState();
      return x?.state === 'connected' ? x : undefined;
    }, 'our explorer to connect', 60_000, 300);
    assert.equal(s.context, 'simulator');
  });

  it('their StatefulSet node shows our ordinal rows (pod, PVC, state)', async function () {
    if (!hasBrowser()) this.skip();
    this.timeout(180_000);
    await vscode.commands.executeCommand('workbench.view.extension.kubernetesView');
    await expand('simulator');
    await expand('Workloads');
    await expand('StatefulSets');
    await expand('web');
    const seen = await waitFor(async () => {
      const r = await rows();
      return r.some((x) => /^web-0(?!\d)/.test(x)) ? r : undefined;
    }, 'our row web-0 under their StatefulSet node web', 60_000, 500);
    await screenshot('kubernetes-explorer-rows');
    measured['kubernetes explorer'] = { languageId: '-', problems: [], completion: { at: 'Clusters view rows', labels: seen, duplicates: duplicatesOf(seen) } };
    // the ordinal rows come from our model: the same as our own tree's
    const ours = await vscode.commands.executeCommand<string>('statefulsetStudio.test.getTree');
    for (const row of seen.filter((x) => /^web-\d+(?!\d)/.test(x))) {
      const name = /^web-\d+/.exec(row)![0];
      assert.ok(ours.includes(name), `${name} is not in our own tree:\n${ours}`);
    }
    assert.ok(seen.filter((x) => /^web-\d+(?!\d)/.test(x)).length >= 1, seen.join('\n'));
  });

  it('their StatefulSet node\'s context menu has our commands, and they act on that StatefulSet', async function () {
    if (!hasBrowser()) this.skip();
    this.timeout(90_000);
    await click('.monaco-list-row[data-e2e="e2e-web"]', 'right');
    const items = await waitFor(async () => {
      const x = await workbench<string[]>(`[...document.querySelectorAll('.context-view .action-label')].map((e) => (e.textContent || '').trim()).filter(Boolean)`);
      return x.length ? x : undefined;
    }, 'the context menu of their node web', 20_000, 300);
    await screenshot('kubernetes-explorer-menu');
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen'); // harmless if none
    await workbench<boolean>(`(document.activeElement?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', code: 'Escape', keyCode: 27, bubbles: true })), true)`);
    for (const title of ['Scale…', 'Rollback…', 'Rollout Status']) assert.ok(items.includes(title), `"${title}" missing from their menu: ${items.join(' | ')}`);
    // no title twice (theirs has its own Describe and Scale)
    assert.deepEqual(items.filter((x, i) => items.indexOf(x) !== i), [], `a title twice in their menu: ${items.join(' | ')}`);
    // what VS Code passes from that menu is their node object: Scale… resolves it to default/web (answered: Escape)
    await vscode.commands.executeCommand('statefulsetStudio.test.setAnswers', { inputBox: [null] });
    await vscode.commands.executeCommand('statefulsetStudio.scale', { nodeType: 'resource', kind: { manifestKind: 'StatefulSet', abbreviation: 'statefulset' }, name: 'web', metadata: { namespace: 'default' } });
    const prompts = await vscode.commands.executeCommand<Array<{ kind: string; title?: string; message?: string }>>('statefulsetStudio.test.getPrompts');
    assert.ok(prompts.some((p) => p.kind === 'inputBox' && /^Replicas for web \(now \d+\)/.test(p.message ?? '')), JSON.stringify(prompts));
  });

  it('switching context in their extension switches ours', async function () {
    this.timeout(120_000);
    // an explicit choice of ours first, so that only following their change can move us off it
    await vscode.commands.executeCommand('statefulsetStudio.selectContext', 'simulator');
    await waitFor(async () => (await ourState())?.context === 'simulator', 'our context simulator', 30_000, 300);
    // what their "Set as Current Cluster" runs on an inactive cluster node
    await vscode.commands.executeCommand('extension.vsKubernetesUseContext', { nodeType: 'context', kubectlContext: { contextName: 'simulator-restricted' } });
    const s = await waitFor(async () => {
      const x = await ourState();
      return x?.context === 'simulator-restricted' ? x : undefined;
    }, 'our explorer to follow their context to simulator-restricted', 90_000, 500);
    assert.equal(s.context, 'simulator-restricted');
    await vscode.commands.executeCommand('extension.vsKubernetesUseContext', { nodeType: 'context', kubectlContext: { contextName: 'simulator' } });
    await waitFor(async () => (await ourState())?.context === 'simulator', 'our explorer to follow back to simulator', 90_000, 500);
  });
});
