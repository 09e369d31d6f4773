// Formatted text pasted into the editor (from a word processor, a web page, an email) becomes
// clean Markdown: the server converts the clipboard's HTML with the same rules it uses for
// imported articles, so bold stays bold and lists stay lists while styles, spans and fonts go.
// Plain text is pasted as it is; if the conversion cannot be reached, so is the HTML's text.

import { EditorView } from "@codemirror/view";

async function toMarkdown(html, csrf) {
  const response = await fetch("/admin/markdown", {
    method: "POST",
    headers: { Accept: "application/json" },
    body: new URLSearchParams({ csrf, html }),
  });
  if (!response.ok) throw new Error(`conversion answered ${response.status}`);
  return (await response.json()).markdown;
}

/** Replaces the selection the paste was made over, unless the text changed meanwhile. */
function put(view, before, range, text) {
  const at = view.state.doc === before ? range : view.state.selection.main;
  view.dispatch({
    changes: { from: at.from, to: at.to, insert: text },
    selection: { anchor: at.from + text.length },
    userEvent: "input.paste",
    scrollIntoView: true,
  });
}

/** The editor extension; `csrf` is the form's token. */
export function formattedPaste(csrf) {
  return EditorView.domEventHandlers({
    paste(event, view) {
      const html = event.clipboardData?.getData("text/html");
      if (!html) return false;
      event.preventDefault();
      const plain = event.clipboardData.getData("text/plain");
      const before = view.state.doc;
      const range = view.state.selection.main;
      toMarkdown(html, csrf).then(
        (markdown) => put(view, before, range, markdown),
        () => put(view, before, range, plain),
      );
      return true;
    },
  });
}
