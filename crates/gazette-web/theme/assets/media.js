// The media library's enhancements. Without JavaScript every one of them has a plain form:
// the focal point is typed as two percentages.
(() => {
  "use strict";

  // Clicking a picture sets its focal point: the marker shows it, the numbers follow.
  const frame = document.querySelector(".focal-frame");
  const across = document.getElementById("focus_x");
  const down = document.getElementById("focus_y");
  if (frame && across && down) {
    const marker = frame.querySelector(".focal-marker");
    const hint = document.getElementById("focal-hint");
    const show = () => {
      marker.style.left = `${across.value}%`;
      marker.style.top = `${down.value}%`;
      marker.hidden = false;
    };
    const percent = (offset, size) => Math.min(100, Math.max(0, Math.round((offset / size) * 100)));
    frame.classList.add("pickable");
    if (hint) hint.hidden = false;
    frame.addEventListener("click", (event) => {
      const box = frame.querySelector("img").getBoundingClientRect();
      across.value = percent(event.clientX - box.left, box.width);
      down.value = percent(event.clientY - box.top, box.height);
      show();
    });
    across.addEventListener("input", show);
    down.addEventListener("input", show);
    show();
  }

  // Uploads: files dropped on the form or chosen in it are sent one request each, so each has
  // its own progress bar and its own answer. When all are kept, the library shows them (or,
  // for a single picture, its own page, as after the form).
  const uploadForm = document.querySelector("form.upload");
  if (uploadForm) {
    const zone = uploadForm.querySelector(".drop-zone");
    const list = uploadForm.querySelector(".upload-progress");
    const picker = uploadForm.querySelector("input[type=file]");
    const sendAll = async (files) => {
      list.hidden = false;
      list.replaceChildren();
      const single = files.length === 1;
      const items = await Promise.all(files.map((file) => send(file, single)));
      if (!items.every(Boolean)) return;
      location.assign(single ? `${items[0].edit_url}?uploaded` : `/admin/media/?uploaded=${items.length}`);
    };
    const send = (file, single) =>
      new Promise((resolve) => {
        const row = document.createElement("li");
        const name = document.createElement("span");
        name.textContent = file.name;
        const bar = document.createElement("progress");
        bar.max = 100;
        bar.value = 0;
        bar.setAttribute("aria-label", `Uploading ${file.name}`);
        const state = document.createElement("span");
        state.className = "upload-state";
        row.append(name, " ", bar, " ", state);
        list.append(row);
        const data = new FormData();
        data.append("csrf", uploadForm.elements.csrf.value);
        data.append("file", file, file.name);
        for (const field of ["caption", "credit", ...(single ? ["alt"] : [])]) {
          data.append(field, uploadForm.elements[field].value);
        }
        const request = new XMLHttpRequest();
        request.open("POST", uploadForm.getAttribute("action"));
        request.setRequestHeader("Accept", "application/json");
        request.responseType = "json";
        request.upload.addEventListener("progress", (event) => {
          if (event.lengthComputable) bar.value = Math.round((event.loaded / event.total) * 100);
        });
        request.addEventListener("load", () => {
          const answer = request.response ?? {};
          if (request.status === 201) {
            bar.value = 100;
            const link = document.createElement("a");
            link.href = answer.edit_url;
            link.textContent = "Uploaded: describe it";
            state.append(link);
            resolve(answer);
          } else {
            row.classList.add("failed");
            state.textContent = answer.error ?? `Not kept (the server answered ${request.status}).`;
            resolve(null);
          }
        });
        request.addEventListener("error", () => {
          row.classList.add("failed");
          state.textContent = "Not sent: the connection failed. Try this file again.";
          resolve(null);
        });
        request.send(data);
      });
    uploadForm.addEventListener("submit", (event) => {
      if (!picker.files.length) return;
      event.preventDefault();
      sendAll([...picker.files]);
    });
    zone.addEventListener("dragover", (event) => {
      event.preventDefault();
      zone.classList.add("drop-target");
    });
    zone.addEventListener("dragleave", () => zone.classList.remove("drop-target"));
    zone.addEventListener("drop", (event) => {
      event.preventDefault();
      zone.classList.remove("drop-target");
      const files = [...event.dataTransfer.files];
      if (files.length) sendAll(files);
    });
  }

  // Describing in place: the grid's forms are saved without leaving the page.
  for (const form of document.querySelectorAll("form.describe-form")) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const state = form.querySelector(".save-state");
      state.textContent = "Saving…";
      try {
        const response = await fetch(form.getAttribute("action"), {
          method: "POST",
          headers: { Accept: "application/json" },
          body: new URLSearchParams(new FormData(form)),
        });
        const answer = await response.json();
        if (!response.ok) {
          state.textContent = answer.error ?? `Not saved (the server answered ${response.status}).`;
          return;
        }
        state.textContent = "Saved.";
        const warning = form.closest("li").querySelector(".warning");
        if (warning) warning.hidden = answer.saved.alt !== "";
      } catch {
        state.textContent = "Not saved: the connection failed. Try again.";
      }
    });
  }
})();
