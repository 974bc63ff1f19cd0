import { arr, obj, type Rule } from '../framework';
import { badPortNumber, containerLabel, containersOf, handlersOf, TEMPLATE_FAILS } from './support';

export const invalidPort: Rule = {
  id: 'invalid-port',
  severity: 'error',
  title: 'Port number outside 1–65535',
  doc: 'containerPort, hostPort (when set) and probe ports must be between 1 and 65535. A pod template with another number never yields a pod.',
  kinds: ['StatefulSet'],
  check(ctx) {
    for (const at of containersOf(ctx)) {
      arr(at.c.ports).forEach((p, i) => {
        const port = obj(p);
        if (!port) return;
        if (badPortNumber(port.containerPort)) {
          ctx.report([...at.path, 'ports', i, 'containerPort'], `containerPort ${port.containerPort} of ${containerLabel(at)} is outside 1–65535. It is ${TEMPLATE_FAILS}. Use the port the process listens on.`, { at: 'value' });
        }
        // hostPort 0 means "not set"
        if (port.hostPort !== 0 && badPortNumber(port.hostPort)) {
          ctx.report([...at.path, 'ports', i, 'hostPort'], `hostPort ${port.hostPort} of ${containerLabel(at)} is outside 1–65535. It is ${TEMPLATE_FAILS}. Remove hostPort or use a valid port.`, { at: 'value' });
        }
      });
      for (const h of handlersOf(at)) {
        for (const kind of ['httpGet', 'tcpSocket', 'grpc']) {
          const a = obj(h.h[kind]);
          if (a && badPortNumber(a.port)) {
            ctx.report([...h.path, kind, 'port'], `The ${h.name} ${kind} port ${a.port} of ${containerLabel(at)} is outside 1–65535. It is ${TEMPLATE_FAILS}. Use the container's port number${kind === 'grpc' ? '' : ' or its name'}.`, { at: 'value' });
          }
        }
      }
    }
  },
};
