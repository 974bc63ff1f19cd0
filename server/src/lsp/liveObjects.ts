// Live objects of the connected cluster, sent by the extension's cluster explorer, so that rules can
// compare a file with what runs (forbidden updates of immutable fields).

type Obj = Record<string, unknown>;

export class LiveObjects {
  /** Notification the client sends with `{ objects: [...] }` (full objects, latest from its informers). */
  static readonly NOTIFICATION = 'statefulsetStudio/liveObjects';
  private byKey = new Map<string, Obj>();
  /** What the objects are: each one's key, uid and resourceVersion (its JSON when it has no resourceVersion). */
  private signature = '';
  /** Increases on every replacement that changed something. */
  version = 0;

  /**
   * Takes the client's full list; false (and nothing re-checked) when it is the same objects at the same
   * resourceVersions: the explorer sends it on every change of a pod or claim too, which changes no StatefulSet.
   */
  replace(objects: unknown[]): boolean {
    const byKey = new Map<string, Obj>();
    const parts: string[] = [];
    for (const o of objects) {
      if (!o || typeof o !== 'object') continue;
      const obj = o as Obj;
      const meta = (obj.metadata ?? {}) as Obj;
      const kind = typeof obj.kind === 'string' ? obj.kind : 'StatefulSet';
      if (typeof meta.name !== 'string') continue;
      const key = `${kind}|${typeof meta.namespace === 'string' ? meta.namespace : 'default'}|${meta.name}`;
      byKey.set(key, obj);
      parts.push(typeof meta.resourceVersion === 'string' && meta.resourceVersion ? `${key}|${String(meta.uid)}|${meta.resourceVersion}` : `${key}|${JSON.stringify(obj)}`);
    }
    const signature = parts.sort().join('\n');
    this.byKey = byKey;
    if (signature === this.signature) return false;
    this.signature = signature;
    this.version++;
    return true;
  }

  /** The live object; with no namespace in the file, the `default` namespace's, else the only one of that name. */
  get(kind: string, namespace: string | undefined, name: string): Obj | undefined {
    if (namespace) return this.byKey.get(`${kind}|${namespace}|${name}`);
    const exact = this.byKey.get(`${kind}|default|${name}`);
    if (exact) return exact;
    const matches = [...this.byKey.entries()].filter(([k]) => k.startsWith(`${kind}|`) && k.endsWith(`|${name}`));
    return matches.length === 1 ? matches[0][1] : undefined;
  }

  get size(): number {
    return this.byKey.size;
  }
}
