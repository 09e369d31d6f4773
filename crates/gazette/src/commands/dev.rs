//! `gazette dev`: a generated corpus, and the search benchmark run against it.

use std::sync::Arc;

use anyhow::{Context as _, bail};
use gazette_core::SystemClock;
use gazette_node::config::Config;
use gazette_node::node::{open_journal, open_journal_with};

use super::existing_journal;
use crate::cli::{BenchSearchArgs, CorpusArgs};

/// `gazette dev corpus`: a generated journal in the store and/or a WXR file.
pub(crate) async fn corpus(config: &Config, args: &CorpusArgs) -> anyhow::Result<()> {
    let spec = crate::corpus::CorpusSpec {
        articles: args.articles,
        comments: args.comments,
        seed: args.seed,
        newest: jiff::Timestamp::now(),
    };
    if let Some(path) = &args.wxr {
        let started = std::time::Instant::now();
        let file = std::fs::File::create(path)
            .with_context(|| format!("cannot create {} (--wxr)", path.display()))?;
        crate::corpus::wxr::write(&spec, file)
            .with_context(|| format!("writing {}", path.display()))?;
        eprintln!(
            "Wrote {} articles and {} comments to {} in {:.1} s.",
            spec.articles,
            spec.comments,
            path.display(),
            started.elapsed().as_secs_f64()
        );
    }
    if args.no_store {
        return Ok(());
    }
    let options = gazette_store::StoreOptions::new(Arc::new(SystemClock)).for_bulk_writes();
    let store = open_journal_with(config, options).await?;
    let outcome = corpus_into_store(&store, &spec).await;
    store.close().await;
    outcome
}

async fn corpus_into_store(
    store: &gazette_store::Store,
    spec: &crate::corpus::CorpusSpec,
) -> anyhow::Result<()> {
    existing_journal(store).await?;
    let started = std::time::Instant::now();
    let mut reported = std::time::Instant::now();
    let written = crate::corpus::store::write(store, spec, |so_far| {
        if reported.elapsed().as_secs() >= 5 {
            reported = std::time::Instant::now();
            eprintln!(
                "… {} articles, {} comments",
                so_far.articles, so_far.comments
            );
        }
    })
    .await?;
    store.analyze_after_bulk_write().await?;
    eprintln!(
        "Wrote {} articles and {} comments into the store in {:.1} s.",
        written.articles,
        written.comments,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// `gazette dev bench-search`: prints a Markdown table of search latencies.
#[expect(clippy::print_stdout, reason = "the table is the command's output")]
pub(crate) async fn bench_search(config: &Config, args: &BenchSearchArgs) -> anyhow::Result<()> {
    use crate::corpus::bench;
    let store = open_journal(config, Arc::new(SystemClock)).await?;
    let language = existing_journal(&store).await?.language;
    let index = gazette_search::SearchIndex::open(&config.index_dir, language.as_str())?;
    if index.position().is_none() {
        bail!(
            "the search index in {} is empty: run `gazette search reindex` first",
            config.index_dir.display()
        );
    }
    let sections: Vec<i64> = store.sections().await?.iter().map(|s| s.id.0).collect();
    let queries = bench::query_mix(args.seed, args.queries, &sections);
    if let Some(path) = &args.write_paths {
        let slugs: std::collections::HashMap<i64, String> = store
            .sections()
            .await?
            .into_iter()
            .map(|s| (s.id.0, s.slug.as_str().to_owned()))
            .collect();
        let lines: Vec<String> = queries
            .iter()
            .map(|q| {
                let text: String =
                    url::form_urlencoded::byte_serialize(q.text.as_bytes()).collect();
                match q.section.and_then(|id| slugs.get(&id)) {
                    Some(slug) => format!("/search/?q={text}&section={slug}"),
                    None => format!("/search/?q={text}"),
                }
            })
            .collect();
        std::fs::write(path, lines.join("\n") + "\n")
            .with_context(|| format!("writing {}", path.display()))?;
    }
    // Warm the index's files into the page cache, as a running server's would be.
    bench::run_index(&index, &queries[..queries.len().min(200)], 1)?;
    let indexed = bench::run_index(&index, &queries, args.concurrency)?;
    let like_queries = &queries[..args.like_queries.min(queries.len())];
    let like = bench::run_like(&store, like_queries, args.concurrency).await?;
    store.close().await;
    let ms = |d: std::time::Duration| format!("{:.2}", d.as_secs_f64() * 1000.0);
    println!("| engine | queries | concurrency | p50 ms | p90 ms | p99 ms | max ms | queries/s |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    for (name, run) in [("tantivy index", &indexed), ("SQL LIKE scan", &like)] {
        println!(
            "| {name} | {} | {} | {} | {} | {} | {} | {:.0} |",
            run.queries,
            args.concurrency,
            ms(run.percentile(50.0)),
            ms(run.percentile(90.0)),
            ms(run.percentile(99.0)),
            ms(run.percentile(100.0)),
            run.per_second()
        );
    }
    println!();
    println!(
        "Index: {} articles, {:.1} MB on disk.",
        index.len(),
        index.size_on_disk() as f64 / 1_000_000.0
    );
    Ok(())
}
