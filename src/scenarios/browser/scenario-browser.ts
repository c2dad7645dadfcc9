// The `browser` step of holdout scenarios: Debian's chromium, driven by playwright-core, that
// only ever reaches the product on loopback. One browser per scenario run, one fresh context
// per trajectory.
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import { type Browser, type BrowserContext, chromium, errors } from "playwright-core";
import { InputError, WorkError } from "../../common/index.js";

export type BrowserAction =
  /** A path on the product ("/refunds") or an absolute URL on 127.0.0.1, localhost or ::1. */
  | { goto: string }
  /** A selector. */
  | { click: string }
  | { fill: { selector: string; value: string } }
  /** The text appears, visibly, in an element the selector matches (or in the page body). */
  | { expect_text: { selector?: string; text: string } };

export interface BrowserStepResult {
  ok: boolean;
  ms: number;
  /** Per action: what happened ("goto /x: 200", "click #pay", "text found in #status"). */
  observations: string[];
  /**
   * When not ok: which action (0-based) and why, in words that never quote the expected text
   * ("the expected text was not found in #status"). An aborted run is a `timeout`.
   */
  failure?: { action: number; kind: "browser" | "timeout"; message: string };
}

export interface ScenarioBrowser {
  /** One fresh browser context per trajectory (no cookies/storage shared between trajectories). */
  run(
    actions: BrowserAction[],
    baseUrl: string,
    options: { timeoutMs: number; signal?: AbortSignal },
  ): Promise<BrowserStepResult>;
  close(): Promise<void>;
}

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

// The machine's network is closed: without these chromium keeps calling hosts it cannot reach.
const CHROMIUM_ARGS = [
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const INSTALL_HINT =
  "install Debian's chromium (apt-get install chromium), or set DARKFACTORY_CHROMIUM to a chromium binary";

/**
 * Launches one headless chromium for a whole scenario run. The executable is
 * `options.executablePath`, else `DARKFACTORY_CHROMIUM`, else /usr/bin/chromium, else
 * `chromium` on PATH. Throws InputError `chromium-missing` when there is none, WorkError
 * `chromium-launch-failed` when it does not start.
 */
export async function openScenarioBrowser(
  options: { executablePath?: string } = {},
): Promise<ScenarioBrowser> {
  const executablePath = resolveChromium(options.executablePath);
  let browser: Browser;
  try {
    browser = await chromium.launch({
      executablePath,
      headless: true,
      // Playwright adds --no-sandbox when the sandbox is off; root cannot run it.
      chromiumSandbox: process.getuid?.() !== 0,
      args: CHROMIUM_ARGS,
      timeout: 30_000,
    });
  } catch (error) {
    throw new WorkError(
      "chromium-launch-failed",
      `chromium at ${executablePath} did not start: ${firstLine(error)}`,
      {
        hint: `check that \`${executablePath} --headless --version\` runs; ${INSTALL_HINT}`,
        cause: error,
      },
    );
  }
  let closed = false;
  return {
    run: (actions, baseUrl, runOptions) => {
      if (closed) throw new WorkError("browser-closed", "the scenario browser is already closed");
      return runActions(browser, actions, baseUrl, runOptions);
    },
    close: async () => {
      closed = true;
      await browser.close();
    },
  };
}

function resolveChromium(explicit: string | undefined): string {
  const chosen = explicit ?? process.env.DARKFACTORY_CHROMIUM;
  if (chosen !== undefined && chosen !== "") {
    if (isExecutable(chosen)) return chosen;
    throw new InputError("chromium-missing", `no chromium executable at ${chosen}`, {
      hint: INSTALL_HINT,
    });
  }
  if (isExecutable("/usr/bin/chromium")) return "/usr/bin/chromium";
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir !== "" && isExecutable(join(dir, "chromium"))) return join(dir, "chromium");
  }
  throw new InputError("chromium-missing", "chromium is not installed", { hint: INSTALL_HINT });
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function isLoopback(url: URL): boolean {
  return (
    (url.protocol === "http:" || url.protocol === "https:") && LOOPBACK_HOSTS.has(url.hostname)
  );
}

