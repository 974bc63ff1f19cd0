// Ties the disks (usage, snapshots) to the model: which nodes to ask (those running the pods of the
// StatefulSets shown that have claim templates), and which StatefulSet rows a usage or snapshot change touches.
import { DiskSource, type DiskOptions } from './disks';
import type { KubeHttp } from './http';
import type { Logger } from './log';
import type { ClusterModel, StatefulSetView } from './model';

/** Nodes running a pod of a shown StatefulSet that has PVCs. */
export function nodesOfShownPods(model: ClusterModel): Set<string> {
  const out = new Set<string>();
  for (const v of model.statefulSets()) {
    if (!v.templates.length) continue;
    for (const o of v.ordinals) if (o.pod?.node && o.pod.phase === 'Running') out.add(o.pod.node);
  }
  return out;
}

function ownsPvc(v: StatefulSetView, pvc: string): boolean {
  return v.templates.some((t) => pvc.startsWith(`${t}-${v.name}-`) && /^\d+$/.test(pvc.slice(t.length + v.name.length + 2)));
}

/** StatefulSet keys touched by changed disk keys (`ns/pvc`, `*`, `node:<name>`). */
export function stsKeysFor(model: ClusterModel, keys: Set<string>): Set<string> {
  const out = new Set<string>();
  const all = model.statefulSets();
  for (const k of keys) {
    if (k === '*') {
      for (const v of all) out.add(v.key);
      continue;
    }
    if (k.startsWith('node:')) {
      const node = k.slice(5);
      for (const v of all) if (v.ordinals.some((o) => o.pod?.node === node)) out.add(v.key);
      continue;
    }
    const i = k.indexOf('/');
    const ns = k.slice(0, i);
    const pvc = k.slice(i + 1);
    for (const v of all) if (v.namespace === ns && ownsPvc(v, pvc)) out.add(v.key);
  }
  return out;
}

export function wireDisks(http: KubeHttp, log: Logger, model: ClusterModel, opts: DiskOptions = {}): DiskSource {
  const disks = new DiskSource(http, log, model.namespace, opts);
  disks.setTargets(() => nodesOfShownPods(model));
  disks.onDidChange((keys) => {
    const touched = stsKeysFor(model, keys);
    if (touched.size) model.touch(touched);
  });
  model.disks = disks;
  return disks;
}
