// Checks a Kustomize overlay: render (render.ts), run the engine on the rendered objects, and put each
// finding back on the overlay's own files (map.ts). kustomize's own failures, remote bases and a missing
// kubectl become diagnostics on the kustomization file. Used by statefulset-lint OVERLAY_DIR and the
// language server.
import * as path from 'node:path';
import { FileAnalyzer, fileDiagnostics, type RuleSettings } from '../../engine/analyzer';
import type { Diagnostic, Range } from '../../engine/diagnostic';
import { nodePathAt } from '../../engine/yamlNodes';
import { emptyEnvironment } from '../../rules/framework';
import type { TargetVersion } from '../../schema/versions';
import { loadOverlay, readDisk, type OverlayTree, type ReadText } from './kustomization';
import { OverlayMapper, overlayLabel, type Placement } from './map';
import { KustomizeError, renderOverlay, type KustomizeTool, type Rendered } from './render';

export const KUSTOMIZE_CODE = 'kustomize';
const DOC_HREF = 'https://github.com/statefulset-studio/statefulset-studio/blob/main/docs/charts-and-overlays.md#kustomize-overlays';

export interface OverlayOptions {
  tool: KustomizeTool;
  read?: ReadText;
  signal?: AbortSignal;
  /** Folder the overlay is named relative to in messages (the workspace folder, the CLI's cwd). */
  labelFrom?: string;
  settings?: RuleSettings;
  kubernetesVersion?: TargetVersion;
  /** Live objects (--live, the connected cluster): forbidden-update findings land on the overlay's lines too. */
  live?: (kind: string, namespace: string | undefined, name: string) => Record<string, unknown> | undefined;
}

/** One finding of the rendered objects and where it went. */
export interface MappedFinding {
  /** The rendered object: kind and name. */
  kind?: string;
  name?: string;
  code: string;
  placement: Placement;
}

export interface OverlayResult {
  overlay: string;
  tree: OverlayTree;
  /** Diagnostics per file (absolute paths), messages naming the overlay. */
  files: Map<string, Diagnostic[]>;
  findings: MappedFinding[];
  rendered?: Rendered;
  /** kustomize failed or a remote base was refused: the message (also a diagnostic on the kustomization). */
  failed?: string;
}

function kustomizeDiagnostic(range: Range, message: string, severity: 1 | 2 | 3 = 1): Diagnostic {
  return { range, severity, code: KUSTOMIZE_CODE, codeDescription: { href: DOC_HREF }, source: 'statefulset-studio', message };
}

function add(files: Map<string, Diagnostic[]>, file: string, d: Diagnostic): void {
  const list = files.get(file) ?? [];
  const key = `${d.code}|${d.range.start.line}:${d.range.start.character}|${d.message}`;
  if (!list.some((x) => `${x.code}|${x.range.start.line}:${x.range.start.character}|${x.message}` === key)) list.push(d);
  files.set(file, list);
}

/** kustomize's error on the entry it names (a missing resource or patch), else the overlay's first line. */
function placeError(tree: OverlayTree, message: string): { file: string; range: Range } {
  for (const k of [...tree.kustomizations].reverse()) {
    for (const e of [...k.resources, ...k.components]) if (message.includes(path.resolve(k.dir, e.value)) || message.includes(`'${e.value}'`)) return { file: k.file, range: e.range };
    for (const p of k.patches) if (p.file && message.includes(p.file)) return { file: k.file, range: p.range };
  }
  // a kustomization that is not valid YAML: kustomize names the line ("yaml: line 3: …")
  const broken = tree.kustomizations.find((k) => k.broken && (message.includes(k.file) || k === tree.root)) ?? tree.kustomizations.find((k) => k.broken);
  if (broken) {
    const line = Math.max(0, Number(/yaml: line (\d+)/.exec(message)?.[1] ?? 1) - 1);
    return { file: broken.file, range: { start: { line, character: 0 }, end: { line, character: broken.lines.lineText(line).length } } };
  }
  return { file: tree.root.file, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } };
}

/**
 * Renders and checks the overlay in `dir` (a folder with a kustomization file). Resolves undefined when
 * there is none. Throws KustomizeError(notFound) when kubectl/kustomize cannot be started.
 */
export async function checkOverlay(dir: string, opts: OverlayOptions): Promise<OverlayResult | undefined> {
  const read = opts.read ?? readDisk;
  const tree = loadOverlay(path.resolve(dir), read);
  if (!tree) return undefined;
  const label = overlayLabel(tree.root.dir, opts.labelFrom);
  const result: OverlayResult = { overlay: tree.root.dir, tree, files: new Map(), findings: [] };
  if (tree.remote.length) {
    for (const { k, entry } of tree.remote) {
      add(
        result.files,
        k.file,
        kustomizeDiagnostic(entry.range, `"${entry.value}" is a remote base: StatefulSet Studio renders overlays without the network, so overlay ${label} is not checked. Vendor the base into the repository (or check the rendered output with statefulset-lint).`, 2),
      );
    }
    result.failed = `overlay ${label} uses a remote base (${tree.remote[0].entry.value}), which is not fetched`;
    return result;
  }
  let rendered: Rendered;
  try {
    rendered = await renderOverlay(tree, opts.tool, read, opts.signal);
  } catch (e) {
    if (!(e instanceof KustomizeError) || e.notFound) throw e;
    const at = placeError(tree, e.message);
    add(result.files, at.file, kustomizeDiagnostic(at.range, `kustomize cannot build overlay ${label}: ${e.message}`));
    result.failed = e.message;
    return result;
  }
  result.rendered = rendered;
  const analysis = new FileAnalyzer().analyze(rendered.text);
  const diagnostics = fileDiagnostics(analysis, { uri: path.join(tree.root.dir, '(rendered)'), env: opts.live ? { ...emptyEnvironment, live: opts.live } : emptyEnvironment, settings: opts.settings, kubernetesVersion: opts.kubernetesVersion });
  const mapper = new OverlayMapper(tree, read);
  // documents of the rendered text, in the order kustomize printed them
  const docIndex = new Map(analysis.documents.map((d, i) => [d, i]));
  for (const d of diagnostics) {
    const at = nodePathAt(analysis, d.range.start);
    const i = at ? docIndex.get(at.doc) : undefined;
    const object = i !== undefined ? rendered.objects[i] : undefined;
    const value = at?.doc.value;
    let placement: Placement;
    if (at && object && value) placement = mapper.place(object, value, at.path, at.onKey);
    else placement = { file: tree.root.file, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, how: 'fallback', via: 'kustomization' };
    const what = object?.kind && object.name ? `${object.kind} ${object.name}` : 'the rendered output';
    const mapped: Diagnostic = { ...d, range: placement.range, message: `${d.message} [kustomize overlay ${label}: ${what}${placement.via !== 'base' ? `, set by ${placement.via}` : ''}]` };
    // a quick fix's replacement only fits where the field's own value was written
    if (placement.how !== 'exact' || placement.via === 'json6902') delete mapped.data;
    add(result.files, placement.file, mapped);
    result.findings.push({ kind: object?.kind, name: object?.name, code: String(d.code), placement });
  }
  return result;
}

export { KustomizeError };
