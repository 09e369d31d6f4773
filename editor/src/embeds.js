// A link to an allowed provider alone on its line is shown with the player or chart readers
// will see under it. The server says what a link becomes (the same rules as the published
// page, `/admin/embed`); each link is asked about once, half a second after typing stops.
// The editor counts the answers in `data-links-checked`, which tells a test (or a curious
// reader of the page) that a link which stays a link was asked about.

import { StateEffect, StateField } from "@codemirror/state";
import { Decoration, EditorView, ViewPlugin, WidgetType } from "@codemirror/view";

const ALONE = /^\s*(https?:\/\/\S+)\s*$/;
const QUIET_MS = 500;

/** A server answer arrived: the decorations are worked out again. */
const answered = StateEffect.define();

class EmbedPreview extends WidgetType {
  constructor(link, answer) {
    super();
    this.link = link;
    this.answer = answer;
  }

  eq(other) {
    return other.link === this.link;
  }

  toDOM() {
    const box = document.createElement("div");
    box.className = "embed-preview";
    box.setAttribute("contenteditable", "false");
    const label = document.createElement("p");
    label.className = "help";
    label.textContent = `Readers see this ${this.answer.provider} frame here.`;
    box.innerHTML = this.answer.html;
    box.prepend(label);
    return box;
  }

  ignoreEvent() {
    return true;
  }
}

/** The link alone on each line, with its line. */
function* aloneLinks(doc) {
  for (let n = 1; n <= doc.lines; n++) {
    const line = doc.line(n);
    const match = ALONE.exec(line.text);
    if (match) yield { line, link: match[1] };
  }
}

export function embedPreviews() {
  // Answers by link: the frame's provider and HTML, or null for a link that stays a link.
  const answers = new Map();
  const decorate = (state) =>
    Decoration.set(
      [...aloneLinks(state.doc)]
        .filter(({ link }) => answers.get(link))
        .map(({ line, link }) =>
          Decoration.widget({ widget: new EmbedPreview(link, answers.get(link)), block: true, side: 1 }).range(line.to),
        ),
    );
  const previews = StateField.define({
    create: decorate,
    update: (value, tr) => (tr.docChanged || tr.effects.some((e) => e.is(answered)) ? decorate(tr.state) : value),
    provide: (field) => EditorView.decorations.from(field),
  });
  const asker = ViewPlugin.fromClass(
    class {
      constructor(view) {
        this.timer = setTimeout(() => this.ask(view), 0);
      }
      update(update) {
        if (!update.docChanged) return;
        clearTimeout(this.timer);
        this.timer = setTimeout(() => this.ask(update.view), QUIET_MS);
      }
      destroy() {
        clearTimeout(this.timer);
      }
      ask(view) {
        for (const { link } of aloneLinks(view.state.doc)) {
          if (answers.has(link)) continue;
          answers.set(link, null);
          const counted = () => {
            view.dom.dataset.linksChecked = String(Number(view.dom.dataset.linksChecked ?? 0) + 1);
          };
          fetch(`/admin/embed?url=${encodeURIComponent(link)}`, { headers: { Accept: "application/json" } })
            .then((response) => (response.ok ? response.json() : null))
            .then((answer) => {
              counted();
              if (!answer) return;
              answers.set(link, answer);
              view.dispatch({ effects: answered.of(link) });
            })
            .catch(() => answers.delete(link));
        }
      }
    },
  );
  return [previews, asker];
}
