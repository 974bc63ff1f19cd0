// Quick fixes for a selector that does not select the pod template's labels: either add the
// selector's labels to the template (preferred: the selector of a live StatefulSet cannot change), or
// make the selector ask for what the template has.
import { isMap, isScalar, stringify } from 'yaml';
import type { TextEdit } from 'vscode-languageserver-types';
import { obj } from '../framework';
import { labelSelectorSelects, labelsOf, showLabels, type Labels } from '../practices/util';
import { insertFields, locate, replaceMap, type FileDoc, type Fix } from './text';

const TEMPLATE_LABELS = ['spec', 'template', 'metadata', 'labels'];
const MATCH_LABELS = ['spec', 'selector', 'matchLabels'];

/** A label value as a YAML scalar (quoted when YAML 1.1 would read it as something else). */
function scalar(v: string): string {
  return stringify(v, { version: '1.1', lineWidth: 0 }).trim();
}

/** Edits that make the template's labels carry `wanted` (changing differing values, adding missing keys). */
function setTemplateLabels(f: FileDoc, current: Labels, wanted: Labels): TextEdit[] | undefined {
  const at = locate(f, TEMPLATE_LABELS);
  if (at && isMap(at.node) && !at.node.flow && at.node.items.length > 0) {
    const edits: TextEdit[] = [];
    const missing: Labels = {};
    for (const [k, v] of Object.entries(wanted)) {
      if (current[k] === v) continue;
      if (k in current) {
        const val = locate(f, [...TEMPLATE_LABELS, k]);
        const node = val?.node;
        if (!isScalar(node) || !node.range) return undefined;
        const r = node.range;
        edits.push({ range: f.lines.range(f.chunk.startOffset + r[0], f.chunk.startOffset + r[1]), newText: scalar(v) });
      } else missing[k] = v;
    }
    if (Object.keys(missing).length) {
      const e = insertFields(f, TEMPLATE_LABELS, missing);
      if (!e) return undefined;
      edits.push(e);
    }
    return edits;
  }
  if (at && isMap(at.node)) {
    const e = replaceMap(f, TEMPLATE_LABELS, { ...current, ...wanted });
    return e ? [e] : undefined;
  }
  if (at) {
    // `labels:` with nothing (or null) after it
    const e = insertFields(f, ['spec', 'template', 'metadata', 'labels'], wanted);
    return e ? [e] : undefined;
  }
  const meta = locate(f, ['spec', 'template', 'metadata']);
  const e = meta ? insertFields(f, ['spec', 'template', 'metadata'], { labels: wanted }) : insertFields(f, ['spec', 'template'], { metadata: { labels: wanted } });
  return e ? [e] : undefined;
}

/** The two fixes for a StatefulSet whose selector does not select its template's labels. */
export function selectorLabelFixes(f: FileDoc): Fix[] {
  const spec = obj(f.value?.spec);
  const selector = obj(spec?.selector);
  if (!selector) return [];
  const s = labelsOf(selector.matchLabels);
  const t = labelsOf(obj(obj(obj(spec?.template)?.metadata)?.labels));
  const fixes: Fix[] = [];
  // 1. the template takes the selector's labels
  if (Object.keys(s).length && labelSelectorSelects(selector, { ...t, ...s })) {
    const edits = setTemplateLabels(f, t, s);
    if (edits?.length) fixes.push({ title: `Add the selector's labels to the pod template (${showLabels(s)})`, edits, preferred: true });
  }
  // 2. the selector asks for the template's labels (keys it shares with the template, else all of them)
  if (Object.keys(t).length) {
    const shared: Labels = {};
    for (const k of Object.keys(s)) if (k in t) shared[k] = t[k];
    const wanted = Object.keys(shared).length ? shared : t;
    if (labelSelectorSelects({ ...selector, matchLabels: wanted }, t)) {
      const edit = locate(f, MATCH_LABELS) ? replaceMap(f, MATCH_LABELS, wanted) : insertFields(f, ['spec', 'selector'], { matchLabels: wanted });
      if (edit) fixes.push({ title: `Change the selector to match the pod template's labels (${showLabels(wanted)})`, edits: [edit] });
    }
  }
  return fixes;
}
