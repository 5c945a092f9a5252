// Short-lived confirmations ("Saved", "Booked 12 visits"): a screen says what happened,
// the one toast stack in App.svelte shows it for a few seconds. Errors are not toasts:
// they stay on the screen (Notice) until the person acts on them.

/** A toast on the stack. */
export interface Toast {
  id: number;
  message: string;
}

/** How long a toast stays. */
export const TOAST_MS = 4000;

/** The toasts showing, oldest first. */
export const toasts = $state<{ list: Toast[] }>({ list: [] });
let next = 1;

/** Shows `message` for a few seconds. */
export function toast(message: string): void {
  const id = next++;
  toasts.list = [...toasts.list.slice(-2), { id, message }];
  setTimeout(() => dismiss(id), TOAST_MS);
}

/** Takes a toast down early. */
export function dismiss(id: number): void {
  toasts.list = toasts.list.filter((t) => t.id !== id);
}
