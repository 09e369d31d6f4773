//! What search engines and sharing services read: sitemaps, schema.org structured data and
//! OpenGraph / Twitter card tags.

pub(crate) mod sitemaps;
