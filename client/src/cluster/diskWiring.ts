// Ties the disks (usage, snapshots) to the model: which nodes to ask (those running the pods of the
// StatefulSets shown that have claim templates), and which StatefulSet rows a usage or snapshot change touches.
import { DiskSource, type DiskOptions } from './disks';
import type { KubeHttp } from './http';
import type { Logger } from './log';
import type { ClusterModel } from './model';

/** Nodes running a pod of a shown StatefulSet that has PVCs. */
export function nodesOfShownPods(model: ClusterModel): Set<string> {
  const out = new Set<string>();
  for (const v of model.statefulSets()) {
    if (!v.templates.length) continue;
    for (const o of v.ordinals) if (o.pod?.node && o.pod.phase === 'Running') out.add(o.pod.node);
  }
  return out;
}

/** StatefulSet keys touched by changed disk keys (`ns/pvc`, `*`, `node:<name>`): one pass over the StatefulSets
 *  (claim prefixes `<ns>/<template>-<sts>-` indexed), then one lookup per key. */
export function stsKeysFor(model: ClusterModel, keys: Set<string>): Set<string> {
  const out = new Set<string>();
  const all = model.statefulSets();
  if (keys.has('*')) {
    for (const v of all) out.add(v.key);
    return out;
  }
  const byPrefix = new Map<string, string[]>();
  for (const v of all)
    for (const t of v.templates) {
      const p = `${v.namespace}/${t}-${v.name}-`;
      byPrefix.set(p, [...(byPrefix.get(p) ?? []), v.key]);
    }
  for (const k of keys) {
    if (k.startsWith('node:')) {
      const node = k.slice(5);
      for (const v of all) if (v.ordinals.some((o) => o.pod?.node === node)) out.add(v.key);
      continue;
    }
    const m = /^(.*-)\d+$/.exec(k);
    for (const key of (m && byPrefix.get(m[1])) || []) out.add(key);
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
