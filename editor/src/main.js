// The back office's Markdown editor: the article form's body textarea, shown as formatted
// text with a toolbar and shortcuts (ARCHITECTURE: the body stays CommonMark source).
//
// The textarea stays the form's field: it is hidden, every change in the editor is written
// back to it (with an `input` event, which the preview and autosave listen for), and the
// editor's text is put in it again when the form is sent, so the form saves exactly the text
// in the editor. Other scripts change the text through events on the textarea:
// `gazette:insert` (a block at the cursor) and `gazette:replace` (the whole text, as one
// step to undo). Without JavaScript, or for an HTML body, the textarea is used as it is.

import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { markdownKeymap } from "@codemirror/lang-markdown";
import { EditorState } from "@codemirror/state";
import { EditorView, drawSelection, keymap, placeholder } from "@codemirror/view";

import { FORMATS, insertSnippet } from "./commands.js";
import { describeLength } from "./counts.js";
import { embedPreviews } from "./embeds.js";
import { formatting } from "./formatting.js";
import { pictures } from "./images.js";
import { formattedPaste } from "./pasting.js";
import { markdownLanguage } from "./language.js";
import { toolbar } from "./toolbar.js";

function mount(textarea) {
  const label = document.querySelector(`label[for="${textarea.id}"]`);
  label.id ||= `${textarea.id}-label`;
  const box = document.createElement("div");
  box.className = "markdown-editor";
  const length = document.createElement("p");
  length.className = "help editor-length";
  length.id = `${textarea.id}-length`;

  const sync = EditorView.updateListener.of((update) => {
    if (!update.docChanged) return;
    textarea.value = update.state.doc.toString();
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
    length.textContent = describeLength(textarea.value);
  });
  const view = new EditorView({
    state: EditorState.create({
      doc: textarea.value,
      extensions: [
        history(),
        drawSelection(),
        EditorView.lineWrapping,
        markdownLanguage(),
        formatting,
        placeholder("Write the article…"),
        keymap.of([
          ...FORMATS.map((format) => ({ key: format.key, run: format.run })),
          ...markdownKeymap,
          ...defaultKeymap,
          ...historyKeymap,
        ]),
        // The page's policy allows the editor's own stylesheet only with this page's nonce.
        EditorView.cspNonce.of(document.querySelector("meta[name=style-nonce]")?.content ?? ""),
        EditorView.contentAttributes.of({
          "aria-labelledby": label.id,
          "aria-describedby": length.id,
          spellcheck: "true",
          autocapitalize: "sentences",
        }),
        sync,
        // Pictures dropped or pasted in go to the media library, for those who may upload.
        textarea.form.dataset.uploads === "on" ? pictures(textarea.form.elements.csrf.value) : [],
        // Then formatted text, as clean Markdown.
        formattedPaste(textarea.form.elements.csrf.value),
        embedPreviews(),
      ],
    }),
  });
  box.append(toolbar(view, FORMATS, label.textContent), view.dom);
  textarea.after(box, length);
  textarea.hidden = true;
  length.textContent = describeLength(textarea.value);
  textarea.addEventListener("gazette:insert", (event) => {
    insertSnippet(view, event.detail);
    view.focus();
  });
  textarea.addEventListener("gazette:replace", (event) => {
    const all = { from: 0, to: view.state.doc.length, insert: event.detail };
    view.dispatch({ changes: all, userEvent: "input.replace" });
  });
  textarea.form.addEventListener("submit", () => {
    textarea.value = view.state.doc.toString();
  });
  // Clicking the label goes to the editor, as it went to the textarea.
  label.addEventListener("click", () => view.focus());
  textarea.dataset.richEditor = "on";
}

const form = document.querySelector("form.editor");
const body = form?.querySelector("textarea#body");
const format = form?.querySelector("input[name=body_format]");
if (body && format?.value === "markdown") mount(body);
