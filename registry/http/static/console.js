// The clerks' console: confirm irreversible actions, and follow an upload's progress.
"use strict";
(function () {
  var FINAL = { revoke: "撤销后不能恢复。确定撤销？\nA revocation is final. Revoke?",
                cancel: "注销后不能恢复。确定注销？\nA cancellation is final. Cancel the record?" };
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    var message = FINAL[form.getAttribute("data-confirm")];
    if (!message) { return; }
    form.addEventListener("submit", function (event) {
      if (!window.confirm(message)) { event.preventDefault(); }
    });
  });

  var job = document.getElementById("job");
  if (!job || job.getAttribute("data-state") !== "running") { return; }
  var url = job.getAttribute("data-progress");
  var bar = document.getElementById("progress");
  var text = document.getElementById("progress-text");
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (answer) { return answer.json(); })
      .then(function (state) {
        if (state.total) { bar.max = state.total; bar.value = state.done; }
        text.textContent = state.done + " / " + (state.total || "?");
        if (state.state === "running") { window.setTimeout(poll, 500); }
        else { window.location.reload(); }
      })
      .catch(function () { window.setTimeout(poll, 2000); });
  }
  poll();
})();
