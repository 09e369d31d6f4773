// The formatting commands of the toolbar and its shortcuts. Each edits the Markdown source
// itself, as a writer typing the marks would: undo takes back one command, and nothing is
// ever rewritten that the writer did not touch.

import { EditorSelection } from "@codemirror/state";

/** Wraps each selection in `mark` (`**`, `*`, `~~`, `` ` ``), or unwraps it if already wrapped. */
export const toggleInline = (mark) => (view) => {
  const { state } = view;
  const size = mark.length;
  view.dispatch(
    state.changeByRange((range) => {
      const text = state.sliceDoc(range.from, range.to);
      const outside =
        state.sliceDoc(range.from - size, range.from) === mark &&
        state.sliceDoc(range.to, range.to + size) === mark;
      if (outside) {
        return {
          changes: [
            { from: range.from - size, to: range.from },
            { from: range.to, to: range.to + size },
          ],
          range: EditorSelection.range(range.from - size, range.to - size),
        };
      }
      const inside = text.length >= 2 * size && text.startsWith(mark) && text.endsWith(mark);
      if (inside) {
        return {
          changes: { from: range.from, to: range.to, insert: text.slice(size, -size) },
          range: EditorSelection.range(range.from, range.to - 2 * size),
        };
      }
      return {
        changes: [
          { from: range.from, insert: mark },
          { from: range.to, insert: mark },
        ],
        range: EditorSelection.range(range.from + size, range.to + size),
      };
    }),
    { scrollIntoView: true, userEvent: "input.format" },
  );
  return true;
};

/** The line prefixes a block command replaces: headings, quotes, bullets, numbers. */
const BLOCK_PREFIX = /^(?:#{1,6} |> ?|[-*+] |\d+[.)] )?/;

/** The lines the selection touches, each once. */
function selectedLines(state) {
  const lines = new Map();
  for (const range of state.selection.ranges) {
    const last = state.doc.lineAt(range.to).number;
    for (let number = state.doc.lineAt(range.from).number; number <= last; number++) {
      lines.set(number, state.doc.line(number));
    }
  }
  return [...lines.values()];
}

/**
 * Gives the selected lines the prefix `make(index)` (`## `, `> `, `- `, `1. `), replacing
 * another block prefix; if every line already has this kind of prefix, removes it.
 */
export const toggleBlock = (kind, make) => (view) => {
  const { state } = view;
  const lines = selectedLines(state);
  const prefixOf = (line) => BLOCK_PREFIX.exec(line.text)[0];
  const every = lines.every((line) => kind.test(prefixOf(line)));
  const changes = state.changes(
    lines.map((line, index) => ({
      from: line.from,
      to: line.from + prefixOf(line).length,
      insert: every ? "" : make(index),
    })),
  );
  // A cursor where a prefix goes in ends up after it, ready to type.
  const selection = state.selection.map(changes, 1);
  view.dispatch({ changes, selection, scrollIntoView: true, userEvent: "input.format" });
  return true;
};

export const heading = (level) =>
  toggleBlock(new RegExp(`^#{${level}} $`), () => "#".repeat(level) + " ");
export const quote = toggleBlock(/^> ?$/, () => "> ");
export const bulletList = toggleBlock(/^[-*+] $/, () => "- ");
export const numberedList = toggleBlock(/^\d+[.)] $/, (index) => `${index + 1}. `);

/** Adds a line for the speaker's name under the quote the cursor is in. */
export const attribution = (view) => {
  const { state } = view;
  const line = state.doc.lineAt(state.selection.main.head);
  if (!/^> ?/.test(line.text)) return false;
  let last = line;
  while (last.number < state.doc.lines && /^> ?/.test(state.doc.line(last.number + 1).text)) {
    last = state.doc.line(last.number + 1);
  }
  const insert = "\n>\n> — ";
  view.dispatch({
    changes: { from: last.to, insert },
    selection: EditorSelection.cursor(last.to + insert.length),
    scrollIntoView: true,
    userEvent: "input.format",
  });
  return true;
};

