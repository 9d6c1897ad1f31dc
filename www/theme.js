// Theme before the first paint: the choice saved by the header's theme toggle
// (src/bin/app/pages/theme.rs; localStorage "secplay-theme" = "light" or "dark", absent = follow the
// system) becomes <html data-theme>, which www/style.css selects on, so neither the loading screen nor
// the app flashes the other theme while the wasm loads.
(function () {
  "use strict";
  try {
    var t = localStorage.getItem("secplay-theme");
    if (t === "light" || t === "dark") document.documentElement.setAttribute("data-theme", t);
  } catch (e) {
    // Storage switched off or blocked (a sandboxed frame): follow the system.
  }
})();
