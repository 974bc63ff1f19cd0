// Renders an overlay with the real kustomize (`kubectl kustomize DIR`, or `kustomize build DIR`) on a
// temporary copy of the files it uses, with `buildMetadata: [originAnnotations]` added to the copied
// overlay so that each rendered object says which file it came from. The copy keeps the files' relative
// layout (below their nearest common folder), so relative references and kustomize's load restrictions
// behave as on the originals. Safe by construction: no plugin or exec flag is ever passed, no network (a
// remote base is refused before rendering, and proxies point nowhere for anything that would try), a
// timeout, cancellable; the copy is removed afterwards.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isMap, isScalar, isSeq, parseAllDocuments, parseDocument, type YAMLMap } from 'yaml';
import type { OverlayTree, ReadText } from './kustomization';
import { makeScratch, removeScratch } from '../scratch';

export const ORIGIN_ANNOTATION = 'config.kubernetes.io/origin';
export const TRANSFORMATIONS_ANNOTATION = 'alpha.config.kubernetes.io/transformations';

/** How kustomize is run: `kubectl kustomize DIR` or `kustomize build DIR`. */
export interface KustomizeTool {
  /** Path or name (looked up on PATH) of kubectl or kustomize. */
  command: string;
  /** Default 20 s. */
  timeoutMs?: number;
}

export function argsFor(tool: KustomizeTool, dir: string): string[] {
  return /(^|[\\/])kustomize(\.exe)?$/i.test(tool.command) ? ['build', dir] : ['kustomize', dir];
}

/** One rendered object, without the annotations we asked kustomize to add. */
export interface RenderedObject {
  kind?: string;
  name?: string;
  /** The file it came from (absolute, the original's path), from config.kubernetes.io/origin. */
  origin?: string;
  /** Which kustomizations' transformers changed it (absolute paths of their files). */
  configuredIn: string[];
}

export interface Rendered {
  /** The rendered YAML, our annotations removed (what the engine checks). */
  text: string;
  /** Per document of `text`, in order. */
  objects: RenderedObject[];
}

export class KustomizeError extends Error {
  constructor(
    message: string,
    /** kustomize could not be started at all (not found, not executable). */
    readonly notFound = false,
  ) {
    super(message);
  }
}

function commonAncestor(paths: string[]): string {
  let common = path.dirname(paths[0]);
  for (const p of paths) {
    while (common !== path.dirname(common) && !(p === common || p.startsWith(common.endsWith(path.sep) ? common : common + path.sep))) common = path.dirname(common);
  }
  return common;
}

/** The environment kustomize runs in: PATH only, a throwaway HOME, proxies that refuse, git limited to local files. */
function safeEnv(home: string): NodeJS.ProcessEnv {
  const nowhere = 'http://127.0.0.1:9';
  return {
    PATH: process.env.PATH ?? '',
    ...(process.env.SYSTEMROOT ? { SYSTEMROOT: process.env.SYSTEMROOT } : {}),
    HOME: home,
    USERPROFILE: home,
    XDG_CONFIG_HOME: home,
    XDG_CACHE_HOME: home,
    KUBECONFIG: path.join(home, 'no-kubeconfig'),
    KUSTOMIZE_PLUGIN_HOME: path.join(home, 'no-plugins'),
    HTTP_PROXY: nowhere,
    HTTPS_PROXY: nowhere,
    http_proxy: nowhere,
    https_proxy: nowhere,
    NO_PROXY: '',
    no_proxy: '',
    GIT_ALLOW_PROTOCOL: 'file',
    GIT_TERMINAL_PROMPT: '0',
    GIT_CONFIG_NOSYSTEM: '1',
  };
}

/** Adds buildMetadata: [originAnnotations, transformerAnnotations] to a kustomization's text (kept if already there). */
export function withBuildMetadata(text: string): string {
  const doc = parseDocument(text, { version: '1.1', uniqueKeys: false });
  if (doc.errors.length || !isMap(doc.contents)) return text; // kustomize reports the broken file itself
  const present = doc.get('buildMetadata');
  const wanted = ['originAnnotations', 'transformerAnnotations'];
  const have = isSeq(present) ? present.items.map((i) => (isScalar(i) ? String(i.value) : '')) : [];
  doc.set('buildMetadata', [...new Set([...have, ...wanted])]);
  return doc.toString({ lineWidth: 0 });
}

let running = 0;

/**
 * Renders the overlay. Throws KustomizeError with kustomize's own message (paths of the copy replaced by
 * the originals') when it fails. `signal` cancels (the child is killed).
 */
