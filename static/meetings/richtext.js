/* Rich text fields (Trix) made keyboard-usable: toolbar buttons answer Enter and Space, not just the mouse. */
(function () {
  "use strict";

  // Files have their own upload form on the case page; nothing is embedded in the text.
  document.addEventListener("trix-file-accept", function (event) {
    event.preventDefault();
  });

  // Trix acts on mousedown. A click with detail 0 comes from the keyboard: replay it as a mousedown,
  // then give the focus back to the editor so typing goes on where it was (dialogs keep their focus).
  document.addEventListener("click", function (event) {
    var button = event.target.closest("trix-toolbar button");
    if (!button || event.detail !== 0) return;
    event.preventDefault();
    button.dispatchEvent(new MouseEvent("mousedown", { bubbles: true, cancelable: true }));
    if (button.dataset.trixAction === "link") return;
    var toolbar = button.closest("trix-toolbar");
    var editor = document.querySelector('trix-editor[toolbar="' + toolbar.id + '"]');
    if (editor) editor.focus();
  });
})();
