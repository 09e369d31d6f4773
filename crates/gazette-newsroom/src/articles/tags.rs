//! Tags named in a save: the editor's tag field names them, and a name nobody used before
//! makes a new tag.

use gazette_core::{Slug, TagId};
use gazette_store::{NewTag, StoreError, WriteTx};

/// The tags with these names, in order and each once, creating the ones that do not exist.
pub(super) async fn by_name(tx: &mut WriteTx, names: &[String]) -> Result<Vec<TagId>, StoreError> {
    let mut ids = Vec::new();
    for name in names {
        let slug = Slug::from_headline(name);
        let id = match tx.tag_by_slug(&slug).await? {
            Some(tag) => tag.id,
            None => {
                let new = NewTag {
                    slug,
                    name: name.clone(),
                    description: String::new(),
                };
                tx.insert_tag(&new).await?.id
            }
        };
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    Ok(ids)
}
