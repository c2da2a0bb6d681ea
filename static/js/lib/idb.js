/* A tiny promise wrapper over IndexedDB: one database, a few object stores.
   Works in pages and in the service worker. */
"use strict";
(function (root) {
  const NAME = "korch";
  const VERSION = 1;
  let opening = null;

  function promise(request) {
    return new Promise((resolve, reject) => {
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  function open() {
    if (!opening) {
      const request = indexedDB.open(NAME, VERSION);
      request.onupgradeneeded = () => {
        const db = request.result;
        // drafts: what a person is typing, by form key; outbox: items to send;
        // conflicts: answers the server could not merge, for a person to choose.
        if (!db.objectStoreNames.contains("drafts")) db.createObjectStore("drafts", { keyPath: "key" });
        if (!db.objectStoreNames.contains("outbox")) db.createObjectStore("outbox", { keyPath: "client_id" });
        if (!db.objectStoreNames.contains("conflicts")) db.createObjectStore("conflicts", { keyPath: "client_id" });
        if (!db.objectStoreNames.contains("meta")) db.createObjectStore("meta", { keyPath: "key" });
      };
      opening = promise(request).then((db) => {
        // Another tab upgrading the schema: let it, and reopen next time.
        db.onversionchange = () => { db.close(); opening = null; };
        return db;
      });
    }
    return opening;
  }

  async function run(store, mode, work) {
    const db = await open();
    const tx = db.transaction(store, mode);
    const result = work(tx.objectStore(store));
    await new Promise((resolve, reject) => {
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
    return result instanceof IDBRequest ? result.result : result;
  }

  root.IDB = {
    get: (store, key) => run(store, "readonly", (s) => s.get(key)),
    all: (store) => run(store, "readonly", (s) => s.getAll()),
    put: (store, value) => run(store, "readwrite", (s) => s.put(value)),
    del: (store, key) => run(store, "readwrite", (s) => s.delete(key)),
    count: (store) => run(store, "readonly", (s) => s.count()),
  };
})(self);
