import { afterEach, describe, expect, it } from "vitest";
import type { TwinDefinition } from "./contract.js";
import { createTwin, type ServedTwin } from "./create-twin.js";

interface Notes {
  notes: { id: string; text: string; at: number }[];
}

/** A small twin: notes with seeded ids, an error shape of its own, and a route that throws. */
const notesTwin: TwinDefinition<Notes> = {
  name: "notes",
  description: "notes for runtime tests",
  initialState: () => ({ notes: [] }),
  routes(app, twin) {
    app.post("/notes", async (c) => {
      const body = (await c.req.json().catch(() => undefined)) as { text?: unknown } | undefined;
      if (typeof body?.text !== "string") return c.json({ fault: "text is required" }, 400);
      const note = { id: twin.random.id("n_", 8), text: body.text, at: twin.clock.now() };
      twin.state.notes.push(note);
      return c.json(note, 201);
    });
    app.get("/notes", (c) => c.json(twin.state.notes));
    app.get("/boom", () => {
      throw new Error("a bug in the twin");
    });
  },
  errors: {
    error: (status, message) => ({ body: { fault: message, status } }),
    rateLimitHeaders: (bucket, always) => ({
      "x-limit-remaining": String(bucket.remaining),
      ...(always ? {} : { "retry-after": String(bucket.retryAfter) }),
    }),
  },
};

const served: ServedTwin[] = [];
afterEach(async () => {
  await Promise.all(served.splice(0).map((s) => s.close()));
});

async function http(options: Parameters<typeof createTwin>[1] = {}) {
  const twin = createTwin(notesTwin, options);
  const server = await twin.serve();
  served.push(server);
  const call = (path: string, init?: RequestInit) => fetch(`${server.url}${path}`, init);
  const post = (text: unknown) =>
    call("/notes", {
      method: "POST",
      body: JSON.stringify({ text }),
      headers: { "content-type": "application/json", authorization: "Bearer secret-token" },
    });
  return { twin, server, call, post };
}

