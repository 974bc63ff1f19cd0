// The language server's side of Kustomize overlays: when a file that an overlay uses (its
// kustomization.yaml, a patch file, a base file) is opened or edited, the overlays that use it are
// rendered after a typing pause (open editors' unsaved text included) and their findings are added to
// the open files they land on. A base used by several overlays gets each overlay's findings, each naming
// its overlay. One render at a time per overlay: a newer one cancels the older; a render whose inputs did
// not change is not run again. Off until the client enables it (VS Code: trusted workspaces only).
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RuleSettings } from '../../engine/analyzer';
import type { Diagnostic } from '../../engine/diagnostic';
import { KUSTOMIZATION_FILES, kustomizationDirsAbove, loadOverlay, readDisk, type OverlayTree } from './kustomization';
import { checkOverlay, KUSTOMIZE_CODE } from './overlay';
import { KustomizeError } from './render';

export interface OverlayHost {
  /** The open editor's text of a file (absolute path), if it is open. */
  openText(file: string): string | undefined;
  /** Workspace folders (absolute paths). */
  roots(): string[];
  /** These open files (absolute paths) have new overlay findings: publish them again. */
  refresh(files: string[]): void;
  log(message: string): void;
  /** Live objects of the connected cluster (forbidden updates on the overlay's lines), and their version. */
  live?(kind: string, namespace: string | undefined, name: string): Record<string, unknown> | undefined;
  liveVersion?(): number;
  /** The editor's rule severities (a rule set off, information shown as hints). */
  ruleSettings?(): RuleSettings;
}

export interface OverlaySettings {
  /** Render at all (the client says so: a trusted workspace). */
  enabled: boolean;
  /** kubectl or kustomize (machine-scoped setting); empty: kubectl on PATH. */
  path?: string;
}

interface OverlayState {
  /** What the last render read: a hash of every input file's text. */
  key?: string;
  files: Map<string, Diagnostic[]>;
  running?: AbortController;
  /** a check was asked for while one ran (live objects, settings): run once more when it ends */
  again?: boolean;
}

const SKIP = new Set(['node_modules', '.git', 'dist', 'out', '.vscode-test']);
const MAX_DIRS = 5000;

/** Is this a file name kustomize reads as a kustomization? */
export function isKustomizationFile(file: string): boolean {
  return (KUSTOMIZATION_FILES as readonly string[]).includes(path.basename(file));
}

export class OverlayDiagnostics {
  private settings: OverlaySettings = { enabled: false };
  private overlays = new Map<string, OverlayState>();
  /** Folders with a kustomization file under the workspace folders (undefined: scan again). */
  private dirs: string[] | undefined;
  private timers = new Map<string, { timer: NodeJS.Timeout; immediately: boolean }>();
  private notFoundSaid = false;

  constructor(
    private readonly host: OverlayHost,
    /** Typing pause before a render, ms. */
    private readonly pauseMs = 800,
  ) {}

  configure(s: Partial<OverlaySettings>): void {
    const before = `${this.settings.enabled}|${this.settings.path ?? ''}`;
    this.settings = { ...this.settings, ...s };
    if (`${this.settings.enabled}|${this.settings.path ?? ''}` === before) return;
    for (const st of this.overlays.values()) st.running?.abort();
    const had = this.filesWithFindings();
    this.overlays.clear();
    this.notFoundSaid = false;
    if (had.length) this.host.refresh(had);
  }

  get enabled(): boolean {
    return this.settings.enabled;
  }

  private read = (file: string): string | undefined => this.host.openText(file) ?? readDisk(file);

  private filesWithFindings(): string[] {
    const out = new Set<string>();
    for (const st of this.overlays.values()) for (const f of st.files.keys()) out.add(f);
    return [...out];
  }

  /** The overlay findings for a file (absolute path), from every overlay that uses it. */
  diagnosticsFor(file: string): Diagnostic[] {
    if (!this.settings.enabled) return [];
    const out: Diagnostic[] = [];
    for (const st of this.overlays.values()) out.push(...(st.files.get(file) ?? []));
    return out;
  }

  /**
   * The live objects or the rule settings changed: check the overlays again (kustomize re-runs only for new inputs'
   * keys). A running render is not cancelled (its kustomize output stays good): the overlay is checked again when it
   * ends, so a cluster that changes faster than kustomize runs cannot starve it.
   */
  recheck(): void {
    if (!this.settings.enabled) return;
    for (const [dir, st] of this.overlays) if (st.files.size || st.key) void this.render(dir, false);
  }

  /** Files were created, changed or deleted on disk: a kustomization file among them means the overlays may differ. */
  filesChanged(files: string[]): void {
    if (files.some(isKustomizationFile)) this.dirs = undefined;
  }

