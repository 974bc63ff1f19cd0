import { arr, obj, str, type Rule } from '../framework';
import { containerLabel, containersOf, handlersOf, portNameProblem, TEMPLATE_FAILS } from './support';

export const invalidPortName: Rule = {
  id: 'invalid-port-name',
  severity: 'error',
  title: 'Port name not IANA-style (≤ 15 chars) or duplicated in a container',
  doc:
    'Port names are IANA service names: at most 15 lowercase letters, digits and "-", with at least one letter and no leading, trailing or double "-"; ' +
    'they must be unique within a container. Named probe ports follow the same syntax. Services and probes refer to ports by these names.',
  kinds: ['StatefulSet'],
  check(ctx) {
    for (const at of containersOf(ctx)) {
      const seen = new Set<string>();
      arr(at.c.ports).forEach((p, i) => {
        const name = str(obj(p)?.name);
        if (name === undefined) return;
        const path = [...at.path, 'ports', i, 'name'];
        const problem = portNameProblem(name);
        if (problem) ctx.report(path, `The port name "${name}" of ${containerLabel(at)} is invalid: ${problem}. It is ${TEMPLATE_FAILS}. Use a short name such as "http" or "client".`, { at: 'value' });
        else if (seen.has(name)) ctx.report(path, `The port name "${name}" appears twice in ${containerLabel(at)}; names must be unique within a container. It is ${TEMPLATE_FAILS}. Rename one of the ports.`, { at: 'value' });
        seen.add(name);
      });
      for (const h of handlersOf(at)) {
        for (const kind of ['httpGet', 'tcpSocket']) {
          const port = obj(h.h[kind])?.port;
          if (typeof port !== 'string') continue;
          const problem = portNameProblem(port);
          if (problem) {
            const numeric = /^\d+$/.test(port);
            ctx.report(
              [...h.path, kind, 'port'],
              `The ${h.name} ${kind} port "${port}" of ${containerLabel(at)} is ${numeric ? 'a quoted number, read as a port name' : 'not a valid port name'}: ${problem}. It is ${TEMPLATE_FAILS}. ${numeric ? 'Remove the quotes.' : 'Use a port number or the name of one of the container\'s ports.'}`,
              { at: 'value', data: numeric ? { replacements: [port] } : undefined },
            );
          }
        }
      }
    }
  },
};
