// Rules for what the API server or the StatefulSet controller will refuse (default severity: error).
// One rule per module; the id is the module's file name. Shared syntax helpers live in ./support.
import type { Rule } from '../framework';
import { statefulsetNameTooLong } from './statefulset-name-too-long';
import { invalidObjectName } from './invalid-object-name';
import { invalidLabel } from './invalid-label';
import { invalidAnnotation } from './invalid-annotation';
import { selectorEmptyRule } from './selector-empty';
import { invalidSelector } from './invalid-selector';
import { selectorTemplateMismatch } from './selector-template-mismatch';
import { negativeSpecField } from './negative-spec-field';
import { rollingUpdateWithOnDelete } from './rolling-update-with-on-delete';
import { invalidMaxUnavailable } from './invalid-max-unavailable';
import { invalidServiceName } from './invalid-service-name';
import { restartPolicyNotAlways } from './restart-policy-not-always';
import { activeDeadlineSeconds } from './active-deadline-seconds';
import { noContainers } from './no-containers';
import { invalidContainerName } from './invalid-container-name';
import { duplicateContainerName } from './duplicate-container-name';
import { missingImage } from './missing-image';
import { invalidPort } from './invalid-port';
import { invalidPortName } from './invalid-port-name';
import { requestsExceedLimits } from './requests-exceed-limits';
import { negativeQuantity } from './negative-quantity';
import { invalidEnvVar } from './invalid-env-var';
import { unsupportedFieldRef } from './unsupported-field-ref';
import { probeHandler } from './probe-handler';
import { probeSuccessThreshold } from './probe-success-threshold';
import { invalidAffinity } from './invalid-affinity';
import { invalidToleration } from './invalid-toleration';
import { securityContextConflict } from './security-context-conflict';
import { invalidDnsConfig } from './invalid-dns-config';
import { invalidVolumeName } from './invalid-volume-name';
import { duplicateVolumeName } from './duplicate-volume-name';
import { multipleVolumeSources } from './multiple-volume-sources';
import { unknownVolumeMount } from './unknown-volume-mount';
import { duplicateMountPath } from './duplicate-mount-path';
import { invalidClaimTemplate } from './invalid-claim-template';

export const errorRules: Rule[] = [
  statefulsetNameTooLong,
  invalidObjectName,
  invalidLabel,
  invalidAnnotation,
  selectorEmptyRule,
  invalidSelector,
  selectorTemplateMismatch,
  negativeSpecField,
  rollingUpdateWithOnDelete,
  invalidMaxUnavailable,
  invalidServiceName,
  restartPolicyNotAlways,
  activeDeadlineSeconds,
  noContainers,
  invalidContainerName,
  duplicateContainerName,
  missingImage,
  invalidPort,
  invalidPortName,
  requestsExceedLimits,
  negativeQuantity,
  invalidEnvVar,
  unsupportedFieldRef,
  probeHandler,
  probeSuccessThreshold,
  invalidAffinity,
  invalidToleration,
  securityContextConflict,
  invalidDnsConfig,
  invalidVolumeName,
  duplicateVolumeName,
  multipleVolumeSources,
  unknownVolumeMount,
  duplicateMountPath,
  invalidClaimTemplate,
];
