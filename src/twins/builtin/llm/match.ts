/**
 * Which cassette turn answers a conversation: the first in file order whose conditions all hold,
 * judged on the request alone (no memory of earlier requests), so a retried request gets the same
 * turn. When none does, the closest turn (most conditions holding) and its failed conditions make
 * the error message.
 */
import type { LlmCassette, LlmMatch, LlmTurn } from "./cassette.js";
import type { Conversation, ConversationMessage } from "./conversation.js";

export type MatchOutcome = { ok: true; turn: LlmTurn } | { ok: false; message: string };

interface Verdict {
  holds: boolean;
  /** The condition as written, and what was found instead when it fails. */
  says: string;
}

export function matchTurn(cassette: LlmCassette, conversation: Conversation): MatchOutcome {
  let closest: { turn: LlmTurn; held: number; failed: Verdict[] } | undefined;
  for (const turn of cassette.turns) {
    const verdicts = judge(turn.match, conversation);
    const failed = verdicts.filter((verdict) => !verdict.holds);
    if (failed.length === 0) return { ok: true, turn };
    const held = verdicts.length - failed.length;
    if (!closest || held > closest.held) closest = { turn, held, failed };
  }
  const where = cassette.source ?? "the cassette";
  if (!closest) return { ok: false, message: `no turn of ${where} matches this request` };
  const total = closest.held + closest.failed.length;
  return {
    ok: false,
    message:
      `no turn of ${where} matches this request. Closest: turn "${closest.turn.id}" ` +
      `(${closest.held} of ${total} conditions hold); failed: ${closest.failed.map((v) => v.says).join("; ")}`,
  };
}

function judge(match: LlmMatch, conversation: Conversation): Verdict[] {
  const verdicts: Verdict[] = [];
  const { messages } = conversation;
  if (match.last_user_contains !== undefined) {
    const last = findLast(messages, (m) => m.role === "user");
    const said = last?.role === "user" ? last.text : undefined;
    verdicts.push(
      contains(
        "last_user_contains",
        match.last_user_contains,
        said,
        `the last user message is ${quote(said)}`,
      ),
    );
  }
  if (match.last_tool_result_contains !== undefined) {
    const last = findLast(messages, (m) => m.role === "tool");
    const result = last?.role === "tool" ? last.results.at(-1) : undefined;
    verdicts.push(
      contains(
        "last_tool_result_contains",
        match.last_tool_result_contains,
        result?.text,
        result ? `the last tool result is ${quote(result.text)}` : "there is no tool result",
      ),
    );
  }
  if (match.after_tool !== undefined) {
    const last = messages.at(-1);
    const names = last?.role === "tool" ? last.results.map((r) => r.name ?? "(unknown tool)") : [];
    verdicts.push({
      holds: names.includes(match.after_tool),
      says: `after_tool "${match.after_tool}": ${
        last?.role === "tool"
          ? `the last message is the result of ${names.join(", ")}`
          : `the last message is ${last ? `a ${last.role} message` : "missing"}, not a tool result`
      }`,
    });
  }
  if (match.system_contains !== undefined)
    verdicts.push(
      contains(
        "system_contains",
        match.system_contains,
        conversation.system,
        `the system prompt is ${quote(conversation.system)}`,
      ),
    );
  if (match.step !== undefined) {
    const step = messages.filter((m) => m.role === "assistant").length;
    verdicts.push({
      holds: step === match.step,
      says: `step ${match.step}: the conversation has ${step} assistant turn${step === 1 ? "" : "s"}`,
    });
  }
  if (match.tools_include !== undefined) {
    const wanted =
      typeof match.tools_include === "string" ? [match.tools_include] : match.tools_include;
    const offered = conversation.tools.map((t) => t.name);
    const missing = wanted.filter((name) => !offered.includes(name));
    verdicts.push({
      holds: missing.length === 0,
      says: `tools_include ${wanted.join(", ")}: ${missing.join(", ")} not offered (offered: ${offered.join(", ") || "none"})`,
    });
  }
  return verdicts;
}

function contains(
  name: string,
  wanted: string,
  found: string | undefined,
  instead: string,
): Verdict {
  return {
    holds: found?.toLowerCase().includes(wanted.toLowerCase()) ?? false,
    says: `${name} ${JSON.stringify(wanted)}: ${instead}`,
  };
}

function findLast(
  messages: ConversationMessage[],
  test: (message: ConversationMessage) => boolean,
): ConversationMessage | undefined {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i];
    if (message && test(message)) return message;
  }
  return undefined;
}

/** Enough of a text to recognise it in an error message. */
function quote(text: string | undefined): string {
  if (text === undefined) return "missing";
  const flat = text.replace(/\s+/g, " ").trim();
  return JSON.stringify(flat.length > 60 ? `${flat.slice(0, 57)}...` : flat);
}
