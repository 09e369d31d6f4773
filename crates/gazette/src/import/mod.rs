//! Moving a journal from WordPress: `gazette import wxr`.
//!
//! The import reads the export twice. The first pass ([`survey`]) checks the whole file and
//! counts what it holds: a file that would be refused is refused before anything is written,
//! `--dry-run` reports the counts, and the second pass knows the id ranges it must preserve.

pub mod survey;
