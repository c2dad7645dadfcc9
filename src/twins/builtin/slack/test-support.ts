/** What the slack twin's test files share: a served twin, a quiet WebClient, `platformError`. */
import {
  ErrorCode,
  type Logger,
  LogLevel,
  type WebAPIPlatformError,
  WebClient,
} from "@slack/web-api";
import { expect } from "vitest";
import { type CreateTwinOptions, createTwin, type ServedTwin, type Twin } from "../../index.js";
import { type SlackState, slackTwin } from "./index.js";

export const TOKEN = "xoxb-1111-2222-twin";

/** Twins a test served; each test file closes them with `afterEach(closeServed)`. */
const served: ServedTwin[] = [];
export async function closeServed(): Promise<void> {
  await Promise.all(served.splice(0).map((s) => s.close()));
}

export const quiet: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => LogLevel.ERROR,
  setName: () => undefined,
};

export async function start(
  options: CreateTwinOptions = {},
): Promise<{ twin: Twin<SlackState>; url: string }> {
  const twin = createTwin(slackTwin, { seed: "slack-test", ...options });
  const server = await twin.serve({ port: 0 });
  served.push(server);
  return { twin, url: server.url };
}

export function client(url: string, token = TOKEN, extra = {}): WebClient {
  return new WebClient(token, {
    slackApiUrl: `${url}/api/`,
    logger: quiet,
    retryConfig: { retries: 0 },
    ...extra,
  });
}

export async function platformError(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(Error);
    const e = error as WebAPIPlatformError;
    expect(e.code).toBe(ErrorCode.PlatformError);
    return e.data.error;
  }
  throw new Error("expected a platform error");
}
