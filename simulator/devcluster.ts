// npm run devcluster — the demo cluster: a local Kubernetes API server SIMULATOR seeded with sample
// StatefulSets, a kubeconfig to point kubectl and the extension at, Ctrl-C to stop.
//   npm run devcluster -- [--port 6443] [--dir DIR] [--ready-delay-ms 1500] [--termination-ms 1000] [--verbose]
// Without --dir every run gets a folder of its own in the system temp directory (kubeconfig, CA), removed when it
// stops: two demo clusters (or a demo beside a test run) never share or overwrite a kubeconfig.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { handleSignals, parseCli, startFromCli } from './cli';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const o = parseCli(argv.includes('--scenario') ? argv : ['--scenario', 'managed', ...argv]);
  let ownDir: string | undefined;
  if (!o.dir) {
    ownDir = o.dir = mkdtempSync(join(tmpdir(), 'statefulset-studio-devcluster-'));
    process.on('exit', () => rmSync(ownDir!, { recursive: true, force: true }));
  }
  o.readyDelayMs ??= 1500; // slow enough to watch pods come up one by one
  o.terminationMs ??= 1000; // and to see them Terminating
  o.logIntervalMs ??= 2000; // running containers log a line every 2 s (Logs follow has something to show)
  o.crashRestartMs ??= 30_000; // crashlooping containers keep crashing (restart count, BackOff count)
  mkdirSync(o.dir, { recursive: true });
  const api = await startFromCli(o, (l) => process.stdout.write(`  ${l}\n`));
  handleSignals(api, false);
  process.on('exit', () => process.stdout.write('\nsimulator stopped.\n'));
  const lines = [
    '',
    'StatefulSet Studio — local Kubernetes API server SIMULATOR (not a real cluster; test and demo use only)',
    `  API server:  ${api.url}   (version v1.32.0-simulator)`,
    `  kubeconfig:  ${api.kubeconfigPath}${ownDir ? '   (this run\'s own folder, removed when it stops)' : ''}`,
    `  contexts:    ${api.contexts.admin} (full rights), ${api.contexts.restricted} (cannot read PVCs or scale)`,
    '  seeded:      default/web (web tier), databases/postgres (3 nodes, two claim templates),',
    '               default/cache (rolling update held at partition 2), default/queue (scaled 5 → 2, PVCs kept),',
    '               managed/: mq-server (operator RabbitmqCluster mq), payments-db (Argo CD app payments, selfHeal),',
    '               search (Flux Kustomization flux-system/apps), sessions (Helm release sessions)',
    '  disks:       www-web-1 91% full and growing (kubelet stats/summary); VolumeSnapshot CRDs installed',
    '',
    'Point kubectl or the extension at it:',
    '',
    `  export KUBECONFIG=${api.kubeconfigPath}`,
    '  kubectl get sts,pods,pvc -A',
    '',
    'Ctrl-C stops it.',
    '',
  ];
  process.stdout.write(lines.join('\n'));
}

main().catch((e) => {
  process.stderr.write(`devcluster failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
