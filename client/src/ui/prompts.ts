// Every prompt of the explorer goes through here, so that tests running inside the real editor can
// pre-answer them (command statefulsetStudio.test.setAnswers, registered only when
// STATEFULSET_STUDIO_TEST=1) and read what was asked (statefulsetStudio.test.getPrompts).
import * as vscode from 'vscode';

export interface TestAnswers {
  /** answers to showInputBox, in order; null = the user pressed Escape */
  inputBox?: Array<string | null>;
  /** answers to modal/non-modal warnings with buttons: the button title; null = dismissed */
  warning?: Array<string | null>;
  /** answers to quick picks: an item label (exact, else the first label starting with it); null = dismissed */
  quickPick?: Array<string | null>;
}

export interface PromptRecord {
  kind: 'inputBox' | 'warning' | 'quickPick' | 'info' | 'error';
  message: string;
  detail?: string;
  items?: string[];
  value?: string;
  answer?: string | null;
  validationMessage?: string;
}

const queue: Required<TestAnswers> = { inputBox: [], warning: [], quickPick: [] };
const records: PromptRecord[] = [];
let testMode = false;

export function enableTestMode(): void {
  testMode = true;
}

export function setAnswers(a: TestAnswers): void {
  queue.inputBox.push(...(a.inputBox ?? []));
  queue.warning.push(...(a.warning ?? []));
  queue.quickPick.push(...(a.quickPick ?? []));
}

export function clearAnswers(): void {
  queue.inputBox.length = 0;
  queue.warning.length = 0;
  queue.quickPick.length = 0;
}

/** The prompts shown since the last call (and clears the record). */
export function takePrompts(): PromptRecord[] {
  return records.splice(0, records.length);
}

function record(r: PromptRecord): void {
  if (testMode) records.push(r);
}

export async function inputBox(options: vscode.InputBoxOptions & { prompt: string }): Promise<string | undefined> {
  if (testMode && queue.inputBox.length) {
    const answer = queue.inputBox.shift()!;
    const validationMessage = answer === null ? undefined : await options.validateInput?.(answer);
    const msg = typeof validationMessage === 'string' ? validationMessage : validationMessage?.message;
    record({ kind: 'inputBox', message: options.prompt, value: options.value, answer, validationMessage: msg || undefined });
    if (answer === null || msg) return undefined;
    return answer;
  }
  record({ kind: 'inputBox', message: options.prompt, value: options.value });
  return vscode.window.showInputBox({ ignoreFocusOut: true, ...options });
}

/** A warning with buttons (modal by default); returns the chosen button title. */
export async function warning(message: string, opts: { detail?: string; modal?: boolean }, ...buttons: string[]): Promise<string | undefined> {
  const modal = opts.modal ?? true;
  if (testMode && queue.warning.length) {
    const answer = queue.warning.shift()!;
    record({ kind: 'warning', message, detail: opts.detail, items: buttons, answer });
    return answer !== null && buttons.includes(answer) ? answer : undefined;
  }
  record({ kind: 'warning', message, detail: opts.detail, items: buttons });
  return vscode.window.showWarningMessage(message, { modal, detail: opts.detail }, ...buttons);
}

export interface PickItem<T> extends vscode.QuickPickItem {
  value: T;
}

export async function quickPick<T>(items: PickItem<T>[], options: vscode.QuickPickOptions & { title: string }): Promise<T | undefined> {
  const labels = items.map((i) => i.label);
  if (testMode && queue.quickPick.length) {
    const answer = queue.quickPick.shift()!;
    record({ kind: 'quickPick', message: options.title, items: labels, answer });
    if (answer === null) return undefined;
    const item = items.find((i) => i.label === answer) ?? items.find((i) => i.label.startsWith(answer));
    return item?.value;
  }
  record({ kind: 'quickPick', message: options.title, items: labels });
  const picked = await vscode.window.showQuickPick(items, { ignoreFocusOut: true, matchOnDescription: true, matchOnDetail: true, ...options });
  return picked?.value;
}

/** Non-blocking information; in test mode recorded and not shown (so no toast lingers). */
export function info(message: string, ...buttons: string[]): Thenable<string | undefined> {
  record({ kind: 'info', message, items: buttons });
  if (testMode) return Promise.resolve(undefined);
  return vscode.window.showInformationMessage(message, ...buttons);
}

export function error(message: string, ...buttons: string[]): Thenable<string | undefined> {
  record({ kind: 'error', message, items: buttons });
  if (testMode) return Promise.resolve(undefined);
  return vscode.window.showErrorMessage(message, ...buttons);
}
