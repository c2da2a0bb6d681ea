/* Evidence on the phone: attach photos and PDFs to an indicator, offline like the answers.
   Loaded only when a person attaches or removes a file, or when files wait to be sent
   (app.js). A photo is made small here (longest side SIDE px, JPEG, turned upright; the
   canvas writes no EXIF, so no location leaves the phone), named by its SHA-256 and kept
   in IndexedDB ("files") in the same transaction as its evidence.attach outbox item. The
   file is deleted from the phone only after the server said it holds it whole. Uploads
   ask which files the server lacks, then send each from the server's offset, in chunks. */
"use strict";
(function (root) {
  const SIGNATURES = [["%PDF-", "application/pdf"], ["\xff\xd8\xff", "image/jpeg"],
    ["\x89PNG\r\n\x1a\n", "image/png"]];
  const QUALITY = 0.8;
  const LOW_SPACE = 100 * 1024 * 1024; // bytes left on the phone under which the person is told
  const mine = (x, userId) => String(x.user_id) === String(userId);
  const urls = new Map(); // sha256 -> object URL of its blob, for thumbnails on this page
  // Attach items shown on this page: one the server acknowledged leaves the outbox
  // but stays on the page ("sent") until the page is loaded again from the server.
  const shown = new Map();
  let progress = null; // what the panel shows while files go up

  function sniff(bytes) {
    const head = String.fromCharCode(...bytes.slice(0, 16));
    const found = SIGNATURES.find(([sig]) => head.startsWith(sig));
    if (found) return found[1];
    return head.startsWith("RIFF") && head.slice(8, 12) === "WEBP" ? "image/webp" : null;
  }

  async function sha256(blob) {
    const digest = await crypto.subtle.digest("SHA-256", await blob.arrayBuffer());
    return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
  }

  async function shrink(file, side) {
    // Decoded upright (EXIF orientation), drawn at most ``side`` px long, written as JPEG:
    // a 12 MP photo of several MB becomes a few hundred KB, with no metadata.
    const bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
    const scale = Math.min(1, side / Math.max(bitmap.width, bitmap.height));
    const w = Math.max(1, Math.round(bitmap.width * scale));
    const h = Math.max(1, Math.round(bitmap.height * scale));
    const canvas = typeof OffscreenCanvas === "function" ? new OffscreenCanvas(w, h)
      : Object.assign(document.createElement("canvas"), { width: w, height: h });
    const ctx = canvas.getContext("2d");
    ctx.fillStyle = "#fff"; // a transparent PNG gets white, not black, behind it
    ctx.fillRect(0, 0, w, h);
    ctx.drawImage(bitmap, 0, 0, w, h);
    bitmap.close();
    return canvas.convertToBlob ? canvas.convertToBlob({ type: "image/jpeg", quality: QUALITY })
      : new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", QUALITY));
  }

  async function prepare(file, limits) {
    // Returns { blob, type } ready to keep, or { error: text key }.
    const type = sniff(new Uint8Array(await file.slice(0, 16).arrayBuffer()));
    if (type === "application/pdf") {
      return file.size > limits.file_max ? { error: "too_large" } : { blob: file, type };
    }
    if (!type && !(file.type || "").startsWith("image/")) return { error: "wrong_type" };
    try {
      const blob = await shrink(file, limits.side);
      return blob.size > limits.file_max ? { error: "too_large" } : { blob, type: "image/jpeg" };
    } catch (e) {
      return { error: type ? "broken" : "wrong_type" };
    }
  }

  /* ---- a form's evidence: what the page shows under each indicator ---- */

  function texts() { return JSON.parse(document.getElementById("evidence-text").textContent); }

  function el(tag, attrs, ...kids) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => {
      if (k === "text") node.textContent = v; else if (v !== null && v !== undefined) node.setAttribute(k, v);
    });
    kids.forEach((k) => k && node.append(k));
    return node;
  }

  function sizeLabel(n) { return n < 1048576 ? `${Math.max(1, Math.round(n / 1024))} KB` : `${(n / 1048576).toFixed(1)} MB`; }

  function box(form, indicator) {
    return form.querySelector(`.attach[data-indicator="${CSS.escape(indicator)}"]`);
  }

  async function state(form, userId) {
    // This form's queued attach/remove items and which files are still only on the phone.
    const key = IDB.draftKey(userId, form.dataset.round, form.dataset.subdistrict);
    const items = (await Outbox.items()).filter((i) => mine(i, userId) && i.draft_key === key);
    const files = await IDB.all("files", IDB.userFiles(userId));
    return { key, items, files: new Map(files.map((f) => [f.sha256, f])) };
  }

  function thumbnail(form, sha, file) {
    if (file && file.type !== "application/pdf") {
      if (!urls.has(sha)) urls.set(sha, URL.createObjectURL(file.blob));
      return el("img", { src: urls.get(sha), alt: "", width: "88", height: "88" });
    }
    if (file) return el("span", { class: "pdf", text: "PDF" });
    return el("img", { src: `/evidence/${form.dataset.subdistrict}/${sha}/thumb`, alt: "", width: "88", height: "88", loading: "lazy" });
  }

  async function render(form, userId) {
    const T = texts();
    const { items, files } = await state(form, userId);
    const removing = new Set(items.filter((i) => i.type === "evidence.remove").map((i) => i.attachment_id));
    // Files the server already holds and that someone removed here: gone from the page at once.
    form.querySelectorAll(".evidence li[data-attachment]").forEach((li) => { li.hidden = removing.has(li.dataset.attachment); });
    form.querySelectorAll(".evidence.local").forEach((ul) => ul.replaceChildren());
    const queued = new Set(items.map((i) => i.client_id));
    items.filter((i) => i.type === "evidence.attach").forEach((i) => shown.set(i.client_id, i));
    [...shown.values()].forEach((item) => {
      if (removing.has(item.client_id)) return;
      const where = box(form, item.indicator);
      if (!where) return;
      let list = where.querySelector(".evidence.local");
      if (!list) { list = el("ul", { class: "evidence local" }); where.prepend(list); }
      const file = files.get(item.sha256);
      const status = file ? T.only_here : T.sent;
      const caption = el("input", { type: "text", class: "caption", maxlength: String(limits(form).caption_max),
        placeholder: T.caption, "aria-label": T.caption, "data-item": item.client_id });
      caption.value = item.caption || "";
      // Sent once, it may be on the server already: its caption is kept as sent.
      if (item.attempts || !queued.has(item.client_id)) caption.disabled = true;
      list.append(el("li", { "data-item": item.client_id, "data-sha": item.sha256 },
        thumbnail(form, item.sha256, file),
        el("span", { class: "muted state", text: `${status} · ${sizeLabel(item.size)}` }),
        caption,
        el("button", { type: "button", class: "evidence-remove", "data-item": item.client_id, text: T.remove })));
    });
  }

  function limits(form) { return JSON.parse(form.dataset.evidenceLimits); }

  function tell(form, indicator, text) {
    const where = box(form, indicator);
    let note = where.querySelector(".evidence-note");
    if (!note) { note = el("p", { class: "evidence-note error", role: "alert" }); where.append(note); }
    note.textContent = text;
    note.hidden = !text;
  }

  async function spaceWarning() {
    // Said only when space runs low: the browser's own estimate of what is left.
    if (!navigator.storage || !navigator.storage.estimate) return "";
    try {
      const { usage, quota } = await navigator.storage.estimate();
      const left = quota - usage;
      return left < LOW_SPACE ? texts().low_space.replace("{mb}", String(Math.floor(left / 1048576))) : "";
    } catch (e) { return ""; }
  }

  async function add(form, indicator, fileList, userId) {
    const T = texts();
    const lim = limits(form);
    const { key, items } = await state(form, userId);
    const onServer = box(form, indicator).querySelectorAll(".evidence li[data-attachment]:not([hidden])").length;
    // This page's own files count too: queued, or sent since the page was loaded.
    const here = new Set([...items, ...shown.values()]
      .filter((i) => i.type === "evidence.attach" && i.indicator === indicator).map((i) => i.client_id));
    let count = onServer + here.size;
    const problems = [];
    for (const file of fileList) {
      if (count >= lim.per_indicator) { problems.push(T.too_many); break; }
      const ready = await prepare(file, lim);
      if (ready.error) { problems.push(`${file.name}: ${T[ready.error]}`); continue; }
      const hash = await sha256(ready.blob);
      const record = { key: IDB.fileKey(userId, hash), user_id: userId, sha256: hash, blob: ready.blob,
        type: ready.type, size: ready.blob.size, subdistrict_code: form.dataset.subdistrict,
        name: (file.name || "").slice(0, lim.filename_max), created: Date.now() };
      try {
        await Outbox.add({ type: "evidence.attach", round_id: Number(form.dataset.round),
          subdistrict_code: form.dataset.subdistrict, indicator, sha256: hash, content_type: ready.type,
          size: ready.blob.size, caption: "", filename: (file.name || "").slice(0, lim.filename_max),
          user_id: userId, draft_key: key, label: document.title, url: location.pathname },
        (s) => s.files.put(record));
      } catch (e) {
        problems.push(T.not_kept);
        continue;
      }
      count += 1;
    }
    const low = await spaceWarning();
    tell(form, indicator, [...problems, low].filter(Boolean).join(" "));
    await render(form, userId);
  }

  async function remove(form, userId, button) {
    // Never sent: forget it here. Maybe on the server already: ask the server to remove it.
    const id = button.dataset.item || button.dataset.attachment;
    const { key } = await state(form, userId);
    const forgotten = await IDB.tx(Outbox.ALL, "readwrite", async (s) => {
      const item = button.dataset.item && await IDB.req(s.outbox.get(id));
      if (!item || item.attempts) return false;
      s.outbox.delete(id);
      const others = (await IDB.req(s.outbox.getAll())).some((i) => i.sha256 === item.sha256 && i.client_id !== id);
      if (!others) s.files.delete(IDB.fileKey(userId, item.sha256));
      return true;
    });
    if (forgotten) shown.delete(id);
    if (!forgotten) {
      await Outbox.add({ type: "evidence.remove", attachment_id: id, user_id: userId, draft_key: key,
        label: document.title, url: location.pathname });
    }
    await render(form, userId);
  }

  async function caption(input) {
    // Kept in the queued item while it has not been sent.
    await IDB.tx(["outbox"], "readwrite", async (s) => {
      const item = await IDB.req(s.outbox.get(input.dataset.item));
      if (!item || item.attempts) return;
      item.caption = input.value.trim();
      s.outbox.put(item);
    });
  }

  /* ---- sending the files ---- */

  async function putByFetch(sha, code, offset, length, chunk, csrf) {
    // The service worker has no XMLHttpRequest, and nobody to show progress to.
    const response = await fetch(`/api/v1/evidence/${code}/${sha}?offset=${offset}&length=${length}`, {
      method: "PUT", body: chunk, credentials: "same-origin", cache: "no-store",
      headers: { "Content-Type": "application/octet-stream", "X-CSRFToken": csrf } });
    let body = {};
    try { body = await response.json(); } catch (e) { /* not JSON: a proxy's page */ }
    return { status: response.status, body };
  }

  function put(sha, code, offset, length, chunk, csrf, onProgress) {
    if (typeof XMLHttpRequest !== "function") return putByFetch(sha, code, offset, length, chunk, csrf);
    // XMLHttpRequest, not fetch: only it reports upload progress, so 23 photos on a
    // slow signal show movement instead of looking frozen.
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open("PUT", `/api/v1/evidence/${code}/${sha}?offset=${offset}&length=${length}`);
      xhr.setRequestHeader("Content-Type", "application/octet-stream");
      xhr.setRequestHeader("X-CSRFToken", csrf);
      xhr.upload.onprogress = (e) => onProgress(offset + e.loaded);
      xhr.onload = () => {
        let body = {};
        try { body = JSON.parse(xhr.responseText); } catch (e) { /* not JSON: a proxy's page */ }
        resolve({ status: xhr.status, body });
      };
      xhr.onerror = xhr.onabort = xhr.ontimeout = () => reject(new Error("network"));
      xhr.send(chunk);
    });
  }

  async function missing(code, hashes, csrf) {
    const response = await fetch("/api/v1/evidence/missing", { method: "POST", credentials: "same-origin",
      cache: "no-store", headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ subdistrict_code: code, sha256: hashes }) });
    if (response.status === 401) return { login: true };
    if (!response.ok) throw new Error("server " + response.status);
    return response.json();
  }

  const pageTexts = () => JSON.parse(document.getElementById("js-text").textContent);

  function showProgress(p) {
    // Sent / total for the whole outbox of files, and each file still only on the phone.
    const T = pageTexts();
    let panel = document.getElementById("evidence-progress");
    if (!p) { if (panel) panel.hidden = true; return; }
    if (!panel) {
      panel = el("section", { id: "evidence-progress", class: "card", role: "status", "aria-live": "polite" });
      document.querySelector("main").prepend(panel);
    }
    panel.hidden = false;
    panel.dataset.done = String(p.done);
    panel.dataset.total = String(p.total);
    const left = p.files.filter((f) => f.sent < f.size);
    panel.replaceChildren(
      el("p", { text: `${T.evidence_sending} ${p.done}/${p.total} · ${sizeLabel(p.sentBytes)} / ${sizeLabel(p.bytes)}` }),
      el("progress", { max: String(p.bytes), value: String(p.sentBytes) }),
      left.length ? el("p", { class: "muted", text: `${T.evidence_waiting}: ${left.length}` }) : null,
      el("ul", { class: "files" }, ...left.map((f) => el("li", { "data-sha": f.sha256 },
        el("span", { text: `${sizeLabel(f.size)} ` }),
        el("progress", { max: String(f.size), value: String(f.sent) })))));
  }

  async function refuse(file, body) {
    // A file the server will never take: the person is told, like a refused item,
    // and it stops counting as work waiting to be sent. (Also in the service worker:
    // no page texts here, the file's own name says which.)
    await IDB.tx(Outbox.ALL, "readwrite", async (s) => {
      s.conflicts.put({ client_id: file.key, user_id: file.user_id, draft_key: null,
        item: { type: "evidence.file", label: `${file.name || file.sha256.slice(0, 12)} · ${sizeLabel(file.size)}` },
        result: { status: "error", status_code: 422, error: body }, at: Date.now() });
      s.files.delete(file.key);
    });
  }

  async function sendFile(file, from, csrf, chunkMax, onProgress) {
    // Returns "done", "login", "refused" or throws (no signal, server error): try later.
    let offset = from;
    for (;;) {
      const chunk = file.blob.slice(offset, Math.min(file.size, offset + chunkMax));
      const answer = await put(file.sha256, file.subdistrict_code, offset, file.size, chunk, csrf, onProgress);
      if (answer.status === 401) return "login";
      if (answer.status === 409 && answer.body.detail) { offset = answer.body.detail.offset; continue; }
      if (answer.status === 413 || answer.status === 422) { await refuse(file, answer.body); return "refused"; }
      if (answer.status !== 200) throw new Error("server " + answer.status);
      offset = answer.body.offset;
      onProgress(offset);
      if (answer.body.complete) return "done";
    }
  }

  async function upload(userId, chunkMax, onChange) {
    const files = (await IDB.all("files", IDB.userFiles(userId))).sort((a, b) => a.created - b.created);
    if (!files.length) return { sent: 0 };
    const who = await Outbox.session();
    if (who.login) return { login: true };
    progress = { total: files.length, done: 0, bytes: files.reduce((n, f) => n + f.size, 0), sentBytes: 0,
      files: files.map((f) => ({ sha256: f.sha256, size: f.size, sent: 0 })) };
    onChange(progress);
    const byCode = new Map();
    files.forEach((f) => byCode.set(f.subdistrict_code, [...(byCode.get(f.subdistrict_code) || []), f]));
    for (const [code, group] of byCode) {
      const asked = await missing(code, group.map((f) => f.sha256), who.csrf_token);
      if (asked.login) return { login: true };
      const offsets = new Map(asked.missing.map((m) => [m.sha256, m.offset]));
      for (const file of group) {
        const row = progress.files.find((f) => f.sha256 === file.sha256);
        const seen = (n) => { row.sent = n; progress.sentBytes = progress.files.reduce((t, f) => t + f.sent, 0); onChange(progress); };
        const outcome = offsets.has(file.sha256)
          ? await sendFile(file, offsets.get(file.sha256), who.csrf_token, chunkMax, seen) : "done";
        if (outcome === "login") return { login: true };
        if (outcome === "done") await IDB.del("files", file.key); // only now: the server holds it whole
        seen(file.size);
        progress.done += 1;
        onChange(progress);
      }
    }
    progress = null;
    onChange(null);
    return { sent: files.length };
  }

  function guarded(userId, chunkMax, onChange) {
    // One upload at a time across tabs, so a chunk is never sent twice at once.
    const run = () => upload(userId, chunkMax, onChange);
    return navigator.locks ? navigator.locks.request("korch-evidence", run) : run();
  }

  root.Evidence = { add, remove, caption, render, upload: guarded, showProgress, sniff, sizeLabel };
})(self);
