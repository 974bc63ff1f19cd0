// Rename a label key or value of an app everywhere it must agree (see labels.ts), as one workspace edit.
// A StatefulSet that already runs in the connected cluster cannot change its selector: renaming a
// label its selector uses is refused with that reason.
import { isScalar, Scalar } from 'yaml';
import type { Range, WorkspaceEdit, TextEdit } from 'vscode-languageserver-types';
import type { FileAnalysis } from './analyzer';
import { labelSites, labelTarget, type LabelTarget } from './labels';
import type { WorkspaceView } from './related';
import { valueAt, type Position } from './yamlNodes';

/** Is a StatefulSet (namespace, name) running in the connected cluster? */
export type IsLive = (namespace: string | undefined, name: string) => boolean;

export class RenameRefused extends Error {}

/** Label keys: an optional DNS-subdomain prefix and a name of alphanumerics, '-', '_', '.'. Values: the same name syntax, or empty. */
const NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)$/;
const PREFIX = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function validLabel(part: 'key' | 'value', text: string): string | undefined {
  if (part === 'value') return text === '' || NAME.test(text) ? undefined : `"${text}" is not a valid label value (at most 63 letters, digits, "-", "_", ".", starting and ending with a letter or digit).`;
  const slash = text.lastIndexOf('/');
  const prefix = slash >= 0 ? text.slice(0, slash) : undefined;
  const name = slash >= 0 ? text.slice(slash + 1) : text;
  if (!NAME.test(name) || (prefix !== undefined && (prefix.length > 253 || !PREFIX.test(prefix))))
    return `"${text}" is not a valid label key (an optional DNS prefix and "/", then at most 63 letters, digits, "-", "_", ".").`;
  return undefined;
}

/** A StatefulSet of the label that runs in the cluster and selects by this key: its selector cannot change. */
function immutable(t: LabelTarget, isLive: IsLive): string | undefined {
  for (const a of t.anchors) {
    const name = a.object.name;
    if (name === undefined || !isLive(a.object.namespace, name)) continue;
    const selector = valueAt(a.doc.value, ['spec', 'selector']) as { matchLabels?: Record<string, unknown>; matchExpressions?: Array<{ key?: unknown }> } | undefined;
    const used = (selector?.matchLabels && t.key in selector.matchLabels) || (Array.isArray(selector?.matchExpressions) && selector.matchExpressions.some((e) => e?.key === t.key));
    if (used)
      return `StatefulSet ${a.object.namespace ? `${a.object.namespace}/` : ''}${name} exists in the connected cluster and its spec.selector is immutable: renaming the label ${t.key}=${t.value} would make kubectl apply fail. Delete the StatefulSet with --cascade=orphan (pods and PVCs stay), then apply the renamed manifest to re-create it.`;
  }
  return undefined;
}

/** Prepare rename: the range and text of the label under the cursor, undefined when it is not a label; throws RenameRefused with the reason when it cannot be renamed. */
export function prepareRename(file: FileAnalysis, uri: string, pos: Position, ws: WorkspaceView, isLive: IsLive): { range: Range; placeholder: string } | undefined {
  const t = labelTarget(file, uri, pos, ws);
  if (!t) return undefined;
  const why = immutable(t, isLive);
  if (why) throw new RenameRefused(why);
  return { range: t.origin.range, placeholder: t.part === 'key' ? t.key : t.value };
}

/** The text that replaces a scalar: the same quoting as before, quoted when YAML would read it as something other than a string. */
function scalarText(node: Scalar, text: string): string {
  if (node.type === Scalar.QUOTE_SINGLE) return `'${text.replace(/'/g, "''")}'`;
  if (node.type === Scalar.QUOTE_DOUBLE || /^(?:$|[-+]?[0-9._]+(?:e[-+]?[0-9]+)?|true|false|yes|no|on|off|y|n|null|~)$/i.test(text)) return JSON.stringify(text);
  return text;
}

/** The rename as one edit over every file that holds the label. */
export function rename(file: FileAnalysis, uri: string, pos: Position, newName: string, ws: WorkspaceView, isLive: IsLive): WorkspaceEdit | undefined {
  const t = labelTarget(file, uri, pos, ws);
  if (!t) return undefined;
  const why = immutable(t, isLive) ?? validLabel(t.part, newName);
  if (why) throw new RenameRefused(why);
  const changes: Record<string, TextEdit[]> = {};
  for (const s of labelSites(t, file, uri, ws)) {
    if (!isScalar(s.node)) continue;
    (changes[s.uri] ??= []).push({ range: s.range, newText: scalarText(s.node, newName) });
  }
  return { changes };
}
