//! Values written on every request, kept once per worker thread instead of once per process.
//!
//! A counter that every cached hit bumps is one cache line that both cores take turns owning;
//! under load each bump waits for the line to come over from the other core. Striped, each
//! thread writes its own line, and the rare reader (the metrics page) adds the stripes up.

use std::sync::atomic::{AtomicUsize, Ordering};

/// Enough for the async workers of a machine with a few cores; more threads share stripes,
/// which is still correct, only slower.
const STRIPES: usize = 8;

/// One `T` per stripe, each on a cache line of its own.
#[derive(Debug, Default)]
pub(crate) struct Striped<T>([Padded<T>; STRIPES]);

/// 128 bytes: a cache line on x86 (64) and the pair the prefetcher fetches together, and a
/// line on Apple's ARM chips.
#[derive(Debug, Default)]
#[repr(align(128))]
struct Padded<T>(T);

impl<T> Striped<T> {
    /// The calling thread's stripe.
    pub(crate) fn mine(&self) -> &T {
        &self.0[stripe_of_this_thread()].0
    }

    /// Every stripe, for adding them up.
    pub(crate) fn all(&self) -> impl Iterator<Item = &T> {
        self.0.iter().map(|padded| &padded.0)
    }
}

/// Threads take stripes in turn as they first ask, so a runtime's few workers never share one.
fn stripe_of_this_thread() -> usize {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    thread_local! {
        static STRIPE: usize = NEXT.fetch_add(1, Ordering::Relaxed) % STRIPES;
    }
    STRIPE.with(|stripe| *stripe)
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU64, Ordering};

    use super::Striped;

    #[test]
    fn counts_from_every_thread_add_up() {
        let counter: Striped<AtomicU64> = Striped::default();
        std::thread::scope(|scope| {
            for _ in 0..12 {
                scope.spawn(|| {
                    for _ in 0..1_000 {
                        counter.mine().fetch_add(1, Ordering::Relaxed);
                    }
                });
            }
        });
        let total: u64 = counter.all().map(|c| c.load(Ordering::Relaxed)).sum();
        assert_eq!(total, 12_000);
    }
}
