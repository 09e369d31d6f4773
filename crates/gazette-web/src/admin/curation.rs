//! What editors arrange by hand: the header and footer menus (`/admin/menus`) and the home
//! page's lead story and fixed slots (`/admin/home`). Both pages work without JavaScript:
//! menus are rows with a position number, the home page is a handful of choices.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use gazette_core::curation::{
    HOME_SLOTS, HomeLayout, MAX_MENU_ITEMS, MenuError, MenuItem, MenuName, MenuTarget, Menus,
};
use gazette_core::{ArticleId, Capability, PageId, SectionId, Status};
use gazette_newsroom::curation;
use gazette_store::ArticleFilter;
use minijinja::context;

use super::{CsrfForm, FormFields, Staff, staff_page};
use crate::kernel::query::{Query, Saved};
use crate::{AppError, AppState};

/// Empty rows offered under a menu's entries, for adding.
const BLANK_ROWS: usize = 3;
/// Recent articles offered for the home page's places.
const CANDIDATES: u64 = 60;

fn may_curate(staff: &Staff) -> Result<(), AppError> {
    staff.require(
        Capability::ManageSectionsAndTags,
        "Only editors and administrators arrange menus and the home page.",
    )
}

/// One row of a menu form, as stored or as typed.
#[derive(Debug, Default, Clone, serde::Serialize)]
struct Row {
    label: String,
    /// `section:3`, `page:7`, `link` or "" (an unused row).
    target: String,
    url: String,
    position: String,
    problem: Option<String>,
}

impl Row {
    fn of(item: &MenuItem, position: usize) -> Self {
        let (target, url) = match &item.target {
            MenuTarget::Section { id } => (format!("section:{}", id.0), String::new()),
            MenuTarget::Page { id } => (format!("page:{}", id.0), String::new()),
            MenuTarget::Link { url } => ("link".to_owned(), url.clone()),
        };
        Self {
            label: item.label.clone(),
            target,
            url,
            position: position.to_string(),
            problem: None,
        }
    }

    /// The entry this row makes; None for an unused or removed row.
    fn item(&self) -> Option<Result<MenuItem, MenuError>> {
        let label = self.label.trim().to_owned();
        let target = if let Some(id) = self.target.strip_prefix("section:") {
            MenuTarget::Section {
                id: SectionId(id.parse().ok()?),
            }
        } else if let Some(id) = self.target.strip_prefix("page:") {
            MenuTarget::Page {
                id: PageId(id.parse().ok()?),
            }
        } else if self.target == "link" {
            return Some(MenuItem::link(&label, &self.url));
        } else {
            return None;
        };
        Some(Ok(MenuItem { label, target }))
    }
}

/// `GET /admin/menus`: both menus.
pub(crate) async fn menus(
    State(state): State<AppState>,
    staff: Staff,
    Query(query): Query<Saved>,
) -> Result<Response, AppError> {
    may_curate(&staff)?;
    let menus = state.store().menus().await?;
    let mut forms = HashMap::new();
    for name in MenuName::ALL {
        forms.insert(name.as_str(), stored_rows(&menus, name));
    }
    // The menu's name is shown only when it is one of Gazette's menus.
    let notice = query
        .saved
        .as_deref()
        .and_then(MenuName::parse)
        .map(|menu| format!("The {} menu is saved.", menu.as_str()));
    menus_page(&state, &staff, StatusCode::OK, forms, notice, None).await
}

/// A stored menu's rows, numbered 10, 20, …, and empty rows after them for adding.
fn stored_rows(menus: &Menus, name: MenuName) -> Vec<Row> {
    let items = menus.get(name);
    let mut rows: Vec<Row> = items
        .iter()
        .enumerate()
        .map(|(n, item)| Row::of(item, (n + 1) * 10))
        .collect();
    rows.extend((0..BLANK_ROWS).map(|n| Row {
        position: ((items.len() + n + 1) * 10).to_string(),
        ..Row::default()
    }));
    rows
}

async fn menus_page(
    state: &AppState,
    staff: &Staff,
    status: StatusCode,
    forms: HashMap<&str, Vec<Row>>,
    notice: Option<String>,
    problem: Option<(&str, String)>,
) -> Result<Response, AppError> {
    let site = crate::kernel::pages::load_site(state).await?;
    let mut targets = Vec::new();
    for section in site.sections_under(None) {
        targets.push(context! { value => format!("section:{}", section.id.0), label => format!("Section: {}", section.name) });
        for child in site.sections_under(Some(section.id)) {
            targets.push(context! { value => format!("section:{}", child.id.0), label => format!("Section: {} › {}", section.name, child.name) });
        }
    }
    let mut pages = state.store().pages().await?;
    pages.retain(|p| p.status == Status::Published);
    pages.sort_by(|a, b| a.title.cmp(&b.title));
    for page in pages {
        targets.push(context! { value => format!("page:{}", page.id.0), label => format!("Page: {}", page.title) });
    }
    let menus: Vec<_> = MenuName::ALL
        .iter()
        .map(|name| {
            context! {
                name => name.as_str(),
                rows => forms.get(name.as_str()).cloned().unwrap_or_default(),
                problem => problem.as_ref().filter(|(menu, _)| *menu == name.as_str()).map(|(_, p)| p.clone()),
            }
        })
        .collect();
    Ok(staff_page(
        state,
        staff,
        status,
        "admin/menus.html",
        context! { menus, targets, notice },
    ))
}

