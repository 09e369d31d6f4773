//! Gazette's domain: the types a news journal is made of and the rules that govern them.
//!
//! Everything here is pure: no I/O, no HTTP, no database. Values are parsed once at the edge
//! (`Slug::parse`, `Issn::parse`, `Email::parse`, …) so that an invalid value cannot exist further
//! in. Time comes from a [`Clock`], never from the system directly, so time rules are testable.

pub mod address;
pub mod article;
pub mod client_address;
pub mod clock;
pub mod comment;
pub mod csv;
pub mod curation;
pub mod desk;
pub mod diff;
pub mod digits;
pub mod email;
pub mod embed;
pub mod host;
pub mod html;
pub mod issn;
pub mod media;
pub mod newsletter;
pub mod page;
pub mod password;
pub mod permalink;
pub mod person;
pub mod profile;
pub mod publication;
pub mod redirect;
pub mod session;
pub mod signing;
pub mod site_files;
pub mod slug;
pub mod taxonomy;

pub use article::{
    Article, ArticleAddress, ArticleId, BodyFormat, FeaturedImage, Genre, Status, canonical_address,
};
pub use client_address::ClientAddress;
pub use clock::{Clock, ManualClock, SystemClock};
pub use comment::{
    Assessment, Comment, CommentId, CommentKind, CommentPolicy, CommentStatus, FormAge,
    ModerationMode, ReplySubscription, Signals,
};
pub use email::Email;
pub use host::{Authority, AuthorityError};
pub use html::SafeHtml;
pub use issn::Issn;
pub use media::{FocalPoint, ImageFormat, Media, MediaId};
pub use newsletter::{
    Cadence, Newsletter, NewsletterId, Subscriber, SubscriberId, SubscriberStatus, Suppression,
};
pub use page::{Page, PageId};
pub use permalink::{PermalinkFields, PermalinkPattern};
pub use person::{Capability, Person, PersonId, Role};
pub use publication::{FeedSettings, LanguageTag, Publication, TimeZoneName};
pub use redirect::{Redirect, RedirectId, RedirectRule, RedirectStatus};
pub use slug::{LegacySlug, Slug};
pub use taxonomy::{Section, SectionId, Tag, TagId};
