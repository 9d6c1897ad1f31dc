// The loop of a module worker that answers only the newest of its requests (the WAF page's web ACL
// checker, the Firewall Manager evaluator): a request of `type` replaces any older one still
// waiting; once the queued messages have arrived, the last one is answered with `answer(msg)`,
// then the next newest, until none waits. If `ready` (the JS package starting) fails, the waiting
// request is answered `{ type: "failed", id, code: "WorkerFailed", message }`. Nothing is sent
// anywhere but to the page.
export function answerNewest({ type, what, ready, answer }) {
  let next = null;
  let scheduled = false;

  async function drain() {
    try {
      await ready;
    } catch (e) {
      const msg = next;
      next = null;
      scheduled = false;
      if (msg) self.postMessage({ type: "failed", id: msg.id, code: "WorkerFailed", message: `the ${what} could not start: ${e?.message ?? e}` });
      return;
    }
    while (next) {
      const msg = next;
      next = null;
      self.postMessage(answer(msg));
      // Lets newer messages in before the next answer.
      await new Promise((ok) => setTimeout(ok, 0));
    }
    scheduled = false;
  }

  self.onmessage = (event) => {
    const msg = event.data;
    if (msg?.type !== type) return;
    next = msg;
    if (!scheduled) {
      scheduled = true;
      setTimeout(drain, 0);
    }
  };
}
