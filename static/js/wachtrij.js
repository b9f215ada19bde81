// The observaties that wait on this device for a connection, in IndexedDB, and how one is sent.
// Used by the pages (offline.js) and by the service worker (sw.js, Background Sync): plain script, no DOM.
//
// An entry: {key, user, url, title, createdAt, fields: [[name, value], ...], photo: Blob|null, photoName, csrf,
// state, errors, status}. `key` is the observatie's device key (client_key): sending it twice gives one observatie.
// state "wacht": waits for a connection (or for the server, when it answered with an error of its own);
// "inloggen": the server wants a login first (session over, CSRF expired, another person logged in);
// "fout": the server refused it with messages (errors) or no longer knows the stage (status 404): the person fixes
// or removes it. An entry leaves the device only when the server says it is saved, or when the person removes it.
"use strict";

(function (root) {
  const DB_NAME = "stagegids";
  const STORE = "observaties";
  const LOCK = "stagegids-wachtrij";

  function request(idbRequest) {
    return new Promise((resolve, reject) => {
      idbRequest.onsuccess = () => resolve(idbRequest.result);
      idbRequest.onerror = () => reject(idbRequest.error);
    });
  }

  function open() {
    const opening = root.indexedDB.open(DB_NAME, 1);
    opening.onupgradeneeded = () => opening.result.createObjectStore(STORE, { keyPath: "key" });
    return request(opening);
  }

  async function withStore(mode, action) {
    const db = await open();
    try {
      const transaction = db.transaction(STORE, mode);
      const done = new Promise((resolve, reject) => {
        transaction.oncomplete = resolve;
        transaction.onerror = () => reject(transaction.error);
        transaction.onabort = () => reject(transaction.error);
      });
      const result = await request(action(transaction.objectStore(STORE)));
      await done;
      return result;
    } finally {
      db.close();
    }
  }

  const all = () => withStore("readonly", (store) => store.getAll());
  const get = (key) => withStore("readonly", (store) => store.get(key));
  const put = (entry) => withStore("readwrite", (store) => store.put(entry));
  const remove = (key) => withStore("readwrite", (store) => store.delete(key));

  // One sender at a time across the pages and the worker: the server would not make a second observatie from a
  // second send (the key), but the person would see it counted twice.
  function exclusively(action) {
    const locks = root.navigator && root.navigator.locks;
    return locks ? locks.request(LOCK, action) : action();
  }

  async function keep(entry, changes) {
    Object.assign(entry, changes);
    await put(entry);
    return entry;
  }

  async function send(entry, csrf) {
    const body = new FormData();
    entry.fields.forEach(([name, value]) => body.append(name, value));
    if (entry.photo) body.append("photo", entry.photo, entry.photoName || "foto");
    body.set("csrfmiddlewaretoken", csrf || entry.csrf);
    let response;
    try {
      response = await fetch(entry.url, {
        method: "POST",
        body,
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
    } catch (error) {
      return keep(entry, { state: "wacht", status: 0 });
    }
    // Sent to the login page (the session ended) or refused by the CSRF check (a token from before a login).
    if (response.redirected || response.status === 403) {
      return keep(entry, { state: "inloggen", status: response.status });
    }
    const json = (response.headers.get("Content-Type") || "").includes("json") ? await response.json() : null;
    if (response.ok && json && json.observatie) {
      await remove(entry.key);
      return Object.assign(entry, { state: "verstuurd", redirect: json.redirect });
    }
    if (response.status === 400 && json && json.errors) {
      const someoneElse = json.errors.some((error) => error.field === "recorded_by");
      return keep(entry, { state: someoneElse ? "inloggen" : "fout", errors: json.errors, status: 400 });
    }
    if (response.status === 404) {
      return keep(entry, { state: "fout", errors: [], status: 404 });
    }
    // The server's own trouble (a 500, a 502 of a proxy, a 429): try again later.
    return keep(entry, { state: "wacht", status: response.status });
  }

  // Sends what waits (of `user`, when given) and returns the entries sent. "fout" waits for the person.
  function sendAll({ user, csrf }) {
    return exclusively(async () => {
      const sent = [];
      for (const entry of await all()) {
        if (entry.state === "fout" || (user && entry.user !== user)) continue;
        const result = await send(entry, csrf);
        if (result.state === "verstuurd") sent.push(result);
        else if (result.state === "wacht" && result.status === 0) break; // no connection: the rest neither
      }
      return sent;
    });
  }

  root.Wachtrij = { SYNC_TAG: "observaties", all, get, put, remove, send, sendAll, exclusively };
})(self);
