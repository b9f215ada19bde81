// A long form on a phone (stagegids/longforms.py): the error summary gets the focus, each of its links focuses its
// field with the question in view, the progress count follows what is filled in, and the form is saved in the
// background as a concept while the user types. Without this script the form works as before: the links are
// anchors, the count is the server's, and "Opslaan" saves.
(function () {
  "use strict";

  const summary = document.getElementById("fouten");
  if (summary) {
    if (document.activeElement !== summary) summary.focus();
    summary.addEventListener("click", function (event) {
      const link = event.target.closest("a[data-focus]");
      const field = link && document.getElementById(link.dataset.focus);
      if (!field) return;
      event.preventDefault();
      // The question is the fieldset's legend above the choice: show it, not only the first radio button.
      (field.closest("fieldset") || field).scrollIntoView({ block: "start" });
      field.focus({ preventScroll: true });
    });
  }

  const form = document.querySelector("form[data-voortgang]");
  if (!form) return;

  // Progress: a unit is filled when each of its groups of choices has one chosen, or, without choices, when it
  // holds text (the same rule as the form's progress() on the server).
  const done = form.querySelector("[data-voortgang-done]");
  const bar = form.querySelector("[data-voortgang-bar]");
  function unitDone(unit) {
    const groups = new Set(Array.from(unit.querySelectorAll("input[type=radio]"), (radio) => radio.name));
    if (groups.size) {
      return Array.from(groups).every((name) => unit.querySelector(`input[name="${name}"]:checked`));
    }
    return Array.from(unit.querySelectorAll("textarea, input[type=text]")).some((field) => field.value.trim());
  }
  function count() {
    const filled = Array.from(form.querySelectorAll("[data-voortgang-unit]")).filter(unitDone).length;
    if (done && done.textContent !== String(filled)) done.textContent = String(filled);
    if (bar) bar.value = filled;
  }

  // Autosave: a POST of the whole form to its own URL, a moment after the last change; one at a time, each based
  // on the version the previous one answered. Offline or failed: the page says so and tries again; refused (someone
  // else saved, or the form was handed in): the page says so and stops, and the text stays in the form.
  const status = document.getElementById("concept-status");
  // Without data-concept the page only counts (a change would withdraw a signature: only a click saves then).
  const version = form.dataset.concept && form.querySelector(`[name="${form.dataset.concept}"]`);
  const QUIET_MS = 1500;
  const MAX_RETRY_MS = 60000;
  let timer = null;
  let retryMs = 2000;
  let changed = false;
  let sending = false;
  let stopped = false;
  let unsaved = false; // refused because someone else saved: the text on the page is stored nowhere else
  let submitting = false;
  let submitter = null;

  function say(text, state) {
    status.textContent = text;
    status.dataset.state = state;
  }
  function later(ms) {
    clearTimeout(timer);
    timer = setTimeout(save, ms);
  }

  async function save() {
    if (stopped || !changed) return;
    if (sending) return later(QUIET_MS);
    changed = false;
    sending = true;
    const data = new FormData(form);
    data.append("autosave", "1");
    say(status.dataset.saving, "saving");
    try {
      const response = await fetch(window.location.pathname, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        redirect: "error",
        headers: { Accept: "application/json" },
      });
      const answer = await response.json();
      if (response.ok) {
        version.value = answer.version;
        retryMs = 2000;
        say(answer.message, changed ? "waiting" : "saved");
      } else {
        if (answer.version !== null && answer.version !== undefined) {
          version.value = answer.version;
          unsaved = true;
        }
        if (answer.stop) stopped = true;
        say(answer.message, "refused");
        status.setAttribute("role", "alert");
      }
    } catch (error) {
      // No connection, a server error or a logged-out session (a redirect): nothing was stored; keep trying.
      changed = true;
      say(navigator.onLine ? status.dataset.failed : status.dataset.offline, "failed");
      later(retryMs);
      retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
    } finally {
      sending = false;
      if (submitter) {
        // The user pressed a button while a background save was on its way: send the form now, on the new version.
        const button = submitter;
        submitter = null;
        form.requestSubmit(button);
      }
    }
  }

  function edited() {
    count();
    if (stopped || !version) return;
    changed = true;
    if (status.dataset.state !== "saving") say(status.dataset.waiting, "waiting");
    later(QUIET_MS);
  }
  form.addEventListener("input", edited);
  form.addEventListener("change", edited);
  window.addEventListener("online", function () {
    if (changed && !stopped) later(0);
  });
  form.addEventListener("submit", function (event) {
    clearTimeout(timer);
    if (sending) {
      event.preventDefault();
      submitter = event.submitter;
      return;
    }
    stopped = true;
    submitting = true;
  });
  // Leaving with changes not yet stored: the browser asks first.
  window.addEventListener("beforeunload", function (event) {
    if (!submitting && (changed || sending || unsaved)) event.preventDefault();
  });
})();
