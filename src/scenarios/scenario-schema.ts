/**
 * The holdout scenario format (DESIGN §6): one YAML file per end-to-end user trajectory, kept
 * in the factory home's `scenarios/`, where builders cannot read it.
 */
import { z } from "zod";

const text = z.string().min(1);
const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "an environment variable name");
/** `{{name}}`: a captured value, a generated input, or `twins.<name>.url`. */
const templated = z.string();

const seconds = z.number().int().positive();
const ms = z.number().int().positive();

/** A matcher for one value: equal to it, or one of these operators. */
const matcher = z.union([
  z.strictObject({ equals: z.unknown() }),
  z.strictObject({ matches: text.describe("a regular expression") }),
  z.strictObject({ exists: z.boolean() }),
  z.strictObject({ gte: z.number() }),
  z.strictObject({ lte: z.number() }),
  z.strictObject({ contains: z.unknown() }),
]);

const httpStep = z.strictObject({
  method: z.enum(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"]).default("GET"),
  path: templated.refine((p) => p.startsWith("/"), "a path on the product, starting with /"),
  headers: z.record(z.string(), templated).default({}),
  /** JSON, sent with `content-type: application/json` unless headers say otherwise. */
  body: z.unknown().optional(),
  expect: z
    .strictObject({
      status: z.union([z.number().int().min(100).max(599), z.array(z.number().int())]).optional(),
      /** The answer's JSON contains this (objects by subset, arrays by position). */
      json: z.unknown().optional(),
      /** JSONPath (`$.refund.amount`, `$.items[0].id`) to a matcher. */
      jsonpath: z.record(text, matcher).optional(),
      headers: z.record(z.string(), matcher).optional(),
    })
    .default({}),
  /** Variables for later steps: name to a JSONPath into the answer. */
  capture: z.record(envName, text).default({}),
});

const cliStep = z.strictObject({
  command: text,
  stdin: z.string().optional(),
  timeout_ms: ms.optional(),
  expect: z
    .strictObject({
      exit: z.number().int().optional(),
      stdout: matcher.optional(),
      stderr: matcher.optional(),
    })
    .default({}),
});

const browserAction = z.union([
  z.strictObject({ goto: templated }),
  z.strictObject({ click: text.describe("a selector") }),
  z.strictObject({ fill: z.strictObject({ selector: text, value: templated }) }),
  z.strictObject({ expect_text: z.strictObject({ selector: text.optional(), text }) }),
]);

const twinStep = z
  .strictObject({
    twin: text,
    /** A dotted path into the twin's state (`refunds`, `messages.#billing`) and what it holds. */
    expect: z.strictObject({ path: text, value: matcher }).optional(),
    /** A fault profile for the rest of the trajectory (rules as in `factory twin serve --faults`). */
    faults: z.strictObject({ rules: z.array(z.record(z.string(), z.unknown())) }).optional(),
    advance_clock_ms: ms.optional(),
    /**
     * A call to the twin's own API, as the world before the user acts (a Stripe customer that
     * exists), its answer captured like an http step's.
     */
    request: z
      .strictObject({
        method: z.enum(["GET", "POST", "PUT", "PATCH", "DELETE"]).default("POST"),
        path: templated.refine((p) => p.startsWith("/"), "a path on the twin, starting with /"),
        headers: z.record(z.string(), templated).default({}),
        /** Sent form-encoded, as Stripe wants. */
        form: z.record(z.string(), z.unknown()).optional(),
        /** Sent as JSON. */
        json: z.unknown().optional(),
      })
      .optional(),
    capture: z.record(envName, text).default({}),
  })
  .refine(
    (step) =>
      [step.expect, step.faults, step.advance_clock_ms, step.request].filter((v) => v !== undefined)
        .length === 1,
    "a twin step does one thing: expect, faults, advance_clock_ms or request",
  );

const waitStep = z.strictObject({
  /** The step to repeat until it passes. */
  until: z
    .strictObject({ http: httpStep.optional(), twin: twinStep.optional() })
    .refine((until) => (until.http === undefined) !== (until.twin === undefined), {
      message: "wait until one http or twin step",
    }),
  timeout_ms: ms.default(5_000),
  every_ms: ms.default(100),
});

// One object with one key, rather than a union: a mistake inside a step is then reported at
// its field (`steps.2.http.method`), and a misspelt kind gets a "did you mean".
const step = z
  .strictObject({
    name: text.optional(),
    http: httpStep.optional(),
    cli: cliStep.optional(),
    browser: z.array(browserAction).min(1).optional(),
    twin: twinStep.optional(),
    wait: waitStep.optional(),
  })
  .refine(
    (s) => [s.http, s.cli, s.browser, s.twin, s.wait].filter((v) => v !== undefined).length === 1,
    "a step is exactly one of http, cli, browser, twin, wait",
  );
export type ScenarioStep = z.infer<typeof step>;

/** A value drawn from the trajectory's seed, so a deterministic product meets new inputs. */
const generated = z.union([
  z.strictObject({ int: z.tuple([z.number().int(), z.number().int()]) }),
  z.strictObject({ pick: z.array(z.unknown()).min(1) }),
  z.strictObject({ id: text.describe("a prefix, e.g. cus_") }),
]);

const twinUse = z.strictObject({
  name: text,
  /** `per-trajectory`: a new seed each run; `fixed`: the scenario's id. */
  seed: z.enum(["per-trajectory", "fixed"]).default("per-trajectory"),
  /** Fault profiles (files in the home) to run every trajectory under too; `none` is no faults. */
  faults: z.array(text).default(["none"]),
});

export const scenarioSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "an id: lowercase letters, digits and -"),
  title: text,
  /** Requirement ids of the intent this scenario checks. */
  requirements: z.array(text).min(1),
  /** Any failed trajectory fails the bolt, whatever the overall satisfaction. */
  must_pass: z.boolean().default(false),
  twins: z.array(twinUse).default([]),
  product: z.strictObject({
    install: text.optional(),
    build: text.optional(),
    start: text,
    /** Where the product listens inside the sandbox. */
    port: z.number().int().min(1024).max(65535),
    /** A path that answers 2xx once the product is ready. */
    ready: templated.default("/"),
    ready_timeout_s: seconds.default(30),
    env: z.record(envName, templated).default({}),
  }),
  inputs: z.record(envName, generated).default({}),
  steps: z.array(step).min(1),
  /** What the evaluator judges the observed outputs against, beyond the expectations. */
  rubric: text.optional(),
});
export type Scenario = z.infer<typeof scenarioSchema>;
