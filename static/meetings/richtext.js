/* Rich text fields (Trix) made keyboard-usable: toolbar buttons answer Enter and Space, not just the mouse. */
(function () {
  "use strict";

  // Headings h2–h4 as Word has them (Trix knows only h1 on its own), so they survive paste and editing.
  // Set before the first editor starts (this script is loaded before Trix): Trix caches its block tags.
  var configured = false;
  var original = new WeakMap();  // each editor's text as the server sent it (Trix rewrites the input on start)
  document.addEventListener("trix-before-initialize", function (event) {
    var input = event.target.inputElement;
    if (input) original.set(event.target, input.value);
    if (configured) return;
    configured = true;
    ["heading2", "heading3", "heading4"].forEach(function (name) {
      Trix.config.blockAttributes[name] = {
        tagName: "h" + name.slice(-1), terminal: true, breakOnReturn: true, group: false
      };
    });
    var bold = Trix.config.textAttributes.bold;
    var boldParser = bold.parser;
    bold.parser = function (element) {  // a heading's own weight is not bold text
      return !element.closest("h1, h2, h3, h4") && boldParser(element);
    };
  });

  // Trix has no tables: a table (pasted from Word, imported from .docx, or already in the text) is kept
  // whole as a content attachment, shown as it is and moved or deleted as one block. Trix writes the
  // table back inside a <figure>; the server's cleaner keeps the table and drops the wrapper.
  function tablesAsAttachments(html) {
    var box = document.createElement("div");
    box.innerHTML = html;
    box.querySelectorAll("figure[data-trix-attachment] table").forEach(function (table) {
      table.closest("figure").replaceWith(table);
    });
    box.querySelectorAll("table").forEach(function (table) {
      if (table.parentElement && table.parentElement.closest("table")) return;
      var figure = document.createElement("figure");
      figure.setAttribute("data-trix-attachment", JSON.stringify({ content: table.outerHTML, contentType: "text/html" }));
      figure.setAttribute("data-trix-content-type", "text/html");
      table.replaceWith(figure);
    });
    return box.innerHTML;
  }

  document.addEventListener("trix-initialize", function (event) {
    var element = event.target;
    var html = original.get(element);
    if (html && html.indexOf("<table") !== -1) element.editor.loadHTML(tablesAsAttachments(html));
  });

  document.addEventListener("trix-before-paste", function (event) {
    if (event.paste && event.paste.html) event.paste.html = tablesAsAttachments(event.paste.html);
  });

  // Files have their own upload form on the case page; nothing is embedded in the text.
  document.addEventListener("trix-file-accept", function (event) {
    event.preventDefault();
  });

  // Trix acts on mousedown. A click with detail 0 comes from the keyboard: replay it as a mousedown,
  // then give the focus back to the editor so typing goes on where it was (dialogs keep their focus).
  document.addEventListener("click", function (event) {
    var button = event.target.closest("trix-toolbar button");
    if (!button || event.detail !== 0 || button.matches("[data-table-edit], [data-table-insert]")) return;
    event.preventDefault();
    button.dispatchEvent(new MouseEvent("mousedown", { bubbles: true, cancelable: true }));
    if (button.dataset.trixAction === "link") return;
    var toolbar = button.closest("trix-toolbar");
    var editor = document.querySelector('trix-editor[toolbar="' + toolbar.id + '"]');
    if (editor) editor.focus();
  });
})();

