//! Converting an HTML body (an import's, most often) to Markdown, so it opens in the Markdown
//! editor: `GET /admin/articles/{id}/markdown` shows the Markdown and what readers would see
//! change, side by side and line by line; `POST` saves it, if the article is still the
//! version that was shown. And the conversion alone, for text pasted into the editor:
//! `POST /admin/markdown` answers `{"markdown": …}`.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use gazette_core::desk::raw_html_trusted;
use gazette_core::diff::{Line, line_diff};
use gazette_core::{Article, ArticleId, BodyFormat};
use gazette_newsroom::articles::{self};
use gazette_render::HtmlPolicy;

use super::{CsrfForm, Staff, editable};
use crate::kernel::pages::Snapshot;
use crate::{AppError, AppState};

/// The Markdown an HTML body becomes, ending with a newline as the editor saves it.
fn converted(article: &Article) -> String {
    format!(
        "{}\n",
        gazette_render::html_to_markdown(&article.body_source)
    )
}

/// Elements that start a block: each starts a line of the comparison.
const BLOCKS: &[&str] = &[
    "p",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "pre",
    "tr",
    "hr",
    "blockquote",
    "figure",
    "ul",
    "ol",
    "table",
    "div",
];
/// Blocks holding others: their ends are lines of their own too.
const CONTAINERS: &[&str] = &["blockquote", "figure", "ul", "ol", "table", "div"];

/// The body rendered, one block per line, its whitespace collapsed as a browser shows it
/// (however the source was wrapped): what the line diff compares.
fn block_lines(html: &str) -> String {
    let collapsed = html.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut lines = String::with_capacity(collapsed.len());
    let mut rest = collapsed.as_str();
    while let Some(at) = rest.find('<') {
        let (text, tag) = rest.split_at(at);
        lines.push_str(text);
        let end = tag.find('>').map_or(tag.len(), |e| e + 1);
        let closing = tag.starts_with("</");
        let name = tag[1..end]
            .trim_start_matches('/')
            .split(|c: char| c.is_whitespace() || c == '>')
            .next()
            .unwrap_or_default();
        let starts_line = if closing {
            CONTAINERS.contains(&name)
        } else {
            BLOCKS.contains(&name)
        };
        if starts_line {
            lines.push('\n');
        }
        lines.push_str(&tag[..end]);
        rest = &tag[end..];
    }
    lines.push_str(rest);
    lines
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

fn diff_view(before: &str, after: &str) -> Vec<minijinja::Value> {
    line_diff(before, after)
        .into_iter()
        .map(|line| {
            let (kind, text) = match line {
                Line::Same(text) => ("same", text),
                Line::Removed(text) => ("removed", text),
                Line::Added(text) => ("added", text),
            };
            minijinja::context! { kind, text }
        })
        .collect()
}

fn only_html(article: &Article) -> Result<(), AppError> {
    if article.body_format == BodyFormat::Html {
        Ok(())
    } else {
        Err(AppError::BadRequest(
            "This article is written in Markdown already.".to_owned(),
        ))
    }
}

/// `GET /admin/articles/{id}/markdown`.
pub(crate) async fn preview(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let article = editable(&state, &staff, id).await?;
    only_html(&article)?;
    let markdown = converted(&article);
    let after = gazette_render::render_body(BodyFormat::Markdown, &markdown);
    let (before_lines, after_lines) = (
        block_lines(article.body_html.as_str()),
        block_lines(after.as_str()),
    );
    let stylesheet = state.theme().asset_url("style.css");
    let framed = |body: &str| {
        format!(
            "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><link rel=\"stylesheet\" \
             href=\"{stylesheet}\"></head><body><main class=\"article-body\">{body}</main></body></html>"
        )
    };
    Ok(crate::admin::staff_page(
        &state,
        &staff,
        StatusCode::OK,
        "admin/convert.html",
        minijinja::context! {
            id => article.id.0,
            headline => article.headline,
            version => article.updated_at.as_microsecond().to_string(),
            markdown,
            unchanged => before_lines == after_lines,
            lines => diff_view(&before_lines, &after_lines),
            before_page => framed(article.body_html.as_str()),
            after_page => framed(after.as_str()),
        },
    ))
}

/// `POST /admin/articles/{id}/markdown`: saves the converted body as a new revision.
pub(crate) async fn convert(
    State(state): State<AppState>,
    Snapshot(site): Snapshot,
    staff: Staff,
    Path(id): Path<i64>,
    CsrfForm(fields): CsrfForm,
) -> Result<Response, AppError> {
    let person = staff.person.clone();
    let address = |article: &Article| crate::kernel::views::article_url(&site, article);
    let save = articles::Save {
        id: ArticleId(id),
        by: &staff.person,
        // What was shown is what is converted: a form without a version is outdated.
        started_from: Some(super::version(fields.get("version"))),
        tag_names: None,
        edit: |current: &Article| {
            if current.body_format != BodyFormat::Html {
                return Err("This article is written in Markdown already.".to_owned());
            }
            let markdown = converted(current);
            let trusted = raw_html_trusted(&person, Some(current.unfiltered_html), None);
            let mut article = current.clone();
            article.body_html = gazette_render::render_body_as(
                BodyFormat::Markdown,
                &markdown,
                HtmlPolicy::for_trust(trusted),
            );
            article.body_format = BodyFormat::Markdown;
            article.body_source = markdown;
            article.unfiltered_html = trusted;
            article.render_version = gazette_render::RENDER_VERSION;
            Ok(article)
        },
    };
    match articles::save_keeping_previous(state.store(), &address, save).await {
        Ok(_) => Ok(crate::kernel::redirect::see_other(&format!(
            "/admin/articles/{id}?saved=1&converted=1"
        ))
        .into_response()),
        Err(error) => Err(crate::admin::save_refused(
            error,
            "Someone saved this article after the conversion was shown; open the conversion \
             again to see it for the newest text.",
        )),
    }
}

/// `POST /admin/markdown`: the Markdown for HTML pasted into the editor (field `html`).
pub(crate) async fn from_html(
    State(_state): State<AppState>,
    CsrfForm(fields): CsrfForm,
) -> Result<Response, AppError> {
    let markdown = gazette_render::html_to_markdown(fields.get("html"));
    Ok(axum::Json(serde_json::json!({ "markdown": markdown })).into_response())
}

#[cfg(test)]
mod tests {
    #[test]
    fn each_block_is_a_line() {
        assert_eq!(
            super::block_lines("<h2>A</h2>\n<p>b <em>c</em>\nd</p><ul><li>e</li></ul>"),
            "<h2>A</h2>\n<p>b <em>c</em> d</p>\n<ul>\n<li>e</li>\n</ul>"
        );
    }
}
