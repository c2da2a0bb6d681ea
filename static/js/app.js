/* The page side of the offline app: service worker and update prompt, unsynced count,
   storage persistence, login prompt, conflicts list, and forms that queue offline. */
"use strict";
(function () {
  const T = JSON.parse(document.getElementById("js-text").textContent);
  const meta = (name) => (document.querySelector(`meta[name="${name}"]`) || {}).content || "";
  const userId = meta("user-id");
  const $ = (id) => document.getElementById(id);

  let unsaved = false; // a local write failed and nothing stored since: the badge must not say "all sent"

  function say(key, extra) {
    const box = $("local-status");
    if (key === "not_saved" || key === "not_queued") {
      unsaved = true;
      const alert = $("storage-alert");
      alert.querySelector("[data-text]").textContent = T[key] + " " + (navigator.onLine ? T.full_online : T.full_offline);
      alert.hidden = false;
      refresh();
    } else if (key === "saved_local") {
      if (unsaved) { unsaved = false; $("storage-alert").hidden = true; }
      refresh();
    }
    if (box) {
      box.textContent = T[key] + (extra ? " " + extra : "");
      box.hidden = false;
      box.classList.toggle("error", ["not_saved", "not_queued", "choose_decision", "needs_signal"].includes(key));
    }
  }

  /* ---- the unsynced count, the login prompt and the conflicts list ---- */
  async function refresh() {
    const badge = $("outbox-count");
    if (!userId) {
      // Nobody logged in: nothing of anyone's shows (their items stay for them).
      badge.hidden = true;
      $("login-prompt").hidden = true;
      $("conflicts").hidden = true;
      return;
    }
    let state;
    try { state = await Outbox.pending(userId); } catch (e) { state = { unsent: 0, conflicts: 0, login: false, broken: true }; }
    const n = state.unsent;
    badge.hidden = false;
    badge.dataset.count = String(n);
    badge.dataset.conflicts = String(state.conflicts);
    badge.dataset.state = unsaved ? "unsaved" : state.conflicts ? "choose" : n ? "pending" : "synced";
    badge.textContent = unsaved ? T.not_saved_short
      : state.conflicts ? `${T.choose} ${state.conflicts}${n ? ` · ${T.unsynced} ${n}` : ""}`
        : n ? `${T.unsynced} ${n}` : T.all_synced;
    badge.classList.toggle("pending", n > 0 || state.conflicts > 0 || unsaved);
    $("login-prompt").hidden = !state.login;
    try { renderConflicts(await Outbox.conflicts(userId)); } catch (e) { /* storage unreadable: nothing to show */ }
  }

  function score(v) { return v && v.score !== null && v.score !== undefined ? String(v.score) : "-"; }

  function rubric(code, v) {
    // The level's words from this page's form, where it shows the indicator: "2" alone means little.
    if (!v || v.score === null || v.score === undefined) return "";
    const input = document.querySelector(`#assessment-form input[name="score-${CSS.escape(code)}"][value="${Number(v.score)}"]`);
    const text = input && input.parentElement.querySelector(".text");
    return text ? text.textContent.trim() : "";
  }

  function choiceText(who, code, v) {
    return [`${who}: ${score(v)}`, rubric(code, v), v && v.note ? `(${v.note})` : ""].filter(Boolean).join(" ");
  }

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
    markConflictsHere(entries);
    if (!entries.length) return;
    box.append(el("h2", { text: T.conflicts_title }));
    entries.forEach((entry) => box.append(conflictCard(entry)));
  }

  function markConflictsHere(entries) {
    // Said at the indicator too, where the person is looking, with the way to the choice.
    const form = $("assessment-form");
    if (!form) return;
    form.querySelectorAll(".conflict-here").forEach((n) => n.remove());
    entries.forEach((entry) => (entry.result.conflicts || []).forEach((c) => {
      if (draft && entry.item.draft_key !== draft.key) return;
      const field = document.getElementById(`ind-${c.indicator}`);
      if (!field) return;
      field.querySelector("legend").after(el("p", { class: "conflict-here conflict-note", role: "alert" },
        el("span", { text: `${T.conflict} ` }), el("a", { href: "#conflicts", text: T.choose_here })));
    }));
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
          el("span", { class: "text", text: choiceText(T.mine, c.indicator, c.mine) })));
        row.append(el("label", { class: "choice" }, el("input", { type: "radio", name, value: "theirs" }),
          el("span", { class: "text", text: choiceText(T.theirs, c.indicator, c.theirs) })));
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
    const picks = {};
    entry.result.conflicts.forEach((c) => {
      picks[c.indicator] = card.querySelector(`input[name="pick-${CSS.escape(c.indicator)}"]:checked`).value;
    });
    try {
      await Outbox.resolve(entry, picks);
    } catch (e) {
      say("not_queued");
      return;
    }
    if (draft) draft.pull();
    sync();
  }

  /* ---- when to send ---- */
  function sync() {
    if (!navigator.onLine || !userId) return Promise.resolve({});
    // The answers first (an officer reads them), then the files they refer to.
    return Outbox.flush().then((r) => { sendFiles(); return r; });
  }

  /* ---- evidence: its code loads only when someone attaches, or files wait to be sent ---- */
  let evidenceCode = null;
  function evidence() {
    if (!evidenceCode) {
      evidenceCode = new Promise((resolve, reject) => {
        const script = el("script", { src: "/static/js/evidence.js" });
        script.onload = () => resolve(window.Evidence);
        script.onerror = () => { evidenceCode = null; reject(new Error("evidence.js")); };
        document.head.append(script);
      });
    }
    return evidenceCode;
  }

  const filesWaiting = () => IDB.count("files", IDB.userFiles(userId)).catch(() => 0);
  let uploading = null;
  async function sendFiles() {
    if (!userId || !navigator.onLine || uploading || !(await filesWaiting())) return;
    uploading = evidence().then((E) => E.upload(userId, T.evidence_chunk, E.showProgress))
      .catch(() => ({ retry: true }))
      .then((r) => {
        uploading = null;
        if (window.Evidence) Evidence.showProgress(null);
        refresh();
        showEvidence();
        if (r.login) say("login_to_send");
        else if (r.retry) {
          // No signal or a server error: the browser tries again even if the app is closed.
          askBackgroundSync();
          setTimeout(sendFiles, 30000);
        }
      });
  }

  async function showEvidence() {
    // This form's files queued on this phone, shown under their indicators.
    if (!assessmentForm || !assessmentForm.querySelector(".attach")) return;
    const key = IDB.draftKey(userId, assessmentForm.dataset.round, assessmentForm.dataset.subdistrict);
    const here = (await Outbox.items().catch(() => [])).some((i) => i.draft_key === key && i.type.startsWith("evidence."));
    if (here || window.Evidence) (await evidence()).render(assessmentForm, userId);
  }

  async function askBackgroundSync() {
    try {
      const reg = await navigator.serviceWorker.ready;
      if (reg.sync) await reg.sync.register("outbox");
    } catch (e) { /* not every browser has Background Sync: load, online and the button remain */ }
  }

  async function keepFresh(urls) {
    // The offline copy of a page must show what the server now holds.
    if (!urls.length || !navigator.serviceWorker || !navigator.serviceWorker.controller) return;
    try { await ask(navigator.serviceWorker.controller, { type: "warm", urls }); } catch (e) { /* next visit refreshes it */ }
  }

  Outbox.onChange(outboxNews);
  function outboxNews(detail) {
    refresh();
    if (detail.login) say("login_to_send");
    // Say so when what this page queued has reached the server.
    const done = (detail.results || []).some((r) => r.status === "ok");
    if (done) say("synced");
    if (detail.results && draft) { draft.pull(); showServerState(detail); }
    if (detail.results) showEvidence();
    if (detail.urls) keepFresh(detail.urls);
  }

  function showServerState(detail) {
    // The server's answer about this page's form: its status chip follows it, without a reload.
    (detail.results || []).forEach((result, i) => {
      const state = result.assessment;
      if (!state || !detail.keys || detail.keys[i] !== draft.key) return;
      const chip = document.querySelector("#form-status .badge");
      if (chip && T.statuses[state.status]) {
        chip.className = `badge badge-${state.status}`;
        chip.textContent = T.statuses[state.status];
      }
      if (state.id) assessmentForm.dataset.assessment = state.id;
    });
  }
  // Another tab typed or queued: the count here must say so too.
  if (Outbox.channel) Outbox.channel.addEventListener("message", () => refresh());
  window.addEventListener("online", () => {
    if (userId) Outbox.finishLogout().catch(() => null);
    sync();
  });
  $("outbox-count").addEventListener("click", async () => {
    if ($("outbox-count").dataset.state === "choose") $("conflicts").scrollIntoView();
    try { await Outbox.queueAllDrafts(userId); } catch (e) { say("not_queued"); }
    sync();
  });

  /* ---- forms that queue when there is no signal ---- */
  async function afterQueue(how) {
    // Tell the person where the work is: on its way, waiting for a login, or for a signal.
    if (await Outbox.needsLogin().catch(() => false)) { say("login_to_send"); sync(); return; }
    // The browser sends it later even if this page is closed first (Background Sync).
    if (!navigator.onLine) { askBackgroundSync(); if (how) say(how); return; }
    const result = await sync();
    // Reaching the server is said by the outbox's listener ("synced").
    if (result.login) say("login_to_send");
    else if (result.retry) { askBackgroundSync(); say("queued_retry"); }
  }

  async function post(form, action, prepare) {
    // Returns true when the server answered with a page (shown); false to queue instead.
    const who = await Outbox.session();
    if (who.login) return false;
    const data = new FormData(form);
    if (action) data.set("action", action);
    data.set("csrf_token", who.csrf_token);
    if (prepare) await prepare(data);
    // Not form.action: the buttons named "action" shadow that property.
    const response = await fetch(form.getAttribute("action") || location.href, { method: "POST", body: data, credentials: "same-origin" });
    if (response.status >= 500) throw new Error("server");
    if (response.redirected && response.ok) {
      if (prepare && prepare.done) await prepare.done(data).catch(() => null);
      await keepFresh([new URL(response.url).pathname]);
      // The page after the redirect already holds the one-time message: show it, not a new GET.
      history.replaceState(null, "", response.url);
    }
    // Otherwise the server answered with the page and its message (conflict, incomplete...).
    const html = await response.text();
    document.open(); document.write(html); document.close();
    return true;
  }

  let draft = null;
  const assessmentForm = $("assessment-form");
  if (userId && assessmentForm && window.Drafts && assessmentForm.querySelector('button[name="action"]')) {
    draft = Drafts.attach(assessmentForm, userId, say);
    draft.restore().catch(() => say("not_saved"));
    const prepare = (data) => draft.baseFields(data);
    prepare.done = (data) => draft.posted(data);
    assessmentForm.addEventListener("submit", async (event) => {
      const action = (event.submitter && event.submitter.value) || "save";
      event.preventDefault();
      const stored = await draft.save();
      // Work already waiting goes first, in order: then this goes the same way.
      const waiting = stored && (await Outbox.items().catch(() => [])).some((i) => String(i.user_id) === userId);
      if (navigator.onLine && !waiting) {
        try { if (await post(assessmentForm, action, prepare)) return; } catch (e) { /* no answer: queue it */ }
      }
      if (!stored) { say("not_saved"); return; }
      let out;
      try { out = await draft.queue(action === "submit"); } catch (e) { say("not_queued"); return; }
      refresh();
      if (action === "submit" && out.missing.length) {
        say("incomplete_kept", out.missing.join(", "));
        if (out.item) afterQueue(null);
        return;
      }
      // Nothing new to queue may still mean this form waits (another tab queued it).
      afterQueue(out.waiting ? "queued" : "saved_local");
    });

    // After a pause in typing the draft goes to the outbox by itself: a phone put
    // away before anyone taps "บันทึกร่าง" still sends its answers. A submit stays a tap.
    const pause = Number(assessmentForm.dataset.autoqueueMs || 0);
    let pauseTimer = null;
    const autoQueue = async () => {
      let out;
      try { out = await draft.queue(false); } catch (e) { say("not_queued"); return; }
      if (!out.item) return;
      refresh();
      afterQueue("queued");
    };
    if (pause > 0) {
      const later = () => { clearTimeout(pauseTimer); pauseTimer = setTimeout(autoQueue, pause); };
      assessmentForm.addEventListener("input", later);
      assessmentForm.addEventListener("change", later);
      // A tap on a button decides for itself: no queueing behind its back.
      assessmentForm.addEventListener("submit", () => clearTimeout(pauseTimer), true);
    }
  }

  if (userId && assessmentForm && assessmentForm.querySelector("input[data-attach]")) {
    assessmentForm.addEventListener("change", async (event) => {
      const input = event.target;
      if (input.matches("input[data-attach]")) {
        const files = [...input.files];
        input.value = ""; // the same photo may be chosen again; and never posted with the form
        if (!files.length) return;
        try { await (await evidence()).add(assessmentForm, input.dataset.attach, files, userId); } catch (e) { say("not_queued"); return; }
        refresh();
        afterQueue("queued");
      } else if (input.matches("input.caption")) {
        (await evidence()).caption(input);
      }
    });
    assessmentForm.addEventListener("click", async (event) => {
      const button = event.target.closest && event.target.closest(".evidence-remove");
      if (!button) return;
      try { await (await evidence()).remove(assessmentForm, userId, button); } catch (e) { say("not_queued"); return; }
      refresh();
      afterQueue("queued");
    });
    showEvidence();
  }

  const decisionForm = $("decision-form");
  if (decisionForm) {
    decisionForm.addEventListener("submit", async (event) => {
      event.preventDefault();
      // Approve/return are radios; reopening an approved assessment is a hidden field.
      const decision = decisionForm.querySelector('input[name="decision"]:checked, input[type="hidden"][name="decision"]');
      if (!decision) {
        say("choose_decision");
        const first = decisionForm.querySelector('input[name="decision"]');
        if (first) first.focus();
        return;
      }
      say("sending");
      if (navigator.onLine) {
        try { if (await post(decisionForm, event.submitter && event.submitter.value)) return; } catch (e) { /* queue it */ }
      }
      // The outbox carries approvals and returns; a reopen needs the server there and then.
      if (decision.value === "reopen") { say("needs_signal"); return; }
      const comments = {};
      decisionForm.querySelectorAll('textarea[name^="comment-"]').forEach((t) => {
        if (t.value.trim()) comments[t.name.slice("comment-".length)] = t.value.trim();
      });
      const wanted = [...decisionForm.querySelectorAll('input[name^="evidence-"]:checked')]
        .map((box) => box.name.slice("evidence-".length));
      try {
        await Outbox.add({ type: "assessment.decide", assessment_id: decisionForm.dataset.assessment,
          decision: decision.value, seen_version: Number(decisionForm.elements.version.value),
          comment: decisionForm.elements.comment.value.trim(), comments, evidence_wanted: wanted, user_id: userId,
          label: document.title, url: location.pathname });
      } catch (e) { say("not_queued"); return; }
      afterQueue("queued");
    });
  }
  if ($("storage-alert")) {
    $("storage-alert").querySelector("button").addEventListener("click", () => {
      if (draft) draft.save(); else refresh();
    });
  }

  /* ---- small page behaviours, here because the CSP forbids inline handlers ---- */
  document.querySelectorAll("select[data-autosubmit]").forEach((select) => {
    select.addEventListener("change", () => select.form.submit());
  });
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => { if (!confirm(form.dataset.confirm)) event.preventDefault(); });
  });

  // A file made from the saved text must not be taken for one with what was just typed.
  const guarded = document.querySelector("form[data-unsaved-guard]");
  if (guarded) {
    const snapshot = () => JSON.stringify([...new FormData(guarded)].filter(([k]) => k !== "csrf_token"));
    const saved = snapshot();
    // Capturing on the document runs before the link's own handlers (the share sheet).
    document.addEventListener("click", (event) => {
      const link = event.target.closest && event.target.closest("a[data-saved-copy]");
      if (!link || snapshot() === saved) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      const status = $("files-status");
      status.hidden = false;
      status.scrollIntoView({ block: "center" });
    }, true);
  }

  /* ---- logout: the next person must see nothing of this one, signal or not ---- */
  async function forgetPages() {
    try { await Promise.all((await caches.keys()).filter((n) => n.startsWith("korch-pages-")).map((n) => caches.delete(n))); } catch (e) { /* no caches: nothing to forget */ }
  }

  const logout = $("logout-form");
  if (logout) {
    logout.addEventListener("submit", async (event) => {
      event.preventDefault();
      localStorage.removeItem("korch-warmed");
      await forgetPages();
      try {
        await Outbox.logoutLater(userId);
      } catch (e) {
        logout.submit(); // storage refused: the plain form still logs out with a signal
        return;
      }
      // This person's queued work stays on the phone for them; the server's
      // session ends now, or as soon as there is a signal again.
      try {
        await Outbox.finishLogout();
        location.replace("/login");
      } catch (e) {
        location.replace("/offline#logged-out");
      }
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
  // A page the worker answered is in its cache already (network first keeps what
  // it shows): warming it again would download it a second time, as it did right
  // after login. Not navigator.serviceWorker.controller: a worker that activates
  // during this load claims the page without ever having seen its request.
  const keptAsShown = ((performance.getEntriesByType("navigation")[0] || {}).workerStart || 0) > 0;

  async function pagesToWarm(kept) {
    // This person's pages, less the one the worker kept as it showed it.
    const urls = kept ? [] : [location.pathname];
    try {
      const response = await fetch("/api/v1/me", { credentials: "same-origin", cache: "no-store" });
      if (response.ok) urls.push(...(await response.json()).urls);
    } catch (e) { /* offline: this page is cached by the worker as it is shown */ }
    const here = location.pathname + location.search;
    return [...new Set(urls)].filter((url) => !(kept && url === here));
  }

  async function warm(reg) {
    const [who, when] = (localStorage.getItem("korch-warmed") || ":0").split(":");
    // Pages opened under the worker are cached as they are shown; warming the
    // others again on every page view would cost a phone's data for nothing.
    if (!userId || !navigator.onLine || (who === userId && Date.now() - Number(when) < WARM_EVERY)) {
      document.documentElement.dataset.offlineReady = "1";
      return;
    }
    // Pages another person left here (their session ended without a logout) go first.
    const forgot = who && who !== userId;
    if (forgot) await forgetPages();
    const done = await ask(reg.active, { type: "warm", urls: await pagesToWarm(keptAsShown && !forgot) });
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
    navigator.serviceWorker.addEventListener("message", (e) => {
      // The worker sent the outbox (Background Sync): same news as our own flush.
      if (e.data && e.data.type === "outbox") outboxNews(e.data.result || {});
      if (e.data && e.data.result && e.data.result.files) { refresh(); showEvidence(); }
    });
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
  if (userId && navigator.storage && navigator.storage.persist) {
    navigator.storage.persist().then((granted) => {
      const box = $("storage-status");
      box.textContent = granted ? T.persist_yes : T.persist_no;
      box.dataset.persisted = granted ? "1" : "0";
    });
  }

  /* ---- the activation page: the slip's QR link carries the code after "#c=" ---- */
  const codeField = document.querySelector("form [name=code]");
  const fromLink = /(?:^#|&)c=([0-9]{8})(?:&|$)/.exec(location.hash);
  if (codeField && fromLink) {
    codeField.value = fromLink[1];
    history.replaceState(null, "", location.pathname + location.search); // not left in history
  }

  /* ---- slips and codes: the phone's share sheet (LINE) where there is one ---- */
  document.querySelectorAll("[data-print]").forEach((b) => b.addEventListener("click", () => window.print()));
  document.querySelectorAll("[data-share-text]").forEach((b) => {
    if (!navigator.share) return;
    b.hidden = false;
    b.addEventListener("click", () => navigator.share({ text: b.dataset.shareText }).catch(() => {}));
  });
  const slipsForm = $("slips-form");
  if (slipsForm && navigator.canShare && navigator.canShare({ files: [new File([""], "x.pdf", { type: "application/pdf" })] })) {
    slipsForm.querySelector("[data-share-hint]").hidden = false;
    slipsForm.addEventListener("submit", async (event) => {
      event.preventDefault();
      const response = await fetch(slipsForm.action, { method: "POST", body: new FormData(slipsForm), credentials: "same-origin" });
      if (!response.ok || response.headers.get("Content-Type") !== "application/pdf") { location.href = response.url; return; }
      const name = (/filename=([^;]+)/.exec(response.headers.get("Content-Disposition") || "") || [0, "slips.pdf"])[1];
      const file = new File([await response.blob()], name, { type: "application/pdf" });
      try { await navigator.share({ files: [file], title: document.title }); } catch (e) {
        const a = Object.assign(document.createElement("a"), { href: URL.createObjectURL(file), download: name });
        a.click();
      }
      location.reload(); // the accounts made show on the page
    });
  }

  /* ---- "show password": long passwords are typed on small keyboards ---- */
  document.querySelectorAll("[data-show-password]").forEach((box) => {
    box.addEventListener("change", () => {
      box.form.querySelectorAll("input[autocomplete=new-password], input[autocomplete=current-password]")
        .forEach((input) => { input.type = box.checked ? "text" : "password"; });
    });
  });

  refresh();
  if (userId) {
    // A logout pressed offline, and this page came from the network: finish it first.
    Outbox.finishLogout().then((did) => { if (did) location.replace("/login"); else sync(); }, () => sync());
  }
})();
