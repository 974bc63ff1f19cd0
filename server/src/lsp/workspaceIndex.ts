// The workspace index: Kubernetes objects (Services, PodDisruptionBudgets, …) found in every YAML file
// of the workspace folders, kept current as files change, for cross-file rules. Files outside the
// workspace folders count only while they are open in the editor.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { objectsOfKinds } from '../engine/analyzer';
import { spliceRuns, type Runs } from '../engine/runs';
import { keptObjects, type IndexedObject } from '../rules/framework';

/** Folders never worth reading. */
const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', 'dist', 'out', '.cache', 'vendor']);
/** Bounds that keep a huge monorepo from stalling the server. */
export const MAX_INDEXED_FILES = 5000;
export const MAX_INDEXED_FILE_BYTES = 1024 * 1024;
/** Kinds other rules ask about (ConfigMap and Secret: go to definition from a StatefulSet's volumes and env). */
const INDEXED_KINDS = new Set(['Service', 'PodDisruptionBudget', 'StatefulSet', 'PersistentVolumeClaim', 'ConfigMap', 'Secret']);

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
    const before = this.byUri.get(uri) ?? [];
    // after an edit of an open file, only the objects between those it kept (engine/analyzer.ts objectsOf)
    // are looked at; else all of them, as one run in place of all the file held
    const last = this.given.get(uri);
    const spliced = keptObjects(objs);
    const edit = last && spliced && spliced.before === last.objects;
    const head = edit ? spliced.head : 0;
    const tail = edit ? spliced.tail : 0;
    const from: Runs<IndexedObject> = edit ? { items: before, at: last.at } : { items: before, at: Int32Array.of(0, before.length) };
    const mid = objs.slice(head, objs.length - tail).map((o) => (INDEXED_KINDS.has(o.kind) ? [o] : []));
    const kept = spliceRuns(from, head, tail, mid);
    this.given.set(uri, { objects: objs, at: kept.at });
    // values of unchanged documents are the same objects (the analyzer caches them): the replaced part compared
    const n = from.at.length - 1;
    const was = before.slice(from.at[head], from.at[n - tail]);
    const now = kept.items.slice(kept.at[head], kept.at[objs.length - tail]);
    if (was.length === now.length && was.every((o, i) => o.value === now[i].value || JSON.stringify(o.value) === JSON.stringify(now[i].value))) return false;
    if (kept.items.length) this.byUri.set(uri, kept.items);
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
