/* An invoice run's page: follow the worker while it validates and issues the run and builds its print
   bundle, without reloading (polling through follow-progress.js). Works without it too: reload to see. */
(function () {
  "use strict";
  var box = document.querySelector("[data-run-progress]");
  if (!box || box.hasAttribute("data-done")) return;
  var url = box.getAttribute("data-run-progress");

  function set(el, text) { if (el && el.textContent !== text) el.textContent = text; }

  function show(data) {
    document.querySelectorAll("[data-field]").forEach(function (el) {
      var key = el.getAttribute("data-field");
      if (key in data) set(el, String(data[key]));
    });
    // Parts shown only in some states: data-show-when="issued" appears once data.issued is true.
    document.querySelectorAll("[data-show-when]").forEach(function (el) {
      el.hidden = !data[el.getAttribute("data-show-when")];
    });
    document.querySelectorAll("[data-href]").forEach(function (el) {
      var href = data[el.getAttribute("data-href")];
      if (href) el.setAttribute("href", href);
    });
    var details = box.querySelector("[data-details]");
    if (details && data.details.length && !details.children.length) {
      data.details.forEach(function (line) {
        var item = document.createElement("li");
        item.textContent = line;
        details.appendChild(item);
      });
    }
    var bar = box.querySelector("[data-progress-bar]");
    if (bar) {
      bar.max = data.total || 1;
      bar.value = data.total ? data.validated : 0;
    }
    return data.done;
  }

  window.khsFollowProgress(box, url, show);
})();
