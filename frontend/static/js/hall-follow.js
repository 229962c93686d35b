// The holder's phone page: position and wait, live by Server-Sent Events (polling when
// they fail). A static file (strict CSP, no inline script).
(function () {
  "use strict";
  var card = document.getElementById("follow");
  if (!card) return;
  var english = (document.documentElement.lang || "").indexOf("en") === 0;
  var failures = 0;
  var pollTimer = null;

  function apply(state) {
    if (!state || !state.status) return;
    card.setAttribute("data-status", state.status);
    card.querySelector("[data-ahead]").textContent = state.ahead;
    card.querySelector("[data-wait]").textContent = state.estimated_wait_minutes;
    card.querySelector("[data-window]").textContent = state.window ? (english ? state.window.en : state.window.zh) : "";
    card.querySelectorAll("[data-show]").forEach(function (node) {
      node.hidden = node.getAttribute("data-show").split(" ").indexOf(state.status) < 0;
    });
    if (state.status === "called" && navigator.vibrate) navigator.vibrate([300, 150, 300]);
  }

  function poll() {
    fetch(card.getAttribute("data-state"), { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(apply)
      .catch(function () {});
  }

  function connect() {
    if (!window.EventSource) { pollTimer = window.setInterval(poll, 5000); return; }
    card.setAttribute("data-mode", "sse");
    var source = new window.EventSource(card.getAttribute("data-events"));
    source.addEventListener("state", function (event) { failures = 0; apply(JSON.parse(event.data)); });
    source.addEventListener("error", function () {
      failures += 1;
      if (failures > 5 && !pollTimer) {
        source.close();
        card.setAttribute("data-mode", "poll");
        pollTimer = window.setInterval(poll, 5000);
      }
    });
  }

  connect();
})();
