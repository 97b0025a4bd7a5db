// VITAS: small progressive enhancements. Every page works without this file.
(function () {
  "use strict";
  // With scripts on, DKFDS's Menu button opens its mobile drawer; without them the button is
  // hidden and the menu stands open under the header (vitas.css, templates/base.html).
  document.documentElement.classList.add("js");
  if (window.DKFDS && typeof window.DKFDS.init === "function") { window.DKFDS.init(); }

  // Seed 002 §1.5: automatic logout after 30 minutes idle, with a warning and a countdown
  // before, for every kind of user, and a message after. The limits come from the page
  // (data-graense, data-advar: seconds). When the warning opens, focus moves to "Forbliv
  // logget ind"; a polite live region says the minutes left once a minute (the seconds
  // counter is not read aloud every second). At zero the page posts the logout form, so the
  // session ends on the server too, and the front page says "Du er logget ud.".
  var boks = document.getElementById("timeout-advarsel");
  if (!boks) { return; }
  var GRAENSE = parseInt(boks.getAttribute("data-graense"), 10) || 30 * 60;
  var ADVAR = parseInt(boks.getAttribute("data-advar"), 10) || 5 * 60;
  var start = Date.now(), sidstMinut = -1, foer = null;
  var taeller = document.getElementById("timeout-taeller");
  var meddelelse = document.getElementById("timeout-meddelelse");
  var forny = document.getElementById("timeout-forny");
  function tilbage() { return GRAENSE - Math.floor((Date.now() - start) / 1000); }
  function logUd() {
    var knap = document.getElementById("log-ud");
    if (knap && knap.form) { knap.form.submit(); } else { window.location.href = "/?udlogget=1"; }
  }
  function tik() {
    var s = tilbage();
    if (s <= 0) { logUd(); return; }
    if (s <= ADVAR) {
      if (boks.hidden) {
        foer = document.activeElement;
        boks.hidden = false;
        forny.focus();
      }
      var m = Math.floor(s / 60), r = s % 60;
      taeller.textContent = m + " min. " + (r < 10 ? "0" : "") + r + " sek.";
      var minutter = Math.ceil(s / 60);
      if (minutter !== sidstMinut && meddelelse) {
        sidstMinut = minutter;
        meddelelse.textContent = "Du bliver logget ud om " + minutter + (minutter === 1 ? " minut." : " minutter.");
      }
    }
    window.setTimeout(tik, 1000);
  }
  forny.addEventListener("click", function () {
    // The session's CSRF token travels in a header on a fetch (crate::csrf).
    var meta = document.querySelector('meta[name="csrf-token"]');
    var hoveder = meta ? { "X-CSRF-Token": meta.getAttribute("content") } : {};
    fetch("/session/forny", { method: "POST", credentials: "same-origin", headers: hoveder }).then(function (svar) {
      if (!svar.ok) { logUd(); return; }
      start = Date.now();
      sidstMinut = -1;
      boks.hidden = true;
      if (meddelelse) { meddelelse.textContent = ""; }
      if (foer && foer.focus) { foer.focus(); }
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
