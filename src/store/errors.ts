import { FactoryError, type FactoryErrorOptions, InputError } from "../common/index.js";

/** The store could not do what was asked (locked, corrupt, written by a newer version). */
export class StoreError extends FactoryError {
  constructor(code: string, message: string, options?: FactoryErrorOptions) {
    super(code, message, 1, options);
  }
}

/** A renewal or release came from an owner whose lease has expired or changed hands. */
export class LeaseLostError extends StoreError {
  constructor(boltId: string, owner: string) {
    super("lease-lost", `the lease on bolt ${boltId} is no longer held by ${owner}`, {
      hint: "another process took the bolt over; stop driving it",
    });
  }
}

export class BoltNotFoundError extends InputError {
  constructor(id: string) {
    super("bolt-not-found", `no bolt with id ${id}`, { hint: "list bolts with `factory runs`" });
  }
}
