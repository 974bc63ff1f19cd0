// The hand-written feature-stage table: for fields of the StatefulSet, pod, Service, PVC and PDB
// schema that sit behind a Kubernetes feature gate, the gate's stages (Kubernetes "Feature Gates"
// reference, kubernetes.io/docs/reference/command-line-tools-reference/feature-gates/, and each
// gate's KEP). Two uses:
//  - at run time: a field whose gate is off by default in the target version is silently dropped by
//    the API server (the user's setting vanishes without an error), so it gets a warning;
//  - at build time (scripts/generate-schema.ts): the minors that no pinned package carries (1.31) take
//    a field's first appearance from here, and every field's first stage is checked against the
//    packages (a gated field appears in the API when its gate does).
// docs/kubernetes-versions.md shows this table; a test keeps the two in step.
// Fields are named `<schema type>.<field>` as in k8s-schema.json.

export type StageName = 'alpha' | 'beta' | 'ga';

export interface Stage {
  /** The Kubernetes minor the stage starts in. */
  since: string;
  stage: StageName;
  /** Is the gate on when the cluster administrator did not set it? */
  enabledByDefault: boolean;
}

export interface FeatureGate {
  gate: string;
  /** Earlier name of the gate, where it was renamed. */
  formerly?: string;
  /** The schema fields the gate controls. */
  fields: string[];
  /** Oldest first. */
  stages: Stage[];
}

const alpha = (since: string): Stage => ({ since, stage: 'alpha', enabledByDefault: false });
const betaOff = (since: string): Stage => ({ since, stage: 'beta', enabledByDefault: false });
const beta = (since: string): Stage => ({ since, stage: 'beta', enabledByDefault: true });
const ga = (since: string): Stage => ({ since, stage: 'ga', enabledByDefault: true });

