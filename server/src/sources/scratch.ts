// Temporary folders of the renderers (a chart's copy, helm's homes, an overlay's copy). Each is removed by its
// renderer when the render ends; one still there when the process exits (the client ended the server during a
// render) is removed then, so no run leaves its copies in the temporary folder.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const live = new Set<string>();
let hooked = false;

/** A new folder `<tmpdir>/<prefix>XXXXXX`, removed at process exit unless removeScratch() came first. */
export function makeScratch(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  live.add(dir);
  if (!hooked) {
    hooked = true;
    process.on('exit', () => {
      for (const d of live) fs.rmSync(d, { recursive: true, force: true });
    });
  }
  return dir;
}

export function removeScratch(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
  live.delete(dir);
}
