/* Notifications on this device (Web Push): subscribe with the server's VAPID key,
   hand the subscription to /api/v1/push/subscriptions, or take it back. */
"use strict";
(function () {
  const box = document.getElementById("push");
  if (!box) return;
  const on = box.querySelector("[data-subscribe]");
  const off = box.querySelector("[data-unsubscribe]");
  const status = box.querySelector("[data-status]");
  const say = (key) => { status.textContent = box.dataset[key] || ""; };
  const shown = (subscribed) => { on.hidden = subscribed; off.hidden = !subscribed; };
  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !box.dataset.key) {
    on.hidden = off.hidden = true;
    return say("unsupported");
  }
  const bytes = (b64url) => Uint8Array.from(
    atob(b64url.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));
  const token = () => fetch("/api/v1/session", { credentials: "same-origin" })
    .then((r) => r.json()).then((who) => who.csrf_token);
  const send = async (method, body) => {
    const r = await fetch("/api/v1/push/subscriptions", {
      method, credentials: "same-origin", body: JSON.stringify(body),
      headers: { "Content-Type": "application/json", "X-CSRFToken": await token() } });
    if (!r.ok) throw new Error("HTTP " + r.status);
  };
  const current = () => navigator.serviceWorker.ready.then((reg) => reg.pushManager.getSubscription());
  current().then((sub) => { shown(!!sub); if (sub) say("on"); });
  // A phone whose push service never answers (no Google services) would wait for ever.
  const inTime = (promise) => Promise.race([promise, new Promise((_, no) =>
    setTimeout(() => no(new Error("timeout")), Number(box.dataset.wait) || 15000))]);
  on.addEventListener("click", async () => {
    try {
      say("working");
      if (await Notification.requestPermission() !== "granted") return say("denied");
      const reg = await navigator.serviceWorker.ready;
      const sub = await inTime(reg.pushManager.subscribe({
        userVisibleOnly: true, applicationServerKey: bytes(box.dataset.key) }));
      await send("POST", sub.toJSON());
      shown(true);
      say("on");
    } catch (e) { say("failed"); }
  });
  off.addEventListener("click", async () => {
    try {
      const sub = await current();
      if (sub) { await send("DELETE", { endpoint: sub.endpoint }); await sub.unsubscribe(); }
      shown(false);
      say("off");
    } catch (e) { say("failed"); }
  });
})();
