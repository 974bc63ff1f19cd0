// The real-editor test of Helm charts (issue 19): the packaged extension in code-server with the real helm,
// against the simulator running the chart's release. A values-prod.yaml storage change typed in the editor →
// forbidden-update on that values line → its Resize Storage… quick fix runs the existing workflow → the PVCs have
// grown and the pods are the same (kubectl confirms); a subchart template whose container lacks a memory limit →
// the warning on that template line. Screenshots: test-results/e2e/helm/. Run alone: node test/run.mjs e2e/helm
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { editorSkip, editorTest } from './harness';
import { startApiServer } from '../../simulator';
import { resourceByKind } from '../../simulator/resources';
import { HAS_KUBECTL, kubectl } from '../simulator/testkit';
import { CHARTS, HELM, SKIP as NO_HELM } from '../helm/helmkit';
import { renderChart } from '../../server/src/sources/helm/render';

test('Helm chart in a real VS Code (code-server): a refused values change on its line → Resize Storage… → grown PVCs, same pods', { timeout: 20 * 60_000, skip: editorSkip() || NO_HELM || (HAS_KUBECTL ? false : 'kubectl is not installed') }, async (t) => {
  const api = await startApiServer({ podReadyDelayMs: 20, volumeResizeStepMs: 50 });
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'sts-e2e-helm-'));
  try {
    // the workspace: the db chart, with a values-prod.yaml that sets what is installed
    fs.cpSync(path.join(CHARTS, 'db'), path.join(ws, 'db'), { recursive: true });
    fs.writeFileSync(path.join(ws, 'db', 'values-prod.yaml'), '# Production overrides.\npersistence:\n  size: 10Gi\n');
    // the release as helm would install it: rendered by helm, with helm's ownership marks
    const r = await renderChart({ helm: HELM, chartDir: path.join(ws, 'db'), release: 'rel', namespace: 'default', values: [path.join(ws, 'db', 'values-prod.yaml')], set: [] });
    assert.equal(r.code, 0, r.stderr);
    const objs = parseAllDocuments(r.stdout).map((d) => d.toJS()).filter((o) => o && (o.metadata?.name === 'rel-db' || o.metadata?.name === 'rel-db-headless'));
    for (const o of objs) {
      o.metadata.labels = { ...(o.metadata.labels ?? {}), 'app.kubernetes.io/managed-by': 'Helm' };
      o.metadata.annotations = { 'meta.helm.sh/release-name': 'rel', 'meta.helm.sh/release-namespace': 'default' };
      api.create(o);
    }
    await api.waitFor(() => api.store.peek(resourceByKind('StatefulSet'), 'default', 'rel-db')?.status?.readyReplicas === 3, 30_000);
    const k = (...a: string[]) => kubectl(api, a);
    const ids = async () => (await k('get', 'pods', '-l', 'app.kubernetes.io/instance=rel', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.metadata.uid} {end}')).stdout.trim().split(' ').sort();
    const pods = await ids();
    assert.equal(pods.length, 3, pods.join());
    await editorTest(t, {
      suites: ['helm.e2e.ts'],
      resultsName: 'helm',
      workspace: ws,
      settings: { 'statefulsetStudio.helm.path': HELM, 'statefulsetStudio.helm.releaseName': 'rel', 'statefulsetStudio.helm.charts': { db: { values: ['values-prod.yaml'] } } },
      extraEnv: { STATEFULSET_STUDIO_TEST: '1', KUBECONFIG: api.kubeconfigPath },
    });
    // kubectl confirms: the same pods, the PVCs grown to the size typed in values-prod.yaml
    assert.deepEqual(await ids(), pods);
    const cap = await k('get', 'pvc', '-l', 'app.kubernetes.io/instance=rel', '-o', 'jsonpath={.items[*].status.capacity.storage}');
    assert.equal(cap.stdout.trim(), '20Gi 20Gi 20Gi');
    const sts = await k('get', 'sts', 'rel-db', '-o', 'jsonpath={.spec.volumeClaimTemplates[0].spec.resources.requests.storage} {.metadata.annotations.meta\\.helm\\.sh/release-name} {.metadata.labels.app\\.kubernetes\\.io/managed-by}');
    assert.equal(sts.stdout, '20Gi rel Helm', 'the re-created StatefulSet still belongs to its Helm release');
  } finally {
    fs.rmSync(ws, { recursive: true, force: true });
    await api.stop();
  }
});
