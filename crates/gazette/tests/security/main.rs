//! The findings of the first release's security review ([R2 1/8]), one module each. Every test
//! here failed before its finding was fixed; the module comments say what the attack was.

mod authors;
mod client_address;
mod commenters;
mod low;
mod media_headlines;
mod open_redirects;
mod passwords;
mod raw_html;
mod share_links;
mod sign_in;
mod support;
