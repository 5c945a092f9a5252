// News from Rust without asking: the desk emits "desk-changed" when the sync worker's
// state changes (App.svelte listens), and screens that show synced records read them
// again when a sync brought some in.

/** Bumped each time a sync brings records in from the clinic. */
export const changes = $state({ version: 0 });

/** Says that records came in; screens watching `changes.version` read theirs again. */
export function recordsArrived(): void {
  changes.version += 1;
}
