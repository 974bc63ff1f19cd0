import { arr, obj, type Rule } from '../framework';
import { cap, containerLabel, containersOf, POD_SPEC, TEMPLATE_FAILS } from './support';

export const securityContextConflict: Rule = {
  id: 'security-context-conflict',
  severity: 'error',
  title: 'Contradictory securityContext settings',
  doc:
    'privileged: true (or the SYS_ADMIN capability) with allowPrivilegeEscalation: false contradicts itself and makes the pod template invalid. ' +
    'runAsNonRoot: true with runAsUser: 0 is accepted, but the kubelet refuses to start the container, so every pod of the StatefulSet stays in CreateContainerConfigError.',
  kinds: ['StatefulSet'],
  check(ctx) {
    const pod = obj(ctx.get([...POD_SPEC, 'securityContext']));
    const reported = new Set<string>();
    for (const at of containersOf(ctx)) {
      const sc = obj(at.c.securityContext);
      if (sc && sc.allowPrivilegeEscalation === false) {
        if (sc.privileged === true) {
          ctx.report([...at.path, 'securityContext', 'allowPrivilegeEscalation'], `${cap(containerLabel(at))} sets privileged: true and allowPrivilegeEscalation: false, which contradict each other. It is ${TEMPLATE_FAILS}. Remove one of them.`, { at: 'value' });
        }
        const caps = arr(obj(sc.capabilities)?.add).map(String);
        if (caps.some((c) => c === 'SYS_ADMIN' || c === 'CAP_SYS_ADMIN')) {
          ctx.report([...at.path, 'securityContext', 'allowPrivilegeEscalation'], `${cap(containerLabel(at))} adds the SYS_ADMIN capability with allowPrivilegeEscalation: false, which contradict each other. It is ${TEMPLATE_FAILS}. Drop SYS_ADMIN or allowPrivilegeEscalation: false.`, { at: 'value' });
        }
      }
      const nonRoot = sc?.runAsNonRoot ?? pod?.runAsNonRoot;
      const userFromContainer = sc?.runAsUser !== undefined && sc?.runAsUser !== null;
      const user = userFromContainer ? sc!.runAsUser : pod?.runAsUser;
      if (nonRoot === true && user === 0) {
        const path = userFromContainer ? [...at.path, 'securityContext', 'runAsUser'] : [...POD_SPEC, 'securityContext', 'runAsUser'];
        const k = path.join('/');
        if (reported.has(k)) continue;
        reported.add(k);
        ctx.report(
          path,
          `runAsNonRoot: true with runAsUser: 0 (root) for ${containerLabel(at)}: the API server accepts the StatefulSet, but the kubelet refuses to start the container ("runAsUser breaks non-root policy"), so no pod ever becomes ready. Use a non-zero runAsUser or drop runAsNonRoot.`,
          { at: 'value' },
        );
      }
    }
  },
};
