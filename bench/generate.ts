// Realistic StatefulSet files for benchmarks: each document a StatefulSet with its headless Service,
// probes, resources, claim templates; every fifth has a mistake (as users' files do).
export function statefulSetDoc(i: number): string {
  const name = `db-${i}`;
  const mistake = i % 5 === 4;
  return `apiVersion: v1
kind: Service
metadata:
  name: ${name}
  labels:
    app: ${name}
spec:
  clusterIP: None
  selector:
    app: ${name}
  ports:
  - name: sql
    port: 5432
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: ${name}
  labels:
    app: ${name}
    tier: data
spec:
  serviceName: ${name}
  replicas: ${mistake ? '"3"' : 3}
  podManagementPolicy: OrderedReady
  selector:
    matchLabels:
      app: ${name}
  updateStrategy:
    type: RollingUpdate
    rollingUpdate:
      partition: 0
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      terminationGracePeriodSeconds: 30
      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
          - labelSelector:
              matchLabels:
                app: ${name}
            topologyKey: kubernetes.io/hostname
      containers:
      - name: postgres
        image: postgres:17.2
        imagePullPolicy: IfNotPresent
        ports:
        - name: sql
          containerPort: 5432
        env:
        - name: PGDATA
          value: /var/lib/postgresql/data/pgdata
        - name: POD_NAME
          valueFrom:
            fieldRef:
              fieldPath: metadata.name
        resources:
          requests:
            cpu: 500m
            memory: ${mistake ? '1 Gi' : '1Gi'}
          limits:
            memory: 2Gi
        readinessProbe:
          exec:
            command: ["pg_isready", "-U", "postgres"]
          periodSeconds: 10
        livenessProbe:
          tcpSocket:
            port: sql
          initialDelaySeconds: 30
        volumeMounts:
        - name: data
          mountPath: /var/lib/postgresql/data
  volumeClaimTemplates:
  - metadata:
      name: data
    spec:
      accessModes: ["ReadWriteOnce"]
      storageClassName: standard
      resources:
        requests:
          storage: 10Gi
`;
}

/** A file of `n` StatefulSets (each with its Service). */
export function statefulSetFile(n: number): string {
  return Array.from({ length: n }, (_, i) => statefulSetDoc(i)).join('---\n');
}

/** Lines (0-based) of every `replicas:` value in the file, for edits. */
export function replicaLines(text: string): number[] {
  return text.split('\n').flatMap((l, i) => (/^  replicas: /.test(l) ? [i] : []));
}
