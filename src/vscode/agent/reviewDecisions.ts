/** What the review pick shows while decisions are made; review.ts maps it onto the quick pick. */
export interface ReviewDecisionsUi<F> {
  setBusy(busy: boolean): void;
  /** Files were kept or undone: show what is left (the pick closes when nothing is). */
  changed(remaining: readonly F[]): void;
  /** The decision was made only in part (a conflict, a file left alone): why. */
  warn(message: string): void;
  /** The decision failed: what and why. */
  error(message: string): void;
}

export type ReviewDecide = (choice: { action: 'keep' | 'undo'; files: string[] }) => Promise<string | undefined>;

/**
 * The keep and undo decisions of the review pick, one at a time: a click while a decision is
 * being written is ignored, since it would act on a list about to change. A decision that fails
 * is said (`ui.error`) and the pick stops spinning. Plain Node, so unit tests load it.
 */
export class ReviewDecisions<F extends { path: string }> {
  private readonly left: F[];
  private acting = false;

  constructor(files: readonly F[], private readonly decide: ReviewDecide, private readonly ui: ReviewDecisionsUi<F>) {
    this.left = [...files];
  }

  get remaining(): readonly F[] {
    return this.left;
  }

  /** Never rejects: a failure goes to `ui.error`. */
  async act(action: 'keep' | 'undo', targets: readonly F[]): Promise<void> {
    if (!targets.length || this.acting) return;
    this.acting = true;
    this.ui.setBusy(true);
    let message: string | undefined;
    try {
      message = await this.decide({ action, files: targets.map((f) => f.path) });
    } catch (err) {
      this.ui.error(`could not ${action} ${targets.map((f) => f.path).join(', ')}: ${err instanceof Error ? err.message : String(err)}`);
      return;
    } finally {
      this.acting = false;
      this.ui.setBusy(false);
    }
    if (message) { this.ui.warn(message); return; }
    for (const t of targets) {
      const i = this.left.indexOf(t);
      if (i >= 0) this.left.splice(i, 1);
    }
    this.ui.changed(this.left);
  }
}
