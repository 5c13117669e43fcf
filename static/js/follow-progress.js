/* Follow a long piece of work on its page without reloading: ask `url` for JSON every second (every three
   after a network error) and hand it to `show`, which updates the page and says whether the work is done.
   Used by dispatch-progress.js and run-progress.js; the pages work without it too (reload to see). */
window.khsFollowProgress = function (box, url, show) {
  "use strict";
  function poll() {
    fetch(url, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (data && show(data)) { box.setAttribute("data-done", ""); return; }
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 1000);
};
