// Live objects of the connected cluster, sent by the extension's cluster explorer, so that rules can
// compare a file with what runs (forbidden updates of immutable fields).

type Obj = Record<string, unknown>;

export class LiveObjects {
  /** Notification the client sends with `{ objects: [...] }` (full objects, latest from its informers). */
  static readonly NOTIFICATION = 'statefulsetStudio/liveObjects';
  private byKey = new Map<string, Obj>();
  /** Increases on every replacement. */
  version = 0;

  replace(objects: unknown[]): void {
    this.version++;
    this.byKey.clear();
    for (const o of objects) {
      if (!o || typeof o !== 'object') continue;
      const obj = o as Obj;
      const meta = (obj.metadata ?? {}) as Obj;
      const kind = typeof obj.kind === 'string' ? obj.kind : 'StatefulSet';
      if (typeof meta.name !== 'string') continue;
      this.byKey.set(`${kind}|${typeof meta.namespace === 'string' ? meta.namespace : 'default'}|${meta.name}`, obj);
    }
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
