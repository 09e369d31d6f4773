//! The redirect manager at `/admin/redirects/`, for editors and administrators: add, change,
//! delete, import from CSV and export to CSV. Every rule is checked (a path, a target, a
//! status) and refused if it would make a loop with the rules already there; an import is
//! checked whole, and nothing is imported unless every row is right.

use axum::extract::{Multipart, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use gazette_core::redirect::{self, CsvProblem, RedirectRule};
use gazette_core::{Capability, RedirectId, RedirectStatus};
use gazette_newsroom::redirects::{self, RuleRefusal};
use minijinja::context;

use super::{CsrfForm, FormFields, Staff, capitalise, staff_page};
use crate::kernel::query::Query;
use crate::{AppError, AppState};

/// The largest CSV an import reads.
pub(crate) const IMPORT_BODY_LIMIT: usize = 4 * 1024 * 1024;

fn may_manage(staff: &Staff) -> Result<(), AppError> {
    staff.require(
        Capability::ManageRedirects,
        "Only editors and administrators manage redirects.",
    )
}

/// What the add or edit form shows: the rule as typed, and what was wrong with it.
#[derive(Debug, Default, serde::Serialize)]
struct RuleForm {
    source: String,
    target: String,
    status: String,
    problem: Option<String>,
}

impl RuleForm {
    fn from_fields(fields: &FormFields) -> Self {
        Self {
            source: fields.get("source").trim().to_owned(),
            target: fields.get("target").trim().to_owned(),
            status: fields.get("status").trim().to_owned(),
            problem: None,
        }
    }

    fn of(rule: &RedirectRule) -> Self {
        Self {
            source: rule.source.clone(),
            target: rule.target.clone(),
            status: rule.status.code().to_string(),
            problem: None,
        }
    }
}

fn statuses() -> Vec<minijinja::Value> {
    RedirectStatus::ALL
        .into_iter()
        .map(|s| {
            let label = match s {
                RedirectStatus::Permanent => "301 Moved permanently",
                RedirectStatus::Temporary => "302 Found (temporary)",
                RedirectStatus::TemporaryKeepMethod => "307 Temporary redirect",
                RedirectStatus::PermanentKeepMethod => "308 Permanent redirect",
                RedirectStatus::Gone => "410 Gone (no target)",
            };
            context! { code => s.code().to_string(), label }
        })
        .collect()
}

/// The list's address after an action: `?imported=N`, `?saved` or `?deleted`.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub(crate) struct ListQuery {
    imported: Option<String>,
    saved: Option<String>,
    deleted: Option<String>,
}

/// `GET /admin/redirects/`.
pub(crate) async fn list(
    State(state): State<AppState>,
    staff: Staff,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    may_manage(&staff)?;
    let notice = if let Some(n) = super::notice::count(query.imported.as_deref()) {
        Some(format!("Imported {n} rules."))
    } else if query.saved.is_some() {
        Some("Saved. The rule applies now.".to_owned())
    } else if query.deleted.is_some() {
        Some("Deleted.".to_owned())
    } else {
        None
    };
    let form = RuleForm {
        status: "301".to_owned(),
        ..RuleForm::default()
    };
    list_page(&state, &staff, StatusCode::OK, form, Vec::new(), notice).await
}

async fn list_page(
    state: &AppState,
    staff: &Staff,
    status: StatusCode,
    form: RuleForm,
    import_problems: Vec<CsvProblem>,
    notice: Option<String>,
) -> Result<Response, AppError> {
    let rules: Vec<_> = state
        .store()
        .redirects()
        .await?
        .into_iter()
        .map(|r| {
            context! {
                id => r.id.0,
                source => r.rule.source,
                target => r.rule.target,
                status => r.rule.status.code(),
            }
        })
        .collect();
    let import_problems: Vec<_> = import_problems
        .into_iter()
        .map(|p| context! { line => p.line, message => p.message })
        .collect();
    Ok(staff_page(
        state,
        staff,
        status,
        "admin/redirects.html",
        context! { rules, form, statuses => statuses(), import_problems, notice },
    ))
}

/// Saves a rule from the form: a new one, or `id` changed.
async fn save_rule(
    state: &AppState,
    fields: &FormFields,
    id: Option<RedirectId>,
) -> Result<(), (RuleForm, RuleRefusal)> {
    let form = RuleForm::from_fields(fields);
    let rule = match RedirectRule::parse(&form.source, &form.target, &form.status) {
        Ok(rule) => rule,
        Err(error) => return Err((form, RuleRefusal::Rule(error.to_string()))),
    };
    redirects::save(state.store(), id, rule)
        .await
        .map_err(|refusal| (form, refusal))
}

