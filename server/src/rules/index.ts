// Every rule, and every configurable check id.
import { errorRules } from './errors';
import type { Rule } from './framework';
import { practiceRules } from './practices';
import { schemaChecks } from './schemaChecks';

export const allRules: readonly Rule[] = [...errorRules, ...practiceRules];

/** Every id a user can configure (statefulsetStudio.rules.<id>) or suppress. */
export function allCheckIds(): string[] {
  return [...schemaChecks.map((c) => c.id), ...allRules.map((r) => r.id)];
}
