/** The slack twin through @slack/web-api: rate limits, determinism and snapshots. */
import { ErrorCode, type WebAPIRateLimitedError, WebClientEvent } from "@slack/web-api";
import { afterEach, describe, expect, it } from "vitest";
import { createTwin } from "../../index.js";
import { slackTwin } from "./index.js";
import { client, closeServed, start, TOKEN } from "./test-support.js";

afterEach(closeServed);

describe("slack twin through @slack/web-api: rate limits, determinism, snapshots", () => {
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
});
