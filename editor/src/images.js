// Pictures dropped or pasted into the text: each is uploaded to the media library (the
// library's own upload address, answering in JSON), with its progress shown in a dialog that
// asks for the text alternative; the picture goes in where it was dropped as Markdown, which
// the site renders with the library's sizes. The dialog is modal, so the text cannot change
// under the remembered position meanwhile.

import { EditorView } from "@codemirror/view";

/** The image files among `files` (a FileList), in order. */
function imagesOf(files) {
  return [...(files ?? [])].filter((file) => file.type.startsWith("image/"));
}

/** Markdown's image syntax closes at `]`; the description loses brackets, not words. */
function markdownImage(alt, url) {
  return `![${alt.replace(/[[\]]/g, "")}](${url})`;
}

/** Uploads `file`, reporting progress to `onProgress(percent)`; resolves to the new item. */
function upload(file, csrf, onProgress) {
  return new Promise((resolve, reject) => {
    const data = new FormData();
    data.append("csrf", csrf);
    data.append("file", file, file.name || "pasted-image.png");
    const request = new XMLHttpRequest();
    request.open("POST", "/admin/media/");
    request.setRequestHeader("Accept", "application/json");
    request.responseType = "json";
    request.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable) onProgress(Math.round((event.loaded / event.total) * 100));
    });
    request.addEventListener("load", () => {
      if (request.status === 201) resolve(request.response);
      else if (request.status === 403)
        reject(new Error("Your role does not include the media library; ask an editor to add the picture."));
      else reject(new Error(request.response?.error ?? `The upload failed (the server answered ${request.status}).`));
    });
    request.addEventListener("error", () => reject(new Error("The upload failed: the connection was lost.")));
    request.send(data);
  });
}

/** Saves the text alternative on the library item, so every later use has it too. */
async function describe(item, alt, csrf) {
  const body = new URLSearchParams({ csrf, alt, caption: item.caption, credit: item.credit });
  const response = await fetch(item.edit_url, {
    method: "POST",
    headers: { Accept: "application/json" },
    body,
  });
  if (!response.ok) throw new Error((await response.json()).error ?? "The description was not saved.");
}

/** The dialog for one picture: its progress, its description, Insert and Cancel. */
function dialogFor(file) {
  const dialog = document.createElement("dialog");
  dialog.className = "image-upload";
  dialog.setAttribute("aria-labelledby", "image-upload-title");
  dialog.innerHTML = `
    <h2 id="image-upload-title"></h2>
    <p><progress max="100" value="0" aria-labelledby="image-upload-title"></progress> <span class="upload-state" role="status"></span></p>
    <p><label for="image-upload-alt">Text alternative: what the picture shows, for readers who cannot see it</label>
    <input type="text" id="image-upload-alt" autocomplete="off"></p>
    <p class="actions"><button type="button" value="insert" disabled>Insert</button> <button type="button" value="cancel">Cancel</button></p>`;
  dialog.querySelector("h2").textContent = `Adding “${file.name || "pasted picture"}”`;
  document.body.append(dialog);
  return dialog;
}

/** Runs one picture's upload and dialog; resolves to the Markdown to insert, or null. */
function addPicture(file, csrf) {
  const dialog = dialogFor(file);
  const bar = dialog.querySelector("progress");
  const state = dialog.querySelector(".upload-state");
  const alt = dialog.querySelector("input");
  const insert = dialog.querySelector("button[value=insert]");
  let item = null;
  const uploading = upload(file, csrf, (percent) => {
    bar.value = percent;
    state.textContent = `Uploading: ${percent} %`;
  }).then(
    (uploaded) => {
      item = uploaded;
      bar.value = 100;
      state.textContent = "Uploaded.";
      insert.disabled = false;
    },
    (error) => {
      state.textContent = error.message;
    },
  );
  return new Promise((resolve) => {
    const finish = (markdown) => {
      dialog.close();
      dialog.remove();
      resolve(markdown);
    };
    dialog.addEventListener("cancel", () => finish(null));
    dialog.querySelector("button[value=cancel]").addEventListener("click", () => finish(null));
    insert.addEventListener("click", async () => {
      await uploading;
      const text = alt.value.trim();
      if (text && text !== item.alt) {
        try {
          await describe(item, text, csrf);
        } catch (error) {
          state.textContent = error.message;
          return;
        }
      }
      finish(markdownImage(text, item.url));
    });
    alt.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !insert.disabled) {
        event.preventDefault();
        insert.click();
      }
    });
    dialog.showModal();
    alt.focus();
  });
}

/** Puts `markdown` at `pos` as a paragraph of its own. */
function insertBlock(view, pos, markdown) {
  const doc = view.state.doc;
  const before = doc.sliceString(Math.max(0, pos - 2), pos);
  const after = doc.sliceString(pos, pos + 2);
  const lead = pos === 0 || before.endsWith("\n\n") ? "" : before.endsWith("\n") ? "\n" : "\n\n";
  const tail = pos === doc.length || after.startsWith("\n\n") ? "" : after.startsWith("\n") ? "\n" : "\n\n";
  const insert = `${lead}${markdown}${tail}`;
  view.dispatch({
    changes: { from: pos, insert },
    selection: { anchor: pos + lead.length + markdown.length },
    userEvent: "input.image",
  });
}

async function addPictures(view, files, pos, csrf) {
  for (const file of files) {
    const markdown = await addPicture(file, csrf);
    if (markdown) {
      insertBlock(view, pos, markdown);
      pos = view.state.selection.main.head;
    }
  }
  view.focus();
}

/** The editor extension; `csrf` is the form's token. */
export function pictures(csrf) {
  return EditorView.domEventHandlers({
    drop(event, view) {
      const files = imagesOf(event.dataTransfer?.files);
      if (!files.length) return false;
      event.preventDefault();
      const pos = view.posAtCoords({ x: event.clientX, y: event.clientY }) ?? view.state.selection.main.head;
      addPictures(view, files, pos, csrf);
      return true;
    },
    paste(event, view) {
      const files = imagesOf(event.clipboardData?.files);
      if (!files.length) return false;
      event.preventDefault();
      addPictures(view, files, view.state.selection.main.head, csrf);
      return true;
    },
  });
}