describe("the twin runtime", () => {
  it("gives the same ids, responses and journal for the same seed and requests, over HTTP and in-process", async () => {
    const a = await http({ seed: "s1" });
    const b = createTwin(notesTwin, { seed: "s1" });
    for (const text of ["one", "two"]) {
      await a.post(text);
      await b.fetch(
        new Request("http://twin/notes", {
          method: "POST",
          body: JSON.stringify({ text }),
          headers: { "content-type": "application/json" },
        }),
      );
    }
    // The transports journal on their own paths (node's request, or a middleware): the same
    // entries for an unknown route, a bug, an escaped path, bytes and a bad body.
    const others: [string, RequestInit?][] = [
      ["/nope/%7Ename?q=1"],
      ["/boom"],
      ["/notes", { method: "POST", body: new Uint8Array([0, 1, 255]) }],
      ["/notes", { method: "POST", body: "{bad", headers: { "content-type": "application/json" } }],
    ];
    for (const [path, init] of others) {
      const overHttp = await a.call(path, init);
      const local = await b.fetch(new Request(`http://twin${path}`, init));
      expect(overHttp.status).toBe(local.status);
      expect(await overHttp.text()).toBe(await local.text());
    }
    expect(a.twin.journal().map((e) => e.status)).toEqual([201, 201, 404, 500, 400, 400]);
    expect(a.twin.journal()[2]?.path).toBe("/nope/~name");
    expect(a.twin.journal()[4]?.body).toBe("base64:AAH/");
    expect(a.twin.state().notes.map((n) => n.id)).toEqual(b.state().notes.map((n) => n.id));
    const strip = (journal: ReturnType<typeof b.journal>) =>
      journal.map(({ headers: _h, ...rest }) => rest);
    expect(JSON.stringify(strip(a.twin.journal()))).toBe(JSON.stringify(strip(b.journal())));
    const other = createTwin(notesTwin, { seed: "s2" });
    await other.fetch(new Request("http://twin/notes", { method: "POST", body: '{"text":"one"}' }));
    expect(other.state().notes[0]?.id).not.toBe(b.state().notes[0]?.id);
    // Credentials never reach the journal.
    expect(JSON.stringify(a.twin.journal())).not.toContain("secret-token");
  });

  it("answers unknown routes, bugs and huge bodies in the vendor's shape, never by crashing", async () => {
    const { call } = await http({ maxBodyBytes: 1000 });
    const missing = await call("/nope");
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ fault: expect.stringContaining("/nope") });
    const bug = await call("/boom");
    expect(bug.status).toBe(500);
    expect(await bug.json()).toMatchObject({ status: 500 });
    const huge = await call("/notes", { method: "POST", body: "x".repeat(5000) });
    expect(huge.status).toBe(413);
    expect((await call("/notes")).status).toBe(200);
  });

  it("injects errors on a seeded schedule: the same seed fails the same requests", async () => {
    const run = async () => {
      const twin = createTwin(notesTwin, {
        seed: "f",
        faults: { rules: [{ route: "POST /notes", error_rate: 0.5, error_status: 503 }] },
      });
      const statuses: number[] = [];
      for (let i = 0; i < 20; i++)
        statuses.push(
          (
            await twin.fetch(
              new Request("http://t/notes", { method: "POST", body: `{"text":"${i}"}` }),
            )
          ).status,
        );
      return { statuses, journal: twin.journal() };
    };
    const first = await run();
    const second = await run();
    expect(first.statuses).toEqual(second.statuses);
    expect(first.statuses.filter((s) => s === 503).length).toBeGreaterThan(3);
    expect(first.statuses.filter((s) => s === 201).length).toBeGreaterThan(3);
    expect(first.journal.filter((e) => e.fault === "error")).toHaveLength(
      first.statuses.filter((s) => s === 503).length,
    );
    // Reads are not on the rule's route.
    expect(JSON.stringify(first.journal)).toBe(JSON.stringify(second.journal));
  });

  it("rate limits by a real token bucket, with the vendor's headers, and lets a waiting client through", async () => {
    const { call, twin } = await http({
      faults: { rules: [{ rate_limit: { limit: 2, per_seconds: 1 } }] },
    });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push(await call("/notes"));
    expect(statuses.map((r) => r.status)).toEqual([200, 200, 429]);
    expect(statuses[0]?.headers.get("x-limit-remaining")).toBe("1");
    expect(statuses[2]?.headers.get("retry-after")).toBe("1");
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect((await call("/notes")).status).toBe(200);
    expect(twin.journal().map((e) => e.fault ?? "-")).toEqual(["-", "-", "rate_limit", "-"]);
  });

  it("adds latency, drops connections, and times out", async () => {
    const { call, twin } = await http({
      faults: { rules: [{ route: "GET /notes", latency: { fixed: 120 } }] },
    });
    const started = performance.now();
    await call("/notes");
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
    expect(twin.journal()[0]).toMatchObject({ fault: "latency", delayMs: 120 });

    twin.setFaults({ rules: [{ reset_rate: 1 }] });
    await expect(call("/notes")).rejects.toThrow();
    await expect(twin.fetch(new Request("http://t/notes"))).rejects.toThrow(/connection reset/);

    twin.setFaults({ rules: [{ timeout_rate: 1, timeout_ms: 50 }] });
    const timedOut = await twin.fetch(new Request("http://t/notes"));
    expect(timedOut.status).toBe(504);
    twin.setFaults({ rules: [{ timeout_rate: 1, timeout_ms: 5_000 }] });
    await expect(call("/notes", { signal: AbortSignal.timeout(100) })).rejects.toThrow();
  });

  it("serves the admin API: state, snapshot, restore, reset, faults, journal and the clock", async () => {
    const { call, post } = await http();
    await post("kept");
    const snapshot = await (await call("/__twin/snapshot", { method: "POST" })).json();
    const dropped = (await (await post("dropped")).json()) as { id: string };
    expect(((await (await call("/__twin/state")).json()) as Notes).notes).toHaveLength(2);
    expect(
      (await call("/__twin/restore", { method: "POST", body: JSON.stringify(snapshot) })).status,
    ).toBe(200);
    const restored = (await (await call("/__twin/state")).json()) as Notes;
    expect(restored.notes.map((n) => n.text)).toEqual(["kept"]);
    // The same random stream after a restore: the next id is the one "dropped" got.
    const again = (await (await post("again")).json()) as { id: string };
    expect(again.id).toBe(dropped.id);

    const clock = (await (
      await call("/__twin/clock", { method: "POST", body: '{"advance_ms": 60000}' })
    ).json()) as { iso: string };
    expect(clock.iso).toBe("2026-01-01T00:01:00.000Z");
    expect(
      (await call("/__twin/clock", { method: "POST", body: '{"advance_ms": -1}' })).status,
    ).toBe(400);
    expect(
      (await call("/__twin/faults", { method: "PUT", body: '{"rules":[{"error_rate": 2}]}' }))
        .status,
    ).toBe(400);
    expect(
      (await call("/__twin/faults", { method: "PUT", body: '{"rules":[{"error_rate": 1}]}' }))
        .status,
    ).toBe(200);
    expect((await call("/notes")).status).toBe(503);
    expect((await call("/__twin/restore", { method: "POST", body: "{}" })).status).toBe(400);

    await call("/__twin/reset", { method: "POST" });
    expect(((await (await call("/__twin/state")).json()) as Notes).notes).toEqual([]);
    expect(await (await call("/__twin/journal")).json()).toEqual([]);
  });

  it("guards the admin API with a token when one is set", async () => {
    const { call } = await http({ adminToken: "t0k" });
    expect((await call("/__twin/state")).status).toBe(401);
    expect((await call("/__twin/state", { headers: { "x-twin-admin-token": "t0k" } })).status).toBe(
      200,
    );
  });
});
