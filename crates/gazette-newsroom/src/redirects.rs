//! Editors' redirect rules: added, changed, deleted and imported, never making a loop. The
//! loop check reads the rules inside the unit of work that writes, so two editors saving at
//! once cannot close a loop between them.

use gazette_core::RedirectId;
use gazette_core::redirect::{self, CsvProblem, RedirectError, RedirectRule};
use gazette_store::{Constraint, Store, StoreError, WriteTx};

/// Why a rule was not saved.
#[derive(Debug, thiserror::Error)]
pub enum RuleRefusal {
    /// The rule would make a loop, or its source has a rule already; the message says which.
    #[error("{0}")]
    Rule(String),
    #[error("no such redirect")]
    NotFound,
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for RuleRefusal {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Conflict {
                constraint: Constraint::RedirectSource,
            } => Self::Rule(
                "there is already a rule for this source (matching ignores case and the final \
                 slash); change that one instead"
                    .to_owned(),
            ),
            other => Self::Store(other),
        }
    }
}

/// Saves `rule`: a new one (`id` None), or over the rule `id`.
pub async fn save(
    store: &Store,
    id: Option<RedirectId>,
    rule: RedirectRule,
) -> Result<(), RuleRefusal> {
    store
        .write(|tx| {
            Box::pin(async move {
                if let Some(chain) = loop_with_others(tx, &rule, id).await? {
                    return Err(RuleRefusal::Rule(RedirectError::Loop(chain).to_string()));
                }
                match id {
                    Some(id) if !tx.update_redirect(id, &rule).await? => {
                        return Err(RuleRefusal::NotFound);
                    }
                    Some(_) => {}
                    None => {
                        tx.insert_redirect(&rule).await?;
                    }
                }
                Ok(())
            })
        })
        .await
}

/// Deletes the rule `id`; false when there was none.
pub async fn delete(store: &Store, id: RedirectId) -> Result<bool, StoreError> {
    store
        .write(|tx| Box::pin(async move { tx.delete_redirect(id).await }))
        .await
}

/// Imports `rules` (from a CSV, each numbered by its position), replacing the rules with the
/// same sources, all or nothing: when any would make a loop, the problems are returned, one
/// per rule, and nothing is written.
pub async fn import(
    store: &Store,
    rules: Vec<RedirectRule>,
) -> Result<Result<(), Vec<CsvProblem>>, StoreError> {
    store
        .write(|tx| {
            Box::pin(async move {
                let mut all: Vec<RedirectRule> =
                    tx.redirects().await?.into_iter().map(|r| r.rule).collect();
                let keys: std::collections::HashSet<String> =
                    rules.iter().map(RedirectRule::key).collect();
                all.retain(|r| !keys.contains(&r.key()));
                all.extend(rules.iter().cloned());
                let loops: Vec<CsvProblem> = redirect::loops_among(&all, &rules)
                    .into_iter()
                    .map(|(n, chain)| CsvProblem {
                        line: n + 1,
                        message: RedirectError::Loop(chain).to_string(),
                    })
                    .collect();
                if !loops.is_empty() {
                    return Ok(Err(loops));
                }
                tx.upsert_redirects(&rules).await?;
                Ok(Ok(()))
            })
        })
        .await
}

/// The loop `rule` would make with the other rules (`except` is the rule it replaces).
async fn loop_with_others(
    tx: &mut WriteTx,
    rule: &RedirectRule,
    except: Option<RedirectId>,
) -> Result<Option<Vec<String>>, StoreError> {
    let others: Vec<RedirectRule> = tx
        .redirects()
        .await?
        .into_iter()
        .filter(|r| Some(r.id) != except)
        .map(|r| r.rule)
        .collect();
    Ok(redirect::find_loop(&others, rule))
}
