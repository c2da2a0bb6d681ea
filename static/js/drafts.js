/* Drafts: the assessment form keeps every change in IndexedDB, so a reload or a
   browser restart without signal loses nothing; it also turns a draft into an
   outbox item with, per indicator, what the person started from (base). */
"use strict";
(function (root) {
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

  function same(a, b) { return a.score === b.score && a.note === b.note; }

  function attach(form, say) {
    const key = `assessment:${form.dataset.round}:${form.dataset.subdistrict}`;
    let draft = null;

    function collect() {
      const values = {};
      codes(form).forEach((code) => { values[code] = readAnswer(form, code); });
      return values;
    }

    function fill(values) {
      Object.entries(values).forEach(([code, v]) => {
        form.querySelectorAll(`input[name="score-${CSS.escape(code)}"]`).forEach((r) => {
          r.checked = v.score !== null && Number(r.value) === v.score;
        });
        const note = form.querySelector(`[name="note-${CSS.escape(code)}"]`);
        if (note) note.value = v.note;
      });
    }

    async function save() {
      const values = collect();
      if (!draft) {
        const base = {};
        codes(form).forEach((code) => { base[code] = pageBase(form, code); });
        draft = { key, id: Outbox.uuid(), round_id: Number(form.dataset.round),
          subdistrict_code: form.dataset.subdistrict, assessment_id: form.dataset.assessment || null,
          version: Number(form.elements.version.value || 0), base };
      }
      draft.values = values;
      draft.updated = Date.now();
      await IDB.put("drafts", draft);
      say("saved_local");
      return draft;
    }

    async function restore() {
      const found = await IDB.get("drafts", key);
      if (!found) return false;
      draft = found;
      fill(found.values);
      say("restored");
      return true;
    }

    function item(action, userId) {
      // Only what changed since the person started: the server merges per indicator.
      const changes = Object.keys(draft.values).filter((c) => !same(draft.values[c], draft.base[c] || { score: null, note: "" }))
        .map((c) => ({ indicator: c, mine: draft.values[c], base: draft.base[c] || { score: null, note: "" } }));
      return { type: action === "submit" ? "assessment.submit" : "assessment.save",
        round_id: draft.round_id, subdistrict_code: draft.subdistrict_code,
        assessment_id: draft.assessment_id || draft.id, version: draft.version, changes,
        draft_key: key, draft_stamp: draft.updated, user_id: userId, label: document.title,
        url: location.pathname };
    }

    function baseFields(data) {
      // A restored draft began from older values than this page shows: send those.
      if (!draft) return;
      Object.entries(draft.base).forEach(([code, v]) => {
        data.set(`base-score-${code}`, v.score === null ? "" : String(v.score));
        data.set(`base-note-${code}`, v.note);
      });
    }

    async function forget() { draft = null; await IDB.del("drafts", key); }

    form.addEventListener("input", save);
    form.addEventListener("change", save);
    return { save, restore, item, baseFields, forget, key };
  }

  root.Drafts = { attach };
})(self);
