// Editing together: every few seconds the editor tells the server it is still open and learns
// who else has the article open, whether this page waits for someone who opened it first, and
// whether someone took it over from this page, which makes the editor read-only at once.
// Closing the page says so, so nobody waits for it.
(() => {
  "use strict";
  const box = document.getElementById("presence");
  const form = document.querySelector("form.editor");
  if (!box || !form) return;
  const EVERY_MS = 3000;
  const address = box.dataset.address;
  const tab = box.dataset.tab;
  const csrf = form.elements.csrf.value;
  const wait = box.querySelector(".presence-wait");
  const taken = box.querySelector(".presence-taken");
  const others = box.querySelector(".presence-others");
  let stopped = false;

  const readOnly = () => {
    form.inert = true;
    form.setAttribute("data-no-autosave", "");
  };

  const show = (standing) => {
    others.textContent = standing.others.length
      ? `Also open by ${standing.others.map((o) => `${o.name} (since ${o.since})`).join(", ")}.`
      : "";
    if (standing.taken_over_by) {
      taken.querySelector(".taker-name").textContent = standing.taken_over_by;
      taken.hidden = false;
      wait.hidden = true;
      readOnly();
      stopped = true;
      return;
    }
    if (standing.waiting_for) {
      wait.querySelector(".holder-name").textContent = standing.waiting_for.name;
      wait.querySelector(".holder-since").textContent = standing.waiting_for.since;
      wait.hidden = false;
      readOnly();
    } else if (!wait.hidden) {
      // The holder left: the newest text is theirs, so the editor is opened again.
      location.assign(form.getAttribute("action"));
    }
  };

  const beat = async () => {
    if (stopped) return;
    try {
      const response = await fetch(address, {
        method: "POST",
        headers: { Accept: "application/json" },
        body: new URLSearchParams({ csrf, tab }),
      });
      if (response.ok) show(await response.json());
    } catch {
      // Offline: the next beat tries again.
    }
  };
  setInterval(beat, EVERY_MS);
  beat();

  // Taking over without leaving the page: the editor is this person's at once.
  const takeOver = box.querySelector("form.take-over");
  takeOver.addEventListener("submit", async (event) => {
    event.preventDefault();
    const response = await fetch(takeOver.getAttribute("action"), {
      method: "POST",
      headers: { Accept: "application/json" },
      body: new URLSearchParams(new FormData(takeOver)),
    });
    // The editor is opened again, with the newest text and nobody to wait for.
    if (response.ok) location.assign(form.getAttribute("action"));
  });

  window.addEventListener("pagehide", () => {
    navigator.sendBeacon(`${address}/leave`, new URLSearchParams({ csrf, tab }));
  });
})();
