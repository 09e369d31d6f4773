//! What search engines and sharing services read: sitemaps, and (in the page templates)
//! structured data.

pub(crate) mod sitemaps;

pub use sitemaps::SitemapName;
