// The measure on the overlays written for the proof (test/fixtures/overlays): of the findings the
// engine makes on the rendered objects, the share that lands in the overlay's own files (any file the
// overlay uses), and the share on the file that produced the finding. "Produced" is labelled here by
// hand, per finding, before looking at where the mapper puts it (EXPECTED below); the test prints the
// figures and fails under the targets (95 % / 90 %).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { checkOverlay } from '../../server/src/sources/kustomize/overlay';
import { HAS_KUBECTL, KUBECTL, NO_KUBECTL } from '../simulator/testkit';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'overlays');

/** overlay → `Kind|rule|container` → the file that produced it (relative to the fixtures). */
const EXPECTED: Record<string, Record<string, string>> = {
  'shop/overlays/prod': {
    'StatefulSet|invalid-enum|': 'shop/overlays/prod/kustomization.yaml',
    'StatefulSet|invalid-quantity|': 'shop/overlays/prod/storage.yaml',
    'StatefulSet|container-memory-limit|exporter': 'shop/components/metrics/exporter.yaml',
    'StatefulSet|container-cpu-request|exporter': 'shop/components/metrics/exporter.yaml',
    // one finding per object per rule (issue 23), naming both containers: on the first one, the component's exporter
    'StatefulSet|container-ephemeral-storage|': 'shop/components/metrics/exporter.yaml',
    'StatefulSet|image-tag-latest|': 'shop/overlays/prod/kustomization.yaml',
    'StatefulSet|container-user-group-id|': 'shop/base/statefulset.yaml',
  },
  'shop/overlays/staging': {
    'StatefulSet|statefulset-name-too-long|': 'shop/overlays/staging/kustomization.yaml',
    'StatefulSet|container-ephemeral-storage|postgres': 'shop/base/statefulset.yaml',
    'StatefulSet|container-user-group-id|': 'shop/base/statefulset.yaml',
    'StatefulSet|pvc-deleted-on-scale-down|': 'shop/overlays/staging/retention.json6902.yaml',
    'StatefulSet|termination-grace-period-zero|': 'shop/overlays/staging/fast-shutdown.yaml',
  },
  'scaled/overlay': {
    'Service|invalid-label|': 'scaled/overlay/kustomization.yaml',
    'StatefulSet|invalid-label|': 'scaled/overlay/kustomization.yaml',
    'StatefulSet|missing-pod-anti-affinity|': 'scaled/base/cache.yaml',
    'StatefulSet|container-ephemeral-storage|redis': 'scaled/base/cache.yaml',
    'StatefulSet|missing-pod-disruption-budget|': 'scaled/overlay/kustomization.yaml',
  },
  'scaled/legacy': {
    'Service|invalid-label|': 'scaled/legacy/kustomization.yaml',
    'StatefulSet|invalid-label|': 'scaled/legacy/kustomization.yaml',
    'StatefulSet|container-ephemeral-storage|redis': 'scaled/base/cache.yaml',
    'StatefulSet|identical-probes|redis': 'scaled/legacy/probes.yaml',
    'StatefulSet|termination-grace-period-zero|': 'scaled/legacy/kustomization.yaml',
    'StatefulSet|on-delete-update-strategy|': 'scaled/legacy/on-delete.yaml',
  },
};

test('shares of rendered findings in the overlay\'s own files (≥ 95 %) and on the producing file (≥ 90 %)', { skip: HAS_KUBECTL ? false : NO_KUBECTL }, async () => {
  let total = 0;
  let own = 0;
  let producing = 0;
  let exact = 0;
  const misses: string[] = [];
  for (const [overlay, expected] of Object.entries(EXPECTED)) {
    const r = await checkOverlay(path.join(FIXTURES, overlay), { tool: { command: KUBECTL }, labelFrom: FIXTURES });
    assert.ok(r && !r.failed, `${overlay} renders`);
    const seen = new Set<string>();
    for (const [file, ds] of r.files) {
      for (const d of ds) {
        const kind = /\[kustomize overlay [^:]+: (\w+) /.exec(d.message)?.[1] ?? '?';
        const container = /Container "([^"]+)"/.exec(d.message)?.[1] ?? '';
        const key = `${kind}|${d.code}|${container}`;
        seen.add(key);
        total++;
        if (r.tree.files.has(file)) own++;
        const rel = path.relative(FIXTURES, file);
        if (expected[key] === rel) producing++;
        else misses.push(`${overlay}: ${key} → ${rel}:${d.range.start.line + 1} (expected ${expected[key] ?? 'no such finding'})`);
      }
    }
    for (const f of r.findings) if (f.placement.how === 'exact') exact++;
    for (const key of Object.keys(expected)) assert.ok(seen.has(key), `${overlay}: the labelled finding ${key} is reported`);
  }
  const pct = (n: number) => `${((100 * n) / total).toFixed(1)} %`;
  console.log(`kustomize overlays: ${total} findings on ${Object.keys(EXPECTED).length} overlays; in the overlay's own files ${own} (${pct(own)}), on the producing file ${producing} (${pct(producing)}), on the field itself ${exact} (${pct(exact)})`);
  if (misses.length) console.log(`not on the producing file:\n  ${misses.join('\n  ')}`);
  assert.ok(total >= 25, `enough findings to measure (${total})`);
  assert.ok(own / total >= 0.95, `own files ${pct(own)}`);
  assert.ok(producing / total >= 0.9, `producing file ${pct(producing)}`);
});
