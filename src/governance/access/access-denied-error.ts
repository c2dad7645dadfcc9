import { FactoryError } from "../../common/index.js";

/** A principal tried something its roles do not allow. Exit 1: the request was understood and refused. */
export class AccessDeniedError extends FactoryError {
  readonly principal: string;
  readonly action: string;
  constructor(principal: string, action: string, message: string, hint: string) {
    super("access-denied", message, 1, { hint });
    this.principal = principal;
    this.action = action;
  }
}
