import { arr, obj, type Rule } from '../framework';
import { POD_SPEC, TEMPLATE_FAILS } from './support';

export const invalidDnsConfig: Rule = {
  id: 'invalid-dns-config',
  severity: 'error',
  title: 'dnsPolicy None without nameservers, or too many nameservers',
  doc:
    'With dnsPolicy: None the pod gets only what dnsConfig says, so dnsConfig must list at least one nameserver; at most 3 nameservers are allowed. ' +
    'A pod template that breaks this never yields a pod, and a StatefulSet\'s pods rely on DNS to find each other.',
  kinds: ['StatefulSet'],
  check(ctx) {
    const policy = ctx.get([...POD_SPEC, 'dnsPolicy']);
    const cfg = obj(ctx.get([...POD_SPEC, 'dnsConfig']));
    const ns = arr(cfg?.nameservers);
    if (policy === 'None' && ns.length === 0) {
      ctx.report(
        cfg ? [...POD_SPEC, 'dnsConfig'] : [...POD_SPEC, 'dnsPolicy'],
        `dnsPolicy: None needs dnsConfig with at least one nameserver (the pod gets no cluster DNS otherwise). It is ${TEMPLATE_FAILS}. Add dnsConfig.nameservers or use dnsPolicy: ClusterFirst.`,
        { at: cfg ? 'key' : 'value' },
      );
    }
    if (ns.length > 3) {
      ctx.report([...POD_SPEC, 'dnsConfig', 'nameservers'], `dnsConfig lists ${ns.length} nameservers; at most 3 are allowed. It is ${TEMPLATE_FAILS}. Keep three.`);
    }
  },
};
