/** What the openai twin's suites share: the client on a served twin, the tools, the conversation. */
import OpenAI from "openai";
import type {
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from "openai/resources/chat/completions";
import type { CreateTwinOptions } from "../../runtime/create-twin.js";
import { serveTwin } from "../llm/test-support.js";
import { openaiTwin } from "./index.js";

export const MODEL = "gpt-4.1-mini";
export const TOOLS: ChatCompletionTool[] = [
  {
    type: "function",
    function: {
      name: "read_file",
      description: "Reads a file of the repository",
      parameters: { type: "object", properties: { path: { type: "string" } }, required: ["path"] },
    },
  },
];
export const READ_INPUT = { path: "src/app.ts", lines: [1, 40], follow_imports: true };
export const GREETING = "Hello! I am a scripted model. What shall we build today?";

export async function start(options: CreateTwinOptions = {}, client: { maxRetries?: number } = {}) {
  const { twin, served } = await serveTwin(openaiTwin, options);
  const openai = new OpenAI({
    apiKey: "sk-twin",
    baseURL: `${served.url}/v1`,
    maxRetries: client.maxRetries ?? 0,
  });
  return { twin, served, openai };
}

export const hello: ChatCompletionMessageParam[] = [{ role: "user", content: "hello there" }];
