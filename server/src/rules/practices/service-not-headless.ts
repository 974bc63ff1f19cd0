import { str, type Rule } from '../framework';
import { inOtherFile } from './resolve';
import { namespaceOf, relatedNamed } from './util';

export const serviceNotHeadless: Rule = {
  id: 'service-not-headless',
  severity: 'warning',
  title: 'The governing Service is not headless',
  doc:
    'Per-pod DNS records (<pod>.<service>) exist only for a headless Service (clusterIP: None). ' +
    'With a normal Service, clients reach a random pod through a virtual IP and cannot address one replica, which clustered databases need.',
  kinds: ['StatefulSet'],
  parity: { kubeScore: 'statefulset-has-servicename (an existing headless serviceName)' },
  checkWithEnvironment(ctx, env) {
    const serviceName = str(ctx.get(['spec', 'serviceName']));
    if (!serviceName) return;
    const services = relatedNamed(env, 'Service', namespaceOf(ctx), serviceName);
    if (services.length === 0) return; // service-not-found says so
    // the Service meant: the one in this file, else the nearest (named in the message when elsewhere)
    const service = services[0];
    const spec = (service.value.spec ?? {}) as Record<string, unknown>;
    if (spec.clusterIP === 'None') return;
    const type = str(spec.type);
    const got = type && type !== 'ClusterIP' ? `type ${type}` : spec.clusterIP ? `clusterIP ${String(spec.clusterIP)}` : 'no clusterIP: None';
    ctx.report(
      ['spec', 'serviceName'],
      `Service "${serviceName}"${inOtherFile(env.uri, service)} is not headless (${got}): Kubernetes gives it a virtual IP and publishes no per-pod DNS records, so <pod>.${serviceName} does not resolve. Set clusterIP: None on the Service (clusterIP cannot change in place: delete and recreate the Service).`,
      { at: 'value' },
    );
  },
};