export const FEATURE_GATES: FeatureGate[] = [
  // StatefulSet
  { gate: 'MaxUnavailableStatefulSet', fields: ['apps.v1.RollingUpdateStatefulSetStrategy.maxUnavailable'], stages: [alpha('1.24'), beta('1.35')] },
  { gate: 'StatefulSetStartOrdinal', fields: ['apps.v1.StatefulSetSpec.ordinals'], stages: [alpha('1.26'), beta('1.27'), ga('1.31')] },
  { gate: 'StatefulSetAutoDeletePVC', fields: ['apps.v1.StatefulSetSpec.persistentVolumeClaimRetentionPolicy'], stages: [alpha('1.23'), beta('1.27'), ga('1.32')] },
  // pod template
  { gate: 'UserNamespacesSupport', formerly: 'UserNamespacesStatelessPodsSupport', fields: ['core.v1.PodSpec.hostUsers'], stages: [alpha('1.25'), betaOff('1.30'), beta('1.33')] },
  { gate: 'PodSchedulingReadiness', fields: ['core.v1.PodSpec.schedulingGates'], stages: [alpha('1.26'), beta('1.27'), ga('1.30')] },
  { gate: 'DynamicResourceAllocation', fields: ['core.v1.PodSpec.resourceClaims', 'core.v1.ResourceRequirements.claims'], stages: [alpha('1.26'), betaOff('1.32'), ga('1.34')] },
  { gate: 'InPlacePodVerticalScaling', fields: ['core.v1.Container.resizePolicy'], stages: [alpha('1.27'), beta('1.33')] },
  { gate: 'SidecarContainers', fields: ['core.v1.Container.restartPolicy'], stages: [alpha('1.28'), beta('1.29'), ga('1.33')] },
  { gate: 'PodLifecycleSleepAction', fields: ['core.v1.LifecycleHandler.sleep'], stages: [alpha('1.29'), beta('1.30'), ga('1.34')] },
  { gate: 'RecursiveReadOnlyMounts', fields: ['core.v1.VolumeMount.recursiveReadOnly'], stages: [alpha('1.30'), beta('1.31'), ga('1.33')] },
  { gate: 'AppArmorFields', fields: ['core.v1.PodSecurityContext.appArmorProfile', 'core.v1.SecurityContext.appArmorProfile'], stages: [beta('1.30'), ga('1.31')] },
  { gate: 'ImageVolume', fields: ['core.v1.Volume.image'], stages: [alpha('1.31'), betaOff('1.33'), beta('1.35')] },
  { gate: 'SupplementalGroupsPolicy', fields: ['core.v1.PodSecurityContext.supplementalGroupsPolicy'], stages: [alpha('1.31'), beta('1.33')] },
  { gate: 'SELinuxChangePolicy', fields: ['core.v1.PodSecurityContext.seLinuxChangePolicy'], stages: [alpha('1.32'), beta('1.33')] },
  { gate: 'PodLevelResources', fields: ['core.v1.PodSpec.resources'], stages: [alpha('1.32'), beta('1.34')] },
  { gate: 'ContainerStopSignals', fields: ['core.v1.Lifecycle.stopSignal'], stages: [alpha('1.33')] },
  { gate: 'HostnameOverride', fields: ['core.v1.PodSpec.hostnameOverride'], stages: [alpha('1.34')] },
  { gate: 'ContainerRestartRules', fields: ['core.v1.Container.restartPolicyRules'], stages: [alpha('1.34')] },
  { gate: 'EnvFiles', fields: ['core.v1.EnvVarSource.fileKeyRef'], stages: [alpha('1.34')] },
  { gate: 'PodCertificateRequest', fields: ['core.v1.VolumeProjection.podCertificate'], stages: [alpha('1.34')] },
  { gate: 'ClusterTrustBundleProjection', fields: ['core.v1.VolumeProjection.clusterTrustBundle'], stages: [alpha('1.29'), betaOff('1.33')] },
  { gate: 'MatchLabelKeysInPodAffinity', fields: ['core.v1.PodAffinityTerm.matchLabelKeys', 'core.v1.PodAffinityTerm.mismatchLabelKeys'], stages: [alpha('1.29'), beta('1.31'), ga('1.33')] },
  { gate: 'MatchLabelKeysInPodTopologySpread', fields: ['core.v1.TopologySpreadConstraint.matchLabelKeys'], stages: [alpha('1.25'), beta('1.27')] },
  {
    gate: 'NodeInclusionPolicyInPodTopologySpread',
    fields: ['core.v1.TopologySpreadConstraint.nodeAffinityPolicy', 'core.v1.TopologySpreadConstraint.nodeTaintsPolicy'],
    stages: [alpha('1.25'), beta('1.26'), ga('1.33')],
  },
  { gate: 'MinDomainsInPodTopologySpread', fields: ['core.v1.TopologySpreadConstraint.minDomains'], stages: [alpha('1.24'), betaOff('1.25'), beta('1.27'), ga('1.30')] },
  { gate: 'ProcMountType', fields: ['core.v1.SecurityContext.procMount'], stages: [alpha('1.12'), betaOff('1.31'), beta('1.33')] },
  // PersistentVolumeClaim (and claim templates)
  { gate: 'VolumeAttributesClass', fields: ['core.v1.PersistentVolumeClaimSpec.volumeAttributesClassName'], stages: [alpha('1.29'), betaOff('1.31'), ga('1.34')] },
  { gate: 'CrossNamespaceVolumeDataSource', fields: ['core.v1.TypedObjectReference.namespace'], stages: [alpha('1.26')] },
  // Service, PodDisruptionBudget
  { gate: 'ServiceTrafficDistribution', fields: ['core.v1.ServiceSpec.trafficDistribution'], stages: [alpha('1.30'), beta('1.31'), ga('1.33')] },
  { gate: 'PDBUnhealthyPodEvictionPolicy', fields: ['policy.v1.PodDisruptionBudgetSpec.unhealthyPodEvictionPolicy'], stages: [alpha('1.26'), beta('1.27'), ga('1.31')] },
];

/**
 * Fields that appeared with no gate of their own (API reshapes of an alpha feature), for the minors no
 * package carries. Dynamic resource allocation's pod API was reshaped in 1.31 (kubernetes#125116:
 * `resourceClaims[].source` flattened; container `resources.claims[].request` added).
 */
export const FIELDS_WITHOUT_GATE: Record<string, string> = {
  'core.v1.PodResourceClaim.resourceClaimName': '1.31',
  'core.v1.PodResourceClaim.resourceClaimTemplateName': '1.31',
  'core.v1.ResourceClaim.request': '1.31',
};

/** Fields removed from the API, with the first minor that no longer has them. */
export const FIELDS_REMOVED: Record<string, string> = {
  'core.v1.PodResourceClaim.source': '1.31',
  'core.v1.ClaimSource.resourceClaimName': '1.31',
  'core.v1.ClaimSource.resourceClaimTemplateName': '1.31',
};

/** Orders Kubernetes minors: "1.9" < "1.25". */
export function compareVersions(a: string, b: string): number {
  const [am, an] = a.split('.').map(Number);
  const [bm, bn] = b.split('.').map(Number);
  return am - bm || an - bn;
}
