// Rules for stateful best practice (default severity: warning or information), and the comparison
// with the live object (forbidden updates, an error: the API server refuses the apply).
import type { Rule } from '../framework';
import { containerCpuRequest } from './container-cpu-request';
import { containerMemoryLimit } from './container-memory-limit';
import { containerEphemeralStorage } from './container-ephemeral-storage';
import { containerPrivileged } from './container-privileged';
import { containerReadOnlyRootFs } from './container-read-only-root-fs';
import { containerRunAsNonRoot } from './container-run-as-non-root';
import { containerUserGroupId } from './container-user-group-id';
import { duplicateEnvVar } from './duplicate-env-var';
import { identicalProbes } from './identical-probes';
import { imagePullPolicy } from './image-pull-policy';
import { maxUnavailableExceedsUpdatedPods } from './max-unavailable-exceeds-updated-pods';
import { pdbBlocksDisruptions } from './pdb-blocks-disruptions';
import { pdbNoPolicy } from './pdb-no-policy';
import { unmountedClaimTemplate } from './unmounted-claim-template';
import { forbiddenUpdate } from './forbidden-update';
import { imageTagLatest } from './image-tag-latest';
import { missingPodAntiAffinity } from './missing-pod-anti-affinity';
import { missingPodDisruptionBudget } from './missing-pod-disruption-budget';
import { missingReadinessProbe } from './missing-readiness-probe';
import { onDeleteUpdateStrategy } from './on-delete-update-strategy';
import { partitionReachesNoPod } from './partition-reaches-no-pod';
import { pvcDeletedOnScaleDown } from './pvc-deleted-on-scale-down';
import { serviceNotFound } from './service-not-found';
import { serviceNotHeadless } from './service-not-headless';
import { serviceSelectorMismatch } from './service-selector-mismatch';
import { terminationGracePeriodZero } from './termination-grace-period-zero';
import { missingServiceName } from './missing-service-name';

export const practiceRules: Rule[] = [
  serviceNotFound,
  serviceNotHeadless,
  serviceSelectorMismatch,
  missingPodDisruptionBudget,
  pdbNoPolicy,
  pdbBlocksDisruptions,
  missingPodAntiAffinity,
  containerMemoryLimit,
  containerCpuRequest,
  containerEphemeralStorage,
  imageTagLatest,
  imagePullPolicy,
  missingReadinessProbe,
  identicalProbes,
  duplicateEnvVar,
  unmountedClaimTemplate,
  maxUnavailableExceedsUpdatedPods,
  containerPrivileged,
  containerRunAsNonRoot,
  containerUserGroupId,
  containerReadOnlyRootFs,
  pvcDeletedOnScaleDown,
  terminationGracePeriodZero,
  onDeleteUpdateStrategy,
  partitionReachesNoPod,
  forbiddenUpdate,
  missingServiceName,
];
