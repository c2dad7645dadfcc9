import { InputError, WorkError } from "../../common/index.js";
import type { Lease } from "../../store/index.js";

export class BoltLeasedError extends WorkError {
  constructor(boltId: string, holder: Lease) {
    super(
      "bolt-leased",
      `bolt ${boltId} is being driven by ${holder.owner} (lease until ${new Date(holder.expiresAt).toISOString()})`,
      {
        hint: "wait for it to finish, or for the lease to expire if that process is gone",
      },
    );
  }
}

export class BoltNotResumableError extends InputError {
  constructor(boltId: string, status: string) {
    super("bolt-not-resumable", `bolt ${boltId} is ${status}; there is nothing to resume`, {
      hint: "start a new bolt with `factory run`",
    });
  }
}
