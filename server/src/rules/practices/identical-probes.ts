import { arr, obj, str, type Rule } from '../framework';
import { containersOf, describeContainers, isPartial, type ContainerRef } from './util';

/** The probe's handler as a comparable string (exec, httpGet, tcpSocket, grpc), or undefined. */
export function probeHandler(probe: unknown): string | undefined {
  const p = obj(probe);
  if (!p) return undefined;
  const exec = obj(p.exec);
  if (exec) return `exec ${JSON.stringify(arr(exec.command).map(String))}`;
  const http = obj(p.httpGet);
  if (http) return `httpGet ${String(http.scheme ?? 'HTTP').toUpperCase()} ${String(http.host ?? '')} ${String(http.port)} ${str(http.path) ?? '/'}`;
  const tcp = obj(p.tcpSocket);
  if (tcp) return `tcpSocket ${String(tcp.host ?? '')} ${String(tcp.port)}`;
  const grpc = obj(p.grpc);
  if (grpc) return `grpc ${String(grpc.port)} ${str(grpc.service) ?? ''}`;
  return undefined;
}

/** How long a probe tolerates failure before it acts: failureThreshold × periodSeconds (API defaults 3 and 10). */
function failureWindow(probe: unknown): number {
  const p = obj(probe) ?? {};
  const n = (v: unknown, d: number) => (typeof v === 'number' && v > 0 ? v : d);
  return n(p.failureThreshold, 3) * n(p.periodSeconds, 10);
}

export const identicalProbes: Rule = {
  id: 'identical-probes',
  severity: 'warning',
  title: 'Liveness probe identical to the readiness probe',
  doc:
    'A readiness probe takes a busy or catching-up replica out of the Service; a liveness probe restarts it. With the same check and no more patience, a replica that is ' +
    'merely overloaded or replaying its log is killed instead of being left to recover, and the restart makes the load on its peers worse. ' +
    'Use a cheaper liveness check, or give it a longer failure window (failureThreshold × periodSeconds) than the readiness probe.',
  kinds: ['StatefulSet'],
  parity: {
    kubeScore: 'pod-probes-identical (part of pod-probes in older releases)',
    differs:
      'Compared per container as kube-score does (same handler: exec command, httpGet port and path, tcpSocket port, grpc port); we do not flag a liveness probe on the same ' +
      'endpoint that waits longer before it acts than the readiness probe (the pattern the Kubernetes probe docs recommend).',
  },
  check(ctx) {
    if (isPartial(ctx)) return;
    const found: Array<{ c: ContainerRef; check: string }> = [];
    for (const c of containersOf(ctx, true)) {
      const r = probeHandler(c.value.readinessProbe);
      const l = probeHandler(c.value.livenessProbe);
      if (r === undefined || r !== l) continue;
      if (failureWindow(c.value.livenessProbe) > failureWindow(c.value.readinessProbe)) continue;
      found.push({ c, check: r });
    }
    if (!found.length) return;
    const one = found.length === 1;
    ctx.report(
      [...found[0].c.path, 'livenessProbe'],
      `${describeContainers(found.map((f) => f.c), true)}: the liveness probe runs the same check as the readiness probe (${found.map((f) => (one ? f.check : `"${f.c.name}": ${f.check}`)).join('; ')}) and gives up no later, so a replica that is only busy or catching up is restarted instead of just taken out of the Service. Use a cheaper liveness check or a longer failureThreshold × periodSeconds.`,
    );
  },
};
