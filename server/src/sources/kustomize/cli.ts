// statefulset-lint OVERLAY_DIR: a folder given on the command line that holds a kustomization file is
// rendered with kubectl ($KUBECTL, else kubectl on PATH) and its findings are listed in the overlay's own
// files and lines. The CLI (server/src/cli/lint.ts) calls these two functions; nothing else here.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RuleSettings } from '../../engine/analyzer';
import type { Diagnostic, SeverityName } from '../../engine/diagnostic';
import { atLeast } from '../../cli/lintConfig';
import type { TargetVersion } from '../../schema/versions';
import { kustomizationFileIn } from './kustomization';
import { checkOverlay } from './overlay';
import { KustomizeError } from './render';

/** Removes the overlay folders (folders with a kustomization file) from `paths` and returns them. */
export function takeOverlays(paths: string[]): string[] {
  const overlays = paths.filter((p) => {
    try {
      return fs.statSync(p).isDirectory() && kustomizationFileIn(p) !== undefined;
    } catch {
      return false;
    }
  });
  const rest = paths.filter((p) => !overlays.includes(p));
  paths.splice(0, paths.length, ...rest);
  return overlays;
}

export interface OverlayLintOptions {
  kubernetesVersion?: TargetVersion;
  live?: (kind: string, namespace: string | undefined, name: string) => Record<string, unknown> | undefined;
  /** kubectl or kustomize: default $KUBECTL, else `kubectl` on PATH. */
  command?: string;
  /** Severities per rule (and the least severity shown) for an overlay folder: the CLI's config file. */
  config?: (dir: string) => { rules: RuleSettings; minSeverity?: SeverityName };
  /** --min-severity: wins over the config's. */
  minSeverity?: SeverityName;
}

/**
 * The findings of each overlay, per file (paths as the user wrote the overlay: relative stays relative),
 * or the one line to print when kubectl cannot be run (exit 2).
 */
export async function lintOverlays(overlays: string[], opts: OverlayLintOptions): Promise<{ results: Array<{ file: string; diagnostics: Diagnostic[] }>; files: string[] } | string> {
  const command = opts.command ?? (process.env.KUBECTL || 'kubectl');
  const results: Array<{ file: string; diagnostics: Diagnostic[] }> = [];
  const files: string[] = [];
  for (const dir of overlays) {
    let r;
    let config: { rules: RuleSettings; minSeverity?: SeverityName } | undefined;
    try {
      config = opts.config?.(dir);
      r = await checkOverlay(dir, { tool: { command }, labelFrom: process.cwd(), kubernetesVersion: opts.kubernetesVersion, live: opts.live, settings: config?.rules });
    } catch (e) {
      if (e instanceof KustomizeError && e.notFound) {
        return `cannot render the Kustomize overlay ${dir}: ${command} was not found. Install kubectl 1.27 or newer (it includes kustomize), or set KUBECTL to its path.`;
      }
      throw e;
    }
    if (!r) continue;
    const show = (f: string) => (path.isAbsolute(dir) ? f : path.relative(process.cwd(), f) || f);
    for (const f of r.tree.files) if (!files.includes(show(f))) files.push(show(f));
    const min = opts.minSeverity ?? config?.minSeverity;
    for (const [file, all] of r.files) {
      const diagnostics = all.filter((d) => atLeast(d.severity, min));
      const shown = show(file);
      const existing = results.find((x) => x.file === shown);
      if (existing) existing.diagnostics.push(...diagnostics);
      else results.push({ file: shown, diagnostics });
    }
  }
  return { results, files };
}
