//! Time, for waiting: the component sleeps through wasi:clocks, tests through a virtual clock.

/// A monotonic clock that can sleep.
pub trait Clock {
    /// Monotonic time in nanoseconds, from an arbitrary origin.
    fn now_nanos(&mut self) -> u64;
    /// Blocks (without spinning) for `nanos` nanoseconds.
    fn sleep_nanos(&mut self, nanos: u64);
}

impl<C: Clock + ?Sized> Clock for &mut C {
    fn now_nanos(&mut self) -> u64 {
        (**self).now_nanos()
    }

    fn sleep_nanos(&mut self, nanos: u64) {
        (**self).sleep_nanos(nanos)
    }
}

/// Nanoseconds per second.
pub const NANOS_PER_SECOND: u64 = 1_000_000_000;
