// One JSON file per entry in a folder of its own, written atomically (a temp file, then a rename) with mode
// 0600: the store under the journals of the resize / re-create workflows (journal.ts), of Restore from
// Snapshot (restore.ts) and of owner pauses (owners/pause.ts). Plain Node.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The cluster part of a journal file's name: 12 hex digits of the SHA-256 of its API server URL. */
export function clusterHash(cluster: string): string {
  return createHash('sha256').update(cluster).digest('hex').slice(0, 12);
}

export class JsonFiles<T extends { updatedAt: string }> {
  constructor(readonly dir: string) {}

  private file(key: string): string {
    return join(this.dir, `${key}.json`);
  }

  read(key: string): T | undefined {
    try {
      return JSON.parse(readFileSync(this.file(key), 'utf8')) as T;
    } catch {
      return undefined;
    }
  }

  /** Writes the entry (its `updatedAt` set to now). */
  write(key: string, e: T): void {
    mkdirSync(this.dir, { recursive: true });
    e.updatedAt = new Date().toISOString();
    const f = this.file(key);
    const tmp = `${f}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(e, null, 2), { mode: 0o600 });
    renameSync(tmp, f);
  }

  remove(key: string): void {
    rmSync(this.file(key), { force: true });
  }

  /** Every entry that `keep` accepts; a file that does not parse is skipped (and left for the user to inspect). */
  all(keep: (e: T) => boolean): T[] {
    let names: string[];
    try {
      names = readdirSync(this.dir).filter((f) => f.endsWith('.json'));
    } catch {
      return [];
    }
    const out: T[] = [];
    for (const n of names) {
      try {
        const e = JSON.parse(readFileSync(join(this.dir, n), 'utf8')) as T;
        if (keep(e)) out.push(e);
      } catch {
        // a broken file is skipped
      }
    }
    return out;
  }
}
