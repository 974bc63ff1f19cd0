// The cluster layer's public surface (plain Node, no vscode).
export * from './connection';
export * from './errors';
export * from './http';
export * from './kubeconfig';
export * from './log';
export * from './model';
export * from './operations';
export * from './reflector';
export * from './tree';
export type * from './types';
export * from './treeState';
