// GFM footnotes for the Lezer Markdown parser, which ships tables, task lists, strikethrough
// and autolinks but no footnotes: `[^label]` references inline, and `[^label]: text`
// definitions as blocks. A definition is styled from its first paragraph on; what the site
// renders is decided by the server's renderer, never by this parser.

const REFERENCE = /^\[\^([^\]\s]+)\]/;
const DEFINITION = /^\[\^([^\]\s]+)\]:/;

/** Finishes a paragraph that starts like a definition as a `FootnoteDefinition`. */
class DefinitionParser {
  nextLine() {
    return false;
  }

  finish(cx, leaf) {
    const found = DEFINITION.exec(leaf.content);
    if (!found) return false;
    const start = leaf.start;
    const labelEnd = start + found[0].length;
    const text = cx.parser.parseInline(leaf.content.slice(found[0].length), labelEnd);
    cx.addLeafElement(
      leaf,
      cx.elt("FootnoteDefinition", start, start + leaf.content.length, [
        cx.elt("FootnoteLabel", start, labelEnd),
        ...text,
      ]),
    );
    return true;
  }
}

const OPEN_BRACKET = 91;
const CARET = 94;

export const Footnotes = {
  defineNodes: [
    { name: "FootnoteDefinition", block: true },
    { name: "FootnoteLabel" },
    { name: "FootnoteReference" },
  ],
  parseBlock: [
    {
      name: "FootnoteDefinition",
      before: "LinkReference",
      leaf: (cx, leaf) => (DEFINITION.test(leaf.content) ? new DefinitionParser() : null),
    },
  ],
  parseInline: [
    {
      name: "FootnoteReference",
      before: "Link",
      parse(cx, next, pos) {
        if (next !== OPEN_BRACKET || cx.char(pos + 1) !== CARET) return -1;
        const found = REFERENCE.exec(cx.slice(pos, cx.end));
        return found ? cx.addElement(cx.elt("FootnoteReference", pos, pos + found[0].length)) : -1;
      },
    },
  ],
};
