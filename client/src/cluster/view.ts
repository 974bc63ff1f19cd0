// The view of one StatefulSet that the model builds and everything else reads (tree, trouble, commands): its
// ordinals, each with its pod and PVCs, its revisions and its owner. Types only: the model (model.ts) builds them;
// readers such as trouble.ts import them from here, so they never import the model itself.
import type { Owner } from './owners';
import type { ControllerRevision, PersistentVolumeClaim, Pod, StatefulSet } from './types';

export interface PodInfo {
  name: string;
  phase: string;
  ready: boolean;
  readyContainers: string; // "1/2"
  restarts: number;
  node?: string;
  revision?: string;
  terminating: boolean;
  reason?: string;
  pod: Pod;
}

export interface PvcInfo {
  name: string;
  template: string;
  ordinal: number;
  /** Bound | Pending | Lost | Missing (not created yet) */
  phase: string;
  capacity?: string;
  requested?: string;
  storageClass?: string;
  terminating: boolean;
  pvc?: PersistentVolumeClaim;
}

export interface OrdinalInfo {
  ordinal: number;
  podName: string;
  /** desired by spec.replicas (false: a pod above replicas that is still going away) */
  desired: boolean;
  pod?: PodInfo;
  missing: boolean;
  /** current | update | other | unknown, compared to the StatefulSet status revisions */
  revisionState: 'current' | 'update' | 'other' | 'unknown';
  pvcs: PvcInfo[];
}

export interface StatefulSetView {
  key: string;
  namespace: string;
  name: string;
  sts: StatefulSet;
  replicas: number;
  start: number;
  ready: number;
  current: number;
  updated: number;
  strategy: string;
  partition?: number;
  policy: string;
  whenScaled: string;
  whenDeleted: string;
  currentRevision?: string;
  updateRevision?: string;
  updating: boolean;
  /** "3/3 ready", "updating 2/5, partition 3", … */
  summary: string;
  ordinals: OrdinalInfo[];
  orphans: PvcInfo[];
  revisions: ControllerRevision[];
  templates: string[];
  /** who manages it live (operator, Argo CD, Flux, Helm); undefined: nothing marks it as managed */
  owner?: Owner;
}