/// `POST /admin/menus`: saves one menu (the form names it) from its rows, in position order.
pub(crate) async fn save_menu(
    State(state): State<AppState>,
    staff: Staff,
    CsrfForm(fields): CsrfForm,
) -> Result<Response, AppError> {
    may_curate(&staff)?;
    let name = MenuName::parse(fields.get("menu")).ok_or_else(|| {
        AppError::BadRequest("Which menu? Send the form from the menus page.".to_owned())
    })?;
    let mut rows = rows_of(&fields);
    let mut kept: Vec<(i64, usize, MenuItem)> = Vec::new();
    let mut refused = false;
    for (n, row) in rows.iter_mut().enumerate() {
        match row.item() {
            Some(Ok(item)) => {
                let position = row.position.trim().parse().unwrap_or(i64::MAX);
                kept.push((position, n, item));
            }
            Some(Err(error)) => {
                row.problem = Some(format!("{}.", super::capitalise(&error.to_string())));
                refused = true;
            }
            None => {}
        }
    }
    let too_many = kept.len() > MAX_MENU_ITEMS;
    if refused || too_many {
        let problem = if too_many {
            format!(
                "{}. Nothing was saved.",
                super::capitalise(&MenuError::TooMany.to_string())
            )
        } else {
            "Nothing was saved: see the rows marked below.".to_owned()
        };
        let mut forms = HashMap::new();
        let menus = state.store().menus().await?;
        for other in MenuName::ALL.into_iter().filter(|m| *m != name) {
            forms.insert(other.as_str(), stored_rows(&menus, other));
        }
        forms.insert(name.as_str(), rows);
        return menus_page(
            &state,
            &staff,
            StatusCode::UNPROCESSABLE_ENTITY,
            forms,
            None,
            Some((name.as_str(), problem)),
        )
        .await;
    }
    kept.sort_by_key(|(position, n, _)| (*position, *n));
    let items: Vec<MenuItem> = kept.into_iter().map(|(_, _, item)| item).collect();
    curation::save_menu(state.store(), name, items).await?;
    Ok(
        crate::kernel::redirect::see_other(&format!("/admin/menus?saved={}", name.as_str()))
            .into_response(),
    )
}

/// The rows of a submitted menu form (`label_0`, `target_0`, …), minus removed ones.
fn rows_of(fields: &FormFields) -> Vec<Row> {
    let mut rows = Vec::new();
    for n in 0..(MAX_MENU_ITEMS + BLANK_ROWS + 1) {
        let get = |field: &str| fields.get(&format!("{field}_{n}")).to_owned();
        if get("position").is_empty() && get("target").is_empty() {
            continue;
        }
        if get("remove") == "1" {
            continue;
        }
        rows.push(Row {
            label: get("label"),
            target: get("target"),
            url: get("url"),
            position: get("position"),
            problem: None,
        });
    }
    rows
}

/// `GET /admin/home`: the lead story and the fixed slots.
pub(crate) async fn home(
    State(state): State<AppState>,
    staff: Staff,
    Query(query): Query<Saved>,
) -> Result<Response, AppError> {
    may_curate(&staff)?;
    let layout = state.store().home_layout().await?;
    let notice = query
        .saved
        .is_some()
        .then_some("Saved. The home page shows it now.");
    home_page(&state, &staff, StatusCode::OK, &layout, notice, None).await
}

async fn home_page(
    state: &AppState,
    staff: &Staff,
    status: StatusCode,
    layout: &HomeLayout,
    notice: Option<&str>,
    problem: Option<String>,
) -> Result<Response, AppError> {
    let mut recent = state
        .store()
        .published_articles(&ArticleFilter::All, 0, CANDIDATES)
        .await?
        .articles;
    // A chosen article older than the recent ones stays offered.
    for id in layout.chosen() {
        if !recent.iter().any(|a| a.id == id)
            && let Some(article) = state.store().article(id).await?
        {
            recent.push(article);
        }
    }
    let site = crate::kernel::pages::load_site(state).await?;
    let candidates: Vec<_> = recent
        .iter()
        .map(|a| {
            let published = a
                .published_at
                .map(|t| crate::kernel::views::local(&site, t).date().to_string())
                .unwrap_or_default();
            context! {
                id => a.id.0,
                label => format!("{} ({published})", a.headline),
                published => a.status == Status::Published,
            }
        })
        .collect();
    let slots: Vec<i64> = (0..HOME_SLOTS)
        .map(|n| layout.slots.get(n).map_or(0, |id| id.0))
        .collect();
    Ok(staff_page(
        state,
        staff,
        status,
        "admin/home.html",
        context! {
            candidates,
            lead => layout.lead.map_or(0, |id| id.0),
            slots,
            notice,
            problem,
        },
    ))
}

/// `POST /admin/home`: saves the lead and the slots; only published articles may be chosen.
pub(crate) async fn save_home(
    State(state): State<AppState>,
    staff: Staff,
    CsrfForm(fields): CsrfForm,
) -> Result<Response, AppError> {
    may_curate(&staff)?;
    let choice = |name: &str| -> Option<ArticleId> {
        fields
            .get(name)
            .parse::<i64>()
            .ok()
            .filter(|id| *id > 0)
            .map(ArticleId)
    };
    let layout = HomeLayout::new(
        choice("lead"),
        (0..HOME_SLOTS).map(|n| choice(&format!("slot_{n}"))),
    );
    let saved = curation::save_home_layout(state.store(), layout.clone()).await?;
    if saved.is_err() {
        return home_page(
            &state,
            &staff,
            StatusCode::UNPROCESSABLE_ENTITY,
            &layout,
            None,
            Some("One of the chosen articles is not published (any more). Choose another; nothing was saved.".to_owned()),
        )
        .await;
    }
    Ok(crate::kernel::redirect::see_other("/admin/home?saved").into_response())
}
