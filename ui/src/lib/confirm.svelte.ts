// Confirmation before a destructive act (voiding a claim, writing money off, cancelling a
// visit): a screen asks, the one dialog in App.svelte shows the question, and the answer
// comes back as a promise.

/** A question waiting for its answer. */
export interface Question {
  /** "Void claim 01A2…?" */
  question: string;
  /** What it does that cannot simply be undone. */
  consequence: string;
  /** The act's button: "Void the claim". */
  act: string;
  answer: (yes: boolean) => void;
}

/** The question being asked, if any. */
export const asking = $state<{ current: Question | null }>({ current: null });

/** Asks before a destructive act; true when the person confirms it. */
export function confirmAct(question: string, consequence: string, act: string): Promise<boolean> {
  asking.current?.answer(false);
  return new Promise((resolve) => {
    asking.current = {
      question,
      consequence,
      act,
      answer: (yes) => {
        asking.current = null;
        resolve(yes);
      },
    };
  });
}
