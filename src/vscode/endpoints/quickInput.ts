import * as vscode from 'vscode';

/** The user pressed the Back button of a step. */
export const BACK = Symbol('back');
export type StepAnswer<T> = T | typeof BACK | undefined;

interface StepFrame {
  title: string;
  step: number;
  totalSteps: number;
}

/**
 * One InputBox step of a multi-step flow: a Back button from the second step on, the validation
 * message shown as the user types (Enter is refused while there is one), the step counter in the
 * title bar. Resolves with the value, BACK, or undefined when dismissed.
 */
export async function inputStep(frame: StepFrame & {
  prompt: string; value?: string; placeholder?: string; password?: boolean; validate?: (value: string) => string | undefined;
}): Promise<StepAnswer<string>> {
  const box = vscode.window.createInputBox();
  Object.assign(box, { title: frame.title, step: frame.step, totalSteps: frame.totalSteps, prompt: frame.prompt, value: frame.value ?? '', placeholder: frame.placeholder, password: !!frame.password, ignoreFocusOut: true });
  box.buttons = frame.step > 1 ? [vscode.QuickInputButtons.Back] : [];
  const subs: vscode.Disposable[] = [];
  try {
    return await new Promise<StepAnswer<string>>((resolve) => {
      subs.push(
        box.onDidChangeValue((v) => { box.validationMessage = frame.validate?.(v); }),
        box.onDidAccept(() => {
          const problem = frame.validate?.(box.value);
          box.validationMessage = problem;
          if (!problem) resolve(box.value);
        }),
        box.onDidTriggerButton((b) => { if (b === vscode.QuickInputButtons.Back) resolve(BACK); }),
        box.onDidHide(() => resolve(undefined)),
      );
      // The prompt shows until the user types: a prefilled start ("https://") is not an error yet.
      box.show();
    });
  } finally {
    for (const s of subs) s.dispose();
    box.dispose();
  }
}

/**
 * One QuickPick step. `items` may be a promise (the picker shows busy while it loads); items
 * without `accept` are information only and keep the picker open when chosen.
 */
export async function pickStep<T extends vscode.QuickPickItem & { accept?: boolean }>(frame: StepFrame & {
  placeholder: string; items: T[] | Promise<T[]>; matchOnDetail?: boolean;
}): Promise<StepAnswer<T>> {
  const qp = vscode.window.createQuickPick<T>();
  Object.assign(qp, { title: frame.title, step: frame.step, totalSteps: frame.totalSteps, placeholder: frame.placeholder, ignoreFocusOut: true, matchOnDetail: !!frame.matchOnDetail });
  qp.buttons = frame.step > 1 ? [vscode.QuickInputButtons.Back] : [];
  const subs: vscode.Disposable[] = [];
  try {
    return await new Promise<StepAnswer<T>>((resolve) => {
      subs.push(
        qp.onDidAccept(() => {
          const item = qp.selectedItems[0] ?? qp.activeItems[0];
          if (item && item.accept !== false) resolve(item);
        }),
        qp.onDidTriggerButton((b) => { if (b === vscode.QuickInputButtons.Back) resolve(BACK); }),
        qp.onDidHide(() => resolve(undefined)),
      );
      // The first item that can be chosen is the active one, not an information line above it.
      const fill = (items: T[]) => {
        qp.items = items;
        const first = items.find((i) => i.accept !== false && i.kind !== vscode.QuickPickItemKind.Separator);
        if (first) qp.activeItems = [first];
      };
      if (Array.isArray(frame.items)) {
        fill(frame.items);
      } else {
        qp.busy = true;
        qp.enabled = false;
        void frame.items.then(fill, () => fill([])).finally(() => { qp.busy = false; qp.enabled = true; });
      }
      qp.show();
    });
  } finally {
    for (const s of subs) s.dispose();
    qp.dispose();
  }
}
