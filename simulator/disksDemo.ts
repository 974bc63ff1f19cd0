// The demo cluster's disks: one PVC near full and still growing (www-web-1: 91% of 1Gi, +1% an hour, so the
// explorer shows the warning colour and a "full in" estimate), and one whose inodes are the tighter limit
// (wal-postgres-0: few bytes, 85% of its inodes). The other claims read a stable 5–35%.
import { resourceByKind } from './resources';
import type { Store } from './store';
import type { VolumeStats } from './volumeStats';

const PVC = resourceByKind('PersistentVolumeClaim');

export const DEMO_NEAR_FULL = { namespace: 'default', name: 'www-web-1', usedFraction: 0.91, growthFractionPerHour: 0.01 };
export const DEMO_INODES = { namespace: 'databases', name: 'wal-postgres-0', usedFraction: 0.12, inodes: 131_072, inodesUsed: 111_411 };

export function seedDisksDemo(store: Store, stats: VolumeStats): void {
  for (const { namespace, name, ...setting } of [DEMO_NEAR_FULL, DEMO_INODES]) {
    if (store.peek(PVC, namespace, name)) stats.set(namespace, name, setting);
  }
}
