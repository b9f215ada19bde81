// A free text's bound (maxlength, stagegids.forms.bound) stops typing and cuts a paste off without a word. Under the
// field the page says so: how much room is left near the end, and how much of a paste did not fit.
(function () {
  "use strict";

  const texts = document.currentScript.dataset;

  function number(n) {
    return n.toLocaleString("nl-NL");
  }
  function say(field, text, cut) {
    let line = field.parentElement.querySelector(":scope > [data-ruimte]");
    if (!line && !text) return;
    if (!line) {
      line = document.createElement("div");
      line.dataset.ruimte = "";
      line.setAttribute("aria-live", "polite");
      field.after(line);
    }
    line.className = cut ? "form-text text-warning-emphasis fw-semibold" : "form-text";
    line.textContent = text;
  }
  function bounded(field) {
    return field instanceof HTMLTextAreaElement && field.maxLength > 0;
  }

  document.addEventListener("input", function (event) {
    const field = event.target;
    if (!bounded(field)) return;
    if (field.dataset.afgekapt) {
      // The paste that was cut off: its message stays until the next change.
      delete field.dataset.afgekapt;
      return;
    }
    const room = field.maxLength - field.value.length;
    const text = room === 1 ? texts.leftOne : texts.left.replace("%(n)s", number(room));
    say(field, room <= field.maxLength / 10 ? text : "");
  });
  document.addEventListener("paste", function (event) {
    const field = event.target;
    if (!bounded(field) || !event.clipboardData) return;
    const pasted = event.clipboardData.getData("text/plain").replace(/\r\n/g, "\n").length;
    const room = field.maxLength - field.value.length + (field.selectionEnd - field.selectionStart);
    if (pasted <= room) return;
    field.dataset.afgekapt = "ja";
    say(field, texts.cut.replace("%(n)s", number(pasted - room)).replace("%(max)s", number(field.maxLength)), true);
  });
})();
