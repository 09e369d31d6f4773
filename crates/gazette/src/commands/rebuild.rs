//! `gazette search reindex` and `gazette render rebuild`: what is derived from the store, made
//! again while a server may be running.

use std::sync::Arc;

use anyhow::Context as _;
use gazette_core::SystemClock;
use gazette_node::config::Config;
use gazette_node::node::open_journal;
use gazette_node::private_files::create_private_dir;

use super::existing_journal;

/// `gazette search reindex`: builds a new generation of the search index from the store
/// beside the live one and swaps it in. A server using the index keeps answering from the old
/// generation until it notices the new one, then applies the changes made during the build.
pub(crate) async fn reindex(config: &Config) -> anyhow::Result<()> {
    let store = open_journal(config, Arc::new(SystemClock)).await?;
    let outcome = reindex_store(config, &store).await;
    store.close().await;
    let (articles, bytes, seconds) = outcome?;
    eprintln!(
        "Indexed {articles} articles in {seconds:.1} s ({:.1} MB) in {}.",
        bytes as f64 / 1_000_000.0,
        config.index_dir.display()
    );
    Ok(())
}

/// `gazette render rebuild`: see [`gazette_node::rerender`].
pub(crate) async fn render_rebuild(config: &Config, all: bool) -> anyhow::Result<()> {
    let store = open_journal(config, Arc::new(SystemClock)).await?;
    let outcome = async {
        existing_journal(&store).await?;
        anyhow::Ok(gazette_node::rerender::rebuild(&store, all).await?)
    }
    .await;
    store.close().await;
    let rebuilt = outcome?;
    eprintln!(
        "Rendered {} article(s) and {} page(s) again with renderer version {}.",
        rebuilt.articles,
        rebuilt.pages,
        gazette_node::rerender::RENDER_VERSION
    );
    Ok(())
}

async fn reindex_store(
    config: &Config,
    store: &gazette_store::Store,
) -> anyhow::Result<(u64, u64, f64)> {
    let publication = existing_journal(store).await?;
    let started = std::time::Instant::now();
    create_private_dir(&config.index_dir)
        .with_context(|| format!("cannot create {} (index_dir)", config.index_dir.display()))?;
    let builder = gazette_search::Builder::new(&config.index_dir, publication.language.as_str())
        .with_context(|| {
            format!(
                "cannot create a search index in {} (setting index_dir): check that the directory is writable",
                config.index_dir.display()
            )
        })?;
    let built = gazette_node::search_index::build(builder, store).await?;
    Ok((
        built.articles,
        built.size_on_disk(),
        started.elapsed().as_secs_f64(),
    ))
}
