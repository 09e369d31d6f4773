//! The state every handler receives.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use gazette_store::Store;

/// Shared application state: cheap to clone (one `Arc`).
#[derive(Debug, Clone)]
pub struct AppState(Arc<App>);

#[derive(Debug)]
struct App {
    /// The content store; every read and write goes through it.
    store: Store,
    /// Whether this node may take traffic (`/readyz`).
    readiness: Arc<Readiness>,
}

impl AppState {
    pub fn new(store: Store, readiness: Arc<Readiness>) -> Self {
        Self(Arc::new(App { store, readiness }))
    }

    pub fn store(&self) -> &Store {
        &self.0.store
    }

    pub fn readiness(&self) -> &Readiness {
        &self.0.readiness
    }
}

/// What a node must have done before it reports ready. Flags are set by the parts of the node
/// that own them (the follower sets `caught_up`).
#[derive(Debug, Default)]
pub struct Readiness {
    caught_up: AtomicBool,
}

impl Readiness {
    /// The follower has applied every change that existed when the node started.
    pub fn set_caught_up(&self) {
        self.caught_up.store(true, Ordering::Release);
    }

    pub fn is_caught_up(&self) -> bool {
        self.caught_up.load(Ordering::Acquire)
    }
}
