// On a phone a stage's sections are one line that scrolls sideways: show the current section, not always the first.
(function () {
  "use strict";
  document.querySelectorAll(".stage-nav .nav").forEach(function (bar) {
    const current = bar.querySelector("[aria-current=page]");
    if (current && bar.scrollWidth > bar.clientWidth) {
      bar.scrollLeft = current.offsetLeft - (bar.clientWidth - current.offsetWidth) / 2;
    }
  });
})();
