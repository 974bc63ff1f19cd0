// Quick fix for `missing-service-name`: set spec.serviceName, and append the governing headless Service after the
// StatefulSet when none selects its pods yet (the same Service the service-not-found fix writes).
import { obj, str } from '../framework';
import { headlessServiceData } from '../practices/service-not-found';
import type { ServiceNameData } from '../practices/missing-service-name';
import { headlessServiceFix } from './documents';
import { insertFields, locate, type FileDoc, type Fix } from './text';

function isServiceNameData(d: unknown): d is ServiceNameData {
  const o = obj(d);
  return !!o && o.fix === 'set-service-name' && typeof o.name === 'string' && o.name !== '';
}

export function serviceNameFix(f: FileDoc, data: unknown): Fix[] {
  if (!f.value) return [];
  const name = isServiceNameData(data) ? data.name : str(obj(f.value.metadata)?.name);
  if (!name) return [];
  // only where the StatefulSet states no serviceName at all (an empty `serviceName: ""` is left to the user)
  if (locate(f, ['spec', 'serviceName'])) return [];
  const set = insertFields(f, ['spec'], { serviceName: name });
  if (!set) return [];
  const service = isServiceNameData(data) ? data.service : headlessServiceData(f.value, name);
  if (!service) return [{ title: `Set serviceName: ${name} (the headless Service that selects the pods)`, edits: [set], preferred: true }];
  const append = headlessServiceFix(f, service)[0];
  if (!append) return [];
  return [{ title: `Set serviceName: ${name} and add the headless Service "${name}" after the StatefulSet`, edits: [set, ...append.edits], preferred: true }];
}
