// Never lose a word: the editor's text is kept in this browser as it is typed, until the
// server has it, and offered back when the article is opened again; drafts are also saved
// to the server in the background, a couple of seconds after typing stops and when the page
// is left. The form works without this script; it only keeps what the form would lose.
(() => {
  "use strict";
  const form = document.querySelector("form.editor");
  if (!form) return;
  const version = form.querySelector("input[name=version]");
  // Not `form.action`: the buttons named "action" shadow it (it would be their list).
  const address = form.getAttribute("action");
  const status = document.getElementById("autosave-status");
  const notice = document.getElementById("recovery");

  // What the writer types: every named text field, select and box except the form's own.
  const OWN = new Set(["csrf", "version", "body_format", "action"]);
  const fields = () => Array.from(form.elements).filter((el) => el.name && !OWN.has(el.name) &&
    el.type !== "submit" && el.type !== "button" && el.type !== "hidden");
  const valueOf = (el) => (el.type === "checkbox" ? el.checked : el.value);
  const snapshot = () => {
    const values = {};
    for (const el of fields()) {
      if (el.type === "checkbox") (values[el.name + "=" + el.value] = el.checked);
      else values[el.name] = valueOf(el);
    }
    return values;
  };
  const restore = (values) => {
    for (const el of fields()) {
      const key = el.type === "checkbox" ? el.name + "=" + el.value : el.name;
      if (!(key in values)) continue;
      if (el.type === "checkbox") el.checked = values[key];
      else if (el.dataset.richEditor) el.dispatchEvent(new CustomEvent("gazette:replace", { detail: values[key] }));
      else el.value = values[key];
    }
    form.dispatchEvent(new Event("input", { bubbles: true }));
  };
  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

  // The browser's copy, per editing page (a new article has its own until its first save).
  const key = "gazette.unsaved:" + address;
  const readCopy = () => {
    try { return JSON.parse(localStorage.getItem(key)); } catch { return null; }
  };
  const keepCopy = () => {
    try {
      // With the version it was typed over: restored, it is saved against that version, so
      // a save made meanwhile by someone else is shown beside it rather than overwritten.
      const copy = { at: Date.now(), version: version.value, values: snapshot() };
      localStorage.setItem(key, JSON.stringify(copy));
    } catch {
      // Storage full or refused: the server's autosave and the leave warning remain.
    }
  };
  const dropCopy = () => { try { localStorage.removeItem(key); } catch { /* nothing kept */ } };

  // Offered back when it differs from what the page shows; the writer chooses.
  const offerCopy = () => {
    const copy = readCopy();
    if (!copy || !copy.values) return;
    const shown = snapshot();
    if (same(copy.values, shown)) {
      if (new URLSearchParams(location.search).has("saved")) dropCopy();
      return;
    }
    if (!notice) return;
    const when = new Date(copy.at).toLocaleString([], { dateStyle: "medium", timeStyle: "short" });
    notice.querySelector(".recovery-time").textContent = when;
    notice.querySelector(".recovered-body").value = copy.values.body ?? "";
    notice.hidden = false;
    notice.querySelector("button[value=restore]").addEventListener("click", () => {
      if (copy.version !== undefined) version.value = copy.version;
      restore(copy.values);
      notice.hidden = true;
      status.textContent = "The text kept in this browser is back in the editor; it is not saved yet.";
    });
    notice.querySelector("button[value=discard]").addEventListener("click", () => {
      dropCopy();
      notice.hidden = true;
      status.textContent = "The text kept in this browser was discarded.";
    });
  };

  // Background saves: only existing drafts (a new article is created by its first save, and
  // a published one changes only when someone presses a button), and not a page showing a
  // conflict, whose text a person must merge first.
  const isDraft = version.value !== "" && form.dataset.status === "draft" &&
    !form.hasAttribute("data-no-autosave");
  const QUIET_MS = 2000;
  const LONGEST_MS = 10000;
  let changed = false;
  let quiet = null;
  let longest = null;
  let saving = false;

  const request = (keepalive) => {
    const data = new URLSearchParams(new FormData(form));
    data.set("action", "save");
    return fetch(address, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      keepalive,
      headers: { "x-gazette-autosave": "1" },
    });
  };
  const save = async () => {
    clearTimeout(quiet);
    clearTimeout(longest);
    longest = null;
    // A page someone else took over saves nothing (its text stays in this browser).
    if (!changed || saving || form.inert) return;
    saving = true;
    changed = false;
    const sent = snapshot();
    try {
      const response = await request(false);
      const answer = await response.json().catch(() => ({}));
      if (response.ok && answer.version) {
        version.value = answer.version;
        status.textContent = "Draft saved at " + new Date().toLocaleTimeString() + ".";
        // Only if nothing was typed while it was on its way.
        if (same(sent, snapshot())) {
          dropCopy();
          form.dispatchEvent(new Event("gazette:saved"));
        }
      } else {
        changed = true;
        status.textContent = answer.error || "The draft could not be saved automatically; it is kept in this browser.";
      }
    } catch {
      changed = true;
      status.textContent = "Offline: the draft is kept in this browser and saved when the connection returns.";
    } finally {
      saving = false;
    }
    if (changed && !form.hasAttribute("data-no-autosave")) schedule();
  };
  const schedule = () => {
    clearTimeout(quiet);
    quiet = setTimeout(save, QUIET_MS);
    longest ??= setTimeout(save, LONGEST_MS);
  };

  let copying = null;
  form.addEventListener("input", () => {
    clearTimeout(copying);
    copying = setTimeout(keepCopy, 300);
    if (!isDraft) return;
    changed = true;
    schedule();
  });
  form.addEventListener("submit", keepCopy);
  window.addEventListener("pagehide", () => { if (copying) keepCopy(); });
  window.addEventListener("online", () => { if (isDraft && changed) save(); });
  // Leaving the page: one last save, which the browser finishes even after the page is gone.
  window.addEventListener("pagehide", () => {
    if (isDraft && changed && !saving && !form.inert) request(true).catch(() => {});
  });
  offerCopy();
})();
