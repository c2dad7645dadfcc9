import {
  ErrorCode,
  type Logger,
  LogLevel,
  type UsersListResponse,
  WebAPIHTTPError,
  type WebAPIPlatformError,
  type WebAPIRateLimitedError,
  WebClient,
  WebClientEvent,
} from "@slack/web-api";
import { afterEach, describe, expect, it } from "vitest";
import { type CreateTwinOptions, createTwin, type ServedTwin, type Twin } from "../../index.js";
import { type SlackState, slackTwin } from "./index.js";

const TOKEN = "xoxb-1111-2222-twin";
const served: ServedTwin[] = [];

afterEach(async () => {
  await Promise.all(served.splice(0).map((s) => s.close()));
});

const quiet: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => LogLevel.ERROR,
  setName: () => undefined,
};

async function start(
  options: CreateTwinOptions = {},
): Promise<{ twin: Twin<SlackState>; url: string }> {
  const twin = createTwin(slackTwin, { seed: "slack-test", ...options });
  const server = await twin.serve({ port: 0 });
  served.push(server);
  return { twin, url: server.url };
}

function client(url: string, token = TOKEN, extra = {}): WebClient {
  return new WebClient(token, {
    slackApiUrl: `${url}/api/`,
    logger: quiet,
    retryConfig: { retries: 0 },
    ...extra,
  });
}

