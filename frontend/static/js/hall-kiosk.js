// The kiosk's slip: print it, then go back to the kiosk for the next person.
(function () {
  "use strict";
  var slip = document.getElementById("slip");
  if (!slip) return;
  var button = document.querySelector("[data-print]");
  if (button) button.addEventListener("click", function () { window.print(); });
  window.setTimeout(function () { window.location.assign(slip.getAttribute("data-kiosk")); }, 30000);
})();
