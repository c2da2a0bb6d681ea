/* Drafts: the assessment form keeps every change in IndexedDB, under the person
   and the form, so a reload or a browser restart without signal loses nothing.
   Several tabs of one form share one draft, merged per indicator, and see each
   other's answers. The rules are in README.md beside this file. */
"use strict";
(function (root) {
  const { same, EMPTY } = Outbox;

  function readAnswer(form, code) {
    const checked = form.querySelector(`input[name="score-${CSS.escape(code)}"]:checked`);
    const note = form.querySelector(`[name="note-${CSS.escape(code)}"]`);
    return { score: checked ? Number(checked.value) : null, note: note ? note.value.trim() : "" };
  }

  function pageBase(form, code) {
    const score = form.querySelector(`[name="base-score-${CSS.escape(code)}"]`).value;
    const note = form.querySelector(`[name="base-note-${CSS.escape(code)}"]`).value;
    return { score: score === "" ? null : Number(score), note: note.trim() };
  }

  function codes(form) {
    return [...form.querySelectorAll('input[name^="base-score-"]')].map((i) => i.name.slice("base-score-".length));
  }

  const copy = (v) => ({ score: v.score, note: v.note });

  function attach(form, userId, say) {
    const roundId = Number(form.dataset.round);
    const key = IDB.draftKey(userId, roundId, form.dataset.subdistrict);
    const pageVersion = Number(form.elements.version.value || 0);
    let known = {};   // code -> the value this tab last read from or wrote to the stored draft
    let chain = Promise.resolve();

    function collect() {
      const values = {};
      codes(form).forEach((code) => { values[code] = readAnswer(form, code); });
      return values;
    }

    function fillOne(code, v) {
      form.querySelectorAll(`input[name="score-${CSS.escape(code)}"]`).forEach((r) => {
        r.checked = v.score !== null && Number(r.value) === v.score;
      });
      const note = form.querySelector(`[name="note-${CSS.escape(code)}"]`);
      if (note) note.value = v.note;
    }

    function fresh() {
      const base = {};
      codes(form).forEach((code) => { base[code] = pageBase(form, code); });
      const values = {};
      Object.entries(base).forEach(([c, v]) => { values[c] = copy(v); });
      return { key, user_id: userId, round_id: roundId, subdistrict_code: form.dataset.subdistrict,
        assessment_id: form.dataset.assessment || Outbox.uuid(), server_version: pageVersion,
        url: location.pathname, label: document.title, base, values, stamps: {}, updated: Date.now() };
    }

    function adopt(draft) {
      // Answers another tab (or the server's answer) put in the draft appear here,
      // unless this tab has typed something it has not stored yet.
      const now = collect();
      Object.keys(draft.values).forEach((code) => {
        if (same(draft.values[code], known[code])) return;
        if (known[code] === undefined || same(now[code], known[code])) fillOne(code, draft.values[code]);
        known[code] = copy(draft.values[code]);
      });
    }

    function serial(work) {
      const run = chain.then(work, work);
      chain = run.catch(() => null);
      return run;
    }

    async function store() {
      const now = collect();
      const edits = Object.keys(now).filter((c) => !same(now[c], known[c]));
      const draft = await IDB.tx(["drafts"], "readwrite", async (s) => {
        const d = (await IDB.req(s.drafts.get(key))) || fresh();
        const at = Date.now();
        edits.forEach((c) => { d.values[c] = now[c]; d.stamps[c] = at; });
        d.updated = at;
        d.url = location.pathname;
        s.drafts.put(d);
        return d;
      });
      edits.forEach((c) => { known[c] = copy(now[c]); });
      adopt(draft);
      if (edits.length && Outbox.channel) Outbox.channel.postMessage({ type: "drafts", key });
      return draft;
    }

    /* Store what the form shows. Resolves true once it is on the phone; false
       (after telling the person) when the phone refused to store it. */
    let waiting = null; // a save queued behind the running one: it will store the latest form anyway

    function save() {
      if (waiting) return waiting;
      waiting = serial(async () => {
        waiting = null;
        try {
          await store();
          say("saved_local");
          return true;
        } catch (e) {
          say("not_saved");
          return false;
        }
      });
      return waiting;
    }

    async function pull() {
      const draft = await IDB.get("drafts", key);
      if (draft) adopt(draft);
    }

    async function restore() {
      // The page is newer than the draft's idea of the server (or the draft is
      // new): take the page's answers wherever nothing unsent is kept here.
      let queued = false;
      const draft = await IDB.tx(["drafts", "outbox", "conflicts"], "readwrite", async (s) => {
        const outbox = await IDB.req(s.outbox.getAll());
        queued = outbox.some((i) => i.draft_key === key);
        // Queued or waiting for a choice: the page cannot know those yet.
        const busy = Outbox.busyCodes(outbox, await IDB.req(s.conflicts.getAll()), key);
        let d = await IDB.req(s.drafts.get(key));
        if (!d) {
          const orphanKey = `orphan:${roundId}:${form.dataset.subdistrict}`;
          const orphan = await IDB.req(s.drafts.get(orphanKey));
          if (orphan) {
            // Typed on this phone before drafts were kept per person: the first to open it keeps it.
            d = Object.assign(orphan, { key, user_id: userId, stamps: orphan.stamps || {} });
            s.drafts.delete(orphanKey);
          }
        }
        if (!d) { d = fresh(); d.values = collect(); s.drafts.put(d); return d; }
        const shown = new Set([...form.querySelectorAll("fieldset.indicator.conflict")].map((f) => f.id.slice(4)));
        codes(form).forEach((code) => {
          const page = pageBase(form, code);
          if (shown.has(code)) { d.base[code] = page; return; } // the page shows the other value: the person has seen it
          if (d.base[code] === undefined) { d.base[code] = page; d.values[code] = copy(page); return; }
          if (pageVersion >= (d.server_version || 0) && !busy.has(code) && same(d.values[code], d.base[code])) {
            d.base[code] = page; d.values[code] = copy(page);
          }
        });
        if (pageVersion >= (d.server_version || 0)) d.server_version = pageVersion;
        if (form.dataset.assessment) d.assessment_id = form.dataset.assessment;
        s.drafts.put(d);
        return d;
      });
      Object.entries(draft.values).forEach(([code, v]) => fillOne(code, v));
      known = {};
      Object.entries(draft.values).forEach(([code, v]) => { known[code] = copy(v); });
      // Typed here and not sent yet (queued or not): say that it came back from the phone.
      const kept = queued || Outbox.unsentCodes(draft).length > 0;
      if (kept) say("restored");
      return kept;
    }

    /* Queue what is unsent as an outbox item; returns {item, missing}. */
    function queue(wantSubmit) {
      return serial(async () => {
        await store();
        return Outbox.queueDraft(key, wantSubmit);
      });
    }

    function baseFields(data) {
      // What the person started from, which may be older than what this page shows.
      return IDB.get("drafts", key).then((draft) => {
        if (!draft) return;
        Object.entries(draft.base).forEach(([code, v]) => {
          data.set(`base-score-${code}`, v.score === null ? "" : String(v.score));
          data.set(`base-note-${code}`, v.note);
        });
      }, () => null);
    }

    async function posted(data) {
      // The server stored the form as posted: those answers are no longer unsent.
      await IDB.tx(["drafts"], "readwrite", async (s) => {
        const d = await IDB.req(s.drafts.get(key));
        if (!d) return;
        Object.keys(d.values).forEach((code) => {
          const sent = { score: data.get(`score-${code}`) === null ? null : Number(data.get(`score-${code}`)),
            note: (data.get(`note-${code}`) || "").trim() };
          if (same(d.values[code], sent)) d.base[code] = sent;
        });
        d.server_version = null;
        s.drafts.put(d);
      });
    }

    form.addEventListener("input", save);
    form.addEventListener("change", save);
    if (Outbox.channel) {
      Outbox.channel.addEventListener("message", (e) => {
        if (e.data && e.data.type === "drafts" && (!e.data.key || e.data.key === key)) serial(pull);
      });
    }
    return { save, restore, queue, baseFields, posted, pull: () => serial(pull), key };
  }

  root.Drafts = { attach, EMPTY };
})(self);
