/* A dispatch's page: follow the outbox while the worker sends, without reloading. Works without it too. */
(function () {
  "use strict";
  var box = document.querySelector("[data-dispatch-progress]");
  if (!box || box.hasAttribute("data-done")) return;
  var url = box.getAttribute("data-dispatch-progress");

  function set(el, text) { if (el && el.textContent !== text) el.textContent = text; }

  function show(data) {
    set(box.querySelector("[data-progress-text]"), data.text);
    ["queued", "retrying", "failed", "print"].forEach(function (key) {
      set(box.querySelector('[data-count="' + key + '"]'), String(data.counts[key]));
    });
    var bar = box.querySelector("[data-progress-bar]");
    if (bar) {
      bar.max = data.counts.email || 1;
      bar.value = data.counts.email ? data.counts.sent : 1;
    }
    data.recipients.forEach(function (r) {
      var row = document.querySelector('[data-recipient="' + r.id + '"]');
      if (!row) return;
      set(row.querySelector('[data-field="state"]'), r.state_label);
      set(row.querySelector('[data-field="when"]'), r.when);
      set(row.querySelector('[data-field="why"]'), r.why);
    });
    return data.counts.done;
  }

  window.khsFollowProgress(box, url, show);
})();
