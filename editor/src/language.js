// The Markdown the editor parses for its display: CommonMark with GitHub's tables, task lists,
// strikethrough and autolinks, and footnotes, as Gazette's renderer reads it.
//
// `markdown()` from @codemirror/lang-markdown would also bundle the HTML, CSS and JavaScript
// languages for HTML blocks (about 70 KB compressed); the language is built here from its
// CommonMark parser instead. It keeps `commonmarkLanguage.data`, which the list and quote
// commands of `markdownKeymap` look for.

import { commonmarkLanguage } from "@codemirror/lang-markdown";
import { Language, LanguageSupport } from "@codemirror/language";
import { GFM } from "@lezer/markdown";

import { Footnotes } from "./footnotes.js";

const parser = commonmarkLanguage.parser.configure([GFM, Footnotes]);
const gazetteMarkdown = new Language(commonmarkLanguage.data, parser, [], "markdown");

export const markdownLanguage = () => new LanguageSupport(gazetteMarkdown);
