// The severities the editor shows: information findings (security context, ephemeral storage…) are
// hints there (faded dots, not in the Problems view) unless the user raises them with the rule's
// setting. The CLI keeps them as information (`statefulset-lint --min-severity warning` hides them).
import type { RuleSettings } from '../engine/analyzer';
import { allRules } from '../rules';

/** The rules whose default severity is information. */
export const informationRules: readonly string[] = allRules.filter((r) => r.severity === 'information').map((r) => r.id);

/** The user's rule settings, with `hint` for every information rule the user did not set. */
export function editorSettings(user: RuleSettings | undefined): RuleSettings {
  const out: RuleSettings = { ...(user ?? {}) };
  for (const id of informationRules) if (out[id] === undefined || out[id] === null) out[id] = 'hint';
  return out;
}
