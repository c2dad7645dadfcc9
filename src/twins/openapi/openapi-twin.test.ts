import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { InputError } from "../../common/index.js";
import { createTwin, type ServedTwin } from "../runtime/create-twin.js";
import {
  loadOpenApiTwinFile,
  type OpenApiTwinOptions,
  openApiTwin,
  Resolver,
  type SchemaObject,
  validate,
} from "./index.js";

const fixture = (name: string) =>
  fileURLToPath(new URL(`../../../test/fixtures/openapi/${name}`, import.meta.url));
const payments = parse(readFileSync(fixture("payments.yaml"), "utf8")) as object;
const resolver = new Resolver(payments);
const schema = (name: string): SchemaObject => ({ $ref: `#/components/schemas/${name}` });

const served: ServedTwin[] = [];
afterEach(async () => {
  await Promise.all(served.splice(0).map((s) => s.close()));
});

function inProcess(options: Partial<OpenApiTwinOptions> = {}, seed = "s1") {
  const twin = createTwin(openApiTwin(payments, { name: "payments", ...options }), { seed });
  const call = (path: string, init?: RequestInit) =>
    twin.fetch(new Request(`http://twin.test${path}`, init));
  return { twin, call };
}

async function overHttp(options: Partial<OpenApiTwinOptions> = {}, seed = "s1") {
  const twin = createTwin(openApiTwin(payments, { name: "payments", ...options }), { seed });
  const server = await twin.serve();
  served.push(server);
  const call = (path: string, init?: RequestInit) => fetch(`${server.url}${path}`, init);
  return { twin, call };
}

const post = (body: unknown): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json" },
  body: typeof body === "string" ? body : JSON.stringify(body),
});

const good = { amount: 1250, currency: "eur", customer: "cus_1" };

describe("a twin from an OpenAPI description: validation", () => {
  const cases: [string, string, RequestInit | undefined, string, string][] = [
    [
      "a missing required field",
      "/v1/payments",
      post({ amount: 5, currency: "usd" }),
      "body.customer",
      "body.customer: required",
    ],
    [
      "a wrong type",
      "/v1/payments",
      post({ ...good, amount: "12" }),
      "body.amount",
      "body.amount: expected integer, got string",
    ],
    [
      "a value outside the enum",
      "/v1/payments",
      post({ ...good, currency: "xyz" }),
      "body.currency",
      'body.currency: expected one of "usd", "eur", "gbp", got "xyz"',
    ],
    [
      "a value under the minimum",
      "/v1/payments",
      post({ ...good, amount: 0 }),
      "body.amount",
      "body.amount: must be >= 1, got 0",
    ],
    [
      "an unexpected property",
      "/v1/payments",
      post({ ...good, extra: 1 }),
      "body.extra",
      "body.extra: unexpected property",
    ],
    [
      "a bad email",
      "/v1/payments",
      post({ ...good, email: "nobody" }),
      "body.email",
      'body.email: expected a email, got "nobody"',
    ],
    ["invalid JSON", "/v1/payments", post("{ not json"), "body", "body: invalid JSON"],
    ["a missing body", "/v1/payments", { method: "POST" }, "body", "body: required"],
    [
      "a missing query parameter",
      "/v1/payments",
      undefined,
      "query.limit",
      "query.limit: required",
    ],
    [
      "a query parameter of the wrong type",
      "/v1/payments?limit=ten",
      undefined,
      "query.limit",
      'query.limit: expected integer, got "ten"',
    ],
    [
      "a query parameter over its maximum",
      "/v1/payments?limit=500",
      undefined,
      "query.limit",
      "query.limit: must be <= 100, got 500",
    ],
    [
      "a path parameter of the wrong type",
      "/v1/customers/abc/balance",
      undefined,
      "path.customerId",
      'path.customerId: expected integer, got "abc"',
    ],
    [
      "a $ref'd query enum",
      "/v1/customers/7/balance?currency=yen",
      undefined,
      "query.currency",
      "query.currency: expected one of",
    ],
  ];
  for (const [what, path, init, field, message] of cases)
    it(`answers 400 naming the field for ${what}`, async () => {
      const { call } = inProcess();
      const response = await call(path, init);
      expect(response.status).toBe(400);
      const body = (await response.json()) as {
        error: { status: number; message: string; field: string };
      };
      expect(body.error.status).toBe(400);
      expect(body.error.field).toBe(field);
      expect(body.error.message.startsWith(message)).toBe(true);
    });

  it("accepts a good request, null where the schema allows it, and uses a custom error shape", async () => {
    const { call } = inProcess({
      errorShape: (status, message, field) => ({ code: status, msg: message, param: field }),
    });
    expect((await call("/v1/payments", post({ ...good, note: null }))).status).toBe(201);
    const bad = await call("/v1/payments", post({ ...good, amount: 1.5 }));
    expect(await bad.json()).toEqual({
      code: 400,
      msg: "body.amount: expected integer, got number",
      param: "body.amount",
    });
    const missing = await call("/v1/nowhere");
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: 404 });
  });
});

