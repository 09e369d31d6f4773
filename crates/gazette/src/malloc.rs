//! glibc's allocator gives each thread that allocates its own arena (up to eight per core) and
//! each arena keeps what was freed in it. A node has about twenty threads (the async workers,
//! one per SQLite connection, the search index's writer and mergers), so transient buffers
//! (rows, rendered pages, compression) left a few hundred MiB resident under churn although
//! the live data was a few dozen: measured with `scripts/soak`, 258–308 MiB with glibc's
//! default against 55–68 MiB with two arenas (BENCHMARKS.md, "Memory under churn").
//!
//! glibc also raises its threshold for serving a large allocation from its own mapping each
//! time such a mapping is freed, so after a while the search index's 1 MiB indexing buffers
//! and brotli's windows come from the arenas, between long-lived small blocks that keep the
//! arenas from shrinking. Fixing the threshold at 128 KiB returns every large block to the
//! system when it is freed: in the 10-minute soak, anonymous memory 18–26 MiB instead of
//! 53–60, at the same throughput (heaptrack, before the change: the live heap peaked at
//! 39 MB; the rest was what the arenas kept).
//!
//! Both can only be set before the allocator starts, from the environment, so the binary
//! starts itself again with `MALLOC_ARENA_MAX=2` and `MALLOC_MMAP_THRESHOLD_=131072` when the
//! operator has not chosen a malloc setting. `exec` replaces the process: same PID,
//! arguments, environment otherwise, and nothing has started yet. Other C libraries ignore
//! the variables.

use std::os::unix::process::CommandExt as _;

/// Two arenas: the async workers and the database threads rarely contend for them.
const ARENAS: &str = "2";

/// Allocations of 128 KiB and more get a mapping of their own, unmapped when freed.
const MMAP_THRESHOLD: &str = "131072";

/// Restarts the process with bounded malloc arenas unless the environment already sets them
/// (an operator's choice, or this restart having happened).
pub fn bound_arenas() {
    let chosen = [
        "MALLOC_ARENA_MAX",
        "MALLOC_MMAP_THRESHOLD_",
        "GLIBC_TUNABLES",
    ]
    .iter()
    .any(|name| std::env::var_os(name).is_some());
    if chosen {
        return;
    }
    let Ok(program) = std::env::current_exe() else {
        return;
    };
    let error = std::process::Command::new(program)
        .args(std::env::args_os().skip(1))
        .env("MALLOC_ARENA_MAX", ARENAS)
        .env("MALLOC_MMAP_THRESHOLD_", MMAP_THRESHOLD)
        .exec();
    // `exec` returns only when it failed: run as we are, with glibc's default arenas.
    eprintln!(
        "warning: could not restart with MALLOC_ARENA_MAX={ARENAS} and MALLOC_MMAP_THRESHOLD_={MMAP_THRESHOLD} ({error}); memory use may be higher"
    );
}
