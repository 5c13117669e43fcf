/* Agenda order by drag and drop; the Up/Down buttons in each row do the same without a mouse. */
(function () {
  "use strict";
  var form = document.getElementById("agenda-form");
  if (!form) return;
  var body = form.querySelector("tbody[data-agenda]");
  var order = form.querySelector("input[name=order]");
  var dragged = null;

  body.querySelectorAll("tr[data-case-id]").forEach(function (row) {
    row.setAttribute("draggable", "true");
    row.addEventListener("dragstart", function (event) {
      dragged = row;
      row.classList.add("agenda-dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", row.dataset.caseId);
    });
    row.addEventListener("dragend", function () {
      row.classList.remove("agenda-dragging");
    });
    row.addEventListener("dragover", function (event) {
      if (!dragged || dragged === row) return;
      event.preventDefault();
      var box = row.getBoundingClientRect();
      var after = event.clientY > box.top + box.height / 2;
      body.insertBefore(dragged, after ? row.nextSibling : row);
    });
  });

  body.addEventListener("drop", function (event) {
    if (!dragged) return;
    event.preventDefault();
    dragged = null;
    var ids = Array.prototype.map.call(body.querySelectorAll("tr[data-case-id]"), function (row) {
      return row.dataset.caseId;
    });
    order.value = ids.join(",");
    form.submit();
  });
})();
