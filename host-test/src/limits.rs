//! What one instance may consume: memory, time per call, and HTTP timeouts the host enforces
//! whatever the guest asks for.

use std::time::Duration;

use wasmtime::ResourceLimiter;

/// The sandbox's bounds. [`Limits::default`] suits production; tests shorten the timeouts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Most linear memory one instance may use.
    pub memory_bytes: usize,
    /// Longest an exported call may run, on top of any wait it was asked to do.
    pub call_timeout: Duration,
    /// Cap on the time to connect to the control plane.
    pub connect_timeout: Duration,
    /// Cap on the time from sending a request to the response head.
    pub first_byte_timeout: Duration,
    /// Cap on a pause between two chunks of a response body.
    pub between_bytes_timeout: Duration,
    /// Pre-allocate instance slots (wasmtime's pooling allocator) so a fresh instance per
    /// call is cheap, as gateways run plugins; `None` allocates on demand.
    pub pooled_instances: Option<u32>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            memory_bytes: 64 * 1024 * 1024,
            call_timeout: Duration::from_secs(300),
            connect_timeout: Duration::from_secs(10),
            first_byte_timeout: Duration::from_secs(60),
            between_bytes_timeout: Duration::from_secs(30),
            pooled_instances: None,
        }
    }
}

/// Enforces [`Limits::memory_bytes`] and remembers the largest memory the guest reached.
#[derive(Debug)]
pub struct MemoryLimiter {
    limit: usize,
    peak: usize,
}

impl MemoryLimiter {
    /// A limiter allowing `limit` bytes.
    pub fn new(limit: usize) -> Self {
        MemoryLimiter { limit, peak: 0 }
    }

    /// The largest linear memory size reached, in bytes.
    pub fn peak(&self) -> usize {
        self.peak
    }
}

impl ResourceLimiter for MemoryLimiter {
    fn memory_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        if desired > self.limit {
            // A trap, not a failed grow: the guest's allocator would abort anyway, and a trap
            // names the cause.
            return Err(wasmtime::Error::msg(format!(
                "the component tried to grow its memory to {desired} bytes, above the host's \
                 limit of {} bytes",
                self.limit
            )));
        }
        self.peak = self.peak.max(desired);
        Ok(true)
    }

    fn table_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        Ok(desired <= 100_000)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_is_capped_and_the_peak_remembered() {
        let mut limiter = MemoryLimiter::new(1 << 20);
        assert!(limiter.memory_growing(0, 65_536, None).unwrap());
        assert!(limiter.memory_growing(65_536, 1 << 20, None).unwrap());
        let error = limiter
            .memory_growing(1 << 20, (1 << 20) + 65_536, None)
            .unwrap_err();
        assert!(
            error.to_string().contains("above the host's limit"),
            "{error}"
        );
        assert_eq!(limiter.peak(), 1 << 20);
    }
}
