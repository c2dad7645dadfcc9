/**
 * Webhook deliveries as GitHub makes them: a JSON POST with `X-GitHub-Event`,
 * `X-GitHub-Delivery` and `X-Hub-Signature-256: sha256=<hmac of the body>`, sent after the
 * response (`twin.defer`) and retried a bounded number of times on failure.
 */
import { createHash, createHmac } from "node:crypto";
import type { TwinContext } from "../../index.js";
import type { GithubApi } from "./api.js";
import { repository } from "./render/repository.js";
import { simpleUser } from "./render/users.js";
import type { GithubState, RepoRecord, UserRecord } from "./state.js";

export interface WebhookOptions {
  url: string;
  secret: string | undefined;
  attempts: number;
  backoffMs: number;
}

export function webhookOptions(options: Record<string, unknown>): WebhookOptions | undefined {
  const url = options.webhookUrl;
  if (typeof url !== "string" || url === "") return undefined;
  const secret = typeof options.webhookSecret === "string" ? options.webhookSecret : undefined;
  const attempts = Number(options.webhookAttempts ?? 3);
  const backoffMs = Number(options.webhookBackoffMs ?? 50);
  return {
    url,
    secret,
    attempts: Number.isInteger(attempts) && attempts > 0 ? Math.min(attempts, 10) : 3,
    backoffMs: Number.isFinite(backoffMs) && backoffMs >= 0 ? Math.min(backoffMs, 5000) : 50,
  };
}

export const signature = (secret: string, body: string) =>
  `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;

/**
 * Queues one delivery. Everything deterministic (the body, the delivery id: a hash of the
 * body and a per-twin counter, no draw from the seeded random) is fixed before returning.
 */
export function deliver(
  twin: TwinContext<GithubState>,
  sequence: number,
  event: string,
  payload: Record<string, unknown>,
): void {
  const hook = webhookOptions(twin.options);
  if (!hook) return;
  const body = JSON.stringify(payload);
  const digest = createHash("sha256").update(`${sequence}\n${event}\n${body}`).digest("hex");
  const guid = `${digest.slice(0, 8)}-${digest.slice(8, 12)}-4${digest.slice(13, 16)}-a${digest.slice(17, 20)}-${digest.slice(20, 32)}`;
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "user-agent": "GitHub-Hookshot/twin",
    "x-github-event": event,
    "x-github-delivery": guid,
    "x-github-hook-id": "1",
    "x-github-hook-installation-target-type": "repository",
  };
  if (hook.secret !== undefined) {
    headers["x-hub-signature-256"] = signature(hook.secret, body);
    headers["x-hub-signature"] =
      `sha1=${createHmac("sha1", hook.secret).update(body).digest("hex")}`;
  }
  twin.defer(async () => {
    let last = "";
    for (let attempt = 1; attempt <= hook.attempts; attempt++) {
      try {
        const response = await fetch(hook.url, {
          method: "POST",
          headers,
          body,
          signal: AbortSignal.timeout(10_000),
        });
        await response.arrayBuffer().catch(() => undefined);
        if (response.ok) return;
        last = `HTTP ${response.status}`;
      } catch (error) {
        last = (error as Error).message;
      }
      if (attempt < hook.attempts)
        await new Promise((resolve) => setTimeout(resolve, hook.backoffMs * 2 ** (attempt - 1)));
    }
    throw new Error(
      `webhook ${event} ${guid} to ${hook.url} failed after ${hook.attempts} attempts: ${last}`,
    );
  });
}

/** Sends `event` about `repo`, by `user`, when the twin has a `webhookUrl`. */
export function emit(
  api: GithubApi,
  event: string,
  repo: RepoRecord,
  user: UserRecord,
  payload: object,
): void {
  const { twin, urls } = api;
  const state = twin.state;
  if (typeof twin.options.webhookUrl !== "string") return;
  state.deliveries++;
  deliver(twin, state.deliveries, event, {
    ...payload,
    repository: repository(urls, state, repo),
    sender: simpleUser(urls, user),
  });
}
