// Test helpers: a cursor marker `|` in a text gives the position.
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
