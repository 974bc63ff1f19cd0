// Shared test helpers and manifests: a cursor marker `|` in a text gives the position; a headless Service
// and a PodDisruptionBudget for the StatefulSet `web`; `edit` replaces text that must be there.
import assert from 'node:assert/strict';

export function atCursor(marked: string): { text: string; line: number; character: number } {
  const i = marked.indexOf('|');
  if (i < 0) throw new Error('no | cursor marker');
  const text = marked.slice(0, i) + marked.slice(i + 1);
  const before = marked.slice(0, i).split('\n');
  return { text, line: before.length - 1, character: before[before.length - 1].length };
}

export const STS = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: web
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        ports:
        - containerPort: 80
          name: http
        volumeMounts:
        - name: data
          mountPath: /usr/share/nginx/html
  volumeClaimTemplates:
  - metadata:
      name: data
    spec:
      accessModes: ["ReadWriteOnce"]
      resources:
        requests:
          storage: 1Gi
`;

export const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  clusterIP: None
  selector:
    app: web
  ports:
  - name: http
    port: 80
`;

export const PDB = `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: web-pdb
spec:
  maxUnavailable: 1
  selector:
    matchLabels:
      app: web
`;

/** `text` with `from` replaced by `to`; fails the test if `from` is not in the text. */
export function edit(text: string, from: string, to: string): string {
  assert.ok(text.includes(from), `text contains ${JSON.stringify(from)}`);
  return text.replace(from, to);
}
