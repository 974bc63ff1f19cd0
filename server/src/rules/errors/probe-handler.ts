import type { Rule } from '../framework';
import { containerLabel, containersOf, handlersOf, TEMPLATE_FAILS } from './support';

const PROBE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'];
const HOOK_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'sleep'];

export const probeHandler: Rule = {
  id: 'probe-handler',
  severity: 'error',
  title: 'Probe or lifecycle hook without exactly one handler',
  doc:
    'A probe needs exactly one of exec, httpGet, tcpSocket or grpc; a lifecycle hook exactly one of exec, httpGet or sleep. ' +
    'Regular init containers (without restartPolicy: Always) may have neither probes nor lifecycle hooks. Otherwise the pod template is invalid and the StatefulSet never gets a pod.',
  kinds: ['StatefulSet'],
  check(ctx) {
    for (const at of containersOf(ctx)) {
      const initNotSidecar = at.list === 'initContainers' && at.c.restartPolicy !== 'Always';
      if (initNotSidecar) {
        for (const f of ['livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle']) {
          if (at.c[f] !== undefined && at.c[f] !== null) {
            ctx.report([...at.path, f], `${f} may not be set on ${containerLabel(at)}: init containers run to completion unless they are sidecars (restartPolicy: Always). It is ${TEMPLATE_FAILS}. Remove it or make the init container a sidecar.`);
          }
        }
        continue;
      }
      for (const h of handlersOf(at)) {
        const kinds = h.probe ? PROBE_HANDLERS : HOOK_HANDLERS;
        const set = kinds.filter((k) => h.h[k] !== undefined && h.h[k] !== null);
        if (set.length === 0) {
          ctx.report(h.path, `The ${h.name} of ${containerLabel(at)} has no handler ("must specify a handler type"). It is ${TEMPLATE_FAILS}. Add one of ${kinds.join(', ')}.`);
        } else if (set.length > 1) {
          ctx.report([...h.path, set[1]], `The ${h.name} of ${containerLabel(at)} has ${set.join(' and ')}; it may have only one handler. It is ${TEMPLATE_FAILS}. Keep one.`);
        }
      }
    }
  },
};
