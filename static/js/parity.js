// Every page (templates/base.html). No inline scripts: the Content-Security-Policy forbids them.
(function () {
  "use strict";
  var body = document.body;

  // Idle timeout: the server expires the session after SESSION_IDLE_SECONDS idle; send the page
  // to sign-in when that time has passed so PHI does not stay on an unattended screen.
  var idleSeconds = parseInt(body.getAttribute("data-idle-seconds") || "900", 10);
  var timeoutUrl = body.getAttribute("data-timeout-url");
  var timer;
  function reset() {
    clearTimeout(timer);
    timer = setTimeout(function () { window.location = timeoutUrl; }, idleSeconds * 1000);
  }
  if (body.hasAttribute("data-signed-in") && timeoutUrl) {
    ["click", "keydown"].forEach(function (e) { document.addEventListener(e, reset); });
    reset();
  }

  // <select data-submit-on-change> submits its form when the choice changes (practice switch).
  document.querySelectorAll("select[data-submit-on-change]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
})();

// Burn-down bars (authorizations/_bar.html): each segment's width comes from the bar's data-*
// percentages, set through the CSSOM (the CSP forbids style="..." attributes in the markup).
(function () {
  "use strict";
  document.querySelectorAll(".stack[data-used]").forEach(function (bar) {
    ["used", "planned", "remaining"].forEach(function (part) {
      var segment = bar.querySelector("." + part);
      var pct = parseInt(bar.getAttribute("data-" + part) || "0", 10);
      if (segment) { segment.style.width = Math.max(0, Math.min(100, pct)) + "%"; }
    });
  });
})();

// A wide table scrolls sideways inside its own box on a phone (parity.css): keyboard users
// reach that box with Tab (then the arrow keys scroll it), as WCAG 2.1.1 asks. Only boxes that
// actually scroll get a tab stop; re-checked when the window changes size.
(function () {
  "use strict";
  function markScrollable() {
    document.querySelectorAll("main table:not(.cards), main .table-scroll").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        box.setAttribute("tabindex", "0");
      } else if (box.getAttribute("tabindex") === "0") {
        box.removeAttribute("tabindex");
      }
    });
  }
  markScrollable();
  window.addEventListener("resize", markScrollable);
})();
