import type { Segment } from '../../schema';
import { arr, obj, str, type DocumentContext, type Rule } from '../framework';
import { containerLabel, containersOf, POD_SPEC, qualifiedNameProblem, TEMPLATE_FAILS } from './support';

const ENV_PATHS = ['metadata.name', 'metadata.namespace', 'metadata.uid', 'spec.nodeName', 'spec.serviceAccountName', 'status.hostIP', 'status.hostIPs', 'status.podIP', 'status.podIPs'];
const VOLUME_PATHS = ['metadata.name', 'metadata.namespace', 'metadata.uid', 'metadata.labels', 'metadata.annotations'];
const RESOURCES = ['limits.cpu', 'limits.memory', 'limits.ephemeral-storage', 'requests.cpu', 'requests.memory', 'requests.ephemeral-storage'];

/** Why a fieldPath is not supported, or undefined. */
function fieldPathProblem(fp: string, allowed: string[]): string | undefined {
  const m = /^(metadata\.labels|metadata\.annotations)\['(.*)'\]$/.exec(fp);
  if (m) {
    const p = qualifiedNameProblem(m[2]);
    return p ? `the key "${m[2]}" is not a valid ${m[1] === 'metadata.labels' ? 'label' : 'annotation'} key: ${p}` : undefined;
  }
  if (allowed.includes(fp)) return undefined;
  return `it is not supported; use one of ${allowed.join(', ')}, metadata.labels['<key>'] or metadata.annotations['<key>']`;
}

function resourceProblem(r: string): string | undefined {
  if (RESOURCES.includes(r) || /^(limits|requests)\.hugepages-.+/.test(r)) return undefined;
  return `it is not supported; use one of ${RESOURCES.join(', ')} (or limits./requests.hugepages-<size>)`;
}

function checkFieldRef(ctx: DocumentContext, ref: Record<string, unknown> | undefined, path: Segment[], allowed: string[], where: string): void {
  const fp = str(ref?.fieldPath);
  if (fp === undefined) return;
  const p = fieldPathProblem(fp, allowed);
  if (p) ctx.report([...path, 'fieldPath'], `The fieldRef "${fp}" of ${where}: ${p}. It is ${TEMPLATE_FAILS}.`, { at: 'value' });
}

function checkResourceRef(ctx: DocumentContext, ref: Record<string, unknown> | undefined, path: Segment[], where: string, needsContainer: boolean): void {
  if (!ref) return;
  const r = str(ref.resource);
  if (r !== undefined) {
    const p = resourceProblem(r);
    if (p) ctx.report([...path, 'resource'], `The resourceFieldRef "${r}" of ${where}: ${p}. It is ${TEMPLATE_FAILS}.`, { at: 'value' });
  }
  if (needsContainer && (ref.containerName === undefined || ref.containerName === '')) {
    ctx.report(path, `The resourceFieldRef of ${where} needs containerName in a volume. It is ${TEMPLATE_FAILS}. Name the container whose resources to expose.`);
  }
}

function checkDownwardItems(ctx: DocumentContext, items: unknown, path: Segment[], where: string): void {
  arr(items).forEach((it, j) => {
    const item = obj(it);
    if (!item) return;
    checkFieldRef(ctx, obj(item.fieldRef), [...path, j, 'fieldRef'], VOLUME_PATHS, where);
    checkResourceRef(ctx, obj(item.resourceFieldRef), [...path, j, 'resourceFieldRef'], where, true);
  });
}

export const unsupportedFieldRef: Rule = {
  id: 'unsupported-field-ref',
  severity: 'error',
  title: 'Downward API fieldRef or resourceFieldRef the API does not support',
  doc:
    'Environment variables can expose metadata.name/namespace/uid, labels[…]/annotations[…], spec.nodeName, spec.serviceAccountName and the pod/host IPs; ' +
    'downward API volumes the metadata fields (including all labels/annotations). Other paths (a typo, status.phase …) make the pod template invalid, so the StatefulSet never gets a pod.',
  kinds: ['StatefulSet'],
  check(ctx) {
    for (const at of containersOf(ctx)) {
      arr(at.c.env).forEach((e, i) => {
        const vf = obj(obj(e)?.valueFrom);
        if (!vf) return;
        const where = `the variable ${str(obj(e)?.name) ?? `env[${i}]`} in ${containerLabel(at)}`;
        checkFieldRef(ctx, obj(vf.fieldRef), [...at.path, 'env', i, 'valueFrom', 'fieldRef'], ENV_PATHS, where);
        checkResourceRef(ctx, obj(vf.resourceFieldRef), [...at.path, 'env', i, 'valueFrom', 'resourceFieldRef'], where, false);
      });
    }
    arr(ctx.get([...POD_SPEC, 'volumes'])).forEach((v, i) => {
      const vol = obj(v);
      if (!vol) return;
      const where = `volume "${str(vol.name) ?? i}"`;
      checkDownwardItems(ctx, obj(vol.downwardAPI)?.items, [...POD_SPEC, 'volumes', i, 'downwardAPI', 'items'], where);
      arr(obj(vol.projected)?.sources).forEach((s, j) => {
        checkDownwardItems(ctx, obj(obj(s)?.downwardAPI)?.items, [...POD_SPEC, 'volumes', i, 'projected', 'sources', j, 'downwardAPI', 'items'], where);
      });
    });
  },
};
