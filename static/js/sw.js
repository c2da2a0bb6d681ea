/* Service worker: app shell precache, pages network-first, outbox on Background Sync.
   Served by /sw.js, which fills in the version and the shell list. */
"use strict";
const VERSION = "__VERSION__";
const SHELL = __SHELL__;
const OFFLINE = "__OFFLINE__";
const CHUNK = __CHUNK__; // bytes of evidence per upload request (EVIDENCE_CHUNK_MAX)
const SHELL_CACHE = "korch-shell-" + VERSION;
const PAGES_CACHE = "korch-pages-" + VERSION;

importScripts("/static/js/lib/idb.js", "/static/js/outbox.js", "/static/js/evidence.js");

self.addEventListener("install", (event) => {
  // cache: "no-cache" revalidates what the page just downloaded (a 304, not the bytes again).
  event.waitUntil(caches.open(SHELL_CACHE).then((cache) =>
    cache.addAll(SHELL.map((url) => new Request(url, { cache: "no-cache" })))));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys().then((names) => Promise.all(names
    .filter((name) => name.startsWith("korch-") && name !== SHELL_CACHE && name !== PAGES_CACHE)
    .map((name) => caches.delete(name)))).then(() => self.clients.claim()));
});

self.addEventListener("message", (event) => {
  const data = event.data || {};
  const reply = (msg) => event.ports[0] && event.ports[0].postMessage(msg);
  if (data.type === "skipWaiting") self.skipWaiting();
  if (data.type === "warm") event.waitUntil(warm(data.urls || []).then(reply, () => reply({ ok: false })));
  if (data.type === "forget") event.waitUntil(caches.delete(PAGES_CACHE).then(() => reply({ ok: true })));
});

self.addEventListener("sync", (event) => {
  // Rejecting makes the browser retry the sync later, with its own backoff.
  if (event.tag === "outbox") {
    event.waitUntil(Outbox.flush().then(async (r) => {
      if (r.urls && r.urls.length) await warm(r.urls);
      tellPages({ results: r.results, keys: r.keys, login: r.login });
      // Then the evidence files, so that a phone put away with the app closed still delivers them.
      const files = r.login ? {} : await sendFiles();
      if (files.sent) tellPages({ files: true });
      if (r.retry || files.retry) throw new Error("retry");
    }));
  }
});

async function sendFiles() {
  try {
    const who = await Outbox.session();
    return who.login ? {} : await Evidence.upload(who.user.id, CHUNK, () => null);
  } catch (e) { return { retry: true }; }
}

function tellPages(result) {
  return self.clients.matchAll().then((list) => list.forEach((c) => c.postMessage({ type: "outbox", result })));
}

function cacheable(response) {
  // Never keep a redirect (e.g. to the login page) or an error as "the page".
  return response && response.ok && !response.redirected && response.type === "basic";
}

// Pages being stored as they are shown: warming waits for them, so that a page
// that says it is ready offline is, though warming no longer fetches it again.
const storing = new Set();

function keep(cache, request, response) {
  const put = cache.put(request, response).catch(() => null);
  storing.add(put);
  return put.finally(() => storing.delete(put));
}

async function warm(urls) {
  await Promise.all([...storing]);
  const cache = await caches.open(PAGES_CACHE);
  let count = 0;
  for (const url of urls) {
    try {
      const response = await fetch(url, { credentials: "same-origin" });
      if (cacheable(response)) { await cache.put(url, response); count += 1; }
    } catch (e) { /* offline again: keep what we have */ }
  }
  return { ok: true, count };
}

async function page(request, event) {
  const cache = await caches.open(PAGES_CACHE);
  // A logout pressed without signal ends the server's session before any page is fetched.
  try { await Outbox.finishLogout(); } catch (e) { /* still no signal */ }
  let response;
  try {
    response = await fetch(request);
  } catch (e) {
    return (await cache.match(request, { ignoreVary: true })) || (await caches.match(OFFLINE));
  }
  if (cacheable(response)) event.waitUntil(keep(cache, request, response.clone()));
  return response;
}

async function shellFirst(request) {
  return (await caches.match(request, { ignoreSearch: true })) || fetch(request);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  // POSTs and the API always go to the network: the outbox handles failures.
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/api/") || url.pathname === "/login") return;
  if (request.mode === "navigate") { event.respondWith(page(request, event)); return; }
  if (SHELL.includes(url.pathname)) event.respondWith(shellFirst(request));
});

// Web Push: a notice shown while the app is closed (korch_pwa/deliveries/push.py sends it).
self.addEventListener("push", (event) => {
  let data = {};
  try { data = event.data ? event.data.json() : {}; } catch (e) { data = { body: event.data.text() }; }
  event.waitUntil(self.registration.showNotification(data.title || "ศอช.ต.", {
    body: data.body || "", tag: data.tag, lang: "th", icon: "/static/icons/icon-192.png",
    data: { url: data.url || "/" } }));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  // Only ever a page of this app: the path of whatever URL the message carried.
  const sent = new URL((event.notification.data || {}).url || "/", self.location.origin);
  const target = new URL(sent.pathname + sent.search, self.location.origin).href;
  event.waitUntil(self.clients.matchAll({ type: "window" }).then((open) => {
    const same = open.find((c) => c.url === target);
    return same ? same.focus() : self.clients.openWindow(target);
  }));
});