export async function renderOverlay(tree: OverlayTree, tool: KustomizeTool, read: ReadText, signal?: AbortSignal): Promise<Rendered> {
  const files = [...tree.files];
  const base = commonAncestor([tree.root.dir, ...files]);
  const tmp = makeScratch('sts-kustomize-');
  const copyRoot = path.join(tmp, 'src');
  const home = path.join(tmp, 'home');
  const toCopy = (p: string) => path.join(copyRoot, path.relative(base, p));
  const toOriginal = (p: string) => path.join(base, path.relative(copyRoot, p));
  running++;
  try {
    fs.mkdirSync(home, { recursive: true });
    for (const f of files) {
      const text = read(f);
      if (text === undefined) continue; // missing: kustomize says so
      const dest = toCopy(f);
      fs.mkdirSync(path.dirname(dest), { recursive: true });
      fs.writeFileSync(dest, f === tree.root.file ? withBuildMetadata(text) : text);
    }
    const dir = toCopy(tree.root.dir);
    fs.mkdirSync(dir, { recursive: true });
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(
        tool.command,
        argsFor(tool, dir),
        { cwd: dir, env: safeEnv(home), timeout: tool.timeoutMs ?? 20_000, maxBuffer: 64 * 1024 * 1024, signal, windowsHide: true },
        (err, out, errText) => {
          if (!err) return resolve(out);
          const e = err as NodeJS.ErrnoException & { killed?: boolean; signal?: string };
          if (e.code === 'ENOENT' || e.code === 'EACCES') return reject(new KustomizeError(`${tool.command} was not found (${e.code})`, true));
          if (e.name === 'AbortError') return reject(e);
          if (e.killed || e.signal) return reject(new KustomizeError(`${tool.command} took longer than ${Math.round((tool.timeoutMs ?? 20_000) / 1000)} s and was stopped`));
          const msg = cleanError(String(errText || e.message)).split(copyRoot).join(base);
          reject(new KustomizeError(msg || `${tool.command} failed`));
        },
      );
    });
    return parseRendered(stdout, (p) => toOriginal(path.resolve(dir, p)));
  } finally {
    running--;
    removeScratch(tmp);
  }
}

/**
 * kustomize's message without the logger's wrapping: kubectl prints `E1207 … run.go:72] "command failed"
 * err="…"` (or `err=<` … `>` over several lines), kustomize `Error: …`.
 */
export function cleanError(stderr: string): string {
  const quoted = /"command failed" err="((?:[^"\\]|\\.)*)"/.exec(stderr);
  if (quoted) {
    try {
      return (JSON.parse(`"${quoted[1]}"`) as string).trim();
    } catch {
      return quoted[1].trim();
    }
  }
  const block = /"command failed" err=<\r?\n([\s\S]*?)\r?\n\s*>/.exec(stderr);
  if (block) return block[1].replace(/^\t/gm, '').replace(/\s*\n\s*/g, ' ').trim();
  return stderr.replace(/^Error:\s*/m, '').trim();
}

/** How many renders are running now (tests check that none is left behind). */
export function rendersRunning(): number {
  return running;
}

/** Splits kustomize's output into objects, reads and removes our annotations. */
export function parseRendered(stdout: string, resolveOrigin: (p: string) => string): Rendered {
  const objects: RenderedObject[] = [];
  const texts: string[] = [];
  for (const doc of parseAllDocuments(stdout, { version: '1.1' })) {
    if (!isMap(doc.contents)) continue;
    const o: RenderedObject = { configuredIn: [] };
    const kind = doc.get('kind');
    if (typeof kind === 'string') o.kind = kind;
    const name = doc.getIn(['metadata', 'name']);
    if (typeof name === 'string') o.name = name;
    const ann = doc.getIn(['metadata', 'annotations']) as YAMLMap | undefined;
    if (isMap(ann)) {
      const origin = ann.get(ORIGIN_ANNOTATION);
      if (typeof origin === 'string') {
        const v = parseDocument(origin).toJS() as { path?: unknown } | null;
        if (v && typeof v.path === 'string') o.origin = resolveOrigin(v.path);
      }
      const tr = ann.get(TRANSFORMATIONS_ANNOTATION);
      if (typeof tr === 'string') {
        const v = parseDocument(tr).toJS() as Array<{ configuredIn?: unknown }> | null;
        if (Array.isArray(v)) for (const t of v) if (typeof t?.configuredIn === 'string') o.configuredIn.push(resolveOrigin(t.configuredIn));
      }
      ann.delete(ORIGIN_ANNOTATION);
      ann.delete(TRANSFORMATIONS_ANNOTATION);
      if (ann.items.length === 0) doc.deleteIn(['metadata', 'annotations']);
    }
    objects.push(o);
    texts.push(doc.toString({ lineWidth: 0 }).replace(/^---[ \t]*\r?\n/, ''));
  }
  return { text: texts.join('---\n'), objects };
}
