//! Newsletters at `/admin/newsletters/`, for editors and administrators: the list with how
//! many addresses receive each and how many wait for their confirmation, and the form that
//! defines one (what it carries and when, who sends it, the footer the law asks for).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use gazette_core::{Cadence, Capability, Newsletter, NewsletterId, SectionId};
use gazette_newsroom::newsletters::{self, DefinitionFields, SaveRefusal};
use minijinja::context;

use super::{CsrfForm, FormFields, Staff, staff_page};
use crate::kernel::query::{Done, Query};
use crate::{AppError, AppState};

/// How many of the newest published articles the send form offers.
const ARTICLES_TO_SEND: u64 = 30;

fn may_manage(staff: &Staff) -> Result<(), AppError> {
    staff.require(
        Capability::ManageNewsletters,
        "Only editors and administrators manage newsletters.",
    )
}

/// What the form shows: a definition as stored or as typed, and what was wrong with it.
#[derive(Debug, Default, serde::Serialize)]
struct Form {
    name: String,
    slug: String,
    description: String,
    cadence: String,
    time: String,
    weekday: String,
    sections: Vec<i64>,
    sender_name: String,
    sender_email: String,
    footer: String,
    problem: Option<String>,
}

impl Form {
    fn new_one() -> Self {
        Self {
            cadence: "daily".to_owned(),
            time: "07:00".to_owned(),
            weekday: "1".to_owned(),
            ..Self::default()
        }
    }

    fn of(newsletter: &Newsletter) -> Self {
        let (cadence, minute, weekday) = newsletter.cadence.parts();
        Self {
            name: newsletter.name.clone(),
            slug: newsletter.slug.to_string(),
            description: newsletter.description.clone(),
            cadence: cadence.to_owned(),
            time: minute.map_or_else(String::new, |m| format!("{:02}:{:02}", m / 60, m % 60)),
            weekday: weekday.map_or_else(|| "1".to_owned(), |d| d.to_string()),
            sections: newsletter.sections.iter().map(|s| s.0).collect(),
            sender_name: newsletter.sender_name.clone(),
            sender_email: newsletter.sender_email.clone(),
            footer: newsletter.footer.clone(),
            problem: None,
        }
    }

    fn from_fields(fields: &FormFields) -> Self {
        let text = |name: &str| fields.get(name).trim().to_owned();
        Self {
            name: text("name"),
            slug: text("slug"),
            description: text("description"),
            cadence: text("cadence"),
            time: text("time"),
            weekday: text("weekday"),
            sections: fields
                .all("section")
                .filter_map(|s| s.parse().ok())
                .collect(),
            sender_name: text("sender_name"),
            sender_email: text("sender_email"),
            footer: text("footer"),
            problem: None,
        }
    }

    fn definition(&self) -> DefinitionFields {
        DefinitionFields {
            name: self.name.clone(),
            slug: self.slug.clone(),
            description: self.description.clone(),
            cadence: self.cadence.clone(),
            time: self.time.clone(),
            weekday: self.weekday.clone(),
            sections: self.sections.iter().copied().map(SectionId).collect(),
            sender_name: self.sender_name.clone(),
            sender_email: self.sender_email.clone(),
            footer: self.footer.clone(),
        }
    }
}

/// `GET /admin/newsletters/`: the list and the form for a new one.
pub(crate) async fn list(
    State(state): State<AppState>,
    staff: Staff,
    Query(query): Query<Done>,
) -> Result<Response, AppError> {
    may_manage(&staff)?;
    let notice = super::notice::fixed(query.done.as_deref(), &[("saved", "Saved.")]);
    list_page(&state, &staff, StatusCode::OK, Form::new_one(), notice).await
}

/// `POST /admin/newsletters/`: defines a new newsletter.
pub(crate) async fn add(
    State(state): State<AppState>,
    staff: Staff,
    CsrfForm(fields): CsrfForm,
) -> Result<Response, AppError> {
    may_manage(&staff)?;
    let form = Form::from_fields(&fields);
    match save(&state, None, &form).await? {
        Ok(()) => Ok(saved()),
        Err(problem) => {
            let form = Form {
                problem: Some(problem),
                ..form
            };
            list_page(&state, &staff, StatusCode::UNPROCESSABLE_ENTITY, form, None).await
        }
    }
}

/// `GET /admin/newsletters/{id}`: one newsletter's definition, to change.
pub(crate) async fn edit_form(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Query(query): Query<Done>,
) -> Result<Response, AppError> {
    may_manage(&staff)?;
    let newsletter = state
        .store()
        .newsletter(NewsletterId(id))
        .await?
        .ok_or(AppError::NotFound)?;
    let notice = super::notice::fixed(
        query.done.as_deref(),
        &[("tested", "The test is on its way to your own address.")],
    );
    let form = Form::of(&newsletter);
    edit_page(&state, &staff, id, StatusCode::OK, form, notice).await
}

