// The workspace index: Kubernetes objects (Services, PodDisruptionBudgets, …) found in every YAML file
// of the workspace folders, kept current as files change, for cross-file rules. Files outside the
// workspace folders count only while they are open in the editor.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { objectsOfKinds } from '../engine/analyzer';
import { keptObjects, type IndexedObject } from '../rules/framework';

/** Folders never worth reading. */
const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', 'dist', 'out', '.cache', 'vendor']);
/** Bounds that keep a huge monorepo from stalling the server. */
export const MAX_INDEXED_FILES = 5000;
export const MAX_INDEXED_FILE_BYTES = 1024 * 1024;
/** Kinds other rules ask about (ConfigMap and Secret: go to definition from a StatefulSet's volumes and env). */
const INDEXED_KINDS = new Set(['Service', 'PodDisruptionBudget', 'StatefulSet', 'PersistentVolumeClaim', 'ConfigMap', 'Secret']);

/** Values of unchanged documents are the same objects (the analyzer caches them): compared cheaply first. */
function sameValue(a: IndexedObject, b: IndexedObject): boolean {
  return a.value === b.value || JSON.stringify(a.value) === JSON.stringify(b.value);
}

export class WorkspaceIndex {
  private byUri = new Map<string, IndexedObject[]>();
  /** Per file, the objects given last (all kinds) and, per object, where the indexed ones before it end in byUri's list. */
  private given = new Map<string, { objects: IndexedObject[]; at: Int32Array }>();
  private listeners: Array<(uri: string) => void> = [];
  /** Files seen in the last scan (for the bound). */
  scanned = 0;
  /** Increases on every change (rules reuse results while it stays the same). */
  version = 0;
  private changesByUri = new Map<string, number>();
  /** The workspace folders (paths); a file outside them counts only while it is open. */
  private folders: string[] = [];
  private open = new Set<string>();

  /** Is this file in one of the workspace folders? */
  inWorkspace(uri: string): boolean {
    let file: string;
    try {
      file = fileURLToPath(uri);
    } catch {
      return false;
    }
    return this.folders.some((f) => file === f || file.startsWith(f.endsWith(path.sep) ? f : f + path.sep));
  }

  /** The editor opened the file: its text is what counts, wherever it is. */
  opened(uri: string): void {
    this.open.add(uri);
  }

  /** The editor closed it: back to the disk version in the workspace folders; outside them it no longer counts. */
  async closed(uri: string): Promise<void> {
    this.open.delete(uri);
    if (this.inWorkspace(uri)) await this.readFile(uri);
    else this.remove(uri);
  }

  /** A number that changes when any file but `uri` changes what it holds. */
  versionExcluding(uri: string): number {
    return this.version - (this.changesByUri.get(uri) ?? 0);
  }

  /** `f` hears the URI of every file whose objects changed. */
  onDidChange(f: (uri: string) => void): void {
    this.listeners.push(f);
  }

  private changed(uri: string): void {
    this.version++;
    this.changesByUri.set(uri, (this.changesByUri.get(uri) ?? 0) + 1);
    for (const f of this.listeners) f(uri);
  }

  /** Objects of a kind in the workspace, except those of `excludeUri` (the file being analysed). */
  objects(kind: string, excludeUri?: string): IndexedObject[] {
    const out: IndexedObject[] = [];
    for (const [uri, objs] of this.byUri) {
      if (uri === excludeUri) continue;
      for (const o of objs) if (o.kind === kind) out.push(o);
    }
    return out;
  }

  /** Replace what one file holds (from disk, or from its open editor text). Returns whether it changed. */
  setText(uri: string, text: string): boolean {
    return this.setObjects(uri, objectsOfKinds(text, uri, INDEXED_KINDS));
  }

  setObjects(uri: string, objs: IndexedObject[]): boolean {
    const last = this.given.get(uri);
    const spliced = keptObjects(objs);
    if (last && spliced && spliced.before === last.objects) return this.setChanged(uri, last, objs, spliced.head, spliced.tail);
    const kept: IndexedObject[] = [];
    const at = new Int32Array(objs.length + 1);
    objs.forEach((o, k) => {
      at[k] = kept.length;
      if (INDEXED_KINDS.has(o.kind)) kept.push(o);
    });
    at[objs.length] = kept.length;
    this.given.set(uri, { objects: objs, at });
    return this.put(uri, this.byUri.get(uri) ?? [], kept);
  }

  /**
   * The objects of an open file after an edit that kept the first `head` and the last `tail` of the
   * objects given last time (engine/analyzer.ts objectsOf): only those in between are looked at.
   */
  private setChanged(uri: string, last: { objects: IndexedObject[]; at: Int32Array }, objs: IndexedObject[], head: number, tail: number): boolean {
    const n = last.objects.length;
    const m = objs.length;
    const before = this.byUri.get(uri) ?? [];
    const mid: IndexedObject[] = [];
    const at = new Int32Array(m + 1);
    at.set(last.at.subarray(0, head + 1));
    for (let k = head; k < m - tail; k++) {
      at[k] = last.at[head] + mid.length;
      if (INDEXED_KINDS.has(objs[k].kind)) mid.push(objs[k]);
    }
    const shift = last.at[head] + mid.length - last.at[n - tail];
    for (let k = m - tail; k <= m; k++) at[k] = last.at[k - m + n] + shift;
    this.given.set(uri, { objects: objs, at });
    const from = last.at[head];
    const to = last.at[n - tail];
    if (to - from === mid.length && mid.every((o, i) => sameValue(before[from + i], o))) return false;
    return this.put(uri, before, before.slice(0, from).concat(mid, before.slice(to)));
  }

  /** What the file holds now, if it is not what it held (`before`). */
  private put(uri: string, before: IndexedObject[], kept: IndexedObject[]): boolean {
    if (before.length === kept.length && before.every((o, i) => sameValue(o, kept[i]))) return false;
    if (kept.length) this.byUri.set(uri, kept);
    else this.byUri.delete(uri);
    this.changed(uri);
    return true;
  }

  remove(uri: string): void {
    this.given.delete(uri);
    if (this.byUri.delete(uri)) this.changed(uri);
  }

  async readFile(uri: string): Promise<void> {
    if (this.open.has(uri)) return; // its editor text counts, not the disk's
    if (!this.inWorkspace(uri)) return this.remove(uri);
    try {
      const file = fileURLToPath(uri);
      const st = await fs.stat(file);
      if (!st.isFile() || st.size > MAX_INDEXED_FILE_BYTES) return this.remove(uri);
      const text = await fs.readFile(file, 'utf8');
      if (!this.open.has(uri)) this.setText(uri, text); // (unless opened while it was read)
    } catch {
      this.remove(uri);
    }
  }

  /** Reads every *.yaml / *.yml below the folders, yielding to the event loop between files. */
  async scan(folders: string[]): Promise<void> {
    this.folders = folders.map((f) => path.resolve(f));
    const files: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      if (files.length >= MAX_INDEXED_FILES) return;
      let entries;
      try {
        entries = await fs.readdir(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        if (files.length >= MAX_INDEXED_FILES) return;
        if (e.isDirectory()) {
          if (!SKIP_DIRS.has(e.name) && !e.name.startsWith('.')) await walk(path.join(dir, e.name));
        } else if (e.isFile() && /\.ya?ml$/i.test(e.name)) files.push(path.join(dir, e.name));
      }
    };
    for (const f of folders) await walk(f);
    this.scanned = files.length;
    for (const f of files) {
      await this.readFile(pathToFileURL(f).toString());
      await new Promise((r) => setImmediate(r));
    }
  }
}
