// Enum fields the API server accepts as an empty string "": its defaulting runs before validation and
// replaces "" by the default (`if obj.Spec.PodManagementPolicy == "" { … = OrderedReady }`), or its
// validation treats "" as "unset". Charts render such values when a value is left unset (Bitnami's mysql:
// `podManagementPolicy: ""`), and `kubectl apply` accepts them: they are not errors.
//
// From Kubernetes' defaulting code (pkg/apis/apps/v1/defaults.go SetDefaults_StatefulSet,
// pkg/apis/core/v1/defaults.go SetDefaults_PodSpec/_Container/_Service/_HTTPGetAction/_Volume, and the
// declarative `+default="TCP"` of ContainerPort and ServicePort) and validation (tolerations, service
// externalTrafficPolicy), checked field by field against every enum field of the kinds the engine validates.
// Not here, because "" is refused: enum fields that are pointers in Go (defaulted only when absent, so ""
// reaches validation): volumeMode, mountPropagation, procMount, fsGroupChangePolicy, supplementalGroupsPolicy,
// preemptionPolicy, ipFamilyPolicy, internalTrafficPolicy, unhealthyPodEvictionPolicy, nodeAffinityPolicy,
// nodeTaintsPolicy, stopSignal, azureDisk cachingMode/kind; and required ones (seccompProfile.type,
// appArmorProfile.type, operator of node selector requirements, whenUnsatisfiable, accessModes items).

/** Type name → field → what the API server makes of "". */
export const EMPTY_STRING_DEFAULTS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'apps.v1.StatefulSetSpec': { podManagementPolicy: 'OrderedReady' },
  'apps.v1.StatefulSetUpdateStrategy': { type: 'RollingUpdate' },
  'apps.v1.StatefulSetPersistentVolumeClaimRetentionPolicy': { whenDeleted: 'Retain', whenScaled: 'Retain' },
  'core.v1.PodSpec': { dnsPolicy: 'ClusterFirst', restartPolicy: 'Always' },
  'core.v1.Container': { imagePullPolicy: 'Always for a :latest image, IfNotPresent otherwise', terminationMessagePolicy: 'File' },
  'core.v1.EphemeralContainer': { imagePullPolicy: 'Always for a :latest image, IfNotPresent otherwise', terminationMessagePolicy: 'File' },
  'core.v1.ImageVolumeSource': { pullPolicy: 'Always for a :latest image, IfNotPresent otherwise' },
  'core.v1.ContainerPort': { protocol: 'TCP' },
  'core.v1.ServicePort': { protocol: 'TCP' },
  'core.v1.HTTPGetAction': { scheme: 'HTTP' },
  'core.v1.ServiceSpec': { type: 'ClusterIP', sessionAffinity: 'None', externalTrafficPolicy: 'Cluster for NodePort and LoadBalancer, unset otherwise' },
  'core.v1.Toleration': { operator: 'Equal', effect: 'every effect' },
};

/** Does the API server accept "" for this field of this type (it defaults it, or reads it as unset)? */
export function emptyStringDefault(typeName: string | undefined, field: string): string | undefined {
  return typeName ? EMPTY_STRING_DEFAULTS[typeName]?.[field] : undefined;
}

/** A value the API server treats as absent for a defaulted enum field: undefined, null or "". */
export function isUnsetEnum(v: unknown): boolean {
  return v === undefined || v === null || v === '';
}