/// `POST /admin/newsletters/{id}`: saves a changed definition.
pub(crate) async fn edit(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    CsrfForm(fields): CsrfForm,
) -> Result<Response, AppError> {
    may_manage(&staff)?;
    let form = Form::from_fields(&fields);
    match save(&state, Some(NewsletterId(id)), &form).await? {
        Ok(()) => Ok(saved()),
        Err(problem) => {
            let form = Form {
                problem: Some(problem),
                ..form
            };
            edit_page(
                &state,
                &staff,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                form,
                None,
            )
            .await
        }
    }
}

fn saved() -> Response {
    crate::kernel::redirect::see_other("/admin/newsletters/?done=saved").into_response()
}

/// Saves the form's definition; the outer error is the request's, the inner the form's.
async fn save(
    state: &AppState,
    id: Option<NewsletterId>,
    form: &Form,
) -> Result<Result<(), String>, AppError> {
    let definition = match newsletters::definition(form.definition()) {
        Ok(definition) => definition,
        Err(problem) => return Ok(Err(problem)),
    };
    match newsletters::save(state.store(), id, definition).await {
        Ok(_) => Ok(Ok(())),
        Err(SaveRefusal::NotFound) => Err(AppError::NotFound),
        Err(SaveRefusal::Store(error)) => Err(error.into()),
        Err(refusal @ SaveRefusal::SlugTaken(_)) => {
            Ok(Err(format!("{}.", super::capitalise(&refusal.to_string()))))
        }
    }
}

async fn list_page(
    state: &AppState,
    staff: &Staff,
    status: StatusCode,
    form: Form,
    notice: Option<&str>,
) -> Result<Response, AppError> {
    let counts = state.store().newsletter_counts().await?;
    let rows: Vec<_> = state
        .store()
        .newsletters()
        .await?
        .into_iter()
        .map(|n| {
            let count = counts.get(&n.id).copied().unwrap_or_default();
            context! {
                id => n.id.0,
                name => n.name,
                carries => carries(n.cadence),
                confirmed => count.confirmed,
                pending => count.pending,
            }
        })
        .collect();
    let context = context! {
        newsletters => rows,
        form,
        sections => sections(state).await?,
        notice,
        mail_enabled => state.mail_enabled(),
        mail_signed => state.mail_signed(),
    };
    Ok(staff_page(
        state,
        staff,
        status,
        "admin/newsletters.html",
        context,
    ))
}

/// How many daily counts the newsletter's page shows.
const TALLIES_SHOWN: u64 = 30;

async fn edit_page(
    state: &AppState,
    staff: &Staff,
    id: i64,
    status: StatusCode,
    form: Form,
    notice: Option<&str>,
) -> Result<Response, AppError> {
    let newest = state
        .store()
        .published_articles(&gazette_store::ArticleFilter::All, 0, ARTICLES_TO_SEND)
        .await?
        .articles;
    let articles: Vec<_> = newest
        .iter()
        .map(|a| context! { id => a.id.0, headline => a.headline })
        .collect();
    let issues: Vec<_> = state
        .store()
        .issues_of(NewsletterId(id))
        .await?
        .into_iter()
        .map(|i| context! { id => i.id.0, subject => i.subject, status => i.status.as_str() })
        .collect();
    let tallies: Vec<_> = state
        .store()
        .newsletter_tallies(NewsletterId(id), TALLIES_SHOWN)
        .await?
        .into_iter()
        .map(|t| context! { day => t.day, confirmed => t.confirmed, pending => t.pending })
        .collect();
    let context = context! {
        id,
        form,
        notice,
        tallies,
        sections => sections(state).await?,
        articles,
        issues,
    };
    Ok(staff_page(
        state,
        staff,
        status,
        "admin/newsletter_edit.html",
        context,
    ))
}

/// The sections a newsletter may carry, for the form's boxes.
async fn sections(state: &AppState) -> Result<Vec<minijinja::Value>, AppError> {
    Ok(state
        .store()
        .sections()
        .await?
        .into_iter()
        .map(|s| context! { id => s.id.0, name => s.name })
        .collect())
}

/// What a newsletter carries, and when, for the list.
fn carries(cadence: Cadence) -> String {
    let time = |m: u16| format!("{:02}:{:02}", m / 60, m % 60);
    match cadence {
        Cadence::EachArticle => "Each article as it is published".to_owned(),
        Cadence::Daily { minute } => format!("A daily digest at {}", time(minute)),
        Cadence::Weekly { weekday, minute } => {
            let day = usize::from(weekday)
                .checked_sub(1)
                .and_then(|i| WEEKDAYS.get(i))
                .copied()
                .unwrap_or("?");
            format!("A weekly digest on {day} at {}", time(minute))
        }
        Cadence::ByHand => "Sent by hand".to_owned(),
    }
}

const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
