//! Work a handler starts after it has answered: the account lookup behind "forgot my
//! password" and "email me a sign-in link" runs once the answer is on its way, so the answer's
//! timing cannot tell whether the address has an account.
//!
//! Such work is counted, so that a stopping node finishes it before it closes the store (a
//! reset link asked for just before a deploy is still sent), and so that a test can prove the
//! work is over before it asserts that nothing more was mailed.

use std::future::Future;

use tokio::sync::watch;

/// The work started after answers and not yet ended.
#[derive(Debug)]
pub struct AfterAnswer {
    running: watch::Sender<usize>,
}

impl Default for AfterAnswer {
    fn default() -> Self {
        Self {
            running: watch::Sender::new(0),
        }
    }
}

impl AfterAnswer {
    /// Runs `work` on its own task, counted until it ends (or panics).
    pub fn spawn(&self, work: impl Future<Output = ()> + Send + 'static) {
        self.running.send_modify(|running| *running += 1);
        let ended = Ended(self.running.clone());
        tokio::spawn(async move {
            let _ended = ended;
            work.await;
        });
    }

    /// Returns once no such work is running: everything started before the call has ended.
    pub async fn settled(&self) {
        let mut running = self.running.subscribe();
        // The sender lives as long as `self`, so the wait cannot fail for want of it.
        let _ = running.wait_for(|running| *running == 0).await;
    }
}

/// Counts its work as ended when dropped, so a panicking task is not counted forever.
struct Ended(watch::Sender<usize>);

impl Drop for Ended {
    fn drop(&mut self) {
        self.0
            .send_modify(|running| *running = running.saturating_sub(1));
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[tokio::test]
    async fn settled_waits_for_work_started_before_it() {
        let work = AfterAnswer::default();
        let (release, released) = tokio::sync::oneshot::channel::<()>();
        work.spawn(async move {
            let _ = released.await;
        });
        let waiting = tokio::time::timeout(Duration::from_millis(50), work.settled()).await;
        assert!(waiting.is_err(), "the work is still running");
        release.send(()).expect("the work waits");
        tokio::time::timeout(Duration::from_secs(5), work.settled())
            .await
            .expect("settled once the work ended");
    }

    #[tokio::test]
    async fn panicking_work_counts_as_ended() {
        let work = AfterAnswer::default();
        work.spawn(async { panic!("the lookup failed") });
        tokio::time::timeout(Duration::from_secs(5), work.settled())
            .await
            .expect("a panic ends the work");
    }
}
