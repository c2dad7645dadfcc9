/**
 * One trajectory's steps, in order, against a running product and its twins. The first step
 * that fails ends the trajectory: later steps build on what it should have done.
 */
import type { Agent } from "node:http";
import type { Sandbox } from "../../workspace/index.js";
import type { ScenarioBrowser } from "../browser/scenario-browser.js";
import type { StepRecord } from "../report.js";
import type { ScenarioStep } from "../scenario-schema.js";
import { sendHttp } from "./http-client.js";
import type { TwinSet } from "./twin-set.js";
import {
  ExpectationFailure,
  meets,
  preview,
  queryJsonPath,
  render,
  renderText,
  ScenarioStepError,
  type Variables,
} from "./values.js";

const HTTP_TIMEOUT_MS = 10_000;
const CLI_TIMEOUT_MS = 30_000;
const BROWSER_TIMEOUT_MS = 30_000;
const BODY_PREVIEW = 2_000;

export interface StepWorld {
  productUrl: string;
  twins: TwinSet;
  sandbox: Sandbox;
  worktree: string;
  agent?: Agent;
  browser?: () => Promise<ScenarioBrowser>;
  signal?: AbortSignal;
}

type HttpStep = NonNullable<ScenarioStep["http"]>;
type TwinStep = NonNullable<ScenarioStep["twin"]>;

export async function runSteps(
  steps: readonly ScenarioStep[],
  vars: Variables,
  world: StepWorld,
): Promise<StepRecord[]> {
  const records: StepRecord[] = [];
  for (const [index, step] of steps.entries()) {
    const kind = stepKind(step);
    const started = performance.now();
    const record: StepRecord = { index, name: step.name ?? kind, kind, ms: 0, ok: true };
    try {
      record.observation = await runStep(step, vars, world);
    } catch (error) {
      record.ok = false;
      if (error instanceof ExpectationFailure) {
        record.failure = {
          kind: error.kind,
          message: error.message,
          ...(error.field ? { field: error.field } : {}),
        };
        if (error.observation !== undefined) record.observation = error.observation;
      } else {
        record.failure = {
          kind: "scenario_error",
          message:
            error instanceof ScenarioStepError
              ? error.message
              : `the step could not run: ${(error as Error).message}`,
        };
      }
    }
    record.ms = Math.round((performance.now() - started) * 100) / 100;
    records.push(record);
    if (!record.ok) break;
  }
  return records;
}

function stepKind(step: ScenarioStep): StepRecord["kind"] {
  if (step.http) return "http";
  if (step.cli) return "cli";
  if (step.browser) return "browser";
  if (step.twin) return "twin";
  return "wait";
}

async function runStep(step: ScenarioStep, vars: Variables, world: StepWorld): Promise<unknown> {
  if (step.http) return runHttp(step.http, vars, world);
  if (step.twin) return runTwin(step.twin, vars, world);
  if (step.cli) return runCli(step.cli, vars, world);
  if (step.browser) {
    if (!world.browser) throw new ScenarioStepError("this run has no browser for browser steps");
    const browser = await world.browser();
    const actions = render(step.browser, vars) as Parameters<ScenarioBrowser["run"]>[0];
    const result = await browser.run(actions, world.productUrl, {
      timeoutMs: BROWSER_TIMEOUT_MS,
      ...(world.signal ? { signal: world.signal } : {}),
    });
    if (!result.ok && result.failure)
      throw new ExpectationFailure(
        result.failure.kind,
        `browser action ${result.failure.action + 1}: ${result.failure.message}`,
        undefined,
        result.observations,
      );
    return result.observations;
  }
  const wait = step.wait as NonNullable<ScenarioStep["wait"]>;
  const deadline = Date.now() + wait.timeout_ms;
  let last: ExpectationFailure | undefined;
  for (let tries = 1; ; tries++) {
    try {
      return wait.until.http
        ? await runHttp(wait.until.http, vars, world)
        : await runTwin(wait.until.twin as TwinStep, vars, world);
    } catch (error) {
      if (!(error instanceof ExpectationFailure)) throw error;
      last = error;
    }
    if (Date.now() + wait.every_ms > deadline)
      // The kind of the condition's own failure (a wrong state on a twin), not a bare timeout.
      throw new ExpectationFailure(
        last.kind,
        `the condition did not hold within ${wait.timeout_ms} ms (${tries} tries; last: ${last.message})`,
        last.field,
        last.observation,
      );
    await new Promise((resolve) => setTimeout(resolve, wait.every_ms));
  }
}

