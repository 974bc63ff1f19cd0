// The slices of Kubernetes objects the cluster layer reads (JSON as served by the API server).

export interface OwnerReference {
  apiVersion?: string;
  kind?: string;
  name?: string;
  uid?: string;
  controller?: boolean;
}

export interface ObjectMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  managedFields?: unknown;
}

export interface KObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
}

export interface PodTemplate {
  metadata?: ObjectMeta;
  spec?: { containers?: Array<{ name?: string; image?: string }>; [k: string]: unknown };
}

export interface StatefulSet extends KObject {
  spec?: {
    replicas?: number;
    selector?: { matchLabels?: Record<string, string>; matchExpressions?: Array<{ key: string; operator: string; values?: string[] }> };
    serviceName?: string;
    template?: PodTemplate;
    volumeClaimTemplates?: PersistentVolumeClaim[];
    podManagementPolicy?: string;
    updateStrategy?: { type?: string; rollingUpdate?: { partition?: number; maxUnavailable?: number | string } };
    persistentVolumeClaimRetentionPolicy?: { whenDeleted?: string; whenScaled?: string };
    ordinals?: { start?: number };
    minReadySeconds?: number;
    revisionHistoryLimit?: number;
  };
  status?: {
    replicas?: number;
    readyReplicas?: number;
    currentReplicas?: number;
    updatedReplicas?: number;
    availableReplicas?: number;
    currentRevision?: string;
    updateRevision?: string;
    observedGeneration?: number;
  };
}

export interface Pod extends KObject {
  spec?: { nodeName?: string; containers?: Array<{ name?: string; image?: string }> };
  status?: {
    phase?: string;
    reason?: string;
    conditions?: Array<{ type: string; status: string }>;
    containerStatuses?: Array<{ name?: string; ready?: boolean; restartCount?: number; state?: Record<string, { reason?: string } | undefined> }>;
  };
}

export interface PersistentVolumeClaim extends KObject {
  spec?: { storageClassName?: string; resources?: { requests?: { storage?: string } }; accessModes?: string[] };
  status?: { phase?: string; capacity?: { storage?: string } };
}

export interface ControllerRevision extends KObject {
  revision?: number;
  data?: { spec?: { template?: PodTemplate & { $patch?: string } } } & Record<string, unknown>;
}
