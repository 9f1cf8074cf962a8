//! Owning a Rust value from a Python object that PyO3 asks to be `Sync`.

use std::sync::{Mutex, PoisonError};

/// A value a Python object owns and reaches only through `&mut self` (PyO3 lends one caller
/// at a time), so no lock is ever taken; the mutex only makes the object `Sync` as PyO3 asks.
pub(crate) struct Owned<T>(Mutex<T>);

impl<T> Owned<T> {
    pub(crate) fn new(value: T) -> Owned<T> {
        Owned(Mutex::new(value))
    }

    pub(crate) fn get(&mut self) -> &mut T {
        self.0.get_mut().unwrap_or_else(PoisonError::into_inner)
    }
}
