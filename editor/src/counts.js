// Word count and reading time, as a reader would count: link addresses, footnote labels and
// HTML tags are not words.

const WORDS_PER_MINUTE = 250;
const WORD = /[\p{L}\p{N}]+(?:['’.\-][\p{L}\p{N}]+)*/gu;

/** The words a reader would read in `markdown`. */
export function countWords(markdown) {
  const text = markdown
    .replace(/\]\([^)]*\)/g, "]")
    .replace(/^\s*\[(?!\^)[^\]]+\]:\s*\S+.*$/gm, "")
    .replace(/\[\^[^\]\s]+\]:?/g, "")
    .replace(/<[^>]+>/g, " ");
  return (text.match(WORD) || []).length;
}

/** "412 words · 2 min read" */
export function describeLength(markdown) {
  const words = countWords(markdown);
  const minutes = Math.max(1, Math.ceil(words / WORDS_PER_MINUTE));
  const wordsText = words === 1 ? "1 word" : `${words.toLocaleString("en")} words`;
  return `${wordsText} · ${minutes} min read`;
}
