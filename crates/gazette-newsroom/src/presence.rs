//! Editing together: who else has an article open, and taking it over.
//!
//! Each editor page has a random id (its tab) and tells the server every few seconds that it is
//! still open. The first person to open an article holds it; someone who opens it after them
//! waits, told who holds it and since when, until the holder leaves or they take the article
//! over explicitly, which the holder's page learns on its next heartbeat. One person's own
//! pages never wait for each other (the version check still guards their saves).

use gazette_core::{ArticleId, PersonId};
use jiff::SignedDuration;
use rand::RngCore as _;

pub use gazette_store::Presence;
use gazette_store::{Store, StoreError};

/// A page not heard from for this long has been closed.
pub const LIVE_FOR: SignedDuration = SignedDuration::from_secs(30);

/// A new editor page's id: 128 random bits, hex-encoded.
pub fn new_tab() -> String {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// Whether `tab` is an id [`new_tab`] could have made (anything else is refused unread).
pub fn is_tab(tab: &str) -> bool {
    tab.len() == 32 && tab.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Where one page stands among the others open on the same article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standing {
    /// Other people's open pages, first opened first.
    pub others: Vec<Presence>,
    /// The page this one waits for: another person's, opened earlier, not taken over.
    pub waiting_for: Option<Presence>,
    /// Who took the article over from this page.
    pub taken_over_by: Option<PersonId>,
}

impl Standing {
    fn of(mine: &Presence, live: Vec<Presence>) -> Self {
        let others: Vec<Presence> = live
            .into_iter()
            .filter(|page| page.person != mine.person)
            .collect();
        let waiting_for = others
            .iter()
            .find(|page| {
                page.taken_over_by.is_none()
                    && (page.opened_at, &page.tab) < (mine.opened_at, &mine.tab)
            })
            .cloned();
        Self {
            others,
            waiting_for: if mine.taken_over_by.is_some() {
                None
            } else {
                waiting_for
            },
            taken_over_by: mine.taken_over_by,
        }
    }
}

/// Records that `person`'s page `tab` has `article` open (its opening, or a heartbeat), and
/// says where it stands.
pub async fn here(
    store: &Store,
    article: ArticleId,
    tab: &str,
    person: PersonId,
) -> Result<Standing, StoreError> {
    let now = store.clock().now();
    let tab = tab.to_owned();
    let mine = store
        .write(|tx| Box::pin(async move { tx.touch_presence(article, &tab, person).await }))
        .await?;
    let live = store.article_presence(article, now - LIVE_FOR).await?;
    Ok(Standing::of(&mine, live))
}

/// `person` takes `article` over from everyone else who has it open.
pub async fn take_over(
    store: &Store,
    article: ArticleId,
    person: PersonId,
) -> Result<u64, StoreError> {
    let live_since = store.clock().now() - LIVE_FOR;
    store
        .write(|tx| {
            Box::pin(async move { tx.take_over_article(article, person, live_since).await })
        })
        .await
}

/// Forgets the pages closed without saying so (silent for more than a day): the daily chore
/// that forgets expired access calls it. Returns how many.
pub async fn forget_silent(store: &Store) -> Result<u64, StoreError> {
    let before = store.clock().now() - SignedDuration::from_hours(24);
    store
        .write(|tx| Box::pin(async move { tx.prune_presence(before).await }))
        .await
}

/// Forgets a page that was closed, so nobody waits for it.
pub async fn leave(store: &Store, article: ArticleId, tab: &str) -> Result<(), StoreError> {
    let tab = tab.to_owned();
    store
        .write(|tx| Box::pin(async move { tx.leave_article(article, &tab).await }))
        .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::Timestamp;

    fn page(tab: &str, person: i64, opened: i64, taken_over_by: Option<i64>) -> Presence {
        let at = Timestamp::from_second(opened).expect("a time");
        Presence {
            tab: tab.to_owned(),
            person: PersonId(person),
            opened_at: at,
            seen_at: at,
            taken_over_by: taken_over_by.map(PersonId),
        }
    }

    #[test]
    fn the_first_to_open_holds_and_a_take_over_frees_the_newcomer() {
        let ann = page("a", 1, 100, None);
        let bob = page("b", 2, 200, None);
        let both = vec![ann.clone(), bob.clone()];
        assert_eq!(Standing::of(&ann, both.clone()).waiting_for, None);
        assert_eq!(Standing::of(&bob, both).waiting_for, Some(ann.clone()));

        // Bob takes over: Ann's page is marked, Bob waits for nobody.
        let taken = page("a", 1, 100, Some(2));
        let after = vec![taken.clone(), bob.clone()];
        assert_eq!(Standing::of(&bob, after.clone()).waiting_for, None);
        let ann_now = Standing::of(&taken, after);
        assert_eq!(ann_now.taken_over_by, Some(PersonId(2)));
        assert_eq!(ann_now.waiting_for, None);
        assert_eq!(ann_now.others, vec![bob]);
    }

    #[test]
    fn ones_own_pages_never_wait_for_each_other() {
        let first = page("a", 1, 100, None);
        let second = page("b", 1, 200, None);
        let standing = Standing::of(&second, vec![first, second.clone()]);
        assert_eq!((standing.others.len(), standing.waiting_for), (0, None));
    }

    #[test]
    fn tabs_are_what_new_tab_makes() {
        assert!(is_tab(&new_tab()));
        assert!(!is_tab("x"));
        assert!(!is_tab(&"g".repeat(32)));
    }
}
