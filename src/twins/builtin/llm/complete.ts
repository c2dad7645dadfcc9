/**
 * One completion, vendor-neutral: the cassette turn that answers the conversation, the planned
 * reply, and the LLM faults (a cut stream, malformed tool JSON) drawn from the twin's seeded
 * random and recorded in the state, so a seed repeats them and `/__twin/state` lists them.
 */
import type { SeededRandom, TwinContext } from "../../runtime/contract.js";
import type { Conversation } from "./conversation.js";
import { matchTurn } from "./match.js";
import { malformJson, type PlannedReply, planReply } from "./reply.js";
import type { LlmSettings } from "./settings.js";

export interface LlmFaultRecord {
  /** The completion it spoiled, counting from 1 (`completions` in the state). */
  completion: number;
  kind: "stream_cut" | "malformed_tool_json";
  /** The cassette turn that answered; null for the fixed answer. */
  turn: string | null;
}

/** An LLM twin's state: what it has answered, and the faults it injected. */
export interface LlmState {
  completions: number;
  faults: LlmFaultRecord[];
}

export function initialLlmState(): LlmState {
  return { completions: 0, faults: [] };
}

export interface Completion extends PlannedReply {
  /** Streamed answers under the stream_cut fault: in [0, 1), how far in the stream stops. */
  cutAt: number | undefined;
}

export type CompletionOutcome =
  | { ok: true; completion: Completion }
  | { ok: false; message: string };

export interface CompletionRequest {
  conversation: Conversation;
  maxTokens: number | undefined;
  stream: boolean;
}

export function complete(
  twin: TwinContext<LlmState>,
  name: string,
  settings: LlmSettings,
  request: CompletionRequest,
): CompletionOutcome {
  let turn: Parameters<typeof planReply>[2];
  if (settings.cassette) {
    const matched = matchTurn(settings.cassette, request.conversation);
    if (!matched.ok) return matched;
    turn = matched.turn;
  }
  const reply = planReply(name, request.conversation, turn, request.maxTokens);
  const draws = drawFaults(twin.random);
  const state = twin.state;
  state.completions += 1;
  const record = (kind: LlmFaultRecord["kind"]) =>
    state.faults.push({ completion: state.completions, kind, turn: reply.turn });

  const first = reply.toolCalls[0];
  if (first && draws.malformed < settings.malformedToolJsonRate) {
    first.arguments = malformJson(first.arguments);
    first.malformed = true;
    record("malformed_tool_json");
  }
  const cut = request.stream && draws.cut < settings.streamCutRate;
  if (cut) record("stream_cut");
  return { ok: true, completion: { ...reply, cutAt: cut ? draws.cutAt : undefined } };
}

/**
 * Three draws for every completion, whatever the rates: turning a fault on or off does not shift
 * the ids the twin hands out afterwards.
 */
function drawFaults(random: SeededRandom): { cut: number; cutAt: number; malformed: number } {
  return { cut: random.next(), cutAt: random.next(), malformed: random.next() };
}
