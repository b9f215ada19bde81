// Working without a connection (stagegids/pwa.py): registers the service worker, sends what waits on the device
// (on page load, when the connection comes back, and by the worker's Background Sync), says what still waits or
// could not be sent, and, on the observatie form, keeps an observatie on the device when it cannot be sent now.
"use strict";

(function () {
  const script = document.currentScript;
  const user = script.dataset.user;
  const PAGES_CACHE = "stagegids-pages";

  // The forms the worker kept are this person's: gone when they log out or when a page is opened without a login.
  function forget() {
    return "caches" in window ? caches.delete(PAGES_CACHE) : Promise.resolve();
  }

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(script.dataset.sw, { scope: "/" }).catch(() => {});
  }
  if (script.dataset.forget) {
    forget();
    return;
  }
  const logout = document.querySelector('form[action$="/account/uitloggen/"]');
  if (logout) {
    logout.addEventListener("submit", (event) => {
      event.preventDefault();
      forget().finally(() => logout.submit());
    });
  }
  if (!user || !window.indexedDB || !window.Wachtrij) return;

  const texts = JSON.parse(document.getElementById("wachtrij-teksten").textContent);
  const notice = document.getElementById("wachtrij-melding");
  const list = document.getElementById("wachtrij-lijst");
  const form = document.querySelector("form input[name=client_key]")?.form;
  let lastSent = 0;
  let edit = null; // on the observatie form: puts a refused observatie back in it

  const count = (n, one, many) => (n === 1 ? one : many.replace("{n}", n));
  const csrf = () => document.querySelector("input[name=csrfmiddlewaretoken]")?.value || "";
  const newKey = () =>
    crypto.randomUUID
      ? crypto.randomUUID()
      : "10000000-1000-4000-8000-100000000000".replace(/[018]/g, (c) =>
          (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16),
        );

  function element(tag, attributes, ...children) {
    const node = document.createElement(tag);
    Object.entries(attributes || {}).forEach(([name, value]) => node.setAttribute(name, value));
    node.append(...children);
    return node;
  }

  function describe(entry) {
    const fields = Object.fromEntries(entry.fields);
    const text = fields.text.length > 60 ? fields.text.slice(0, 60) + "…" : fields.text;
    const date = fields.date ? new Date(fields.date + "T12:00").toLocaleDateString("nl-NL") : "";
    return [entry.title, date, `“${text}”`, entry.photo ? texts.photo : ""].filter(Boolean).join(" · ");
  }

  function problem(entry) {
    if (entry.state === "inloggen") return texts.login;
    if (entry.state === "fout" && entry.status === 404) return texts.gone;
    if (entry.state === "fout") return entry.errors.map((e) => (e.label ? `${e.label}: ` : "") + e.messages.join(" ")).join(" ");
    if (entry.status >= 500 || entry.status === 429) return texts.server;
    return "";
  }

  async function render() {
    const entries = (await Wachtrij.all()).filter((entry) => entry.user === user);
    const waiting = entries.filter((entry) => entry.state !== "fout");
    const forLogin = waiting.filter((entry) => entry.state === "inloggen");
    const failed = entries.filter((entry) => entry.state === "fout");
    const lines = [];
    const forConnection = waiting.length - forLogin.length;
    if (forConnection) lines.push(count(forConnection, texts.waitingOne, texts.waitingMany));
    if (forLogin.length) lines.push(count(forLogin.length, texts.loginWaitingOne, texts.loginWaitingMany));
    if (failed.length) lines.push(count(failed.length, texts.problemOne, texts.problemMany));
    if (lastSent) lines.push(count(lastSent, texts.sentOne, texts.sentMany));
    const message = lines.join(" ");
    if (notice.textContent !== message) notice.textContent = message;
    // The form's "kept on this device" is no longer true once everything is sent.
    if (!waiting.length) document.querySelectorAll("[data-bewaard]").forEach((node) => node.remove());
    notice.className = message ? `alert ${failed.length || waiting.some(problem) ? "alert-warning" : waiting.length ? "alert-info" : "alert-success"} mb-2` : "";

    list.replaceChildren(
      ...entries.map((entry) => {
        const item = element("li", { class: "border rounded p-2 mb-2 bg-body" }, element("div", {}, describe(entry)));
        const why = problem(entry);
        if (why) item.append(element("div", { class: "small text-danger-emphasis" }, why));
        if (entry.state === "inloggen") {
          const next = encodeURIComponent(location.pathname);
          item.append(element("a", { class: "btn btn-sm btn-outline-primary mt-1", href: `${script.dataset.login}?next=${next}` }, texts.logIn));
        }
        if (entry.state === "fout" && entry.status !== 404) {
          const fix = element("a", { class: "btn btn-sm btn-outline-primary me-2 mt-1", href: `${entry.url}#wachtrij=${entry.key}` }, texts.fix);
          fix.addEventListener("click", (event) => {
            if (edit && new URL(entry.url, location.href).pathname === location.pathname) {
              event.preventDefault();
              edit(entry.key);
            }
          });
          item.append(fix);
        }
        if (entry.state === "fout") {
          const remove = element("button", { type: "button", class: "btn btn-sm btn-outline-danger mt-1" }, texts.remove);
          remove.addEventListener("click", async () => {
            if (!window.confirm(texts.confirmRemove)) return;
            await Wachtrij.remove(entry.key);
            render();
          });
          item.append(remove);
        }
        return item;
      }),
    );
    if (waiting.length && navigator.onLine) {
      const now = element("button", { type: "button", class: "btn btn-sm btn-primary" }, texts.sendNow);
      now.addEventListener("click", () => send());
      list.append(element("li", {}, now));
    }
  }

  async function send() {
    if (navigator.onLine) {
      const sent = await Wachtrij.sendAll({ user, csrf: csrf() });
      lastSent += sent.length;
    }
    await render();
  }

  function askForSync() {
    // Chromium sends it even when the page is closed by then; elsewhere the next visit or `online` does.
    navigator.serviceWorker?.ready
      .then((registration) => registration.sync && registration.sync.register(Wachtrij.SYNC_TAG))
      .catch(() => {});
  }

  window.addEventListener("online", send);
  window.addEventListener("offline", render);
  navigator.serviceWorker?.addEventListener("message", (event) => {
    if (!event.data || event.data.type !== "wachtrij") return;
    // The worker's Background Sync may have sent this person's before the page's own `online` got to them.
    lastSent += (event.data.sent || []).filter((owner) => owner === user).length;
    render();
  });

  if (form) observatieForm();
  send();

  // --- the observatie form ---------------------------------------------------------------------------------

  function observatieForm() {
    const limits = JSON.parse(document.getElementById("wachtrij-grenzen").textContent);
    const place = document.getElementById("observatie-wachtrij");
    const photoInput = form.elements.photo;
    form.elements.client_key.value = newKey();
    const action = new URL(form.getAttribute("action") || location.pathname, location.href).pathname;

    function showErrors(errors) {
      form.querySelectorAll(".is-invalid").forEach((field) => field.classList.remove("is-invalid"));
      if (!errors.length) return place.replaceChildren();
      errors.forEach((error) => {
        const field = form.elements[error.field];
        if (field && field.classList) field.classList.add("is-invalid");
      });
      const items = errors.map((error) => element("li", {}, (error.label ? `${error.label}: ` : "") + error.messages.join(" ")));
      place.replaceChildren(element("div", { class: "alert alert-danger", role: "alert" }, element("p", { class: "mb-1" }, texts.errorsTitle), element("ul", { class: "mb-0" }, ...items)));
      place.focus();
    }

    // The photo checked as the server checks it, from its first bytes: kind, size and pixel count.
    async function photoErrors(file) {
      if (!file) return [];
      const label = form.querySelector(`label[for="${photoInput.id}"]`)?.textContent.trim() || "";
      const refuse = (message) => [{ field: "photo", label, messages: [message] }];
      if (file.size > limits.maxPhotoBytes) return refuse(limits.photoTooBig);
      const head = new DataView(await file.slice(0, 512 * 1024).arrayBuffer());
      const pixels = pngPixels(head) ?? jpegPixels(head);
      if (pixels === undefined) return refuse(limits.notAPhoto);
      if (pixels !== null && pixels > limits.maxPhotoPixels) return refuse(limits.tooManyPixels);
      return [];
    }

    async function entryFrom(key) {
      const data = new FormData(form);
      const file = photoInput.files[0] || null;
      data.delete("photo");
      data.delete("csrfmiddlewaretoken");
      data.set("client_key", key);
      return {
        key,
        user,
        url: action,
        title: place.dataset.title,
        createdAt: new Date().toISOString(),
        fields: [...data.entries()].filter(([, value]) => typeof value === "string"),
        photo: file,
        photoName: file ? file.name : "",
        csrf: csrf(),
        state: "wacht",
        errors: [],
        status: 0,
      };
    }

    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const button = event.submitter;
      if (button) button.disabled = true;
      try {
        const problems = await photoErrors(photoInput.files[0]);
        if (problems.length) return showErrors(problems);
        const entry = await entryFrom(form.elements.client_key.value);
        lastSent = 0; // what the status says from here on is about this one and those still waiting
        // Kept first, sent then: whatever happens to the request, the observatie is on the device until the server
        // says it has it.
        await Wachtrij.put(entry);
        const result = navigator.onLine ? await Wachtrij.exclusively(() => Wachtrij.send(entry, csrf())) : entry;
        if (result.state === "verstuurd") {
          location.assign(result.redirect);
          return;
        }
        if (result.state === "fout") {
          showErrors(result.status === 404 ? [{ field: "", label: "", messages: [texts.gone] }] : result.errors);
        } else {
          form.reset();
          form.elements.client_key.value = newKey();
          showErrors([]);
          place.replaceChildren(element("div", { class: "alert alert-info", "data-bewaard": "" }, texts.savedOffline));
          place.focus();
          askForSync();
        }
        await render();
      } finally {
        if (button) button.disabled = false;
      }
    });

    // "Aanpassen": the refused observatie back in the form, with its key, so that saving it again replaces it.
    edit = async (key) => {
      const entry = await Wachtrij.get(key);
      if (!entry || entry.user !== user) return;
      form.reset();
      entry.fields.forEach(([name, value]) => {
        const field = form.elements[name];
        if (!field) return;
        if (field instanceof RadioNodeList || field.type === "radio") {
          form.querySelectorAll(`input[name="${name}"]`).forEach((radio) => (radio.checked = radio.value === value));
        } else {
          field.value = value;
        }
      });
      if (entry.photo) {
        const photo = new DataTransfer();
        photo.items.add(new File([entry.photo], entry.photoName || "foto", { type: entry.photo.type }));
        photoInput.files = photo.files;
      }
      showErrors([{ field: "", label: "", messages: [texts.fixHint] }, ...entry.errors]);
    };

    const wanted = new URLSearchParams(location.hash.slice(1)).get("wachtrij");
    if (wanted) edit(wanted);
  }

  // Width × height from a png's IHDR; undefined when it is no png.
  function pngPixels(view) {
    if (view.byteLength < 24 || view.getUint32(0) !== 0x89504e47) return undefined;
    return view.getUint32(16) * view.getUint32(20);
  }

  // Width × height from a jpg's frame header; undefined when it is no jpg, null when the header is further on.
  function jpegPixels(view) {
    if (view.byteLength < 4 || view.getUint16(0) !== 0xffd8) return undefined;
    let offset = 2;
    while (offset + 9 < view.byteLength) {
      if (view.getUint8(offset) !== 0xff) return null;
      const marker = view.getUint8(offset + 1);
      const isFrame = marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker);
      if (isFrame) return view.getUint16(offset + 5) * view.getUint16(offset + 7);
      offset += 2 + view.getUint16(offset + 2);
    }
    return null;
  }
})();
