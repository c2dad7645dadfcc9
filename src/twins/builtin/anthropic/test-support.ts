/** What the anthropic twin's suites share: the client on a served twin, the tools, the conversation. */
import Anthropic from "@anthropic-ai/sdk";
import type { MessageParam, Tool } from "@anthropic-ai/sdk/resources/messages";
import type { CreateTwinOptions } from "../../runtime/create-twin.js";
import { APP_SOURCE, serveTwin } from "../llm/test-support.js";
import { anthropicTwin } from "./index.js";

export const MODEL = "claude-twin-1";
export const TOOLS: Tool[] = [
  {
    name: "read_file",
    description: "Reads a file of the repository",
    input_schema: { type: "object", properties: { path: { type: "string" } }, required: ["path"] },
  },
];
export const READ_INPUT = { path: "src/app.ts", lines: [1, 40], follow_imports: true };

export async function start(options: CreateTwinOptions = {}, client: { maxRetries?: number } = {}) {
  const { twin, served } = await serveTwin(anthropicTwin, options);
  const anthropic = new Anthropic({
    apiKey: "sk-ant-twin",
    baseURL: served.url,
    maxRetries: client.maxRetries ?? 0,
  });
  return { twin, served, anthropic };
}

/** The conversation after the model asked for `read_file`, with the file's text as the result. */
export function afterReading(toolUse: {
  id: string;
  name: string;
  input: unknown;
}): MessageParam[] {
  return [
    { role: "user", content: "Please fix the bug in the counter" },
    {
      role: "assistant",
      content: [
        { type: "text", text: "Let me read the file first." },
        { type: "tool_use", id: toolUse.id, name: toolUse.name, input: toolUse.input },
      ],
    },
    {
      role: "user",
      content: [{ type: "tool_result", tool_use_id: toolUse.id, content: APP_SOURCE }],
    },
  ];
}