/** Makes the selection a link, with its address selected for typing. */
export const link = (view) => {
  view.dispatch(
    view.state.changeByRange((range) => {
      const text = view.state.sliceDoc(range.from, range.to);
      if (/^https?:\/\/\S+$/.test(text)) {
        const insert = `[](${text})`;
        return {
          changes: { from: range.from, to: range.to, insert },
          range: EditorSelection.cursor(range.from + 1),
        };
      }
      const label = text || "text";
      const insert = `[${label}](https://)`;
      const address = range.from + label.length + 3;
      return {
        changes: { from: range.from, to: range.to, insert },
        range: EditorSelection.range(address, address + "https://".length),
      };
    }),
    { scrollIntoView: true, userEvent: "input.format" },
  );
  return true;
};

/** Text to insert as blocks of their own at the cursor: a blank line before and after. */
function insertBlock(view, block, cursorOffset) {
  const { state } = view;
  const at = state.selection.main.to;
  const before = state.sliceDoc(Math.max(0, at - 2), at);
  const lead = at === 0 || before === "\n\n" ? "" : before.endsWith("\n") ? "\n" : "\n\n";
  const insert = `${lead}${block}\n\n`;
  view.dispatch({
    changes: { from: at, insert },
    selection: EditorSelection.cursor(at + lead.length + cursorOffset),
    scrollIntoView: true,
    userEvent: "input.format",
  });
  return true;
}

export const table = (view) =>
  insertBlock(view, "| Column | Column |\n| --- | --- |\n|  |  |", 2);

/** Inserts the next numbered footnote's reference and puts the cursor in its definition. */
export const footnote = (view) => {
  const { state } = view;
  const text = state.doc.toString();
  const used = [...text.matchAll(/\[\^(\d+)\]/g)].map((found) => Number(found[1]));
  const label = `[^${Math.max(0, ...used) + 1}]`;
  const at = state.selection.main.to;
  const end = state.doc.length;
  const gap = text.endsWith("\n\n") ? "" : text.endsWith("\n") ? "\n" : "\n\n";
  const definition = `${gap}${label}: `;
  view.dispatch({
    changes: [
      { from: at, insert: label },
      { from: end, insert: definition },
    ],
    selection: EditorSelection.cursor(end + label.length + definition.length),
    scrollIntoView: true,
    userEvent: "input.format",
  });
  return true;
};

/** Inserts `text` (a library image's code) as a block at the cursor. */
export const insertSnippet = (view, text) => insertBlock(view, text, text.length);

/**
 * The toolbar, in order: each button's name, its shortcut (CodeMirror's notation; `Mod` is
 * Ctrl, or Cmd on a Mac) and what it does. A button shows its name, or a letter that begins
 * it (accessible names must hold what is shown: WCAG's "label in name").
 */
export const FORMATS = [
  { name: "Bold", label: "B", key: "Mod-b", run: toggleInline("**") },
  { name: "Italic", label: "I", key: "Mod-i", run: toggleInline("*") },
  { name: "Strikethrough", label: "S", key: "Mod-Shift-x", run: toggleInline("~~") },
  { name: "Link", key: "Mod-k", run: link },
  { name: "Heading", key: "Mod-Alt-2", run: heading(2) },
  { name: "Subheading", key: "Mod-Alt-3", run: heading(3) },
  { name: "Bullets", key: "Mod-Shift-8", run: bulletList },
  { name: "Numbers", key: "Mod-Shift-7", run: numberedList },
  { name: "Quote", key: "Mod-Shift-9", run: quote },
  { name: "Attribution", key: "Mod-Shift-a", run: attribution },
  { name: "Table", key: "Mod-Alt-t", run: table },
  { name: "Footnote", key: "Mod-Alt-f", run: footnote },
];
