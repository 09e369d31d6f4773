//! The newsletter sign-up form that article, section and home pages carry, and the words for
//! how often a newsletter comes, which `/newsletters/` shares.
//!
//! Those pages are cached and shared, so the form in them carries no form token: a small
//! script (`signup.js`) asks `/comments/token` for one when the reader starts on the form.
//! Without scripts the form still works: `/newsletters/` answers a form without a token with
//! the same request filled in and a token of its own, for one more press of the button.

use gazette_core::{Cadence, SectionId};
use minijinja::{Value, context};

use crate::kernel::site::Site;
use crate::theme::Theme;

/// What the form offers on a page about `sections` (None: the home page, which offers every
/// newsletter); None when there is nothing to offer. `form` is the page's path, recorded with
/// the consent.
pub(crate) fn form(
    site: &Site,
    theme: &Theme,
    sections: Option<&[SectionId]>,
    form: &str,
) -> Option<Value> {
    let sections = sections.map(|ids| site.with_parents(ids));
    let offered: Vec<Value> = site
        .newsletters
        .iter()
        .filter(|n| sections.as_ref().is_none_or(|ids| n.offered_with(ids)))
        .map(|n| {
            context! {
                id => n.id.0,
                name => n.name,
                cadence => cadence_text(site, n.cadence),
            }
        })
        .collect();
    if offered.is_empty() {
        return None;
    }
    Some(context! {
        newsletters => offered,
        form,
        consent => site.catalogue.text("newsletters.consent", &[]),
        script => theme.asset_url("signup.js"),
    })
}

/// How often a newsletter comes, in the journal's language.
pub(crate) fn cadence_text(site: &Site, cadence: Cadence) -> String {
    let catalogue = &site.catalogue;
    let time = |minute: u16| format!("{:02}:{:02}", minute / 60, minute % 60);
    match cadence {
        Cadence::EachArticle => catalogue.text("newsletters.each", &[]),
        Cadence::Daily { minute } => {
            catalogue.text("newsletters.daily", &[("time", &time(minute))])
        }
        Cadence::Weekly { weekday, minute } => {
            let day = catalogue.text(&format!("newsletters.weekday_{weekday}"), &[]);
            catalogue.text(
                "newsletters.weekly",
                &[("day", &day), ("time", &time(minute))],
            )
        }
        Cadence::ByHand => catalogue.text("newsletters.by_hand", &[]),
    }
}
