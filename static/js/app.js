/* The page side of the offline app: service worker and update prompt, unsynced count,
   storage persistence, login prompt, conflicts list, and forms that queue offline. */
"use strict";
(function () {
  const T = JSON.parse(document.getElementById("js-text").textContent);
  const meta = (name) => (document.querySelector(`meta[name="${name}"]`) || {}).content || "";
  const userId = meta("user-id");
  const $ = (id) => document.getElementById(id);

  function say(key, extra) {
    const box = $("local-status");
    if (box) { box.textContent = T[key] + (extra ? " " + extra : ""); box.hidden = false; }
  }

  /* ---- the unsynced count, the login prompt and the conflicts list ---- */
  async function refresh() {
    const n = await Outbox.count();
    const badge = $("outbox-count");
    badge.textContent = n ? `${T.unsynced} ${n}` : T.all_synced;
    badge.dataset.count = String(n);
    badge.classList.toggle("pending", n > 0);
    $("login-prompt").hidden = !(n && await Outbox.needsLogin());
    renderConflicts(await Outbox.conflicts());
  }

  function score(v) { return v && v.score !== null && v.score !== undefined ? String(v.score) : "-"; }

  function el(tag, attrs, ...kids) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => { if (k === "text") node.textContent = v; else node.setAttribute(k, v); });
    kids.forEach((k) => k && node.append(k));
    return node;
  }

  function renderConflicts(entries) {
    const box = $("conflicts");
    box.replaceChildren();
    box.hidden = !entries.length;
    if (!entries.length) return;
    box.append(el("h2", { text: T.conflicts_title }));
    entries.forEach((entry) => box.append(conflictCard(entry)));
  }

  function conflictCard(entry) {
    const { item, result } = entry;
    const card = el("form", { class: "card conflict-card", "data-client-id": entry.client_id });
    card.append(el("p", { class: "muted", text: item.label || "" }));
    if (result.status === "conflict") {
      card.append(el("p", { text: result.message || T.conflict }));
      result.conflicts.forEach((c) => {
        const name = `pick-${c.indicator}`;
        const row = el("fieldset", { class: "indicator conflict", "data-indicator": c.indicator },
          el("legend", { text: `${T.indicator} ${c.indicator}` }));
        row.append(el("label", { class: "choice" }, el("input", { type: "radio", name, value: "mine", checked: "" }),
          el("span", { class: "text", text: `${T.mine}: ${score(c.mine)} ${c.mine.note || ""}` })));
        row.append(el("label", { class: "choice" }, el("input", { type: "radio", name, value: "theirs" }),
          el("span", { class: "text", text: `${T.theirs}: ${score(c.theirs)} ${c.theirs.note || ""}` })));
        card.append(row);
      });
      card.append(el("button", { class: "primary wide", type: "submit", text: T.use_choice }));
      card.addEventListener("submit", (e) => { e.preventDefault(); resolve(entry, card); });
    } else {
      card.append(el("p", { class: "error", role: "alert", text: (result.error && result.error.message) || T.refused }));
      if (item.type === "assessment.decide") card.append(el("p", {}, el("a", { href: `/review/${item.assessment_id}`, text: T.open_latest })));
      card.append(el("button", { class: "secondary", type: "submit", text: T.dismiss }));
      card.addEventListener("submit", (e) => { e.preventDefault(); Outbox.dropConflict(entry.client_id); });
    }
    return card;
  }

  async function resolve(entry, card) {
    const { item, result } = entry;
    // "Mine" is sent again with the other person's value as its base, so it applies;
    // "theirs" needs nothing sent: the server already holds it.
    const changes = result.conflicts.filter((c) => card.querySelector(`input[name="pick-${CSS.escape(c.indicator)}"]:checked`).value === "mine")
      .map((c) => ({ indicator: c.indicator, mine: c.mine, base: c.theirs }));
    if (changes.length || item.type === "assessment.submit") {
      await Outbox.add(Object.assign({}, item, { client_id: Outbox.uuid(), changes,
        assessment_id: result.assessment ? result.assessment.id : item.assessment_id,
        version: result.assessment ? result.assessment.version : item.version, created: Date.now() }));
    }
    await Outbox.dropConflict(entry.client_id);
    sync();
  }

  /* ---- when to send ---- */
  function sync() {
    if (!navigator.onLine) return Promise.resolve();
    return Outbox.flush();
  }

  async function askBackgroundSync() {
    try {
      const reg = await navigator.serviceWorker.ready;
      if (reg.sync) await reg.sync.register("outbox");
    } catch (e) { /* not every browser has Background Sync: load, online and the button remain */ }
  }

  Outbox.onChange((detail) => {
    refresh();
    // Say so when what this page queued has reached the server.
    const done = (detail.results || []).some((r) => r.status === "ok");
    if (done) say("synced");
  });
  window.addEventListener("online", sync);
  $("outbox-count").addEventListener("click", () => { sync(); });

  /* ---- forms that queue when there is no signal ---- */
  async function freshToken() {
    const response = await fetch("/api/v1/session", { credentials: "same-origin", cache: "no-store" });
    if (response.status === 401) return null;
    if (!response.ok) throw new Error("server");
    return (await response.json()).csrf_token;
  }

  async function queue(item) {
    await Outbox.add(item);
    say("queued");
    askBackgroundSync();
    if (navigator.onLine) sync();
  }

  function offlineSubmit(form, buildItem, prepare) {
    form.addEventListener("submit", async (event) => {
      const action = event.submitter && event.submitter.value;
      event.preventDefault();
      const item = await buildItem(action);
      if (!item) return;
      if (!navigator.onLine) { await queue(item); return; }
      try {
        const token = await freshToken();
        if (token === null) { await queue(item); await Outbox.flush(); return; }
        const data = new FormData(form);
        if (action) data.set("action", action);
        data.set("csrf_token", token);
        if (prepare) prepare(data);
        // Not form.action: the buttons named "action" shadow that property.
        const response = await fetch(form.getAttribute("action") || location.href, { method: "POST", body: data, credentials: "same-origin" });
        if (response.status >= 500) throw new Error("server");
        if (response.redirected && response.ok) {
          if (prepare && prepare.done) await prepare.done();
          // The page after the redirect already holds the one-time message: show it, not a new GET.
          history.replaceState(null, "", response.url);
        }
        // Otherwise the server answered with the page and its message (conflict, incomplete...).
        const html = await response.text();
        document.open(); document.write(html); document.close();
      } catch (e) {
        await queue(item);
      }
    });
  }

  const assessmentForm = $("assessment-form");
  if (assessmentForm && window.Drafts && assessmentForm.querySelector('button[name="action"]')) {
    const draft = Drafts.attach(assessmentForm, say);
    draft.restore();
    const prepare = (data) => draft.baseFields(data);
    prepare.done = () => draft.forget();
    offlineSubmit(assessmentForm, async (action) => { await draft.save(); return draft.item(action || "save", userId); }, prepare);
  }

  const decisionForm = $("decision-form");
  if (decisionForm) {
    offlineSubmit(decisionForm, async () => {
      const decision = decisionForm.querySelector('input[name="decision"]:checked');
      if (!decision) { say("choose_decision"); return null; }
      const comments = {};
      decisionForm.querySelectorAll('textarea[name^="comment-"]').forEach((t) => {
        if (t.value.trim()) comments[t.name.slice("comment-".length)] = t.value.trim();
      });
      return { type: "assessment.decide", assessment_id: decisionForm.dataset.assessment,
        decision: decision.value, seen_version: Number(decisionForm.elements.version.value),
        comment: decisionForm.elements.comment.value.trim(), comments, user_id: userId,
        label: document.title, url: location.pathname };
    });
  }

  /* ---- logout forgets the cached pages: the next person must not see them ---- */
  const logout = $("logout-form");
  if (logout) {
    logout.addEventListener("submit", async (event) => {
      event.preventDefault();
      localStorage.removeItem("korch-warmed");
      try { await Promise.all((await caches.keys()).filter((n) => n.startsWith("korch-pages-")).map((n) => caches.delete(n))); } catch (e) { /* no caches: nothing to forget */ }
      logout.submit();
    });
  }

  /* ---- service worker, update prompt, pages kept for offline use ---- */
  function ask(worker, message) {
    return new Promise((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = (e) => resolve(e.data);
      worker.postMessage(message, [channel.port2]);
    });
  }

  const WARM_EVERY = 30 * 60 * 1000;

  async function warm(reg) {
    const [who, when] = (localStorage.getItem("korch-warmed") || ":0").split(":");
    // Pages opened under the worker are cached as they are shown; warming the
    // others again on every page view would cost a phone's data for nothing.
    if (!userId || !navigator.onLine || (who === userId && Date.now() - Number(when) < WARM_EVERY)) {
      document.documentElement.dataset.offlineReady = "1";
      return;
    }
    const urls = [location.pathname];
    try {
      const response = await fetch("/api/v1/me", { credentials: "same-origin", cache: "no-store" });
      if (response.ok) urls.push(...(await response.json()).urls);
    } catch (e) { /* offline: this page is cached by the worker as it is shown */ }
    const done = await ask(reg.active, { type: "warm", urls: [...new Set(urls)] });
    if (done && done.ok) localStorage.setItem("korch-warmed", `${userId}:${Date.now()}`);
    document.documentElement.dataset.offlineReady = "1";
  }

  function offerUpdate(worker) {
    const bar = $("update-banner");
    bar.hidden = false;
    bar.querySelector("button").onclick = () => worker.postMessage({ type: "skipWaiting" });
  }

  if ("serviceWorker" in navigator) {
    let reloading = false;
    navigator.serviceWorker.addEventListener("controllerchange", () => {
      if (reloading || !$("update-banner").dataset.asked) return;
      reloading = true;
      location.reload();
    });
    $("update-banner").addEventListener("click", () => { $("update-banner").dataset.asked = "1"; });
    navigator.serviceWorker.addEventListener("message", (e) => { if (e.data && e.data.type === "outbox") refresh(); });
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).then((reg) => {
      if (reg.waiting && navigator.serviceWorker.controller) offerUpdate(reg.waiting);
      reg.addEventListener("updatefound", () => {
        const fresh = reg.installing;
        fresh.addEventListener("statechange", () => {
          if (fresh.state === "installed" && navigator.serviceWorker.controller) offerUpdate(fresh);
        });
      });
      return navigator.serviceWorker.ready.then(warm);
    }).catch(() => { document.documentElement.dataset.offlineReady = "0"; });
  }

  /* ---- ask the browser not to evict our data, and say what it answered ---- */
  if (navigator.storage && navigator.storage.persist) {
    navigator.storage.persist().then((granted) => {
      const box = $("storage-status");
      box.textContent = granted ? T.persist_yes : T.persist_no;
      box.dataset.persisted = granted ? "1" : "0";
    });
  }

  refresh();
  if (userId) sync();
})();
