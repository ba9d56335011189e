/**
 * Child-process entry point: an evaluation process. It evaluates the stacks the parent sends, one at a
 * time, each in a runtime state of its own (offline/evaluate-here.ts), and sends each result back over IPC.
 * One process serves many evaluations, so the SDK and the program's modules are loaded once, not per stack.
 *
 * A failed evaluation may leave work running (a program that threw mid-build), so the process exits after
 * reporting one, as the CLI does after a program error; the parent starts another when it needs one. The
 * exception is a failure that created nothing and left nothing running (`clean`: a bad input rejected
 * before the first registration, most failures the tests ask for): the process serves on, saving the
 * second or so a new process spends loading the SDK and the program. What such a program started and did
 * not wait for (a timer, say) can still reject later: a rejection between evaluations ends the process, and
 * a rejection that fails the next evaluation is sent back marked `retry`, so the parent runs that request
 * again in a fresh process instead of charging it with another program's error. It also exits when the
 * parent goes away.
 */
import { evaluateHere } from "./evaluate-here";
import type { EvaluationMessage, EvaluationReply } from "./types";

if (!process.send) throw new Error("evaluate-child runs only as a forked child of offline/evaluate.ts");

/** This process served a clean failure: a rejection that program left behind may still be reported. */
let afterFailure = false;
/** An evaluation is running (it collects the rejections reported meanwhile itself). */
let running = false;

function reply(message: EvaluationReply): void {
  const { response } = message;
  const serves = response.ok || (response.clean === true && response.retry !== true);
  if (!response.ok && response.clean === true) afterFailure = true;
  process.send?.(message, () => {
    if (!serves) process.exit(1);
  });
}

/** Evaluations received and not yet answered. */
let pending = 0;

process.on("message", (message: EvaluationMessage) => {
  running = true;
  // While it evaluates, the channel does not keep this process running: a program that waits on what
  // nothing will settle leaves nothing to run, and the evaluation reports that (offline/evaluate-here.ts).
  // So an evaluation must never wait on a message from the parent: each request carries its references.
  if (pending++ === 0) process.channel?.unref();
  void evaluateHere(message.request, message.references).then((response) => {
    running = false;
    const retry = !response.ok && response.rejection === true && afterFailure;
    reply({ id: message.id, response: retry ? { ...response, clean: false, retry: true } : response });
    if (--pending === 0) process.channel?.ref();
  });
});
// Between evaluations nothing of the next program runs: a rejection now is an earlier program's.
process.on("unhandledRejection", () => {
  if (!running) process.exit(1);
});
process.on("disconnect", () => process.exit(0));