async function runHttp(http: HttpStep, vars: Variables, world: StepWorld): Promise<unknown> {
  const path = renderText(http.path, vars);
  const headers = render(http.headers, vars) as Record<string, unknown>;
  const sent: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) sent[name.toLowerCase()] = String(value);
  let body: string | undefined;
  if (http.body !== undefined) {
    const rendered = render(http.body, vars);
    body = typeof rendered === "string" ? rendered : JSON.stringify(rendered);
    sent["content-type"] ??= "application/json";
  }
  const answer = await sendHttp(`${world.productUrl}${path}`, {
    method: http.method,
    headers: sent,
    ...(body !== undefined ? { body } : {}),
    timeoutMs: HTTP_TIMEOUT_MS,
    ...(world.agent ? { agent: world.agent } : {}),
    ...(world.signal ? { signal: world.signal } : {}),
  });
  const observation = {
    request: `${http.method} ${path}`,
    status: answer.status,
    body: answer.json ?? preview(answer.text, BODY_PREVIEW),
  };
  const fail = (kind: ExpectationFailure["kind"], message: string, field?: string) => {
    throw new ExpectationFailure(kind, message, field, observation);
  };
  const { expect } = http;
  if (expect.status !== undefined) {
    const allowed = Array.isArray(expect.status) ? expect.status : [expect.status];
    if (!allowed.includes(answer.status))
      fail(
        "unexpected_status",
        `${http.method} answered ${answer.status}, not ${allowed.join(" or ")}`,
      );
  }
  if (expect.json !== undefined) {
    if (answer.json === undefined) fail("wrong_value", "the answer is not JSON", "body");
    else if (!meets(answer.json, render(expect.json, vars)))
      fail("wrong_value", "the answer's JSON does not hold what it should", "body");
  }
  for (const [path_, matcher] of Object.entries(expect.jsonpath ?? {})) {
    const found = queryJsonPath(answer.json, path_);
    const wanted = render(matcher, vars);
    const absent = isExistsFalse(wanted);
    if (!found.found && !absent) fail("missing_field", `the answer has no ${path_}`, path_);
    if (!meets(found.value, wanted))
      fail("wrong_value", `${path_} is ${preview(found.value, 80)}, which does not match`, path_);
  }
  for (const [name, matcher] of Object.entries(expect.headers ?? {})) {
    const value = answer.headers[name.toLowerCase()];
    if (!meets(value, render(matcher, vars)))
      fail(
        value === undefined ? "missing_field" : "wrong_value",
        `header ${name} is ${preview(value, 80)}, which does not match`,
        `header ${name}`,
      );
  }
  for (const [name, path_] of Object.entries(http.capture)) {
    const found = queryJsonPath(answer.json, path_);
    if (!found.found) fail("missing_field", `the answer has no ${path_} to capture`, path_);
    vars[name] = found.value;
  }
  return observation;
}

function isExistsFalse(matcher: unknown): boolean {
  return (
    !!matcher && typeof matcher === "object" && (matcher as { exists?: unknown }).exists === false
  );
}

