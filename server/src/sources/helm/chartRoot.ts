// Which Helm chart a file belongs to. Only node built-ins: the extension (client) imports it too, for
// "Values for This Chart…", without pulling the engine into its bundle.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The chart folder holding a file: the nearest folder upwards with a Chart.yaml (undefined: none). */
export function chartRootOf(file: string): string | undefined {
  let dir = fs.statSync(file, { throwIfNoEntry: false })?.isDirectory() ? file : path.dirname(file);
  for (;;) {
    if (fs.existsSync(path.join(dir, 'Chart.yaml'))) {
      // a subchart's files belong to the top chart that renders them (…/charts/SUB/ inside a chart)
      const up = path.dirname(dir);
      if (path.basename(up) === 'charts' && fs.existsSync(path.join(path.dirname(up), 'Chart.yaml'))) {
        dir = path.dirname(up);
        continue;
      }
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
