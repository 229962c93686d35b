// talentdesk's own behaviour, loaded as a file so the pages can run under a strict CSP
// (no inline scripts, no hx-on attributes). Each feature hooks on data-* attributes.
(function () {
  "use strict";

  // <button data-print> prints the page (receipts).
  document.addEventListener("click", function (event) {
    var printer = event.target.closest("[data-print]");
    if (printer) {
      event.preventDefault();
      window.print();
    }
  });

  // <form data-once> disables its submit buttons after the first submit (double clicks);
  // the server is idempotent anyway, this only spares the second request.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-once]")) return;
    if (form.dataset.submitted === "yes") {
      event.preventDefault();
      return;
    }
    form.dataset.submitted = "yes";
    form.querySelectorAll("button[type=submit]").forEach(function (b) { b.setAttribute("aria-busy", "true"); });
  });

  // <select data-autosubmit> submits its form on change (filters, language switch).
  document.addEventListener("change", function (event) {
    var select = event.target.closest("[data-autosubmit]");
    if (select && select.form) {
      if (window.htmx && select.form.hasAttribute("hx-get")) {
        window.htmx.trigger(select.form, "submit");
      } else {
        select.form.requestSubmit();
      }
    }
  });
})();
