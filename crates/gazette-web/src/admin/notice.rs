//! The notice a back-office page shows after an action, chosen by a fixed key in its address
//! (`?done=saved`) and worded by Gazette. Nothing a link carries is shown as text: anyone can
//! send an editor a link, and a page must not say "your session expired, sign in at …" because
//! the link asked it to. Counts beside the key (`&changed=3`) are shown only as numbers.
//!
//! Each page reads its query into its own struct (`kernel::query`); these helpers take the
//! values it read.

/// The page's message for its `done` key among `known`; None when the key is missing or one
/// the page does not know.
pub(crate) fn fixed(done: Option<&str>, known: &[(&str, &'static str)]) -> Option<&'static str> {
    let key = done?;
    known
        .iter()
        .find(|(name, _)| *name == key)
        .map(|(_, message)| *message)
}

/// A number carried beside the key; None when it is missing or not a number.
pub(crate) fn count(value: Option<&str>) -> Option<u64> {
    value?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notice_keys_pick_fixed_messages_and_ignore_free_text() {
        let known = [("saved", "Saved."), ("deleted", "Deleted.")];
        assert_eq!(fixed(Some("saved"), &known), Some("Saved."));
        assert_eq!(fixed(Some("Sign in at evil.example"), &known), None);
        assert_eq!(fixed(None, &known), None);
        assert_eq!(count(Some("3")), Some(3));
        assert_eq!(count(Some("3 at evil.example")), None);
        assert_eq!(count(None), None);
    }
}
