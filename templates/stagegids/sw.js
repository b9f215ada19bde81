// The Stagegids service worker (stagegids/pwa.py serves it at /sw.js, scope "/").
// Keeps the app shell and the pages marked for offline use (the observatie form), and sends the observaties that
// wait on the device (wachtrij.js) when the browser says the connection is back (Background Sync).
"use strict";

const CONFIG = {{ config|safe }};
importScripts("{{ queue_script|escapejs }}");

const SHELL_CACHE = "stagegids-shell-" + CONFIG.version;
// Personal: the forms as the logged-in person last saw them. Emptied on logout and for a page without a login.
const PAGES_CACHE = "stagegids-pages";

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(SHELL_CACHE)
      .then((cache) => cache.addAll(CONFIG.shell))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names
            .filter((name) => name.startsWith("stagegids-shell-") && name !== SHELL_CACHE)
            .map((name) => caches.delete(name)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

function isLogin(response) {
  return new URL(response.url).pathname === CONFIG.loginUrl;
}

async function navigate(request) {
  try {
    const response = await fetch(request);
    if (response.redirected && isLogin(response)) {
      await caches.delete(PAGES_CACHE);
    } else if (response.ok && !response.redirected && response.headers.get(CONFIG.offlineHeader)) {
      // (A redirected answer cannot answer a navigation later: only a page asked for by its own address is kept.)
      const cache = await caches.open(PAGES_CACHE);
      await cache.put(request, response.clone());
    }
    return response;
  } catch (error) {
    const kept = await caches.match(request, { cacheName: PAGES_CACHE, ignoreVary: true });
    return kept || (await caches.match(CONFIG.offlineUrl, { cacheName: SHELL_CACHE })) || Response.error();
  }
}

async function shellFile(request) {
  // Network first: a new version of a file (while developing, under the same name) is used at once; the kept
  // copy only without a connection.
  const cache = await caches.open(SHELL_CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(request, response.clone());
    return response;
  } catch (error) {
    return (await cache.match(request)) || Response.error();
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(navigate(request));
  } else if (CONFIG.shell.includes(url.pathname)) {
    event.respondWith(shellFile(request));
  }
});

async function tellPages(message) {
  const pages = await self.clients.matchAll({ type: "window" });
  pages.forEach((page) => page.postMessage(message));
}

self.addEventListener("sync", (event) => {
  if (event.tag === Wachtrij.SYNC_TAG) {
    // The pages say what was sent: whose it was tells each page whether to count it.
    event.waitUntil(
      Wachtrij.sendAll({}).then((sent) => tellPages({ type: "wachtrij", sent: sent.map((entry) => entry.user) })),
    );
  }
});

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "vergeten") {
    event.waitUntil(caches.delete(PAGES_CACHE));
  }
});
