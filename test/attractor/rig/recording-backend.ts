/** A scripted LLM backend that also records every call, so tests can see what each stage was given. */
import {
  type CodergenBackend,
  createScriptedBackend,
  type Outcome,
  type PipelineNode,
} from "../../../src/pipeline/index.js";

/** Per node ID, what each successive call returns: a response text or a whole Outcome. */
export type Script = Record<string, (string | Outcome)[]>;

export interface BackendCall {
  node: string;
  prompt: string;
  /** The node's attributes as the stage saw them (after transforms such as the stylesheet). */
  attrs: Record<string, string>;
  /** The run context as the stage saw it. */
  context: Record<string, unknown>;
}

export interface RecordingBackend extends CodergenBackend {
  readonly calls: BackendCall[];
  /** How many times `node` ran. */
  count(node: string): number;
}

/** `beforeReply` runs after a call is recorded and before it is answered (to hold branches open). */
export function createRecordingBackend(
  script: Script = {},
  beforeReply?: (node: PipelineNode) => Promise<void>,
): RecordingBackend {
  const scripted = createScriptedBackend(script);
  const calls: BackendCall[] = [];
  return {
    calls,
    count: (node) => calls.filter((call) => call.node === node).length,
    async run(node, prompt, context, signal) {
      calls.push({ node: node.id, prompt, attrs: { ...node.attrs }, context: context.snapshot() });
      await beforeReply?.(node);
      return scripted.run(node, prompt, context, signal);
    },
  };
}
