// Writes one `statefulsetStudio.rules.<id>` setting per rule and schema check into package.json's
// contributes.configuration, from the rule modules themselves (id, default severity, title, doc).
// Run after adding a rule: npm run sync:manifest  (test/contributions/rule-settings.test.ts checks it).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { allRules } from '../server/src/rules';
import { schemaChecks } from '../server/src/rules/schemaChecks';

const PREFIX = 'statefulsetStudio.rules.';

export function ruleSettings(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const r of [...schemaChecks, ...allRules]) {
    out[`${PREFIX}${r.id}`] = {
      type: 'string',
      enum: ['off', 'hint', 'information', 'warning', 'error'],
      default: r.severity,
      scope: 'resource',
      markdownDescription: `**${r.title}** (\`${r.id}\`). ${r.doc} Suppress one finding with \`# statefulset-studio-disable-next-line ${r.id}\` on the line above.`,
    };
  }
  return out;
}

if (require.main === module) {
  const file = path.join(__dirname, '..', 'package.json');
  const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
  const props: Record<string, unknown> = pkg.contributes.configuration.properties;
  for (const k of Object.keys(props)) if (k.startsWith(PREFIX)) delete props[k];
  Object.assign(props, ruleSettings());
  fs.writeFileSync(file, JSON.stringify(pkg, null, 2) + '\n');
  console.log(`package.json: ${Object.keys(ruleSettings()).length} rule settings`);
}
