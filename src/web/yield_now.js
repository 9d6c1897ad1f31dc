// A turn of the event loop for the ESDK's Promise-returning calls (src/web/yield_now.rs): resolves in
// a later task, so input, rendering and timers waiting on the thread run before the next slice of
// work. `scheduler.yield()` where the runtime has it (Chromium: the continuation keeps its place
// ahead of other queued work), else a MessageChannel post (no 4 ms clamp, unlike nested timers;
// browsers, workers, Node), else `setTimeout(0)`.
export function yieldNow() {
  const scheduler = globalThis.scheduler;
  if (scheduler && typeof scheduler.yield === "function") return scheduler.yield();
  if (typeof MessageChannel === "function") {
    return new Promise((resolve) => {
      const { port1, port2 } = new MessageChannel();
      // Closed once used: an open port would keep Node's event loop alive.
      port1.onmessage = () => { port1.close(); port2.close(); resolve(); };
      port2.postMessage(null);
    });
  }
  return new Promise((resolve) => setTimeout(resolve, 0));
}
