// VITAS: small progressive enhancements. Every page works without this file.
(function () {
  "use strict";
  if (window.DKFDS && typeof window.DKFDS.init === "function") { window.DKFDS.init(); }

  // Seed 002 §1.5: automatic logout after 30 minutes idle, with a warning and a countdown
  // before, for every kind of user, and a message after.
  var boks = document.getElementById("timeout-advarsel");
  if (!boks) { return; }
  var GRAENSE = 30 * 60, ADVAR = 5 * 60, start = Date.now();
  var taeller = document.getElementById("timeout-taeller");
  function tilbage() { return GRAENSE - Math.floor((Date.now() - start) / 1000); }
  function tik() {
    var s = tilbage();
    if (s <= 0) { window.location.href = "/?udlogget=1"; return; }
    if (s <= ADVAR) {
      boks.hidden = false;
      var m = Math.floor(s / 60), r = s % 60;
      taeller.textContent = m + " min. " + (r < 10 ? "0" : "") + r + " sek.";
    }
    window.setTimeout(tik, 1000);
  }
  document.getElementById("timeout-forny").addEventListener("click", function () {
    fetch("/session/forny", { method: "POST", credentials: "same-origin" }).then(function (svar) {
      if (svar.ok) { start = Date.now(); boks.hidden = true; } else { window.location.href = "/?udlogget=1"; }
    });
  });
  tik();

  // Character counters on text areas with a limit (seed 001 §1.8: 2000 characters).
  document.querySelectorAll("textarea[data-max]").forEach(function (t) {
    var max = parseInt(t.getAttribute("data-max"), 10);
    var vis = document.getElementById("tegn-" + t.name);
    if (!vis) { return; }
    function opdater() {
      var n = Array.from(t.value.replace(/\r\n/g, "\n")).length;
      vis.textContent = "Du har brugt " + n + " af " + max + " tegn";
      vis.classList.toggle("form-error-message", n > max);
    }
    t.addEventListener("input", opdater);
    opdater();
  });
})();

// Issue 3 §4: the progress of a background Excel export updates itself. The bar moves on
// every answer; the status line, which screen readers hear (role="status"), changes only in
// steps of 10 % and when the job ends, so it does not talk over the user (WCAG 4.1.3).
(function () {
  "use strict";
  var boks = document.getElementById("eksport");
  if (!boks || !boks.hasAttribute("data-i-gang") || !window.fetch) { return; }
  var url = boks.getAttribute("data-status-url");
  var bar = document.getElementById("eksport-fremskridt");
  var tekst = document.getElementById("eksport-tekst");
  var opdater = document.getElementById("eksport-opdater");
  if (opdater) { opdater.hidden = true; }
  var sidsteTrin = -1;
  function hent() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (svar) { if (!svar.ok) { throw new Error(String(svar.status)); } return svar.json(); })
      .then(function (s) {
        bar.max = s.total > 0 ? s.total : 1;
        bar.value = s.fremskridt;
        var trin = s.total > 0 ? Math.floor((10 * s.fremskridt) / s.total) : 0;
        var slut = s.status === "faerdig" || s.status === "fejlet";
        if (slut || trin !== sidsteTrin) { tekst.textContent = s.tekst; sidsteTrin = trin; }
        if (s.status === "faerdig") {
          document.getElementById("eksport-hent").hidden = false;
        } else if (s.status === "fejlet") {
          window.location.reload();
        } else {
          window.setTimeout(hent, 1000);
        }
      })
      .catch(function () {
        // Without answers, fall back to the link that reloads the page.
        if (opdater) { opdater.hidden = false; }
      });
  }
  window.setTimeout(hent, 1000);
})();
