//! Author profiles: the name, bio, photo and links readers see on an author's archive. Each
//! person edits their own at `/admin/profile`; administrators edit anyone's at
//! `/admin/people/{id}/profile`.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use gazette_core::profile::{self, AuthorProfile};
use gazette_core::{Capability, Person, PersonId};
use minijinja::context;

use super::{CsrfForm, Staff, staff_page};
use crate::kernel::query::{Query, Saved};
use crate::{AppError, AppState};

/// Whose profile a request is about, if the signed-in person may edit it.
async fn editable(state: &AppState, staff: &Staff, id: Option<i64>) -> Result<Person, AppError> {
    let Some(id) = id.filter(|id| *id != staff.person.id.0) else {
        return Ok(staff.person.clone());
    };
    staff.require(
        Capability::ManagePeople,
        "Only administrators edit other people's profiles.",
    )?;
    state
        .store()
        .person(PersonId(id))
        .await?
        .ok_or(AppError::NotFound)
}

fn action(person: &Person, staff: &Staff) -> String {
    if person.id == staff.person.id {
        "/admin/profile".to_owned()
    } else {
        format!("/admin/people/{}/profile", person.id.0)
    }
}

#[derive(Debug, Default, serde::Serialize)]
struct Form {
    name: String,
    bio: String,
    photo: String,
    links: String,
    problems: HashMap<&'static str, String>,
}

/// `GET /admin/profile` and `/admin/people/{id}/profile`.
pub(crate) async fn form(
    State(state): State<AppState>,
    staff: Staff,
    id: Option<Path<i64>>,
    Query(query): Query<Saved>,
) -> Result<Response, AppError> {
    let person = editable(&state, &staff, id.map(|Path(id)| id)).await?;
    let profile = state
        .store()
        .author_profiles()
        .await?
        .remove(&person.id)
        .unwrap_or_default();
    let form = Form {
        name: person.display_name.clone(),
        bio: person.bio.clone(),
        photo: profile.photo.unwrap_or_default(),
        links: profile::links_text(&profile.links),
        problems: HashMap::new(),
    };
    let notice = query
        .saved
        .is_some()
        .then_some("Saved. The author page shows it now.");
    Ok(page(&state, &staff, &person, StatusCode::OK, form, notice))
}

fn page(
    state: &AppState,
    staff: &Staff,
    person: &Person,
    status: StatusCode,
    form: Form,
    notice: Option<&str>,
) -> Response {
    staff_page(
        state,
        staff,
        status,
        "admin/profile.html",
        context! {
            action => action(person, staff),
            archive => format!("/author/{}/", person.slug),
            own => person.id == staff.person.id,
            form,
            notice,
        },
    )
}

/// `POST /admin/profile` and `/admin/people/{id}/profile`.
pub(crate) async fn save(
    State(state): State<AppState>,
    staff: Staff,
    id: Option<Path<i64>>,
    CsrfForm(fields): CsrfForm,
) -> Result<Response, AppError> {
    let person = editable(&state, &staff, id.map(|Path(id)| id)).await?;
    let mut form = Form {
        name: fields.get("name").trim().to_owned(),
        bio: fields.get("bio").replace("\r\n", "\n").trim().to_owned(),
        photo: fields.get("photo").trim().to_owned(),
        links: fields.get("links").replace("\r\n", "\n").trim().to_owned(),
        problems: HashMap::new(),
    };
    if form.name.is_empty() {
        form.problems
            .insert("name", "Give the name readers see in bylines.".to_owned());
    }
    if form.bio.chars().count() > 2000 {
        form.problems
            .insert("bio", "At most 2,000 characters.".to_owned());
    }
    let photo = match form.photo.as_str() {
        "" => None,
        address => {
            if gazette_core::address::is_image_address(address) {
                Some(address.to_owned())
            } else {
                form.problems.insert("photo", "Use an address on this site, such as one from the media library, or an https:// address.".to_owned());
                None
            }
        }
    };
    let links = match profile::parse_links(&form.links) {
        Ok(links) => links,
        Err(error) => {
            form.problems.insert(
                "links",
                format!("{}.", super::capitalise(&error.to_string())),
            );
            Vec::new()
        }
    };
    if !form.problems.is_empty() {
        return Ok(page(
            &state,
            &staff,
            &person,
            StatusCode::UNPROCESSABLE_ENTITY,
            form,
            None,
        ));
    }
    let profile = AuthorProfile { photo, links };
    gazette_newsroom::accounts::update_profile(
        state.store(),
        person.id,
        form.name.clone(),
        form.bio.clone(),
        profile,
    )
    .await?;
    Ok(
        crate::kernel::redirect::see_other(&format!("{}?saved", action(&person, &staff)))
            .into_response(),
    )
}
