//! Time, for waiting between retries and status checks: the component sleeps through
//! wasi:clocks, the native library through the OS, tests through a virtual clock.

use core::time::Duration;

/// A monotonic clock that can sleep.
pub trait Clock {
    /// Time elapsed since an arbitrary, fixed origin.
    fn now(&mut self) -> Duration;
    /// Blocks, without spinning, for `duration`.
    fn sleep(&mut self, duration: Duration);
}

impl<C: Clock + ?Sized> Clock for &mut C {
    fn now(&mut self) -> Duration {
        (**self).now()
    }

    fn sleep(&mut self, duration: Duration) {
        (**self).sleep(duration)
    }
}
