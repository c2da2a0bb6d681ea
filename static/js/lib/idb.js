/* A tiny promise wrapper over IndexedDB: one database, a few object stores.
   Works in pages and in the service worker. The rules about what is kept
   under which key are in static/js/README.md. */
"use strict";
(function (root) {
  const NAME = "korch";
  const VERSION = 3;
  let opening = null;

  function promise(request) {
    return new Promise((resolve, reject) => {
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  function draftKey(userId, roundId, subdistrict) {
    return `draft:${userId}:${roundId}:${subdistrict}`;
  }

  function upgradeTo2(tx) {
    // Version 1 kept one draft per form ("assessment:<round>:<subdistrict>"),
    // whoever typed it. Give each to the person whose queued item names it;
    // a draft nobody queued keeps no owner until its form is next opened.
    const owners = {};
    const outbox = tx.objectStore("outbox");
    outbox.openCursor().onsuccess = (event) => {
      const cursor = event.target.result;
      if (cursor) {
        const item = cursor.value;
        if (item.draft_key && item.draft_key.startsWith("assessment:")) {
          const [, round, sub] = item.draft_key.split(":");
          owners[item.draft_key] = item.user_id;
          item.draft_key = item.user_id ? draftKey(item.user_id, round, sub) : item.draft_key;
          cursor.update(item);
        }
        cursor.continue();
        return;
      }
      // Choices waiting from version 1 name their person inside the item only.
      tx.objectStore("conflicts").openCursor().onsuccess = (e) => {
        const c = e.target.result;
        if (!c) return;
        const entry = c.value;
        const item = entry.item || {};
        if (item.draft_key && item.draft_key.startsWith("assessment:") && item.user_id) {
          const [, round, sub] = item.draft_key.split(":");
          item.draft_key = draftKey(item.user_id, round, sub);
        }
        c.update(Object.assign(entry, { user_id: item.user_id, draft_key: item.draft_key }));
        c.continue();
      };
      const drafts = tx.objectStore("drafts");
      drafts.openCursor().onsuccess = (e) => {
        const c = e.target.result;
        if (!c) return;
        const draft = c.value;
        if (draft.key.startsWith("assessment:")) {
          const [, round, sub] = draft.key.split(":");
          const owner = owners[draft.key] || null;
          const moved = Object.assign({}, draft, { user_id: owner, stamps: {},
            key: owner ? draftKey(owner, round, sub) : `orphan:${round}:${sub}` });
          c.delete();
          drafts.put(moved);
        }
        c.continue();
      };
    };
  }

  function open() {
    if (!opening) {
      const request = indexedDB.open(NAME, VERSION);
      request.onupgradeneeded = (event) => {
        const db = request.result;
        // drafts: what a person is typing, by person and form; outbox: items to send;
        // conflicts: answers the server could not merge, for a person to choose.
        if (!db.objectStoreNames.contains("drafts")) db.createObjectStore("drafts", { keyPath: "key" });
        if (!db.objectStoreNames.contains("outbox")) db.createObjectStore("outbox", { keyPath: "client_id" });
        if (!db.objectStoreNames.contains("conflicts")) db.createObjectStore("conflicts", { keyPath: "client_id" });
        if (!db.objectStoreNames.contains("meta")) db.createObjectStore("meta", { keyPath: "key" });
        // files: evidence photos and PDFs, by person and SHA-256, until the server holds them.
        if (!db.objectStoreNames.contains("files")) db.createObjectStore("files", { keyPath: "key" });
        if (event.oldVersion === 1) upgradeTo2(request.transaction);
      };
      opening = promise(request).then((db) => {
        // Another tab upgrading the schema: let it, and reopen next time.
        db.onversionchange = () => { db.close(); opening = null; };
        return db;
      }, (error) => { opening = null; throw error; });
    }
    return opening;
  }

  /* Run ``work`` over several stores in ONE transaction: all of it is stored,
     or (quota, crash, exception) none of it. ``work`` gets the stores by name
     and may await ``IDB.req(...)`` between its requests: the transaction
     stays open while those promises settle. Resolves with what work returned,
     after the transaction committed. */
  async function tx(stores, mode, work) {
    const db = await open();
    const t = db.transaction(stores, mode);
    const done = new Promise((resolve, reject) => {
      t.oncomplete = resolve;
      t.onerror = () => reject(t.error);
      t.onabort = () => reject(t.error || new DOMException("aborted", "AbortError"));
    });
    const named = {};
    stores.forEach((s) => { named[s] = t.objectStore(s); });
    let result;
    try {
      result = await work(named);
    } catch (e) {
      try { t.abort(); } catch (ignored) { /* already finished */ }
      await done.catch(() => null);
      throw e;
    }
    await done;
    return result instanceof IDBRequest ? result.result : result;
  }

  const one = (store, mode, fn) => tx([store], mode, (s) => fn(s[store]));

  root.IDB = {
    draftKey,
    fileKey: (userId, sha256) => `file:${userId}:${sha256}`,
    // Every key of one person's files: "file:<user>:" followed by a hash.
    userFiles: (userId) => IDBKeyRange.bound(`file:${userId}:`, `file:${userId}:\uffff`),
    req: promise,
    tx,
    get: (store, key) => one(store, "readonly", (s) => s.get(key)),
    // ``range``: only the keys in it (an IDBKeyRange), e.g. one person's files.
    all: (store, range) => one(store, "readonly", (s) => s.getAll(range)),
    put: (store, value) => one(store, "readwrite", (s) => s.put(value)),
    del: (store, key) => one(store, "readwrite", (s) => s.delete(key)),
    count: (store, range) => one(store, "readonly", (s) => s.count(range)),
  };
})(self);
