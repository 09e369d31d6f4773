// The editor's progressive enhancements; the form works without them.
// - A live preview of the body, rendered by the site's own renderer (POST /admin/render), in a
//   sandboxed frame.
// - A warning before leaving the page with unsaved changes.
// Saving drafts in the background and keeping unsaved text in the browser is drafts.js.
(() => {
  "use strict";
  const form = document.querySelector("form.editor");
  if (!form) return;
  const body = form.querySelector("#body");
  const csrf = form.querySelector("input[name=csrf]").value;
  const format = form.querySelector("input[name=body_format]").value;
  const previewBox = document.querySelector(".live-preview");
  const preview = document.getElementById("live-preview");
  let dirty = false;
  let timer = null;
  // drafts.js says when the server has the text: nothing is left to lose then.
  form.addEventListener("gazette:saved", () => { dirty = false; });

  const rawBox = form.querySelector("input[name=allow_raw_html]");
  const escapeAttribute = (text) => text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
  const renderPreview = async () => {
    const data = new URLSearchParams({ csrf, body: body.value, body_format: format });
    if (rawBox) {
      data.set("raw_html_box", "1");
      if (rawBox.checked) data.set("allow_raw_html", "1");
    }
    const response = await fetch("/admin/render", { method: "POST", body: data, credentials: "same-origin" });
    if (!response.ok) return;
    // What publishing would show, raw HTML included when allowed: it goes into a frame
    // sandboxed without allow-same-origin, never into this page.
    const html = await response.text();
    const stylesheet = escapeAttribute(preview.dataset.stylesheet || "");
    preview.srcdoc = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><link rel=\"stylesheet\" href=\"" +
      stylesheet + "\"></head><body><article class=\"story-body\">" + html + "</article></body></html>";
    previewBox.hidden = false;
  };

  form.addEventListener("input", () => {
    dirty = true;
    clearTimeout(timer);
    timer = setTimeout(renderPreview, 400);
  });
  // Shown from the start, beside the text on a wide screen.
  if (body.value.trim() !== "") renderPreview();
  form.addEventListener("submit", () => { dirty = false; });
  window.addEventListener("beforeunload", (event) => {
    if (dirty) event.preventDefault();
  });
})();

// Tag completion: the browser's list completes the tag being typed after the last comma.
(() => {
  "use strict";
  const input = document.getElementById("tags");
  const list = document.getElementById("tag-names");
  if (!input || !list) return;
  const names = Array.from(list.options, (o) => o.value);
  input.addEventListener("input", () => {
    const parts = input.value.split(",");
    const done = parts.slice(0, -1).map((p) => p.trim()).filter(Boolean);
    const prefix = done.length ? done.join(", ") + ", " : "";
    // Offer "done tags, candidate" so choosing an option keeps what was typed before.
    list.replaceChildren(...names
      .filter((n) => !done.includes(n))
      .map((n) => Object.assign(document.createElement("option"), { value: prefix + n })));
  });
})();

// Inserting a library image into the body at the cursor (the code is shown for copying too).
(() => {
  "use strict";
  const body = document.getElementById("body");
  if (!body) return;
  for (const button of document.querySelectorAll("button.insert-image")) {
    button.hidden = false;
    button.addEventListener("click", () => {
      // The Markdown editor, when it replaces the textarea, inserts at its own cursor.
      if (body.dataset.richEditor) {
        body.dispatchEvent(new CustomEvent("gazette:insert", { detail: button.dataset.snippet }));
        return;
      }
      const snippet = "\n\n" + button.dataset.snippet + "\n\n";
      const at = body.selectionStart ?? body.value.length;
      body.setRangeText(snippet, at, body.selectionEnd ?? at, "end");
      body.dispatchEvent(new Event("input", { bubbles: true }));
      body.focus();
    });
  }
})();

// How the article will be listed by search engines and on social networks, with the lengths
// they show, following the fields as they are typed.
(() => {
  "use strict";
  const form = document.querySelector("form.editor");
  const box = document.querySelector(".listing-preview");
  if (!form || !box) return;
  const value = (id) => (document.getElementById(id)?.value ?? "").trim();
  const show = (selector, text) => { for (const el of box.querySelectorAll(selector)) el.textContent = text; };
  const count = (id, text, limit) => {
    const el = document.getElementById(id);
    el.textContent = String([...text].length);
    el.classList.toggle("over-limit", [...text].length > limit);
  };
  const update = () => {
    const title = value("seo_title") || value("headline");
    const description = value("seo_description") || value("standfirst");
    show(".search-result-title", title);
    show(".search-result-description", description);
    show(".social-card-title", value("headline"));
    show(".social-card-description", description);
    count("title-length", title, 60);
    count("description-length", description, 160);
  };
  form.addEventListener("input", update);
  update();
})();

// Merging after an outdated save: the choices made for each difference (and the headline)
// become the text in the editor, as one step to undo; saving it is the writer's decision.
(() => {
  "use strict";
  const form = document.querySelector("form.editor");
  const merge = document.querySelector("section.merge");
  if (!form || !merge) return;
  const apply = merge.querySelector(".apply-merge");
  const status = merge.querySelector(".merge-status");
  const body = form.querySelector("#body");
  apply.hidden = false;
  apply.addEventListener("click", () => {
    const parts = [];
    for (const segment of merge.querySelectorAll(".merge-segments > li")) {
      if (segment.classList.contains("merge-same")) {
        parts.push(segment.dataset.text);
        continue;
      }
      const choice = segment.querySelector("input[type=radio]:checked")?.value ?? "mine";
      const side = (name) => (segment.dataset[`${name}Lines`] === "0" ? [] : [segment.dataset[name]]);
      const kept = { theirs: side("theirs"), mine: side("mine"), both: [...side("theirs"), ...side("mine")] };
      parts.push(...kept[choice]);
    }
    let merged = parts.join("\n");
    if (merge.dataset.endsWithNewline === "true") merged += "\n";
    if (body.dataset.richEditor) {
      body.dispatchEvent(new CustomEvent("gazette:replace", { detail: merged }));
    } else {
      body.value = merged;
      body.dispatchEvent(new Event("input", { bubbles: true }));
    }
    const headline = merge.querySelector("input[name=merge-headline]:checked");
    if (headline?.value === "theirs") form.elements.headline.value = headline.dataset.text;
    status.textContent = "The merged text is in the editor. Read it over, then save.";
    form.elements.headline.focus();
  });
})();
