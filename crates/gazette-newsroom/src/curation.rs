//! What editors arrange by hand: the header and footer menus, and the home page's lead story
//! and fixed slots.

use gazette_core::curation::{HomeLayout, MenuItem, MenuName};
use gazette_core::{ArticleId, Status};
use gazette_store::{Store, StoreError};

/// Replaces one menu's items, leaving the other menu as it is now.
pub async fn save_menu(
    store: &Store,
    name: MenuName,
    items: Vec<MenuItem>,
) -> Result<(), StoreError> {
    store
        .write(|tx| {
            Box::pin(async move {
                // Read inside the unit: the other menu may have been saved meanwhile.
                let mut menus = tx.menus().await?;
                menus.set(name, items);
                tx.put_menus(&menus).await
            })
        })
        .await
}

/// A home layout that names an article which is not published (any more).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("article {0} is not published")]
pub struct NotPublished(pub ArticleId);

/// Saves the home page's layout, when every article it names is published: checked in the
/// unit of work that saves it, so an article unpublished meanwhile cannot slip in.
pub async fn save_home_layout(
    store: &Store,
    layout: HomeLayout,
) -> Result<Result<(), NotPublished>, StoreError> {
    store
        .write(|tx| {
            Box::pin(async move {
                for id in layout.chosen() {
                    let published = tx
                        .article(id)
                        .await?
                        .is_some_and(|a| a.status == Status::Published);
                    if !published {
                        return Ok(Err(NotPublished(id)));
                    }
                }
                tx.put_home_layout(&layout).await?;
                Ok(Ok(()))
            })
        })
        .await
}
