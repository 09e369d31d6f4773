//! Taking the node's shared locks (the page cache's maps, the metrics, the site snapshot's
//! slot) whether or not they are poisoned.
//!
//! A poisoned lock only means another request panicked while holding it. Every value guarded
//! this way is left consistent before anything that can panic (a map entry inserted whole, a
//! counter bumped, a snapshot swapped), so it is still fit to serve from, and one panicking
//! request must not take every later one down with it.

use std::sync::{Mutex, MutexGuard, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

pub(crate) fn read<T>(lock: &RwLock<T>) -> RwLockReadGuard<'_, T> {
    lock.read().unwrap_or_else(PoisonError::into_inner)
}

pub(crate) fn write<T>(lock: &RwLock<T>) -> RwLockWriteGuard<'_, T> {
    lock.write().unwrap_or_else(PoisonError::into_inner)
}
