// Shows the Markdown as it will read: headings large, emphasis emphasised, quotes set off,
// links coloured. Marks (`**`, `#`, `>`) are hidden on lines the cursor is not on and shown
// faintly where it is, so they can be seen and edited there. The text itself is never
// changed: this is only how it is drawn.

import { syntaxTree } from "@codemirror/language";
import { Decoration, EditorView, ViewPlugin } from "@codemirror/view";

const lineClass = (name) => Decoration.line({ class: name });
const markClass = (name) => Decoration.mark({ class: name });
const hidden = Decoration.replace({});
const faint = markClass("md-mark");

/** Inline nodes and the class each is drawn with. */
const INLINE = {
  Emphasis: "md-em",
  StrongEmphasis: "md-strong",
  Strikethrough: "md-del",
  InlineCode: "md-code",
  Link: "md-link",
  URL: "md-url",
  FootnoteReference: "md-footnote-ref",
  FootnoteLabel: "md-footnote-ref",
};

/** Block nodes and the class each of their lines is drawn with. */
const BLOCK = {
  Blockquote: "md-quote",
  FencedCode: "md-pre",
  CodeBlock: "md-pre",
  Table: "md-table",
  FootnoteDefinition: "md-footnote",
};

/** Marks hidden away from the cursor; the others are always shown faintly. */
const HIDDEN_MARKS = new Set(["HeaderMark", "EmphasisMark", "StrikethroughMark", "QuoteMark"]);
const FAINT_MARKS = new Set(["LinkMark", "ListMark", "TableDelimiter", "CodeMark", "CodeInfo"]);

/** The numbers of the lines holding a selection or the cursor. */
function activeLines(state) {
  const lines = new Set();
  for (const range of state.selection.ranges) {
    const last = state.doc.lineAt(range.to).number;
    for (let number = state.doc.lineAt(range.from).number; number <= last; number++) {
      lines.add(number);
    }
  }
  return lines;
}

function decorations(view) {
  const { state } = view;
  const active = activeLines(state);
  const found = [];
  const eachLine = (from, to, decoration) => {
    for (let at = from; at <= to; ) {
      const line = state.doc.lineAt(at);
      found.push(decoration.range(line.from));
      at = line.to + 1;
    }
  };
  for (const { from, to } of view.visibleRanges) {
    syntaxTree(state).iterate({
      from,
      to,
      enter(node) {
        const heading = /^(?:ATX|Setext)Heading(\d)$/.exec(node.name);
        if (heading) {
          eachLine(node.from, node.to, lineClass(`md-heading md-h${heading[1]}`));
        } else if (BLOCK[node.name]) {
          eachLine(node.from, node.to, lineClass(BLOCK[node.name]));
        } else if (INLINE[node.name] && node.to > node.from) {
          found.push(markClass(INLINE[node.name]).range(node.from, node.to));
        } else if (FAINT_MARKS.has(node.name) && node.to > node.from) {
          found.push(faint.range(node.from, node.to));
        } else if (HIDDEN_MARKS.has(node.name) && node.to > node.from) {
          found.push(markRange(state, node, active));
        }
      },
    });
  }
  return Decoration.set(found, true);
}

/** A mark hidden, or faint on an active line or where hiding it would hide too much. */
function markRange(state, node, active) {
  const line = state.doc.lineAt(node.from);
  // A setext underline or an ATX heading's closing hashes stay visible, faintly.
  const trailing = node.name === "HeaderMark" && node.from > line.from;
  if (active.has(line.number) || trailing) return faint.range(node.from, node.to);
  let end = node.to;
  const spaceFollows = state.sliceDoc(end, end + 1) === " ";
  if ((node.name === "HeaderMark" || node.name === "QuoteMark") && spaceFollows) end += 1;
  return hidden.range(node.from, end);
}

const STYLES = EditorView.baseTheme({
  ".md-heading": { fontWeight: "700", lineHeight: "1.3" },
  ".md-h1": { fontSize: "1.6em" },
  ".md-h2": { fontSize: "1.4em" },
  ".md-h3": { fontSize: "1.2em" },
  ".md-em": { fontStyle: "italic" },
  ".md-strong": { fontWeight: "700" },
  ".md-del": { textDecoration: "line-through" },
  ".md-code": { fontFamily: "ui-monospace, monospace", backgroundColor: "#f0f0ee" },
  ".md-link": { color: "#0b4f9c", textDecoration: "underline" },
  ".md-url": { color: "#555049" },
  ".md-footnote-ref": { color: "#0b4f9c", fontSize: "0.85em" },
  ".md-mark": { color: "#6b6b66" },
  ".md-quote": { borderLeft: "4px solid #a9a9a4", paddingLeft: "1em", color: "#3d3d3a" },
  ".md-pre, .md-table": { fontFamily: "ui-monospace, monospace" },
  ".md-pre": { backgroundColor: "#f0f0ee" },
  ".md-footnote": { fontSize: "0.9em" },
});

export const formatting = [
  ViewPlugin.fromClass(
    class {
      constructor(view) {
        this.decorations = decorations(view);
      }

      update(update) {
        const reparsed = syntaxTree(update.startState) !== syntaxTree(update.state);
        if (update.docChanged || update.viewportChanged || update.selectionSet || reparsed) {
          this.decorations = decorations(update.view);
        }
      }
    },
    { decorations: (plugin) => plugin.decorations },
  ),
  STYLES,
];
