// Beside the neighbours (issue 22): Red Hat YAML and Microsoft Kubernetes, their real VSIXs (built from their public
// sources, ../shared/vsix/ beside the clone; never bundled into our package), installed offline into code-server.
// Two sessions of test/e2e/suite/neighbours.e2e.ts: the neighbours alone (baseline), then the neighbours and ours,
// both with the demo cluster of the simulator as KUBECONFIG. What each saw (completion items, hovers, Problems)
// is kept in test-results/e2e/neighbours-{baseline,full}/measured.json and summarised on stderr.
// Run alone: node test/run.mjs e2e/neighbours
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT, editorSkip, editorTest } from './harness';
import { startApiServer } from '../../simulator';

/** The folder holding the neighbours' VSIXs: $STATEFULSET_STUDIO_NEIGHBOURS_VSIX, else shared/vsix in the clone's
 *  parent folder or the one above it (a worktree under a folder of worktrees). */
function vsixDir(): string | undefined {
  const candidates = [process.env.STATEFULSET_STUDIO_NEIGHBOURS_VSIX, join(ROOT, '..', 'shared', 'vsix'), join(ROOT, '..', '..', 'shared', 'vsix')];
  return candidates.find((d): d is string => Boolean(d) && existsSync(d as string));
}

function neighbours(): { yaml: string; k8s: string } | string {
  const dir = vsixDir();
  if (!dir) return 'the neighbours\' VSIXs are absent: expected ../shared/vsix/ beside the clone (or $STATEFULSET_STUDIO_NEIGHBOURS_VSIX) with vscode-yaml-*.vsix and vscode-kubernetes-tools-*.vsix';
  const files = readdirSync(dir);
  const yaml = files.find((f) => /^vscode-yaml-.*\.vsix$/.test(f));
  const k8s = files.find((f) => /^vscode-kubernetes-tools-.*\.vsix$/.test(f));
  if (!yaml || !k8s) return `the neighbours' VSIXs are absent from ${dir}: need vscode-yaml-*.vsix and vscode-kubernetes-tools-*.vsix, found ${files.join(', ') || 'nothing'}`;
  return { yaml: join(dir, yaml), k8s: join(dir, k8s) };
}

const found = neighbours();
// $KUBECTL (test/run.mjs sets it: PATH's, else the provisioned copy), else kubectl on PATH, as an absolute path:
// the Kubernetes extension does not look a bare name up on PATH ("kubectl not found")
const kubectl = (() => {
  const r = spawnSync('sh', ['-c', 'command -v "$0"', process.env.KUBECTL || 'kubectl'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : '';
})();

test('beside Red Hat YAML and Microsoft Kubernetes in a real VS Code (code-server): one answer per question', {
  timeout: 30 * 60_000,
  skip: editorSkip() || (typeof found === 'string' ? found : false),
}, async (t) => {
  if (typeof found === 'string') return;
  const api = await startApiServer({ scenario: 'demo', podReadyDelayMs: 50 });
  try {
    // the neighbours quiet and offline: no schema store catalogue, our kubectl, no tool downloads or upgrade checks
    const settings = {
      'yaml.schemaStore.enable': false,
      'redhat.telemetry.enabled': false,
      'vs-kubernetes': {
        'vs-kubernetes.kubectl-path': kubectl,
        'vs-kubernetes.kubectlVersioning': 'user-provided',
        'vs-kubernetes.kubeconfig': api.kubeconfigPath,
        'checkForMinikubeUpgrade': false,
      },
      'vscode-kubernetes.kubectl-path': kubectl,
      // VS Code's own fallback (words of open files) would blur which extension answered what
      'editor.wordBasedSuggestions': 'off',
    };
    const extraVsix = [found.yaml, found.k8s]; // YAML first: Kubernetes depends on it
    const out = (phase: string) => join(ROOT, 'test-results', 'e2e', `neighbours-${phase}`, 'measured.json');
    // while developing: E2E_NEIGHBOURS_SKIP_BASELINE=1 reuses the baseline of an earlier run
    const skipBaseline = process.env.E2E_NEIGHBOURS_SKIP_BASELINE === '1' && existsSync(out('baseline'));
    await t.test('baseline: the neighbours alone', { skip: skipBaseline && 'E2E_NEIGHBOURS_SKIP_BASELINE=1: the earlier baseline is reused' }, async (tt) => {
      await editorTest(tt, {
        suites: ['neighbours.e2e.ts'], resultsName: 'neighbours-baseline', settings, extraVsix, withoutOurs: true,
        extraEnv: { KUBECONFIG: api.kubeconfigPath, E2E_NEIGHBOURS_PHASE: 'baseline', E2E_NEIGHBOURS_OUT: out('baseline') },
      });
    });
    await t.test('full: the neighbours and ours', async (tt) => {
      await editorTest(tt, {
        suites: ['neighbours.e2e.ts'], resultsName: 'neighbours-full', settings, extraVsix,
        extraEnv: {
          STATEFULSET_STUDIO_TEST: '1', KUBECONFIG: api.kubeconfigPath, E2E_KUBECONFIG: api.kubeconfigPath,
          E2E_NEIGHBOURS_PHASE: 'full', E2E_NEIGHBOURS_OUT: out('full'), E2E_NEIGHBOURS_BASELINE: out('baseline'),
        },
      });
    });
    for (const phase of ['baseline', 'full']) {
      if (!existsSync(out(phase))) continue;
      const m = JSON.parse(readFileSync(out(phase), 'utf8')) as { measured: Record<string, { languageId: string; completion?: { labels: string[]; duplicates: string[] }; hover?: { count: number }; problems: Array<{ source: string; line: number; message: string }> }> };
      for (const [file, s] of Object.entries(m.measured)) {
        process.stderr.write(`[neighbours ${phase}] ${file} (${s.languageId}): completion ${s.completion?.labels.length ?? '-'} items, duplicates [${s.completion?.duplicates.join(', ') ?? ''}]; hovers ${s.hover?.count ?? '-'}; problems ${s.problems.length}: ${s.problems.map((p) => `${p.line}[${p.source}]`).join(' ')}\n`);
      }
    }
  } finally {
    await api.stop();
  }
});
