//! Moving a journal from and to WordPress, over the WXR format of `gazette-wxr`: the import
//! ([`import`]: posts, pages, comments, media, menus, settings and the old addresses) and the
//! export ([`export`]: a WXR file WordPress's importer reads). [`wordpress_names`] is the one
//! table of how WordPress names statuses and comment kinds, which both directions read.

pub mod export;
pub mod import;
pub mod wordpress_names;