describe("a twin from an OpenAPI description: answers", () => {
  it("answers a documented example as it is, under the servers' path prefix", async () => {
    const { call } = await overHttp();
    const response = await call("/v1/status");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, version: "2026.1" });
    expect((await call("/status")).status).toBe(404);
  });

  it("generates answers that conform to their schema, the same for a seed and different for another", async () => {
    const answers = async (seed: string) => {
      const { call } = await overHttp({}, seed);
      const balance = await (await call("/v1/customers/7/balance")).json();
      const created = await call("/v1/payments", post(good));
      expect(created.status).toBe(201);
      const list = await (await call("/v1/payments?limit=10")).json();
      return { balance, payment: await created.json(), list };
    };
    const one = await answers("seed-one");
    for (const [value, name] of [
      [one.balance, "Balance"],
      [one.payment, "Payment"],
    ] as const)
      expect(validate(resolver, schema(name), value, "$", "response")).toEqual([]);
    const listSchema = (payments as { paths: Record<string, Record<string, unknown>> }).paths[
      "/payments"
    ]?.get as {
      responses: { "200": { content: { "application/json": { schema: SchemaObject } } } };
    };
    const list = listSchema.responses["200"].content["application/json"].schema;
    expect(validate(resolver, list, one.list, "$", "response")).toEqual([]);
    expect((one.payment as { created: string }).created).toBe("2026-01-01T00:00:00.000Z");
    expect(await answers("seed-one")).toEqual(one);
    const { twin, call } = inProcess({}, "seed-one");
    const before = await (await call("/v1/customers/7/balance")).json();
    twin.reset();
    expect(await (await call("/v1/customers/7/balance")).json()).toEqual(before);
    expect(before).toEqual(one.balance);
    expect(await answers("seed-two")).not.toEqual(one);
  });
});

describe("a twin from an OpenAPI description: crud", () => {
  it("creates, reads, lists and deletes, then answers 404", async () => {
    const { call, twin } = await overHttp({ crud: true });
    const created = await call("/v1/payments", post(good));
    expect(created.status).toBe(201);
    const payment = (await created.json()) as Record<string, unknown>;
    expect(payment).toMatchObject(good);
    expect(payment.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(validate(resolver, schema("Payment"), payment, "$", "response")).toEqual([]);

    const read = await call(`/v1/payments/${payment.id}`);
    expect(read.status).toBe(200);
    expect(await read.json()).toEqual(payment);

    const patched = await call(`/v1/payments/${payment.id}`, {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ note: "paid in full" }),
    });
    expect(patched.status).toBe(200);
    Object.assign(payment, { note: "paid in full" });
    expect(await patched.json()).toEqual(payment);

    const second = await (await call("/v1/payments", post({ ...good, amount: 9 }))).json();
    const list = (await (await call("/v1/payments?limit=10")).json()) as { data: unknown[] };
    expect(list.data).toEqual([payment, second]);
    expect(typeof (list as unknown as { has_more: unknown }).has_more).toBe("boolean");

    const deleted = await call(`/v1/payments/${payment.id}`, { method: "DELETE" });
    expect(deleted.status).toBe(204);
    const gone = await call(`/v1/payments/${payment.id}`);
    expect(gone.status).toBe(404);
    expect(await gone.json()).toMatchObject({ error: { status: 404 } });
    expect((await call(`/v1/payments/${payment.id}`, { method: "DELETE" })).status).toBe(404);
    expect(twin.state().collections["/v1/payments"]).toEqual([second]);
    expect(twin.journal().map((e) => e.status)).toEqual([201, 200, 200, 201, 200, 204, 404, 404]);
  });
});