  /** A file was opened (`pauseMs` 0) or edited: render the overlays that use it after a pause. */
  touched(file: string, immediately = false): void {
    if (!this.settings.enabled || !/\.ya?ml$|(^|[\\/])Kustomization$/.test(file)) return;
    if (isKustomizationFile(file)) this.dirs = this.dirs?.includes(path.dirname(file)) ? this.dirs : undefined;
    const pending = this.timers.get(file);
    if (pending?.immediately) return; // an open's render is about to run: it reads the newest text
    clearTimeout(pending?.timer);
    const timer = setTimeout(() => {
      this.timers.delete(file);
      for (const dir of this.overlaysUsing(file)) void this.render(dir);
    }, immediately ? 0 : this.pauseMs);
    this.timers.set(file, { timer, immediately });
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t.timer);
    for (const st of this.overlays.values()) st.running?.abort();
  }

  private scan(): string[] {
    if (this.dirs) return this.dirs;
    const found: string[] = [];
    let seen = 0;
    const walk = (dir: string, depth: number) => {
      if (seen++ > MAX_DIRS || depth > 12) return;
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(dir, { withFileTypes: true });
      } catch {
        return;
      }
      if (entries.some((e) => e.isFile() && isKustomizationFile(e.name))) found.push(dir);
      for (const e of entries) if (e.isDirectory() && !SKIP.has(e.name) && !e.name.startsWith('.')) walk(path.join(dir, e.name), depth + 1);
    };
    for (const r of this.host.roots()) walk(r, 0);
    this.dirs = found;
    return found;
  }

  /**
   * The overlays to render for a file: of the kustomizations (in the workspace, else above the file)
   * whose tree uses it, those no other kustomization uses (a base is checked through its overlays).
   */
  overlaysUsing(file: string): string[] {
    const roots = this.host.roots();
    const dirs = roots.length ? this.scan() : kustomizationDirsAbove(file);
    const trees: OverlayTree[] = [];
    for (const d of dirs) {
      const t = loadOverlay(d, this.read);
      if (t) trees.push(t);
    }
    const used = new Set<string>();
    for (const t of trees) for (const k of t.kustomizations.slice(1)) used.add(k.dir);
    return trees.filter((t) => !used.has(t.root.dir) && !t.root.isComponent && t.files.has(file)).map((t) => t.root.dir);
  }

  /** `cancelRunning`: an edit (the running render read an older text); else the running one goes on and this follows it. */
  private async render(dir: string, cancelRunning = true): Promise<void> {
    let st = this.overlays.get(dir);
    if (!st) this.overlays.set(dir, (st = { files: new Map() }));
    if (st.running && !cancelRunning) {
      st.again = true;
      return;
    }
    const tree = loadOverlay(dir, this.read);
    if (!tree) return;
    const hash = createHash('sha1');
    for (const f of [...tree.files].sort()) hash.update(f).update('\0').update(this.read(f) ?? '\u0001missing').update('\0');
    hash.update(`live:${this.host.liveVersion?.() ?? 0}`);
    hash.update(`settings:${JSON.stringify(this.host.ruleSettings?.() ?? {})}`);
    const key = hash.digest('hex');
    if (key === st.key && !st.running) return;
    st.running?.abort();
    const ac = new AbortController();
    st.running = ac;
    const roots = this.host.roots();
    const labelFrom = roots.find((r) => dir === r || dir.startsWith(r + path.sep)) ?? path.dirname(dir);
    let files: Map<string, Diagnostic[]>;
    try {
      const r = await checkOverlay(dir, { tool: { command: this.settings.path || 'kubectl' }, read: this.read, signal: ac.signal, labelFrom, live: this.host.live?.bind(this.host), settings: this.host.ruleSettings?.() });
      files = r?.files ?? new Map();
    } catch (e) {
      if ((e as Error).name === 'AbortError') return; // a newer render took over
      if (e instanceof KustomizeError && e.notFound) {
        if (!this.notFoundSaid) this.host.log(`Kustomize overlays are not rendered: ${e.message}. Set statefulsetStudio.kustomize.path (a machine setting) or put kubectl on PATH.`);
        this.notFoundSaid = true;
        const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
        files = new Map([
          [
            tree.root.file,
            [
              {
                range,
                severity: 3,
                code: KUSTOMIZE_CODE,
                source: 'statefulset-studio',
                message: `This overlay is not rendered: ${e.message}. Install kubectl 1.27 or newer (it includes kustomize), or set statefulsetStudio.kustomize.path to kubectl or kustomize. Its files are still checked one by one.`,
              },
            ],
          ],
        ]);
      } else {
        // never silent: the overlay says it was not checked, and why
        this.host.log(`kustomize overlay ${dir}: ${(e as Error).stack ?? e}`);
        const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
        files = new Map([[tree.root.file, [{ range, severity: 3, code: KUSTOMIZE_CODE, source: 'statefulset-studio', message: `This overlay could not be checked: ${(e as Error).message}` } as Diagnostic]]]);
      }
    } finally {
      if (st.running === ac) st.running = undefined;
    }
    if (ac.signal.aborted) return;
    const changed = new Set([...st.files.keys(), ...files.keys()]);
    st.files = files;
    st.key = key;
    this.host.refresh([...changed]);
    if (st.again && this.overlays.get(dir) === st) {
      st.again = false;
      void this.render(dir, false);
    }
  }
}

const SUFFIX = / \[kustomize overlay [^\]]*\]$/;

/** Drops overlay findings the file's own analysis already shows (same rule, line and message); keeps one per message otherwise. */
export function withOverlayFindings(own: Diagnostic[], overlay: Diagnostic[]): Diagnostic[] {
  if (!overlay.length) return own;
  const have = new Set(own.map((d) => `${d.code}|${d.range.start.line}|${d.message}`));
  const extra = overlay.filter((d) => d.code === KUSTOMIZE_CODE || !have.has(`${d.code}|${d.range.start.line}|${d.message.replace(SUFFIX, '')}`));
  return extra.length ? [...own, ...extra] : own;
}
