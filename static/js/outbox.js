/* The outbox: items waiting to reach the server, sent all together in ONE request.
   An item leaves only when the server answered about it; network errors and 5xx
   keep it (retry with backoff); refusals and conflicts go to a list a person sees.
   Also what the server's answer does to a person's draft, and logging out
   without signal. Works in pages and in the service worker (Background Sync).
   The rules (what is keyed by what, when an item may go) are in README.md here. */
"use strict";
(function (root) {
  const LOCAL = ["user_id", "created", "seq", "attempts", "draft_key", "label", "url"];
  const ALL = ["outbox", "drafts", "conflicts", "meta", "files"];
  const EMPTY = { score: null, note: "" };
  const listeners = [];
  let running = null;
  let again = null;
  let retryTimer = null;
  let failures = 0;
  const channel = typeof BroadcastChannel === "function" ? new BroadcastChannel("korch-local") : null;

  function uuid() {
    if (root.crypto && crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  const same = (a, b) => (a || EMPTY).score === (b || EMPTY).score && (a || EMPTY).note === (b || EMPTY).note;
  const mineOf = (item, userId) => String(item.user_id) === String(userId);
  const isAnswers = (item) => item.type === "assessment.save" || item.type === "assessment.submit";

  function changed(detail) { listeners.forEach((fn) => { try { fn(detail || {}); } catch (e) { /* a broken listener must not stop the outbox */ } }); }

  function tellOthers(message) { if (channel) channel.postMessage(message); }

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

  /* ---- drafts, as the outbox sees them ---- */

  function unsentCodes(draft) {
    return Object.keys(draft.values || {}).filter((c) => !same(draft.values[c], draft.base[c]));
  }

  function ordered(items) {
    return items.sort((a, b) => (a.seq || 0) - (b.seq || 0) || (a.created || 0) - (b.created || 0));
  }

  async function nextSeq(meta) {
    const counter = (await IDB.req(meta.get("seq"))) || { key: "seq", value: 0 };
    counter.value += 1;
    meta.put(counter);
    return counter.value;
  }

  function busyCodes(outbox, conflicts, key) {
    // Indicators the server does not hold as this phone will: queued, or waiting for a choice.
    const busy = new Set();
    outbox.filter((i) => i.draft_key === key).forEach((i) => (i.changes || []).forEach((c) => busy.add(c.indicator)));
    conflicts.filter((e) => e.draft_key === key && e.result.conflicts)
      .forEach((e) => e.result.conflicts.forEach((c) => busy.add(c.indicator)));
    return busy;
  }

  function rebase(draft, state, busy) {
    // The server told us what it holds: that is the draft's base now, and what
    // the form shows wherever the person has nothing unsent.
    if (!state) return false;
    if (state.id) draft.assessment_id = state.id;
    if (state.version !== undefined) draft.server_version = state.version;
    if (state.status) draft.server_status = state.status;
    Object.entries(state.answers || {}).forEach(([code, value]) => {
      if (busy.has(code) || !same(draft.values[code], draft.base[code])) return;
      draft.base[code] = { score: value.score, note: value.note || "" };
      draft.values[code] = { score: value.score, note: value.note || "" };
    });
    return true;
  }

  async function rebaseDraft(s, key, state) {
    const draft = key && await IDB.req(s.drafts.get(key));
    if (!draft) return;
    const busy = busyCodes(await IDB.req(s.outbox.getAll()), await IDB.req(s.conflicts.getAll()), key);
    if (rebase(draft, state, busy)) s.drafts.put(draft);
  }

  function mergeChanges(older, newer) {
    // Per indicator: what the server held before the older item, and the newest value.
    const byCode = new Map(older.map((c) => [c.indicator, Object.assign({}, c)]));
    newer.forEach((c) => {
      const had = byCode.get(c.indicator);
      byCode.set(c.indicator, had ? { indicator: c.indicator, base: had.base, mine: c.mine } : Object.assign({}, c));
    });
    return [...byCode.values()].filter((c) => !same(c.mine, c.base));
  }

  async function unsentItemOf(s, draftKey, userId) {
    // The person's one item of a form that was never sent: the only one new changes may join.
    return (await IDB.req(s.outbox.getAll())).find((i) => draftKey && i.draft_key === draftKey &&
      mineOf(i, userId) && isAnswers(i) && !i.attempts);
  }

  async function put(s, item) {
    // Never replace a queued item by one that lacks its changes: merge into the
    // person's one unsent item of the same form, or queue after it.
    if (item.draft_key && isAnswers(item)) {
      const pending = await unsentItemOf(s, item.draft_key, item.user_id);
      if (pending) {
        pending.changes = mergeChanges(pending.changes, item.changes);
        if (item.type === "assessment.submit") pending.type = item.type;
        s.outbox.put(pending);
        return pending;
      }
    }
    const full = Object.assign({ client_id: uuid(), created: Date.now(), attempts: 0 }, item);
    full.seq = await nextSeq(s.meta);
    s.outbox.put(full);
    return full;
  }

  function itemFromDraft(draft, type) {
    const changes = unsentCodes(draft).map((c) => ({ indicator: c, mine: draft.values[c], base: draft.base[c] || EMPTY }));
    return { type, round_id: draft.round_id, subdistrict_code: draft.subdistrict_code,
      assessment_id: draft.assessment_id, version: draft.server_version || 0, changes,
      draft_key: draft.key, user_id: draft.user_id, label: draft.label, url: draft.url };
  }

  async function queueDraft(s, key, wantSubmit) {
    // The draft's unsent answers become an outbox item, and its base moves to
    // them, in the same transaction: either both happen or neither.
    const draft = await IDB.req(s.drafts.get(key));
    const waiting = (await IDB.req(s.outbox.getAll())).some((i) => i.draft_key === key);
    if (!draft) return { item: null, missing: [], waiting };
    const missing = Object.keys(draft.base).filter((c) => (draft.values[c] || EMPTY).score === null).sort(byCode);
    const type = wantSubmit && !missing.length ? "assessment.submit" : "assessment.save";
    const item = itemFromDraft(draft, type);
    if (!item.changes.length && type === "assessment.save") return { item: null, missing, waiting };
    item.changes.forEach((c) => { draft.base[c.indicator] = c.mine; });
    s.drafts.put(draft);
    return { item: await put(s, item), missing, waiting: true };
  }

  function byCode(a, b) {
    const pa = a.split(".").map(Number); const pb = b.split(".").map(Number);
    return pa[0] - pb[0] || pa[1] - pb[1];
  }

  /* ---- sending ---- */

  async function session() {
    const response = await fetch("/api/v1/session", { credentials: "same-origin", cache: "no-store" });
    if (response.status === 401) return { login: true };
    if (!response.ok) throw new Error("server " + response.status);
    return response.json();
  }

  async function finishLogout() {
    // A logout pressed without signal ends the server's session when one returns.
    const pending = await IDB.get("meta", "logout");
    if (!pending) return false;
    const who = await session();
    if (!who.login) {
      const body = new FormData();
      body.set("csrf_token", who.csrf_token);
      const response = await fetch("/logout", { method: "POST", body, credentials: "same-origin",
        headers: { "X-CSRFToken": who.csrf_token }, redirect: "manual" });
      if (response.status >= 400) throw new Error("logout " + response.status);
    }
    await IDB.del("meta", "logout");
    return true;
  }

  async function settle(item, result) {
    const code = result.status_code || 0;
    if (result.status !== "ok" && code >= 500) return "retry"; // keep it for the retry
    await IDB.tx(ALL, "readwrite", async (s) => {
      s.outbox.delete(item.client_id);
      if (result.status !== "ok") {
        s.conflicts.put({ client_id: item.client_id, user_id: item.user_id, draft_key: item.draft_key,
          item, result, at: Date.now() });
      }
      await rebaseDraft(s, item.draft_key, result.assessment);
    });
    return item.url;
  }

  async function send() {
    try { await finishLogout(); } catch (e) { scheduleRetry(); return { retry: true }; }
    const all = await IDB.all("outbox");
    if (!all.length) { failures = 0; return { sent: 0 }; }
    let who;
    try { who = await session(); } catch (e) { scheduleRetry(); return { retry: true }; }
    if (who.login) { await IDB.put("meta", { key: "auth", login: true }); return { login: true }; }
    await IDB.del("meta", "auth");
    // Only the logged-in person's own items, oldest first: a shared phone keeps the others'.
    const ids = ordered(all).filter((i) => mineOf(i, who.user.id)).map((i) => i.client_id);
    if (!ids.length) return { sent: 0 };
    // Marked before the request: from now on nothing is merged into these,
    // since the server may store them even if its answer never arrives.
    const mine = await IDB.tx(["outbox"], "readwrite", async (s) => {
      const out = [];
      for (const id of ids) {
        const item = await IDB.req(s.outbox.get(id));
        if (!item) continue;
        item.attempts = (item.attempts || 0) + 1;
        s.outbox.put(item);
        out.push(item);
      }
      return out;
    });
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
    const urls = new Set();
    for (let i = 0; i < mine.length; i += 1) {
      const result = results[i];
      if (!result || result.client_id !== mine[i].client_id) continue;
      const outcome = await settle(mine[i], result);
      if (outcome === "retry") retry = true; else if (outcome) urls.add(outcome);
    }
    tellOthers({ type: "drafts" });
    // keys[i]: the form results[i] is about, so that a page can show the server's state of it.
    const done = { sent: mine.length, results, keys: mine.map((i) => i.draft_key || null), urls: [...urls] };
    if (retry) { scheduleRetry(); return Object.assign(done, { retry: true }); }
    failures = 0;
    return done;
  }

  async function guarded() {
    // One sync at a time across tabs and the worker, so an item is never in two requests at once.
    if (root.navigator && navigator.locks) return navigator.locks.request("korch-outbox", send);
    return send();
  }

  async function pending(userId) {
    // What the badge shows: this person's forms and decisions that exist only on
    // this phone (queued, or typed and not yet queued), and their open choices.
    if (!userId) return { unsent: 0, conflicts: 0, login: false };
    return IDB.tx(ALL, "readonly", async (s) => {
      const items = (await IDB.req(s.outbox.getAll())).filter((i) => mineOf(i, userId));
      const drafts = (await IDB.req(s.drafts.getAll())).filter((d) => mineOf(d, userId) && unsentCodes(d).length);
      const conflicts = (await IDB.req(s.conflicts.getAll())).filter((e) => mineOf(e, userId));
      const forms = new Set(drafts.map((d) => d.key));
      let decisions = 0;
      items.forEach((i) => { if (i.draft_key) forms.add(i.draft_key); else decisions += 1; });
      // Evidence files the server does not hold yet count one by one: each is work only this phone has.
      // Counted by key (file:<user>:...), without reading the photos themselves.
      const files = await IDB.req(s.files.count(IDB.userFiles(userId)));
      const auth = await IDB.req(s.meta.get("auth"));
      return { unsent: forms.size + decisions + files, files, conflicts: conflicts.length,
        login: Boolean(auth && (items.length || files)) };
    });
  }

  async function resolve(entry, picks) {
    // The person chose per indicator. "Mine" is sent again with the other
    // person's value as its base; "theirs" is what the server holds already.
    // Work queued meanwhile for the same form is kept, and learns that base.
    await IDB.tx(ALL, "readwrite", async (s) => {
      const { item, result } = entry;
      const queued = await unsentItemOf(s, item.draft_key, item.user_id);
      const draft = item.draft_key && await IDB.req(s.drafts.get(item.draft_key));
      const changes = [];
      result.conflicts.forEach((c) => {
        const theirs = { score: c.theirs.score, note: c.theirs.note || "" };
        const later = queued && queued.changes.find((q) => q.indicator === c.indicator);
        if (later) later.base = theirs;
        else if (picks[c.indicator] === "mine") changes.push({ indicator: c.indicator, mine: c.mine, base: theirs });
        else if (draft) {
          if (same(draft.values[c.indicator], c.mine)) draft.values[c.indicator] = theirs;
          draft.base[c.indicator] = theirs;
        }
      });
      if (draft) s.drafts.put(draft);
      const state = result.assessment || {};
      const again = Object.assign({}, item, { changes, assessment_id: state.id || item.assessment_id,
        version: state.version || item.version });
      delete again.client_id; delete again.seq; delete again.attempts;
      if (queued) {
        queued.changes = mergeChanges(queued.changes, changes);
        if (item.type === "assessment.submit") queued.type = item.type;
        s.outbox.put(queued);
      } else if (changes.length || item.type === "assessment.submit") {
        await put(s, again);
      }
      s.conflicts.delete(entry.client_id);
    });
    tellOthers({ type: "drafts" });
    changed({});
  }

  const Outbox = {
    uuid,
    same,
    unsentCodes,
    busyCodes,
    EMPTY,
    onChange(fn) { listeners.push(fn); },
    async add(item, also) {
      // ``also(stores)`` writes more in the same transaction (an evidence file with its item).
      const full = await IDB.tx(ALL, "readwrite", async (s) => { if (also) await also(s); return put(s, item); });
      changed({ added: full });
      return full;
    },
    async queueDraft(key, wantSubmit) {
      const out = await IDB.tx(ALL, "readwrite", (s) => queueDraft(s, key, wantSubmit));
      tellOthers({ type: "drafts", key });
      changed({ added: out.item });
      return out;
    },
    async queueAllDrafts(userId) {
      // "Send now" on the badge: what was typed and never queued goes too (as a draft save).
      const keys = (await IDB.all("drafts")).filter((d) => mineOf(d, userId) && unsentCodes(d).length).map((d) => d.key);
      for (const key of keys) await Outbox.queueDraft(key, false);
    },
    pending,
    session,
    ALL,
    items: () => IDB.all("outbox"),
    conflicts: async (userId) => (userId ? (await IDB.all("conflicts")).filter((e) => mineOf(e, userId)) : []),
    resolve,
    dropConflict: async (id) => { await IDB.del("conflicts", id); changed({}); },
    needsLogin: async () => Boolean(await IDB.get("meta", "auth")),
    async logoutLater(userId) { await IDB.put("meta", { key: "logout", user_id: userId, at: Date.now() }); },
    finishLogout,
    channel,
    flush() {
      // Asked while a flush runs: it may have read the outbox before the newest
      // item was added, so run once more after it.
      if (running) {
        if (!again) again = running.then(() => { again = null; return Outbox.flush(); });
        return again;
      }
      {
        running = guarded().then((r) => { running = null; changed(r); return r; },
          (e) => { running = null; scheduleRetry(); changed({ retry: true }); return { retry: true }; });
      }
      return running;
    },
  };
  root.Outbox = Outbox;
})(self);
