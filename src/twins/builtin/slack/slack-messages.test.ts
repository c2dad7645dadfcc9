/** The slack twin through @slack/web-api: messages and threads, and cursor pagination. */
import type { UsersListResponse } from "@slack/web-api";
import { afterEach, describe, expect, it } from "vitest";
import { client, closeServed, start } from "./test-support.js";

afterEach(closeServed);

describe("slack twin through @slack/web-api: messages and pages", () => {
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
});
