/** The slack twin through @slack/web-api: Slack's error codes, and bad requests that must not crash it. */
import { WebAPIHTTPError, type WebAPIPlatformError } from "@slack/web-api";
import { afterEach, describe, expect, it } from "vitest";
import { client, closeServed, platformError, start, TOKEN } from "./test-support.js";

afterEach(closeServed);

describe("slack twin through @slack/web-api: errors", () => {
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