async function runTwin(step: TwinStep, vars: Variables, world: StepWorld): Promise<unknown> {
  const twin = world.twins.get(step.twin);
  if (!twin) throw new ScenarioStepError(`twin ${step.twin} is not running for this scenario`);
  if (step.faults) {
    twin.setFaults(render(step.faults, vars) as Parameters<typeof twin.setFaults>[0]);
    return { faults: step.faults.rules.length };
  }
  if (step.request) return requestTwin(twin, step, vars);
  if (step.advance_clock_ms !== undefined) {
    twin.clock.advance(step.advance_clock_ms);
    return { clock: twin.clock.now() };
  }
  const expect = step.expect as NonNullable<TwinStep["expect"]>;
  const path = renderText(expect.path, vars);
  let value: unknown = twin.view();
  for (const key of path.split(".")) {
    value =
      value && typeof value === "object" && Object.hasOwn(value, key)
        ? (value as Record<string, unknown>)[key]
        : undefined;
  }
  const observation = { twin: step.twin, path, value: preview(value, BODY_PREVIEW) };
  if (!meets(value, render(expect.value, vars)))
    throw new ExpectationFailure(
      "wrong_twin_state",
      `${step.twin}'s ${path} is not in the state the trajectory should leave`,
      `${step.twin}.${path}`,
      observation,
    );
  return observation;
}

/** A call to the twin's API, setting up the world; a refusal is the scenario's fault, not the product's. */
async function requestTwin(
  twin: NonNullable<ReturnType<TwinSet["get"]>>,
  step: TwinStep,
  vars: Variables,
): Promise<unknown> {
  const request = step.request as NonNullable<TwinStep["request"]>;
  const path = renderText(request.path, vars);
  const headers = new Headers(render(request.headers, vars) as Record<string, string>);
  let body: string | undefined;
  if (request.form) {
    const form = render(request.form, vars) as Record<string, unknown>;
    body = new URLSearchParams(
      Object.entries(form).map(([k, v]) => [k, String(v)] as [string, string]),
    ).toString();
    headers.set("content-type", "application/x-www-form-urlencoded");
  } else if (request.json !== undefined) {
    body = JSON.stringify(render(request.json, vars));
    headers.set("content-type", "application/json");
  }
  const response = await twin.fetch(
    new Request(`http://twin.invalid${path}`, {
      method: request.method,
      headers,
      ...(body !== undefined ? { body } : {}),
    }),
  );
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (!response.ok)
    throw new ScenarioStepError(
      `${step.twin} refused the scenario's ${request.method} ${path} with ${response.status}: ${preview(text, 300)}`,
    );
  for (const [name, path_] of Object.entries(step.capture)) {
    const found = queryJsonPath(json, path_);
    if (!found.found)
      throw new ScenarioStepError(`${step.twin}'s answer has no ${path_} to capture`);
    vars[name] = found.value;
  }
  return { twin: step.twin, request: `${request.method} ${path}`, status: response.status };
}

async function runCli(
  cli: NonNullable<ScenarioStep["cli"]>,
  vars: Variables,
  world: StepWorld,
): Promise<unknown> {
  const command = renderText(cli.command, vars);
  const stdin = cli.stdin === undefined ? undefined : renderText(cli.stdin, vars);
  const result = await world.sandbox.run({
    // Standard input through a variable: the sandbox runs a command line, not a pipe we hold.
    command: stdin === undefined ? command : `printf '%s' "$SCENARIO_STDIN" | (${command})`,
    worktree: world.worktree,
    timeoutMs: cli.timeout_ms ?? CLI_TIMEOUT_MS,
    ...(stdin === undefined ? {} : { env: { SCENARIO_STDIN: stdin } }),
    ...(world.signal ? { signal: world.signal } : {}),
  });
  const observation = {
    command,
    exit: result.exitCode,
    stdout: preview(result.stdout, BODY_PREVIEW),
    stderr: preview(result.stderr, BODY_PREVIEW),
  };
  if (result.timedOut)
    throw new ExpectationFailure(
      "timeout",
      `the command ran past ${cli.timeout_ms ?? CLI_TIMEOUT_MS} ms`,
      undefined,
      observation,
    );
  const { expect } = cli;
  if (expect.exit !== undefined && result.exitCode !== expect.exit)
    throw new ExpectationFailure(
      "unexpected_exit",
      `the command exited ${result.exitCode}, not ${expect.exit}`,
      undefined,
      observation,
    );
  for (const stream of ["stdout", "stderr"] as const) {
    const matcher = expect[stream];
    if (matcher !== undefined && !meets(result[stream], render(matcher, vars)))
      throw new ExpectationFailure(
        "wrong_value",
        `its ${stream} does not match`,
        stream,
        observation,
      );
  }
  return observation;
}
