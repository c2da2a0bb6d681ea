/* The outbox: items waiting to reach the server, sent all together in ONE request.
   An item leaves only when the server answered about it; network errors and 5xx
   keep it (retry with backoff); refusals and conflicts go to a list a person sees.
   Works in pages and in the service worker (Background Sync). */
"use strict";
(function (root) {
  const LOCAL = ["user_id", "created", "draft_key", "draft_stamp", "label", "url"];
  const listeners = [];
  let running = null;
  let retryTimer = null;
  let failures = 0;

  function uuid() {
    if (root.crypto && crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  function changed(detail) { listeners.forEach((fn) => { try { fn(detail || {}); } catch (e) { /* a broken listener must not stop the outbox */ } }); }

  function wire(item) {
    const out = {};
    Object.keys(item).forEach((k) => { if (!LOCAL.includes(k)) out[k] = item[k]; });
    return out;
  }

  function backoff() {
    // 1 s, 2 s, 4 s ... capped at 5 minutes, with a little jitter.
    const delay = Math.min(300000, 1000 * 2 ** failures) * (1 + Math.random() * 0.2);
    failures += 1;
    return delay;
  }

  function scheduleRetry() {
    if (typeof setTimeout !== "function" || root.registration) return; // the worker: the browser retries a failed sync
    clearTimeout(retryTimer);
    retryTimer = setTimeout(() => Outbox.flush(), backoff());
  }

  async function session() {
    const response = await fetch("/api/v1/session", { credentials: "same-origin", cache: "no-store" });
    if (response.status === 401) return { login: true };
    if (!response.ok) throw new Error("server " + response.status);
    return response.json();
  }

  async function settle(item, result) {
    if (result.status === "ok") {
      await IDB.del("outbox", item.client_id);
      if (item.draft_key) {
        const draft = await IDB.get("drafts", item.draft_key);
        // The person may have typed more after queueing: keep that draft.
        if (draft && draft.updated <= item.draft_stamp) await IDB.del("drafts", item.draft_key);
      }
      return;
    }
    // The server could not handle this item just now: keep it for the retry.
    if ((result.status_code || 0) >= 500) return "retry";
    await IDB.put("conflicts", { client_id: item.client_id, item, result, at: Date.now() });
    await IDB.del("outbox", item.client_id);
  }

  async function send() {
    const items = await IDB.all("outbox");
    if (!items.length) { failures = 0; return { sent: 0 }; }
    let who;
    try { who = await session(); } catch (e) { scheduleRetry(); return { retry: true }; }
    if (who.login) { await IDB.put("meta", { key: "auth", login: true }); return { login: true }; }
    await IDB.del("meta", "auth");
    // Only the logged-in person's own items: a shared phone keeps the others'.
    const mine = items.filter((i) => !i.user_id || String(i.user_id) === String(who.user.id));
    if (!mine.length) return { sent: 0 };
    let response;
    try {
      response = await fetch("/api/v1/sync", {
        method: "POST", credentials: "same-origin", cache: "no-store",
        headers: { "Content-Type": "application/json", "X-CSRFToken": who.csrf_token },
        body: JSON.stringify({ items: mine.map(wire) }),
      });
    } catch (e) { scheduleRetry(); return { retry: true }; }
    if (response.status === 401) { await IDB.put("meta", { key: "auth", login: true }); return { login: true }; }
    if (response.status >= 500 || response.status === 400 || response.status === 429) {
      scheduleRetry();
      return { retry: true, status: response.status };
    }
    const body = await response.json();
    const results = body.results || [];
    let retry = false;
    for (let i = 0; i < mine.length; i += 1) {
      const result = results[i];
      if (result && result.client_id === mine[i].client_id) retry = (await settle(mine[i], result)) === "retry" || retry;
    }
    if (retry) { scheduleRetry(); return { retry: true, sent: mine.length, results }; }
    failures = 0;
    return { sent: mine.length, results };
  }

  async function guarded() {
    // One sync at a time across tabs and the worker, so an item is never in two requests at once.
    if (root.navigator && navigator.locks) return navigator.locks.request("korch-outbox", send);
    return send();
  }

  const Outbox = {
    uuid,
    onChange(fn) { listeners.push(fn); },
    async add(item) {
      const full = Object.assign({ client_id: uuid(), created: Date.now() }, item);
      if (full.draft_key) {
        // A newer save of the same form replaces the unsent older one: it holds all its changes.
        const old = (await IDB.all("outbox")).filter((i) => i.draft_key === full.draft_key);
        for (const o of old) await IDB.del("outbox", o.client_id);
      }
      await IDB.put("outbox", full);
      changed({ added: full });
      return full;
    },
    count: () => IDB.count("outbox"),
    items: () => IDB.all("outbox"),
    conflicts: () => IDB.all("conflicts"),
    dropConflict: async (id) => { await IDB.del("conflicts", id); changed({}); },
    needsLogin: async () => Boolean(await IDB.get("meta", "auth")),
    flush() {
      if (!running) {
        running = guarded().then((r) => { running = null; changed(r); return r; },
          (e) => { running = null; scheduleRetry(); changed({ retry: true }); return { retry: true }; });
      }
      return running;
    },
  };
  root.Outbox = Outbox;
})(self);