async function runActions(
  browser: Browser,
  actions: BrowserAction[],
  baseUrl: string,
  options: { timeoutMs: number; signal?: AbortSignal },
): Promise<BrowserStepResult> {
  const started = performance.now();
  const deadline = started + options.timeoutMs;
  const observations: string[] = [];
  const result = (failure?: BrowserStepResult["failure"]): BrowserStepResult => ({
    ok: failure === undefined,
    ms: Math.round(performance.now() - started),
    observations,
    ...(failure === undefined ? {} : { failure }),
  });
  if (options.signal?.aborted) {
    return result({ action: 0, kind: "timeout", message: "the run was aborted before it began" });
  }

  let context: BrowserContext;
  try {
    context = await browser.newContext({ serviceWorkers: "block", acceptDownloads: false });
  } catch (error) {
    return result({
      action: 0,
      kind: "browser",
      message: `no browser context: ${firstLine(error)}`,
    });
  }
  let aborted = false;
  const onAbort = () => {
    aborted = true;
    context.close().catch(() => {});
  };
  options.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    // Whatever the page asks for, nothing leaves loopback.
    await context.route(
      (url) => !isLoopback(url),
      (route) => route.abort("blockedbyclient").catch(() => {}),
    );
    await context.routeWebSocket(
      (url) => !LOOPBACK_HOSTS.has(url.hostname),
      (ws) => ws.close().catch(() => {}),
    );
    const page = await context.newPage();

    for (const [index, action] of actions.entries()) {
      const timeout = Math.floor(deadline - performance.now());
      if (timeout <= 0) {
        return result({
          action: index,
          kind: "timeout",
          message: `the step's ${options.timeoutMs} ms ran out before this action`,
        });
      }
      try {
        if ("goto" in action) {
          const url = parseTarget(action.goto, baseUrl);
          if (url === undefined || !isLoopback(url)) {
            return result({
              action: index,
              kind: "browser",
              message: `goto ${action.goto} refused: the scenario browser only reaches http(s) on 127.0.0.1, localhost or ::1`,
            });
          }
          const response = await page.goto(url.href, { timeout });
          observations.push(`goto ${action.goto}: ${response?.status() ?? "no response"}`);
        } else if ("click" in action) {
          await page.click(action.click, { timeout });
          observations.push(`click ${action.click}`);
        } else if ("fill" in action) {
          await page.fill(action.fill.selector, action.fill.value, { timeout });
          observations.push(`fill ${action.fill.selector}`);
        } else {
          const where = action.expect_text.selector ?? "body";
          await page
            .locator(where)
            .filter({ hasText: textPattern(action.expect_text.text), visible: true })
            .first()
            .waitFor({ state: "attached", timeout });
          observations.push(`text found in ${describeWhere(action.expect_text.selector)}`);
        }
        // A redirect or a script may have taken the page elsewhere; it must stay on loopback.
        const landed = new URL(page.url());
        if ((landed.protocol === "http:" || landed.protocol === "https:") && !isLoopback(landed)) {
          return result({
            action: index,
            kind: "browser",
            message: `the page left loopback for ${landed.host}`,
          });
        }
      } catch (error) {
        return result(failureOf(index, action, error, aborted));
      }
    }
    return result();
  } catch (error) {
    return result({ action: 0, kind: "browser", message: firstLine(error) });
  } finally {
    options.signal?.removeEventListener("abort", onAbort);
    await context.close().catch(() => {});
  }
}

function failureOf(
  index: number,
  action: BrowserAction,
  error: unknown,
  aborted: boolean,
): NonNullable<BrowserStepResult["failure"]> {
  if (aborted) return { action: index, kind: "timeout", message: "the run was aborted" };
  const kind = error instanceof errors.TimeoutError ? "timeout" : "browser";
  if ("expect_text" in action) {
    // Playwright's own message would quote the text; ours never does.
    const where = describeWhere(action.expect_text.selector);
    return {
      action: index,
      kind,
      message:
        kind === "timeout"
          ? `the expected text was not found in ${where}`
          : `the browser could not look for the expected text in ${where} (is the selector valid?)`,
    };
  }
  return { action: index, kind, message: `${describe(action)}: ${firstLine(error)}` };
}

function parseTarget(target: string, baseUrl: string): URL | undefined {
  try {
    return new URL(target, baseUrl);
  } catch {
    return undefined;
  }
}

/** The expected text, case-sensitive, with any run of whitespace matching any other. */
function textPattern(text: string): RegExp {
  const words = text.trim().split(/\s+/);
  return new RegExp(words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("\\s+"));
}

function describeWhere(selector: string | undefined): string {
  return selector === undefined ? "the page body" : selector;
}

function describe(action: BrowserAction): string {
  if ("goto" in action) return `goto ${action.goto}`;
  if ("click" in action) return `click ${action.click}`;
  if ("fill" in action) return `fill ${action.fill.selector}`;
  return `expect_text in ${describeWhere(action.expect_text.selector)}`;
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: strips terminal colour codes
  return (message.split("\n")[0] ?? "").replace(/\u001b\[[0-9;]*m/g, "").trim();
}
