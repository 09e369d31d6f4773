//! `gazette dev bench-search`: query latency of the search index against WordPress's `LIKE`
//! scan, on the same store, with the same queries, measured in the same run.
//!
//! The query mix (fixed by the seed): 50% one topic word ("pensions"), 20% one less common word
//! of the vocabulary, 15% two words, 10% a two-word phrase in quotes ("\"wind farms\""), 5% a
//! topic word within one section. The `LIKE` scan gets the same words (a phrase as one
//! pattern) and ignores the section filter.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use gazette_search::{Filters, SearchIndex, SearchRequest};
use gazette_store::Store;

use super::{Rng, words};

/// One query of the mix.
#[derive(Debug, Clone)]
pub struct BenchQuery {
    /// As a reader types it.
    pub text: String,
    /// What a `LIKE` scan looks for: each must occur.
    pub patterns: Vec<String>,
    pub section: Option<i64>,
}

/// `count` queries of the mix; `sections` are the ids a filtered query may pick.
pub fn query_mix(seed: u64, count: usize, sections: &[i64]) -> Vec<BenchQuery> {
    let mut rng = Rng::new(seed ^ 0x5EA7C4);
    let single: Vec<&str> = words::TOPICS
        .iter()
        .copied()
        .filter(|t| !t.contains(' '))
        .collect();
    let pairs: Vec<&str> = words::TOPICS
        .iter()
        .copied()
        .filter(|t| t.contains(' '))
        .collect();
    let uncommon = &words::VOCABULARY[100..];
    (0..count)
        .map(|_| {
            let roll = rng.below(100);
            let topic = *rng.pick(&single);
            let (text, patterns) = match roll {
                0..50 => (topic.to_owned(), vec![topic.to_owned()]),
                50..70 => {
                    let word = *rng.pick(uncommon);
                    (word.to_owned(), vec![word.to_owned()])
                }
                70..85 => {
                    let word = *rng.pick(uncommon);
                    (
                        format!("{topic} {word}"),
                        vec![topic.to_owned(), word.to_owned()],
                    )
                }
                85..95 => {
                    let phrase = *rng.pick(&pairs);
                    (format!("\"{phrase}\""), vec![phrase.to_owned()])
                }
                _ => (topic.to_owned(), vec![topic.to_owned()]),
            };
            let section = (roll >= 95 && !sections.is_empty()).then(|| *rng.pick(sections));
            BenchQuery {
                text,
                patterns,
                section,
            }
        })
        .collect()
}

/// Latency percentiles of one run.
#[derive(Debug, Clone)]
pub struct Latencies {
    pub queries: usize,
    pub elapsed: Duration,
    sorted: Vec<Duration>,
}

impl Latencies {
    fn new(mut all: Vec<Duration>, elapsed: Duration) -> Self {
        all.sort_unstable();
        Self {
            queries: all.len(),
            elapsed,
            sorted: all,
        }
    }

    pub fn percentile(&self, p: f64) -> Duration {
        if self.sorted.is_empty() {
            return Duration::ZERO;
        }
        let rank = ((p / 100.0) * self.sorted.len() as f64).ceil() as usize;
        self.sorted[rank.clamp(1, self.sorted.len()) - 1]
    }

    pub fn per_second(&self) -> f64 {
        self.queries as f64 / self.elapsed.as_secs_f64().max(f64::EPSILON)
    }
}

/// Runs `queries` against the index from `concurrency` threads at once.
pub fn run_index(
    index: &SearchIndex,
    queries: &[BenchQuery],
    concurrency: usize,
) -> anyhow::Result<Latencies> {
    let next = AtomicUsize::new(0);
    let started = Instant::now();
    let results: Vec<anyhow::Result<Vec<Duration>>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..concurrency.max(1))
            .map(|_| {
                scope.spawn(|| {
                    let mut times = Vec::new();
                    loop {
                        let Some(query) = queries.get(next.fetch_add(1, Ordering::Relaxed)) else {
                            return Ok(times);
                        };
                        let request = SearchRequest {
                            text: query.text.clone(),
                            filters: Filters {
                                sections: query.section.into_iter().collect(),
                                ..Filters::default()
                            },
                            offset: 0,
                            limit: 10,
                            now: jiff::Timestamp::now(),
                            ..SearchRequest::default()
                        };
                        let at = Instant::now();
                        let results = index.search(&request)?;
                        std::hint::black_box(results.total);
                        times.push(at.elapsed());
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| {
                w.join()
                    .unwrap_or_else(|_| Err(anyhow::anyhow!("a worker panicked")))
            })
            .collect()
    });
    let mut all = Vec::with_capacity(queries.len());
    for times in results {
        all.extend(times?);
    }
    Ok(Latencies::new(all, started.elapsed()))
}

/// Runs `queries` as `LIKE` scans on the store, `concurrency` at once.
pub async fn run_like(
    store: &Store,
    queries: &[BenchQuery],
    concurrency: usize,
) -> anyhow::Result<Latencies> {
    let queries = Arc::new(queries.to_vec());
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..concurrency.max(1) {
        let (store, queries, next) = (store.clone(), queries.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            let mut times = Vec::new();
            while let Some(query) = queries.get(next.fetch_add(1, Ordering::Relaxed)) {
                let at = Instant::now();
                let found = store.search_like(&query.patterns, 10).await?;
                std::hint::black_box(found.len());
                times.push(at.elapsed());
            }
            Ok::<_, anyhow::Error>(times)
        }));
    }
    let mut all = Vec::new();
    for task in tasks {
        all.extend(task.await.context("a LIKE worker panicked")??);
    }
    Ok(Latencies::new(all, started.elapsed()))
}
