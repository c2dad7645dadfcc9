/**
 * The Interviewer pattern (§6). The engine's default is no interviewer: a `wait.human` node
 * parks the bolt as a pending approval in the store and `factory approve` answers it later.
 * These interviewers answer at once instead: for automation, tests, and a person at a terminal.
 */
import { createInterface } from "node:readline/promises";
import { type Answer, type Question, SKIPPED } from "../engine/outcome.js";

export interface Interviewer {
  /** An answer now, or undefined to park the bolt until a person answers through the store. */
  ask(question: Question): Promise<Answer | undefined>;
  askMultiple?(questions: Question[]): Promise<(Answer | undefined)[]>;
  inform?(message: string, stage: string): void;
}

/** Yes to yes/no questions, the first option of a choice. */
export function createAutoApproveInterviewer(): Interviewer {
  return {
    async ask(question) {
      if (question.type === "yes_no" || question.type === "confirmation") return { value: "yes" };
      const first = question.options[0];
      if (question.type === "multiple_choice" && first) return { value: first.key };
      return { value: "auto-approved", text: "auto-approved" };
    },
  };
}

/** Answers from a queue, then SKIPPED: deterministic tests and replays. */
export function createQueueInterviewer(answers: Answer[]): Interviewer {
  const queue = [...answers];
  return { ask: async () => queue.shift() ?? { value: SKIPPED } };
}

export function createCallbackInterviewer(
  callback: (question: Question) => Promise<Answer | undefined> | Answer | undefined,
): Interviewer {
  return { ask: async (question) => callback(question) };
}

export interface RecordingInterviewer extends Interviewer {
  readonly recordings: { question: Question; answer: Answer | undefined }[];
}

export function createRecordingInterviewer(inner: Interviewer): RecordingInterviewer {
  const recordings: RecordingInterviewer["recordings"] = [];
  return {
    recordings,
    async ask(question) {
      const answer = await inner.ask(question);
      recordings.push({ question, answer });
      return answer;
    },
  };
}

/** Asks on a terminal: the options with their keys, then reads a key, a label or y/n. */
export function createConsoleInterviewer(io: {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
}): Interviewer {
  return {
    async ask(question) {
      const rl = createInterface({ input: io.input, output: io.output, terminal: false });
      try {
        io.output.write(`[?] ${question.text}\n`);
        if (question.type === "multiple_choice") {
          for (const option of question.options)
            io.output.write(`  [${option.key}] ${option.label}\n`);
          const reply = (await rl.question("Select: ")).trim();
          const match = question.options.find(
            (o) =>
              o.key.toLowerCase() === reply.toLowerCase() ||
              o.label.toLowerCase() === reply.toLowerCase(),
          );
          return match ? { value: match.key } : { value: SKIPPED };
        }
        if (question.type === "freeform") return { value: "text", text: await rl.question("> ") };
        const reply = (await rl.question("[Y/N]: ")).trim().toLowerCase();
        return { value: reply.startsWith("y") ? "yes" : "no" };
      } finally {
        rl.close();
      }
    },
  };
}
