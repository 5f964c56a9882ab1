// The assistant chat: tell the server the reader's time zone, keep the newest
// answer in view, and clear the box after sending. No inline script anywhere.
(function () {
  "use strict";
  if (window.medconnectAssistant) { return; }
  window.medconnectAssistant = true;

  function fillTimeZone() {
    var zone = "";
    try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { zone = ""; }
    document.querySelectorAll(".assistant-tz").forEach(function (input) { input.value = zone; });
  }

  document.addEventListener("htmx:load", fillTimeZone);
  document.addEventListener("DOMContentLoaded", fillTimeZone);
  fillTimeZone();

  // Refusals (a message too long, too many messages) are shown in the conversation too.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var form = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (form && form.classList && form.classList.contains("assistant-form")) {
      var status = event.detail.xhr.status;
      if (status === 400 || status === 429) {
        event.detail.shouldSwap = true;
        event.detail.isError = false;
      }
    }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt;
    if (!form || !form.classList || !form.classList.contains("assistant-form")) { return; }
    var input = form.querySelector("input[name=message]");
    if (event.detail.successful && input) { input.value = ""; }
    var log = document.getElementById("assistant-log");
    if (log) {
      var replies = log.querySelectorAll("[data-testid=assistant-reply], [data-testid=assistant-error]");
      var last = replies[replies.length - 1];
      if (last) { last.scrollIntoView({block: "nearest"}); }
    }
    if (input) { input.focus(); }
  });
})();
