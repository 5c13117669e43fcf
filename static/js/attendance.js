/* Attendance pages, progressive enhancement: everything works without this script. */
(function () {
  "use strict";

  // Answer form: show the deputy fields only when "send my deputy" is chosen.
  document.querySelectorAll("[data-answer-form]").forEach(function (form) {
    var fields = form.querySelector("[data-deputy-fields]");
    if (!fields) return;
    function update() {
      var chosen = form.querySelector('input[name="response"]:checked');
      fields.hidden = !(chosen && chosen.value === "deputy") && !fields.querySelector(".is-invalid");
    }
    form.querySelectorAll('input[name="response"]').forEach(function (radio) {
      radio.addEventListener("change", update);
    });
    update();
  });

  // Check-in: toggle a row without reloading the page.
  var count = document.querySelector("[data-present-count]");
  document.querySelectorAll("form[data-check-in]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = form.querySelector("button");
      var input = form.querySelector('input[name="present"]');
      button.disabled = true;
      fetch(form.action, {method: "POST", body: new FormData(form), headers: {"Accept": "application/json"},
                          credentials: "same-origin"})
        .then(function (response) { return response.json().then(function (data) { return [response.ok, data]; }); })
        .then(function (result) {
          var ok = result[0], data = result[1];
          if (!ok) { window.alert(data.error || "Feil"); return; }
          var present = data.present === true;
          button.setAttribute("aria-pressed", present ? "true" : "false");
          button.classList.toggle("btn-success", present);
          button.classList.toggle("btn-outline-dark", !present);
          input.value = present ? "0" : "1";
          if (count) count.textContent = data.present_count;
        })
        .catch(function () { form.submit(); })
        .finally(function () { button.disabled = false; });
    });
  });

  // Check-in: filter the list by name or municipality.
  var filter = document.querySelector("[data-check-in-filter]");
  if (filter) {
    filter.addEventListener("input", function () {
      var text = filter.value.trim().toLowerCase();
      document.querySelectorAll("[data-filter-text]").forEach(function (row) {
        row.classList.toggle("d-none", text !== "" && row.getAttribute("data-filter-text").indexOf(text) === -1);
      });
    });
  }
})();
