//! Planning: the day an unpublished article is meant to run, shown on the editorial calendar
//! before anyone schedules it. Whoever may edit an article may plan it; a scheduled or
//! published article has its own time and no plan.

use gazette_core::desk::may_edit;
use gazette_core::{ArticleId, Person, Status};
use gazette_store::{Store, StoreError};
use jiff::civil::Date;

/// Why a plan was not kept.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("there is no such article")]
    NotFound,
    #[error("only those who may edit the article may plan it")]
    Forbidden,
    #[error(
        "a scheduled or published article has its own time; only drafts and articles waiting for review are planned"
    )]
    NotPlannable,
}

/// Plans `article` for `day`, or forgets its plan when `day` is None.
pub async fn plan(
    store: &Store,
    by: &Person,
    article: ArticleId,
    day: Option<Date>,
) -> Result<(), PlanError> {
    let current = store.article(article).await?.ok_or(PlanError::NotFound)?;
    if !may_edit(by, &current) {
        return Err(PlanError::Forbidden);
    }
    if !matches!(current.status, Status::Draft | Status::PendingReview) {
        return Err(PlanError::NotPlannable);
    }
    let day = day.map(|d| d.to_string());
    store
        .write(|tx| {
            let day = day.clone();
            Box::pin(async move { tx.set_article_plan(article, day.as_deref()).await })
        })
        .await?;
    Ok(())
}
