/* Tables in a rich text field. Trix has no table editing: a table is kept whole as one block (richtext.js).
   "Rediger tabell" opens a dialog with one text field per cell, where rows and columns can be added and
   removed; "Bruk endringene" puts the changed table back in place of the old one. "Sett inn tabell" starts
   a new 3 × 2 table. A cell left as it was keeps its formatting from Word; a cell changed becomes plain
   text. The dialog's words come from the page (templates/meetings/_richtext_assets.html), translated. */
(function () {
  "use strict";

  var dialog = document.getElementById("richtext-table-dialog");
  if (!dialog) return;
  var grid = dialog.querySelector("[data-table-grid]");
  var heading = dialog.querySelector("[data-table-heading]");
  var state = null;  // {element: trix-editor, attachment: the table being edited or null, table, inputs: []}
  var atCursor = new WeakMap();  // each editor's table attachment at or next to the cursor

  function isTable(attachment) {
    return attachment.getContentType() === "text/html" && /<table[\s>]/i.test(attachment.getContent() || "");
  }

  function tableAt(editor) {
    var range = editor.getSelectedRange();
    var doc = editor.getDocument();
    return doc.getAttachments().filter(isTable).find(function (attachment) {
      var own = doc.getRangeOfAttachment(attachment);
      return own && range[0] <= own[1] && range[1] >= own[0];
    }) || null;
  }

  function editorOf(button) {
    var toolbar = button.closest("trix-toolbar");
    return toolbar && document.querySelector('trix-editor[toolbar="' + toolbar.id + '"]');
  }

  function editButton(element) {
    return element.toolbarElement && element.toolbarElement.querySelector("[data-table-edit]");
  }

  document.addEventListener("trix-selection-change", function (event) {
    var element = event.target;
    if (!element.editor || document.activeElement !== element) return;
    var found = tableAt(element.editor);
    atCursor.set(element, found);
    var button = editButton(element);
    if (button) button.disabled = !found;
  });

  function label(row, col) {
    return dialog.dataset.cellLabel.replace("{row}", row).replace("{col}", col);
  }

  function rows() {
    return Array.prototype.slice.call(state.table.rows);
  }

  function render() {
    grid.replaceChildren();
    state.inputs = [];
    rows().forEach(function (tr, r) {
      var line = document.createElement("tr");
      Array.prototype.forEach.call(tr.cells, function (cell, c) {
        var box = document.createElement("td");
        var input = document.createElement("input");
        input.type = "text";
        input.className = "form-control form-control-sm" + (cell.tagName === "TH" ? " fw-bold" : "");
        input.value = cell.textContent.trim();
        input.setAttribute("aria-label", label(r + 1, c + 1));
        box.appendChild(input);
        line.appendChild(box);
        state.inputs.push({ cell: cell, input: input, before: input.value });
      });
      grid.appendChild(line);
    });
  }

  function keepTyped() {
    state.inputs.forEach(function (entry) {
      if (entry.input.value !== entry.before) entry.cell.textContent = entry.input.value;
    });
  }

  function emptied(cell, tag) {
    var fresh = document.createElement(tag || cell.tagName.toLowerCase());
    if (cell.getAttribute("scope")) fresh.setAttribute("scope", cell.getAttribute("scope"));
    return fresh;
  }

  var operations = {
    "add-row": function () {
      var last = rows()[rows().length - 1];
      var parent = last.parentNode;
      if (parent.tagName === "THEAD") {
        parent = state.table.tBodies[0] || state.table.appendChild(document.createElement("tbody"));
      }
      var tr = document.createElement("tr");
      Array.prototype.forEach.call(last.cells, function (cell) {
        var fresh = emptied(cell, parent === last.parentNode ? null : "td");
        if (cell.colSpan > 1) fresh.colSpan = cell.colSpan;
        tr.appendChild(fresh);
      });
      parent.appendChild(tr);
    },
    "remove-row": function () {
      if (rows().length > 1) rows()[rows().length - 1].remove();
    },
    "add-col": function () {
      rows().forEach(function (tr) {
        tr.appendChild(emptied(tr.cells[tr.cells.length - 1]));
      });
    },
    "remove-col": function () {
      rows().forEach(function (tr) {
        if (tr.cells.length > 1) tr.cells[tr.cells.length - 1].remove();
      });
    }
  };

  function newTable() {
    var box = document.createElement("div");
    box.innerHTML = "<table><thead><tr><th></th><th></th></tr></thead><tbody><tr><td></td><td></td></tr>" +
      "<tr><td></td><td></td></tr></tbody></table>";
    return box.firstChild;
  }

  function open(element, attachment) {
    var box = document.createElement("div");
    if (attachment) box.innerHTML = attachment.getContent();
    state = { element: element, attachment: attachment, table: attachment ? box.querySelector("table") : newTable() };
    heading.textContent = attachment ? dialog.dataset.editHeading : dialog.dataset.insertHeading;
    render();
    dialog.showModal();
    if (state.inputs.length) state.inputs[0].input.focus();
  }

  function apply() {
    keepTyped();
    var editor = state.element.editor;
    var table = new Trix.Attachment({ content: state.table.outerHTML, contentType: "text/html" });
    if (state.attachment) {
      var range = editor.getDocument().getRangeOfAttachment(state.attachment);
      if (range) editor.setSelectedRange(range);
    }
    editor.insertAttachment(table);
    close();
  }

  function close() {
    var element = state && state.element;
    dialog.close();
    state = null;
    if (element) element.focus();
  }

  dialog.addEventListener("click", function (event) {
    var button = event.target.closest("[data-table-op]");
    if (!button || !state) return;
    var op = button.dataset.tableOp;
    if (op === "apply") return apply();
    if (op === "cancel") return close();
    keepTyped();
    operations[op]();
    render();
  });
  dialog.addEventListener("cancel", function () {  // Escape: nothing changes, typing goes on in the editor
    var element = state && state.element;
    state = null;
    if (element) setTimeout(function () { element.focus(); }, 0);
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest("trix-toolbar [data-table-edit], trix-toolbar [data-table-insert]");
    if (!button) return;
    var element = editorOf(button);
    if (!element || !element.editor) return;
    if (button.hasAttribute("data-table-insert")) return open(element, null);
    var attachment = atCursor.get(element) || tableAt(element.editor);
    if (attachment) open(element, attachment);
  });
})();