/// `POST /admin/redirects/`: adds a rule.
pub(crate) async fn add(
    State(state): State<AppState>,
    staff: Staff,
    CsrfForm(fields): CsrfForm,
) -> Result<Response, AppError> {
    may_manage(&staff)?;
    match save_rule(&state, &fields, None).await {
        Ok(()) => Ok(crate::kernel::redirect::see_other("/admin/redirects/?saved").into_response()),
        Err((_, RuleRefusal::NotFound)) => Err(AppError::NotFound),
        Err((_, RuleRefusal::Store(error))) => Err(error.into()),
        Err((mut form, RuleRefusal::Rule(problem))) => {
            form.problem = Some(format!("{}.", capitalise(&problem)));
            list_page(
                &state,
                &staff,
                StatusCode::UNPROCESSABLE_ENTITY,
                form,
                Vec::new(),
                None,
            )
            .await
        }
    }
}

/// `GET /admin/redirects/{id}`: the edit form.
pub(crate) async fn edit_form(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    may_manage(&staff)?;
    let rule = state
        .store()
        .redirect(RedirectId(id))
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(edit_page(
        &state,
        &staff,
        id,
        StatusCode::OK,
        RuleForm::of(&rule.rule),
    ))
}

fn edit_page(
    state: &AppState,
    staff: &Staff,
    id: i64,
    status: StatusCode,
    form: RuleForm,
) -> Response {
    staff_page(
        state,
        staff,
        status,
        "admin/redirect_edit.html",
        context! { id, form, statuses => statuses() },
    )
}

/// `POST /admin/redirects/{id}`: saves a changed rule.
pub(crate) async fn edit(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    CsrfForm(fields): CsrfForm,
) -> Result<Response, AppError> {
    may_manage(&staff)?;
    match save_rule(&state, &fields, Some(RedirectId(id))).await {
        Ok(()) => Ok(crate::kernel::redirect::see_other("/admin/redirects/?saved").into_response()),
        Err((_, RuleRefusal::NotFound)) => Err(AppError::NotFound),
        Err((_, RuleRefusal::Store(error))) => Err(error.into()),
        Err((mut form, RuleRefusal::Rule(problem))) => {
            form.problem = Some(format!("{}.", capitalise(&problem)));
            Ok(edit_page(
                &state,
                &staff,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                form,
            ))
        }
    }
}

/// `POST /admin/redirects/{id}/delete`.
pub(crate) async fn delete(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    _form: CsrfForm,
) -> Result<Response, AppError> {
    may_manage(&staff)?;
    let deleted = redirects::delete(state.store(), RedirectId(id)).await?;
    if !deleted {
        return Err(AppError::NotFound);
    }
    Ok(crate::kernel::redirect::see_other("/admin/redirects/?deleted").into_response())
}

/// `POST /admin/redirects/import`: a CSV file (or pasted text) of `source,target,status`.
/// Rows replace existing rules with the same source. All rows are checked, loops included,
/// before any is written, and all are written in one unit of work.
pub(crate) async fn import(
    State(state): State<AppState>,
    staff: Staff,
    form: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, AppError> {
    may_manage(&staff)?;
    let (_, text) = crate::kernel::forms::csrf_multipart(&staff, form, &["file", "csv"]).await?;
    let refuse = |problems: Vec<CsvProblem>| async {
        let form = RuleForm {
            status: "301".to_owned(),
            ..RuleForm::default()
        };
        list_page(
            &state,
            &staff,
            StatusCode::UNPROCESSABLE_ENTITY,
            form,
            problems,
            None,
        )
        .await
    };
    let rules = match redirect::parse_csv(&text) {
        Ok(rules) if rules.is_empty() => {
            return refuse(vec![CsvProblem {
                line: 1,
                message: "the file holds no rules; each line is source,target,status".to_owned(),
            }])
            .await;
        }
        Ok(rules) => rules,
        Err(problems) => return refuse(problems).await,
    };
    let count = rules.len();
    let outcome = redirects::import(state.store(), rules).await?;
    match outcome {
        Ok(()) => Ok(crate::kernel::redirect::see_other(&format!(
            "/admin/redirects/?imported={count}"
        ))
        .into_response()),
        // Loop problems are numbered by rule, which for a file without blank lines or a
        // heading is its line.
        Err(problems) => refuse(problems).await,
    }
}

/// `GET /admin/redirects/export.csv`: every rule, in the import's format.
pub(crate) async fn export(
    State(state): State<AppState>,
    staff: Staff,
) -> Result<Response, AppError> {
    may_manage(&staff)?;
    let rules: Vec<RedirectRule> = state
        .store()
        .redirects()
        .await?
        .into_iter()
        .map(|r| r.rule)
        .collect();
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"redirects.csv\"",
            ),
            (header::CACHE_CONTROL, "private, no-store"),
        ],
        redirect::to_csv(&rules),
    )
        .into_response())
}
