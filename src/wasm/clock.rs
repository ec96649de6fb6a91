//! wasm only: the core's [`Clock`] over `wasi:clocks/monotonic-clock`, sleeping on a pollable
//! rather than spinning.

use core::time::Duration;

use crate::client::Clock;

/// The host's monotonic clock.
pub struct WasiClock;

impl Clock for WasiClock {
    fn now(&mut self) -> Duration {
        Duration::from_nanos(wasi::clocks::monotonic_clock::now())
    }

    fn sleep(&mut self, duration: Duration) {
        let nanos = u64::try_from(duration.as_nanos()).unwrap_or(u64::MAX);
        wasi::clocks::monotonic_clock::subscribe_duration(nanos).block();
    }
}
