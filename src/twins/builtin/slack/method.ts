/** One Slack Web API method: what it is called with, its rate tier, and its errors. */
import type { TwinContext } from "../../runtime/contract.js";
import type { SlackState } from "./state.js";

export type Params = Record<string, unknown>;
export type Result = Record<string, unknown>;

/** An API error: HTTP 200, `ok: false`, as Slack answers them. */
export class SlackApiError extends Error {
  constructor(
    readonly code: string,
    readonly extra: Result = {},
  ) {
    super(code);
  }
}

export interface Call {
  twin: TwinContext<SlackState>;
  state: SlackState;
  params: Params;
}

export interface MethodSpec {
  /** Slack's rate tier; "post" is chat.postMessage's per-channel limit. */
  tier: 1 | 2 | 3 | 4 | "post";
  run(call: Call): Result;
}

/** A group of methods by name, as each method family's module exports them. */
export type Methods = Record<string, MethodSpec>;
