// statefulset-lint: checks StatefulSet YAML files or folders with the language server's engine.
// Exit 0: no error-severity finding; 1: at least one; 2: usage or I/O error (message on stderr).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeText } from '../engine/analyzer';
import type { Diagnostic } from '../engine/diagnostic';

const USAGE = `Usage: statefulset-lint [--format text|json] PATH...

Checks Kubernetes StatefulSet YAML (and its Services, PVCs, PodDisruptionBudgets) with the
StatefulSet Studio engine. Folders are searched recursively for *.yaml and *.yml files.

Options:
  --format text|json   output format (default text). json: [{"file", "diagnostics": [LSP Diagnostic]}]
  -h, --help           show this help

Exit status: 0 no errors, 1 at least one error-severity finding, 2 usage or I/O error.
`;

class UsageError extends Error {}

interface Options {
  format: 'text' | 'json';
  paths: string[];
}

function parseArgs(argv: string[]): Options | 'help' {
  const o: Options = { format: 'text', paths: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-h' || a === '--help') return 'help';
    if (a === '--format' || a.startsWith('--format=')) {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (v !== 'text' && v !== 'json') throw new UsageError(`--format must be text or json, not ${v === undefined ? 'nothing' : JSON.stringify(v)}`);
      o.format = v;
    } else if (a === '--') {
      o.paths.push(...argv.slice(i + 1));
      break;
    } else if (a.startsWith('-') && a !== '-') {
      throw new UsageError(`unknown option ${a}`);
    } else {
      o.paths.push(a);
    }
  }
  if (o.paths.length === 0) throw new UsageError('no files or folders given');
  return o;
}

const SKIP_DIRS = new Set(['node_modules', '.git']);

function collect(p: string, out: string[]): void {
  const st = fs.statSync(p); // throws ENOENT → exit 2
  if (st.isDirectory()) {
    for (const name of fs.readdirSync(p).sort()) {
      if (SKIP_DIRS.has(name)) continue;
      const child = path.join(p, name);
      const cst = fs.statSync(child);
      if (cst.isDirectory()) collect(child, out);
      else if (/\.ya?ml$/i.test(name)) out.push(child);
    }
  } else {
    out.push(p);
  }
}

const SEVERITY = ['', 'error', 'warning', 'info', 'hint'];

function main(): number {
  let opts: Options | 'help';
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`statefulset-lint: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    throw e;
  }
  if (opts === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  const files: string[] = [];
  try {
    for (const p of opts.paths) collect(p, files);
  } catch (e) {
    process.stderr.write(`statefulset-lint: ${(e as NodeJS.ErrnoException).message}\n`);
    return 2;
  }
  const results: Array<{ file: string; diagnostics: Diagnostic[] }> = [];
  for (const file of files) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      process.stderr.write(`statefulset-lint: ${(e as NodeJS.ErrnoException).message}\n`);
      return 2;
    }
    results.push({ file, diagnostics: analyzeText(text).diagnostics });
  }
  const errors = results.reduce((n, r) => n + r.diagnostics.filter((d) => d.severity === 1).length, 0);
  if (opts.format === 'json') {
    process.stdout.write(JSON.stringify(results, null, 2) + '\n');
  } else {
    let total = 0;
    for (const r of results) {
      for (const d of r.diagnostics) {
        total++;
        process.stdout.write(`${r.file}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${SEVERITY[d.severity ?? 1]} [${d.code}] ${d.message}\n`);
      }
    }
    process.stdout.write(`${files.length} file${files.length === 1 ? '' : 's'} checked: ${errors} error${errors === 1 ? '' : 's'}, ${total - errors} other finding${total - errors === 1 ? '' : 's'}\n`);
  }
  return errors > 0 ? 1 : 0;
}

process.exitCode = main();
