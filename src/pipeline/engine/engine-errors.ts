import { FactoryError, InputError, WorkError } from "../../common/index.js";
import { type Lease, LeaseLostError } from "../../store/index.js";

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

/** The run was stopped from outside (Ctrl-C, SIGTERM); the bolt stays resumable where it was. */
export class BoltInterruptedError extends WorkError {
  constructor(boltId: string) {
    super(
      "bolt-interrupted",
      `bolt ${boltId} was interrupted; the node that was running will run again on resume`,
      {
        hint: `continue it with \`factory resume ${boltId}\``,
      },
    );
  }
}

/** Why a run's controller was aborted: the error it was aborted with, or a lost lease. */
export function abortReason(signal: AbortSignal, boltId: string, lease: Lease): FactoryError {
  return signal.reason instanceof FactoryError
    ? signal.reason
    : new LeaseLostError(boltId, lease.owner);
}
