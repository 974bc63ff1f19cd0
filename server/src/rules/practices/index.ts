// Rules for stateful best practice (default severity: warning or information).
import type { Rule } from '../framework';

export const practiceRules: Rule[] = [];
