// Boot watchdog: shows a clear error screen when the wasm app cannot start (missing or corrupt .wasm,
// no WebAssembly, a crash during start-up) instead of a page stuck on "Loading".
(function () {
  "use strict";
  var started = false;
  function fail(reason) {
    var box = document.getElementById("boot-error");
    var loading = document.getElementById("boot-loading");
    var why = document.getElementById("boot-reason");
    if (!box) {
      // The app already replaced the boot screen: say so on top of it.
      var banner = document.createElement("div");
      banner.className = "crash-banner";
      banner.setAttribute("role", "alert");
      banner.textContent = "secplay stopped: " + reason + ". Reload the page to continue.";
      document.body.prepend(banner);
      return;
    }
    if (loading) loading.hidden = true;
    if (why) why.textContent = reason;
    box.hidden = false;
  }
  function describe(e) {
    var err = e && (e.reason || e.error);
    return (err && err.message) || (e && e.message) || String(err || "unknown error");
  }
  if (typeof WebAssembly !== "object") {
    document.addEventListener("DOMContentLoaded", function () { fail("this browser has no WebAssembly support"); });
    return;
  }
  addEventListener("TrunkApplicationStarted", function () { started = true; });
  addEventListener("unhandledrejection", function (e) { fail(describe(e)); });
  addEventListener("error", function (e) {
    // A failed <script>/<link> load is an error event on the element, not a message.
    fail(e.target && e.target !== window ? "could not load " + (e.target.src || e.target.href) : describe(e));
  }, true);
  setTimeout(function () { if (!started) fail("the app did not start within 30 seconds"); }, 30000);
})();
