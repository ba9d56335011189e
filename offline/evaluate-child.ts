/**
 * Child-process entry point: an evaluation process. It evaluates the stacks the parent sends, one at a
 * time, each in a runtime state of its own (offline/evaluate-here.ts), and sends each result back over IPC.
 * One process serves many evaluations, so the SDK and the program's modules are loaded once, not per stack.
 *
 * A failed evaluation may leave work running (a program that threw mid-build), so the process exits after
 * reporting one, as the CLI does after a program error; the parent starts another when it needs one. The
 * exception is a failure that created nothing and left nothing running (`clean`: a bad input rejected
 * before the first registration, most failures the tests ask for): the process serves on, saving the
 * second or so a new process spends loading the SDK and the program. It also exits when the parent goes away.
 */
import { evaluateHere } from "./evaluate-here";
import type { EvaluationMessage, EvaluationReply } from "./types";

if (!process.send) throw new Error("evaluate-child runs only as a forked child of offline/evaluate.ts");

function reply(message: EvaluationReply): void {
  process.send?.(message, () => {
    if (!message.response.ok && message.response.clean !== true) process.exit(1);
  });
}

process.on("message", (message: EvaluationMessage) => {
  void evaluateHere(message.request, message.references).then((response) => reply({ id: message.id, response }));
});
process.on("disconnect", () => process.exit(0));
