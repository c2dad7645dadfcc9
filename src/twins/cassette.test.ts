import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { createRedactor } from "../governance/index.js";
import { diffCassette, recordCassette, replayCassette } from "./cassette.js";
import type { TwinDefinition } from "./runtime/contract.js";
import { createTwin, type ServedTwin } from "./runtime/create-twin.js";

/** The "real service" of these tests is itself a twin: one twin as the upstream of another. */
const ordersTwin = (shape: "v1" | "v2"): TwinDefinition<{ orders: Record<string, unknown>[] }> => ({
  name: "orders",
  description: "orders",
  initialState: () => ({ orders: [] }),
  routes(app, twin) {
    app.post("/orders", async (c) => {
      if (c.req.header("authorization") !== "Bearer sk_live_abcdefghijklmnop1234")
        return c.json({ error: "bad key" }, 401);
      const body = (await c.req.json()) as { amount: number };
      const order =
        shape === "v1"
          ? { id: twin.random.id("ord_", 8), amount: body.amount, status: "open" }
          : { id: twin.random.id("ord_", 8), amount: String(body.amount), state: "open" };
      twin.state.orders.push(order);
      return c.json(order, 201);
    });
    app.get("/orders", (c) => c.json({ data: twin.state.orders }));
  },
  errors: { error: (status, message) => ({ body: { error: message, status } }) },
});

const dir = mkdtempSync(join(tmpdir(), "df-cassette-"));
const servers: ServedTwin[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const key = "sk_live_abcdefghijklmnop1234";
async function traffic(base: string) {
  const post = (amount: number) =>
    fetch(`${base}/orders`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ amount }),
    });
  const answers = [await post(100), await post(250), await fetch(`${base}/orders?limit=2`)];
  return Promise.all(answers.map(async (a) => ({ status: a.status, body: await a.text() })));
}

describe("record, replay, diff", () => {
  it("records through a proxy with secrets redacted, and replays what it recorded", async () => {
    const upstream = await createTwin(ordersTwin("v1"), { seed: "real" }).serve();
    servers.push(upstream);
    const cassette = join(dir, "orders.jsonl");
    const recorder = await recordCassette({
      upstream: upstream.url,
      cassette,
      redactor: createRedactor(),
    });
    servers.push(recorder);
    const live = await traffic(recorder.url);
    expect(live.map((a) => a.status)).toEqual([201, 201, 200]);

    const text = readFileSync(cassette, "utf8");
    expect(text.trim().split("\n")).toHaveLength(3);
    expect(text).not.toContain(key);
    expect(text).toContain("[REDACTED]");

    const replay = await replayCassette(cassette);
    servers.push(replay);
    expect(await traffic(replay.url)).toEqual(live);
    // Each recording answers once; a fourth GET finds none left.
    const extra = await fetch(`${replay.url}/orders?limit=2`);
    expect(extra.status).toBe(404);
  });

  it("diffs a twin against the recording: same twin, other seed, differs only in chosen ids; another shape differs in shape", async () => {
    const upstream = await createTwin(ordersTwin("v1"), { seed: "real" }).serve();
    const cassette = join(dir, "diff.jsonl");
    const recorder = await recordCassette({
      upstream: upstream.url,
      cassette,
      redactor: createRedactor(),
    });
    servers.push(upstream, recorder);
    await traffic(recorder.url);
    const auth = { authorization: `Bearer ${key}` };

    const faithful = await createTwin(ordersTwin("v1"), { seed: "other" }).serve();
    servers.push(faithful);
    const same = await diffCassette(cassette, faithful.url, {
      fields: ["status", "amount"],
      headers: auth,
    });
    expect(same).toEqual({ interactions: 3, differences: [] });
    const ids = await diffCassette(cassette, faithful.url, { fields: ["id"], headers: auth });
    expect(ids.differences.map((d) => d.kind)).toEqual(["field", "field"]);

    const drifted = await createTwin(ordersTwin("v2"), { seed: "real" }).serve();
    servers.push(drifted);
    const report = await diffCassette(cassette, drifted.url, { headers: auth });
    expect(report.differences).toContainEqual(
      expect.objectContaining({
        interaction: 1,
        kind: "shape",
        detail: "amount: recorded number, twin string",
      }),
    );
    expect(report.differences).toContainEqual(
      expect.objectContaining({ kind: "shape", detail: "status: missing from the twin's answer" }),
    );
    // Without the key (redacted in the cassette) the twin refuses: a status difference.
    const unauthorised = await diffCassette(cassette, faithful.url);
    expect(unauthorised.differences[0]).toMatchObject({
      kind: "status",
      detail: "recorded 201, twin 401",
    });
  });
});
