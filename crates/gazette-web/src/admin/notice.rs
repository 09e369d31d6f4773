//! The notice a back-office page shows after an action, chosen by a fixed key in its address
//! (`?done=saved`) and worded by Gazette. Nothing a link carries is shown as text: anyone can
//! send an editor a link, and a page must not say "your session expired, sign in at …" because
//! the link asked it to. Counts beside the key (`&changed=3`) are shown only as numbers.

use std::collections::HashMap;

/// The page's message for its `done` key among `known`; None when the key is missing or one
/// the page does not know.
pub(crate) fn fixed(
    query: &HashMap<String, String>,
    known: &[(&str, &'static str)],
) -> Option<&'static str> {
    let key = query.get("done")?;
    known
        .iter()
        .find(|(name, _)| name == key)
        .map(|(_, message)| *message)
}

/// Whether the page's `done` key is `key`.
pub(crate) fn is(query: &HashMap<String, String>, key: &str) -> bool {
    query.get("done").is_some_and(|done| done == key)
}

/// A number carried beside the key; None when it is missing or not a number.
pub(crate) fn count(query: &HashMap<String, String>, name: &str) -> Option<u64> {
    query.get(name)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn notice_keys_pick_fixed_messages_and_ignore_free_text() {
        let known = [("saved", "Saved."), ("deleted", "Deleted.")];
        assert_eq!(fixed(&query(&[("done", "saved")]), &known), Some("Saved."));
        assert_eq!(
            fixed(&query(&[("done", "Sign in at evil.example")]), &known),
            None
        );
        assert_eq!(fixed(&query(&[]), &known), None);
        assert!(is(&query(&[("done", "bulk")]), "bulk"));
        assert_eq!(count(&query(&[("changed", "3")]), "changed"), Some(3));
        assert_eq!(
            count(&query(&[("changed", "3 at evil.example")]), "changed"),
            None
        );
    }
}
