// What other modules forget when an account is deleted. Accounts owns deletion; the modules that keep
// personal data of a participant (names in frozen snapshots, evidence links, forum claims) depend on
// accounts, not the other way round, so they register an eraser here, and deletion runs every eraser
// inside its own transaction.
import type { Tx } from "../../core/db/client.ts";

/** A deleted account: its id, its anonymous name, and when it was deleted. */
export interface DeletedAccount {
  userId: string;
  username: string;
  at: Date;
}

/** Forgets what a module keeps about a deleted account. */
export type AccountEraser = (tx: Tx, deleted: DeletedAccount) => Promise<void>;

export interface AccountErasers {
  add(eraser: AccountEraser): void;
  run(tx: Tx, deleted: DeletedAccount): Promise<void>;
}

/** An empty eraser list; modules add theirs at composition (accounts.onAccountDeleted). */
export function createAccountErasers(): AccountErasers {
  const erasers: AccountEraser[] = [];
  return {
    add: (eraser) => {
      erasers.push(eraser);
    },
    run: async (tx, deleted) => {
      for (const erase of erasers) await erase(tx, deleted);
    },
  };
}
