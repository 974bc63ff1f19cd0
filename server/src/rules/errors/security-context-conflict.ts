import type { Segment } from '../../schema';
import { arr, obj, type Rule } from '../framework';
import { cap, containerLabel, containersOf, POD_SPEC, TEMPLATE_FAILS } from './support';

/** User and group ids are non-negative int32 values. */
const MAX_ID = 2147483647;

export const securityContextConflict: Rule = {
  id: 'security-context-conflict',
  severity: 'error',
  title: 'Contradictory securityContext settings or out-of-range user/group ids',
  doc:
    'privileged: true (or adding CAP_SYS_ADMIN) with allowPrivilegeEscalation: false contradicts itself, and user/group ids must be 0–2147483647; either makes the pod template invalid. ' +
    'runAsNonRoot: true with runAsUser: 0 is accepted, but the kubelet refuses to start the container, so every pod of the StatefulSet stays in CreateContainerConfigError.',
  kinds: ['StatefulSet'],
  check(ctx) {
    const pod = obj(ctx.get([...POD_SPEC, 'securityContext']));
    const reported = new Set<string>();
    const idRange = (sc: Record<string, unknown> | undefined, base: Segment[], fields: string[]) => {
      for (const f of fields) {
        const v = sc?.[f];
        if (typeof v === 'number' && Number.isInteger(v) && (v < 0 || v > MAX_ID)) {
          ctx.report([...base, f], `${f} ${v} is outside 0–${MAX_ID}. It is ${TEMPLATE_FAILS}. Use a valid user or group id.`, { at: 'value' });
        }
      }
    };
    idRange(pod, [...POD_SPEC, 'securityContext'], ['runAsUser', 'runAsGroup', 'fsGroup']);
    arr(pod?.supplementalGroups).forEach((g, i) => {
      if (typeof g === 'number' && Number.isInteger(g) && (g < 0 || g > MAX_ID)) ctx.report([...POD_SPEC, 'securityContext', 'supplementalGroups', i], `Supplemental group ${g} is outside 0–${MAX_ID}. It is ${TEMPLATE_FAILS}.`, { at: 'value' });
    });
    for (const at of containersOf(ctx)) {
      const sc = obj(at.c.securityContext);
      idRange(sc, [...at.path, 'securityContext'], ['runAsUser', 'runAsGroup']);
      if (sc && sc.allowPrivilegeEscalation === false) {
        if (sc.privileged === true) {
          ctx.report([...at.path, 'securityContext', 'allowPrivilegeEscalation'], `${cap(containerLabel(at))} sets privileged: true and allowPrivilegeEscalation: false, which contradict each other. It is ${TEMPLATE_FAILS}. Remove one of them.`, { at: 'value' });
        }
        // the API server compares the literal string: it refuses CAP_SYS_ADMIN, not SYS_ADMIN
        if (arr(obj(sc.capabilities)?.add).includes('CAP_SYS_ADMIN')) {
          ctx.report([...at.path, 'securityContext', 'allowPrivilegeEscalation'], `${cap(containerLabel(at))} adds CAP_SYS_ADMIN with allowPrivilegeEscalation: false, which contradict each other ("cannot set \`allowPrivilegeEscalation\` to false and \`capabilities.Add\` CAP_SYS_ADMIN"). It is ${TEMPLATE_FAILS}. Drop one of them.`, { at: 'value' });
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