describe("a twin from an OpenAPI description: awkward documents", () => {
  const awkward = {
    openapi: "3.0.3",
    info: { title: "Awkward", version: "1" },
    paths: {
      "/nodes/{id}": { get: { responses: { "200": json({ $ref: "#/components/schemas/Node" }) } } },
      "/nodes/loop": { get: { responses: { "200": json({ $ref: "#/components/schemas/Loop" }) } } },
      "/files/{name}.{ext}": {
        get: {
          parameters: [
            { name: "name", in: "path", required: true, schema: { type: "string" } },
            { name: "ext", in: "path", required: true, schema: { enum: ["txt", "md"] } },
          ],
          responses: { "200": json({ type: "object", properties: { ok: { type: "boolean" } } }) },
        },
      },
    },
    components: {
      schemas: {
        Node: {
          type: "object",
          required: ["name", "children"],
          properties: {
            name: { type: "string" },
            children: { type: "array", items: { $ref: "#/components/schemas/Node" } },
            parent: { allOf: [{ $ref: "#/components/schemas/Node" }], nullable: true },
          },
        },
        Loop: { $ref: "#/components/schemas/Loop2" },
        Loop2: { $ref: "#/components/schemas/Loop" },
      },
    },
  };

  it("survives recursive and circular schemas, prefers literal segments and matches mixed ones", async () => {
    const twin = createTwin(openApiTwin(awkward, { name: "awkward" }));
    const call = (path: string) => twin.fetch(new Request(`http://t${path}`));
    const node = await call("/nodes/n1");
    expect(node.status).toBe(200);
    const r = new Resolver(awkward);
    expect(
      validate(r, { $ref: "#/components/schemas/Node" }, await node.json(), "$", "response"),
    ).toEqual([]);
    const loop = await call("/nodes/loop");
    expect(loop.status).toBe(200);
    expect((await call("/files/readme.md")).status).toBe(200);
    const bad = await call("/files/readme.pdf");
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { field: "path.ext" } });
  });
});

function json(schema: object) {
  return { description: "ok", content: { "application/json": { schema } } };
}

describe("a twin declared in YAML", () => {
  it("loads a good declaration into a crud twin", async () => {
    const definition = loadOpenApiTwinFile(fixture("payments-twin.yaml"));
    expect(definition.name).toBe("payments");
    expect(definition.description).toBe("Payments, from their OpenAPI description");
    const twin = createTwin(definition);
    const created = await twin.fetch(new Request("http://t/v1/payments", post(good)));
    const { id } = (await created.json()) as { id: string };
    expect((await twin.fetch(new Request(`http://t/v1/payments/${id}`))).status).toBe(200);
  });

  it("names the file, line and column of a bad declaration", () => {
    const error = captured(() => loadOpenApiTwinFile(fixture("bad-twin.yaml")));
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(/bad-twin\.yaml:3:7 .*crud/);
    expect(error.hint).toContain("boolean");
  });

  it("says where a missing document was named", () => {
    const error = captured(() => loadOpenApiTwinFile(fixture("missing-document-twin.yaml")));
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(
      /missing-document-twin\.yaml:2:10 no OpenAPI document at .*no-such-description\.yaml/,
    );
  });
});

function captured(run: () => unknown): InputError {
  try {
    run();
  } catch (error) {
    return error as InputError;
  }
  throw new Error("expected an InputError");
}

describe("GitHub's OpenAPI description (~10 MB, ~900 paths)", () => {
  it("loads quickly and answers with bodies that conform to the description", async () => {
    const file = createRequire(import.meta.url).resolve(
      "@octokit/openapi/generated/api.github.com.json",
    );
    const started = performance.now();
    const github = JSON.parse(readFileSync(file, "utf8")) as object;
    const parsed = performance.now();
    const twin = createTwin(openApiTwin(github, { name: "github-openapi" }));
    const server = await twin.serve();
    served.push(server);
    const loaded = performance.now();
    const repo = await fetch(`${server.url}/repos/octocat/hello-world`);
    const first = performance.now();
    const user = await fetch(`${server.url}/users/octocat`);
    const second = performance.now();
    console.log(
      `GitHub description: parse ${Math.round(parsed - started)} ms, twin+serve ${Math.round(loaded - parsed)} ms, first request ${Math.round(first - loaded)} ms, second ${Math.round(second - first)} ms`,
    );
    const gh = new Resolver(github);
    expect(repo.status).toBe(200);
    const repoBody = (await repo.json()) as { full_name: string };
    // GitHub's own example, with the required `language` it lacks filled in from the schema.
    expect(repoBody.full_name).toBe("octocat/Hello-World");
    expect(
      validate(gh, { $ref: "#/components/schemas/full-repository" }, repoBody, "$", "response"),
    ).toEqual([]);
    expect(user.status).toBe(200);
    const userSchema = {
      oneOf: [
        { $ref: "#/components/schemas/private-user" },
        { $ref: "#/components/schemas/public-user" },
      ],
    };
    expect(validate(gh, userSchema, await user.json(), "$", "response")).toEqual([]);
    // A required integer path parameter, validated against GitHub's own schema.
    const bad = await fetch(`${server.url}/repos/octocat/hello-world/issues/not-a-number`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { field: "path.issue_number" } });
  });
});
