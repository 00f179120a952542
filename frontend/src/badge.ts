// The header's approvals badge on every page: how many task tokens wait for the signed-in
// user, kept live over the approvals WebSocket. Standalone (no imports), so the build keeps it
// one small file apart from the app.
const badge = document.querySelector<HTMLElement>("[data-approvals-badge]");

async function refresh(): Promise<void> {
  if (!badge) return;
  try {
    const response = await fetch("/api/v1/pending-tasks/count/", {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    });
    if (!response.ok) return;
    const { count } = (await response.json()) as { count: number };
    badge.textContent = String(count);
    badge.classList.toggle("empty", count === 0);
    badge.setAttribute("aria-label", `${count} waiting for you`);
  } catch {
    // The next nudge or poll tries again.
  }
}

let timer: number | undefined;
/** Many nudges at once (a Map of approvals) make one request. */
function soon(): void {
  window.clearTimeout(timer);
  timer = window.setTimeout(() => void refresh(), 300);
}

function follow(retries = 0): void {
  const scheme = window.location.protocol === "https:" ? "wss" : "ws";
  const socket = new WebSocket(`${scheme}://${window.location.host}/ws/approvals/`);
  socket.onopen = () => {
    if (retries > 0) soon();
    retries = 0;
  };
  socket.onmessage = soon;
  socket.onclose = () =>
    window.setTimeout(() => follow(retries + 1), Math.min(30000, 500 * 2 ** Math.min(retries, 6)));
}

if (badge) {
  follow();
  window.setInterval(() => void refresh(), 60000);
}
