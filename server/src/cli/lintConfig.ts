// statefulset-lint's severities: a config file (`.statefulset-lint.yaml` found upward from each
// linted file, or the one `--config FILE` names) sets a severity per rule, and --min-severity (or the
// file's `minSeverity`) leaves out findings below a level.
//
//   # .statefulset-lint.yaml
//   minSeverity: warning            # optional: error | warning | information | hint
//   rules:
//     container-user-group-id: off  # off | hint | information | warning | error
//     container-memory-limit: error
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import type { RuleSettings } from '../engine/analyzer';
import type { SeverityName } from '../engine/diagnostic';
import { allCheckIds } from '../rules';

export const CONFIG_NAMES = ['.statefulset-lint.yaml', '.statefulset-lint.yml'];

const LEVELS: readonly SeverityName[] = ['error', 'warning', 'information', 'hint'];

export interface LintConfig {
  /** The file it was read from (absent: no file, the defaults). */
  file?: string;
  rules: RuleSettings;
  minSeverity?: SeverityName;
}

export class ConfigError extends Error {}

/** error → 1 … hint → 4 (LSP numbers); `info` is accepted for information. Throws on anything else. */
export function severityLevel(v: string, what: string): SeverityName {
  const s = v === 'info' ? 'information' : v;
  if (!(LEVELS as readonly string[]).includes(s)) throw new ConfigError(`${what} must be one of ${LEVELS.join(', ')}, not ${JSON.stringify(v)}`);
  return s as SeverityName;
}

/** Reads and checks a config file: unknown keys, rule ids and severities are errors (a typo must not pass silently). */
export function readConfig(file: string): LintConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(`${file}: ${(e as NodeJS.ErrnoException).message}`);
  }
  let v: unknown;
  try {
    v = parse(text);
  } catch (e) {
    throw new ConfigError(`${file}: not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  if (v === null || v === undefined) return { file, rules: {} };
  if (typeof v !== 'object' || Array.isArray(v)) throw new ConfigError(`${file}: expected a mapping with "rules" and "minSeverity"`);
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) if (k !== 'rules' && k !== 'minSeverity') throw new ConfigError(`${file}: unknown key "${k}" (expected "rules" and "minSeverity")`);
  const rules: RuleSettings = {};
  if (o.rules !== undefined && o.rules !== null) {
    if (typeof o.rules !== 'object' || Array.isArray(o.rules)) throw new ConfigError(`${file}: "rules" must map rule ids to off, hint, information, warning or error`);
    const ids = new Set(allCheckIds());
    for (const [id, sev] of Object.entries(o.rules as Record<string, unknown>)) {
      if (!ids.has(id)) throw new ConfigError(`${file}: unknown rule "${id}" (the ids are listed in docs/rules.md)`);
      // YAML 1.2 reads `off` as a string; a YAML 1.1 habit may give false
      const s = sev === false ? 'off' : String(sev);
      rules[id] = s === 'off' ? 'off' : severityLevel(s, `${file}: rules.${id}`);
    }
  }
  const minSeverity = o.minSeverity === undefined || o.minSeverity === null ? undefined : severityLevel(String(o.minSeverity), `${file}: minSeverity`);
  return { file, rules, minSeverity };
}

/** The nearest config file in `dir` or a folder above it, or undefined. */
export function findConfig(dir: string): string | undefined {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    for (const name of CONFIG_NAMES) {
      const f = path.join(d, name);
      if (fs.statSync(f, { throwIfNoEntry: false })?.isFile()) return f;
    }
    if (path.dirname(d) === d) return undefined;
  }
}

/** Config per linted file: `--config FILE` for all, else the nearest file upward from each one (read once each). */
export class ConfigResolver {
  private readonly byDir = new Map<string, LintConfig>();
  private readonly byFile = new Map<string, LintConfig>();
  private readonly explicit?: LintConfig;
  constructor(explicitFile?: string) {
    if (explicitFile !== undefined) this.explicit = readConfig(explicitFile);
  }
  for(file: string): LintConfig {
    if (this.explicit) return this.explicit;
    const dir = path.dirname(path.resolve(file));
    let c = this.byDir.get(dir);
    if (!c) {
      const found = findConfig(dir);
      c = found ? (this.byFile.get(found) ?? readConfig(found)) : { rules: {} };
      if (found) this.byFile.set(found, c);
      this.byDir.set(dir, c);
    }
    return c;
  }
}

/** Is an LSP severity (1 error … 4 hint) at or above the minimum? */
export function atLeast(severity: number | undefined, min: SeverityName | undefined): boolean {
  if (!min) return true;
  return (severity ?? 1) <= LEVELS.indexOf(min) + 1;
}
