// HookLog dashboard: live updates. Pages are rendered by the server; while one is open, this listens to the
// workspace's log (Server-Sent Events, authorised by the session cookie) and re-fetches the page's live region
// when a record arrives, without touching forms the user is filling in.
(() => {
  "use strict";
  const live = document.querySelector("[data-live]");
  if (!live || !window.EventSource) return;
  const status = document.getElementById("live-status");
  const webhook = live.dataset.webhook;
  const types = ["EventReceived", "AttemptSucceeded", "AttemptFailed", "DeliveryDropped", "DeliverySkipped",
    "WebhookDisabled", "WebhookEnabled", "DeliveriesRecovered", "RedeliveryRequested", "WebhookCreated",
    "WebhookUpdated", "WebhookDeleted"];
  let timer = null;

  const refresh = async () => {
    timer = null;
    if (live.contains(document.activeElement)) { timer = setTimeout(refresh, 1500); return; }
    try {
      const response = await fetch(location.href, { credentials: "same-origin" });
      if (!response.ok || response.redirected) return;
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      const fresh = page.querySelector("[data-live]");
      if (!fresh) return;
      live.replaceChildren(...fresh.childNodes);
      if (status) status.textContent = "Updated at " + new Date().toLocaleTimeString();
    } catch (error) {
      if (status) status.textContent = "Live updates paused: " + error;
    }
  };

  const source = new EventSource("/dashboard/stream");
  const schedule = (event) => {
    if (webhook && !event.data.includes(webhook)) return;
    if (!timer) timer = setTimeout(refresh, 400);
  };
  for (const type of types) source.addEventListener(type, schedule);
  source.addEventListener("open", () => { document.documentElement.dataset.live = "open"; });
})();
