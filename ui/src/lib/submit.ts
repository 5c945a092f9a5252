// How a form that saves one thing submits: the command runs; once it succeeds a toast says
// what was saved and the form hands over (the screen reloads, the form closes); if it
// fails the form keeps what was typed and shows the error's words.
import { asCommandError } from "./ipc";
import { toast } from "./toast.svelte";

/** The submit handler of such a form. */
export function saveAndClose(
  save: () => Promise<unknown>,
  saved: string,
  after: () => void,
  failed: (message: string) => void,
): (event: SubmitEvent) => Promise<void> {
  return async (event) => {
    event.preventDefault();
    try {
      await save();
    } catch (e) {
      failed(asCommandError(e).message);
      return;
    }
    toast(saved);
    after();
  };
}
