// Claim batches: refresh the progress of batches still queued or sending from the JSON endpoint
// (/claims/batches/progress/?ids=...) every few seconds, until each is sent or needs attention.
(function () {
  "use strict";
  var INTERVAL_MS = 2000;

  function pending() {
    return Array.prototype.slice.call(document.querySelectorAll("li.batch[data-done='0']"));
  }

  function update(item, batch) {
    var bar = item.querySelector("progress");
    if (bar) {
      bar.max = batch.total;
      bar.value = batch.sent;
      bar.textContent = batch.sent + " of " + batch.total;
    }
    item.querySelector(".batch-status").textContent = batch.status_label;
    item.querySelector(".batch-sent").textContent = batch.sent;
    item.querySelector(".batch-accepted").textContent = batch.accepted;
    item.querySelector(".batch-rejected").textContent = batch.rejected;
    item.setAttribute("data-status", batch.status);
    if (batch.done) {
      item.setAttribute("data-done", "1");
    }
  }

  function poll() {
    var items = pending();
    if (!items.length) {
      return;
    }
    var ids = items.map(function (item) { return item.id.replace("batch-", ""); });
    var url = items[0].getAttribute("data-progress-url").split("?")[0] + "?ids=" + ids.join(",");
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { batches: [] }; })
      .then(function (data) {
        data.batches.forEach(function (batch) {
          var item = document.getElementById("batch-" + batch.id);
          if (item) {
            update(item, batch);
          }
        });
      })
      .catch(function () { /* try again at the next tick */ })
      .then(function () {
        if (pending().length) {
          window.setTimeout(poll, INTERVAL_MS);
        }
      });
  }

  if (pending().length) {
    window.setTimeout(poll, INTERVAL_MS);
  }
})();