async function platformError(promise: Promise<unknown>): Promise<string> {
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

describe("slack twin through @slack/web-api", () => {
  it("posts, threads, updates, deletes and reads history", async () => {
    const { url } = await start();
    const slack = client(url);
    const auth = await slack.auth.test();
    expect(auth.ok).toBe(true);
    expect(auth.user_id).toMatch(/^U[0-9A-Z]{10}$/);
    expect(auth.team_id).toMatch(/^T[0-9A-Z]{10}$/);

    const channels = await slack.conversations.list();
    const general = channels.channels?.find((c) => c.name === "general");
    const billing = channels.channels?.find((c) => c.name === "billing");
    expect(general?.id).toMatch(/^C[0-9A-Z]{10}$/);
    expect(billing?.is_member).toBe(true);

    const first = await slack.chat.postMessage({ channel: "#general", text: "deploy started" });
    expect(first.channel).toBe(general?.id);
    expect(first.ts).toBe("1767225600.000100");
    expect(first.message?.text).toBe("deploy started");
    expect(first.message?.bot_id).toMatch(/^B/);

    const second = await slack.chat.postMessage({
      channel: general?.id as string,
      text: "fallback",
      blocks: [{ type: "section", text: { type: "mrkdwn", text: "*deploy* finished" } }],
    });
    expect(Number(second.ts)).toBeGreaterThan(Number(first.ts));
    expect(second.message?.blocks?.[0]?.type).toBe("section");

    const reply = await slack.chat.postMessage({
      channel: general?.id as string,
      text: "logs attached",
      thread_ts: first.ts as string,
    });
    expect(reply.message?.thread_ts).toBe(first.ts);

    const updated = await slack.chat.update({
      channel: general?.id as string,
      ts: first.ts as string,
      text: "deploy started (v2)",
    });
    expect(updated.text).toBe("deploy started (v2)");
    expect(updated.message?.edited?.user).toBe(auth.user_id);

    await slack.reactions.add({
      channel: general?.id as string,
      timestamp: second.ts as string,
      name: "white_check_mark",
    });

    const history = await slack.conversations.history({ channel: general?.id as string });
    const texts = history.messages?.map((m) => m.text);
    // Newest first; the thread reply stays in its thread; seeded messages come last.
    expect(texts?.slice(0, 2)).toEqual(["fallback", "deploy started (v2)"]);
    expect(texts).not.toContain("logs attached");
    expect(texts).toContain("Welcome to the workspace!");
    const parent = history.messages?.find((m) => m.ts === first.ts);
    expect(parent?.reply_count).toBe(1);
    expect(parent?.latest_reply).toBe(reply.ts);
    expect(history.messages?.[0]?.reactions).toEqual([
      { name: "white_check_mark", users: [auth.user_id], count: 1 },
    ]);

    const replies = await slack.conversations.replies({
      channel: general?.id as string,
      ts: first.ts as string,
    });
    expect(replies.messages?.map((m) => m.text)).toEqual(["deploy started (v2)", "logs attached"]);

    const deleted = await slack.chat.delete({
      channel: general?.id as string,
      ts: second.ts as string,
    });
    expect(deleted.ts).toBe(second.ts);
    const after = await slack.conversations.history({ channel: general?.id as string, limit: 1 });
    expect(after.messages?.[0]?.ts).toBe(first.ts);
    expect(after.has_more).toBe(true);

    const created = await slack.conversations.create({ name: "incidents" });
    expect(created.channel?.id).toMatch(/^C/);
    expect(created.channel?.name).toBe("incidents");
    const posted = await slack.chat.postMessage({ channel: "incidents", text: "sev2 open" });
    expect(posted.channel).toBe(created.channel?.id);
  });

  it("answers Slack's error codes as platform errors", async () => {
    const { url, twin } = await start();
    const slack = client(url);
    const general = twin.state().channels.find((c) => c.name === "general");
    const random = twin.state().channels.find((c) => c.name === "random");
    const seeded = twin.state().messages[general?.id as string]?.[0];

    expect(await platformError(slack.chat.postMessage({ channel: "#nope", text: "x" }))).toBe(
      "channel_not_found",
    );
    expect(await platformError(slack.chat.postMessage({ channel: "C0000000000", text: "x" }))).toBe(
      "channel_not_found",
    );
    expect(await platformError(slack.chat.postMessage({ channel: "#random", text: "x" }))).toBe(
      "not_in_channel",
    );
    expect(
      await platformError(slack.conversations.history({ channel: random?.id as string })),
    ).toBe("not_in_channel");
    expect(await platformError(slack.apiCall("chat.postMessage", { channel: general?.id }))).toBe(
      "no_text",
    );
    expect(
      await platformError(
        slack.chat.update({
          channel: general?.id as string,
          ts: seeded?.ts as string,
          text: "mine",
        }),
      ),
    ).toBe("cant_update_message");
    expect(
      await platformError(
        slack.chat.delete({ channel: general?.id as string, ts: seeded?.ts as string }),
      ),
    ).toBe("cant_delete_message");
    expect(
      await platformError(slack.chat.delete({ channel: general?.id as string, ts: "1.000001" })),
    ).toBe("message_not_found");
    expect(
      await platformError(
        slack.chat.update({ channel: general?.id as string, ts: "1.000001", text: "x" }),
      ),
    ).toBe("message_not_found");
    expect(await platformError(slack.conversations.create({ name: "general" }))).toBe("name_taken");
    expect(await platformError(slack.conversations.create({ name: "Has Spaces" }))).toBe(
      "invalid_name_specials",
    );
    expect(await platformError(slack.conversations.create({ name: "" }))).toBe(
      "invalid_name_required",
    );
    await slack.reactions.add({
      channel: general?.id as string,
      timestamp: seeded?.ts as string,
      name: "eyes",
    });
    expect(
      await platformError(
        slack.reactions.add({
          channel: general?.id as string,
          timestamp: seeded?.ts as string,
          name: "eyes",
        }),
      ),
    ).toBe("already_reacted");
    expect(
      await platformError(
        slack.reactions.add({
          channel: general?.id as string,
          timestamp: "2.000002",
          name: "eyes",
        }),
      ),
    ).toBe("message_not_found");
    expect(await platformError(slack.conversations.list({ cursor: "bm90LWEtY3Vyc29y" }))).toBe(
      "invalid_cursor",
    );

    expect(await platformError(client(url, "not-a-slack-token").auth.test())).toBe("invalid_auth");
    expect(await platformError(client(url, "").auth.test())).toBe("not_authed");
    const strict = await start({ options: { tokens: ["xoxb-only-this-one"] } });
    expect(await platformError(client(strict.url).auth.test())).toBe("invalid_auth");
    expect((await client(strict.url, "xoxb-only-this-one").auth.test()).ok).toBe(true);

    const platform = await slack.chat
      .postMessage({ channel: "#nope", text: "x" })
      .catch((e: unknown) => e);
    expect(platform).toBeInstanceOf(Error);
    expect((platform as WebAPIPlatformError).data).toMatchObject({
      ok: false,
      error: "channel_not_found",
    });
  });

  it("pages users, channels and history with cursors", async () => {
    const { url, twin } = await start();
    const slack = client(url);
    const users: string[] = [];
    let pages = 0;
    for await (const page of slack.paginate("users.list", { limit: 2 })) {
      pages += 1;
      users.push(...((page as UsersListResponse).members ?? []).map((m) => m.name as string));
    }
    expect(pages).toBe(3);
    expect(users).toEqual(["ada", "grace", "alan", "katherine", "linus", "factory-bot"]);

    for (const name of ["ops", "design", "sales"]) await slack.conversations.create({ name });
    const names: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await slack.conversations.list({ limit: 2, ...(cursor ? { cursor } : {}) });
      names.push(...(page.channels ?? []).map((c) => c.name as string));
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor);
    expect(names).toEqual(["general", "billing", "random", "ops", "design", "sales"]);

    const posted: string[] = [];
    for (let i = 0; i < 7; i++) {
      twin.clock.advance(1_000); // chat.postMessage: one a second per channel
      const r = await slack.chat.postMessage({ channel: "#billing", text: `invoice ${i}` });
      posted.push(r.ts as string);
    }
    const seen: string[] = [];
    cursor = undefined;
    do {
      const page = await slack.conversations.history({
        channel: twin.state().channels[1]?.id as string,
        limit: 3,
        oldest: posted[0] as string,
        inclusive: true,
        ...(cursor ? { cursor } : {}),
      });
      expect(page.messages?.length).toBeLessThanOrEqual(3);
      seen.push(...(page.messages ?? []).map((m) => m.ts as string));
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor);
    expect(seen).toEqual([...posted].reverse());

    const window = await slack.conversations.history({
      channel: twin.state().channels[1]?.id as string,
      oldest: posted[1] as string,
      latest: posted[4] as string,
    });
    expect(window.messages?.map((m) => m.ts)).toEqual([posted[3], posted[2]]);
  });

  it("rate limits by tier and per channel; the SDK's retry gets through", async () => {
    const { url, twin } = await start();
    let limited = 0;
    const slack = client(url, TOKEN, {
      retryConfig: { retries: 2, factor: 1, minTimeout: 10, maxTimeout: 10 },
    });
    slack.on(WebClientEvent.RATE_LIMITED, (retryAfter: number) => {
      limited += 1;
      expect(retryAfter).toBe(1);
      // The SDK sleeps Retry-After in real time; move the twin's virtual clock along with it.
      twin.clock.advance(retryAfter * 1000);
    });
    const burst: string[] = [];
    for (let i = 0; i < 6; i++) {
      const r = await slack.chat.postMessage({ channel: "#billing", text: `burst ${i}` });
      burst.push(r.ts as string);
    }
    expect(limited).toBe(1);
    expect(new Set(burst).size).toBe(6);
    expect(twin.journal().filter((e) => e.status === 429)).toHaveLength(1);
    const throttled = twin.journal().find((e) => e.status === 429);
    expect(JSON.parse(throttled?.response ?? "{}")).toEqual({ ok: false, error: "ratelimited" });

    // Tier 2 (users.list): 20 a minute, then 429 with Retry-After 3 (one more every 3 s).
    const impatient = client(url, TOKEN, { rejectRateLimitedCalls: true });
    for (let i = 0; i < 20; i++) await impatient.users.list({});
    const error = await impatient.users.list({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as WebAPIRateLimitedError).code).toBe(ErrorCode.RateLimitedError);
    expect((error as WebAPIRateLimitedError).retryAfter).toBe(3);
    twin.clock.advance(3_000);
    expect((await impatient.users.list({})).ok).toBe(true);
  });

  it("a fault profile's rate limit answers 429 + Retry-After, which the SDK honours", async () => {
    const { url, twin } = await start({
      faults: {
        rules: [{ route: "POST /api/auth.test", rate_limit: { limit: 1, per_seconds: 1 } }],
      },
    });
    let limited = 0;
    const slack = client(url, TOKEN, {
      retryConfig: { retries: 2, factor: 1, minTimeout: 10, maxTimeout: 10 },
    });
    slack.on(WebClientEvent.RATE_LIMITED, () => {
      limited += 1;
    });
    expect((await slack.auth.test()).ok).toBe(true);
    expect((await slack.auth.test()).ok).toBe(true);
    expect(limited).toBe(1);
    const faulted = twin.journal().find((e) => e.fault === "rate_limit");
    expect(faulted?.status).toBe(429);
    expect(JSON.parse(faulted?.response ?? "{}")).toEqual({ ok: false, error: "ratelimited" });
  });

  it("is deterministic: one seed, the same calls, the same journal", async () => {
    const run = async () => {
      const { url, twin } = await start({ seed: "same" });
      const slack = client(url);
      await slack.auth.test();
      const created = await slack.conversations.create({ name: "launch" });
      const posted = await slack.chat.postMessage({
        channel: created.channel?.id as string,
        text: "go",
      });
      await slack.chat.update({
        channel: created.channel?.id as string,
        ts: posted.ts as string,
        text: "gone",
      });
      await slack.conversations.history({ channel: created.channel?.id as string });
      await slack.chat.postMessage({ channel: "#nope", text: "x" }).catch(() => undefined);
      return { journal: twin.journal(), state: twin.state() };
    };
    const a = await run();
    const b = await run();
    expect(a.journal.length).toBe(6);
    expect(b.journal).toEqual(a.journal);
    expect(b.state).toEqual(a.state);
    const other = createTwin(slackTwin, { seed: "other" });
    expect(other.state().channels[0]?.id).not.toBe(a.state.channels[0]?.id);
  });

  it("snapshots and restores, in process and over the admin API", async () => {
    const { url, twin } = await start();
    const slack = client(url);
    await slack.chat.postMessage({ channel: "#general", text: "before" });
    const saved = twin.snapshot();
    await slack.chat.postMessage({ channel: "#general", text: "after" });
    await slack.conversations.create({ name: "temp" });
    twin.restore(saved);
    const general = twin.state().channels[0]?.id as string;
    let history = await slack.conversations.history({ channel: general, limit: 1 });
    expect(history.messages?.[0]?.text).toBe("before");
    // The ts sequence is restored too: the next message gets the ts "after" had.
    const again = await slack.chat.postMessage({ channel: "#general", text: "again" });
    expect(again.ts).toBe("1767225600.000200");

    const snapshot = await (await fetch(`${url}/__twin/snapshot`, { method: "POST" })).json();
    await slack.chat.postMessage({ channel: "#general", text: "lost" });
    const restored = await fetch(`${url}/__twin/restore`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(snapshot),
    });
    expect(restored.status).toBe(200);
    history = await slack.conversations.history({ channel: general, limit: 1 });
    expect(history.messages?.[0]?.text).toBe("again");
    expect(twin.state().channels.map((c) => c.name)).not.toContain("temp");
  });

  it("never crashes on bad requests", async () => {
    const { url } = await start();
    const slack = client(url);
    expect(await platformError(slack.apiCall("foo.bar", {}))).toBe("unknown_method");

    const huge = await slack.chat
      .postMessage({ channel: "#general", text: "x".repeat(2 * 1024 * 1024) })
      .catch((e: unknown) => e);
    expect(huge).toBeInstanceOf(WebAPIHTTPError);
    expect((huge as WebAPIHTTPError).statusCode).toBe(413);
    expect((huge as WebAPIHTTPError).body).toEqual({
      ok: false,
      error: "request_too_large",
    });

    const raw = async (init: RequestInit, path = "/api/chat.postMessage") => {
      const res = await fetch(`${url}${path}`, init);
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    const auth = { authorization: `Bearer ${TOKEN}` };
    expect(
      await raw({
        method: "POST",
        headers: { ...auth, "content-type": "application/json" },
        body: "{nope",
      }),
    ).toEqual({ status: 200, body: { ok: false, error: "invalid_json" } });
    expect(
      (
        await raw({
          method: "POST",
          headers: { ...auth, "content-type": "application/json" },
          body: "[1]",
        })
      ).body.error,
    ).toBe("json_not_object");
    expect(
      (
        await raw({
          method: "POST",
          headers: { ...auth, "content-type": "application/octet-stream" },
          body: "\u0000\u0001",
        })
      ).body.error,
    ).toBe("invalid_post_type");
    expect(
      (
        await raw({
          method: "POST",
          headers: { ...auth, "content-type": "application/x-www-form-urlencoded" },
          body: "channel=%23general&text=hi&blocks=%5Bnot-json",
        })
      ).body.error,
    ).toBe("invalid_blocks_format");
    expect(
      (
        await raw({
          method: "POST",
          headers: { ...auth, "content-type": "application/json" },
          body: '{"channel":{"a":1},"text":[1]}',
        })
      ).body.error,
    ).toBe("channel_not_found");
    expect(
      (await raw({ method: "GET" }, "/api/conversations.history?channel=x&cursor=%%%")).body.error,
    ).toBe("not_authed");
    expect((await raw({ method: "GET" }, "/nowhere")).status).toBe(404);
    // JSON bodies work like form bodies, with the token in the header.
    const json = await raw({
      method: "POST",
      headers: { ...auth, "content-type": "application/json; charset=utf-8" },
      body: JSON.stringify({ channel: "#general", text: "json body" }),
    });
    expect(json.body).toMatchObject({ ok: true, message: { text: "json body" } });
    const basic = await raw({
      method: "POST",
      headers: { authorization: "Basic Zm9vOmJhcg==" },
      body: "channel=general&text=x",
    });
    expect(basic.body.error).toBe("invalid_auth");
    const multipart = new FormData();
    multipart.append("channel", "general");
    multipart.append("text", "from a form");
    expect((await raw({ method: "POST", headers: auth, body: multipart })).body).toMatchObject({
      ok: true,
      message: { text: "from a form" },
    });
    expect((await slack.auth.test()).ok).toBe(true);
  });
});
