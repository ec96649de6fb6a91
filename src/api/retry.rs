//! When a request may be sent again, and how long to wait first.
//!
//! Reads (GET) are idempotent: they are retried on 429, 502, 503 and 504 and on a refused
//! connection. Writes (PUT) are retried only when the connection was refused, since then the
//! server never saw them; after any answer, or a failure mid-request, a write is never
//! repeated blindly.

use core::time::Duration;

use super::http::{HttpResponse, Method, TransportError};

/// Attempts per request, the first included.
pub const MAX_ATTEMPTS: u32 = 3;
/// The first backoff; it doubles on each retry.
const FIRST_BACKOFF: Duration = Duration::from_millis(500);
/// The longest `Retry-After` honoured; a server asking for more gets its error returned.
pub const MAX_RETRY_AFTER_SECONDS: u32 = 30;

/// How long to wait before attempt `attempt + 1` after `outcome`, or `None` to stop.
/// `attempt` counts from 1.
pub fn delay_before_retry(
    method: Method,
    outcome: &Result<HttpResponse, TransportError>,
    attempt: u32,
) -> Option<Duration> {
    if attempt >= MAX_ATTEMPTS {
        return None;
    }
    let backoff = FIRST_BACKOFF * (1 << (attempt - 1));
    match outcome {
        Err(failure) if failure.never_sent => Some(backoff),
        Err(_) => None,
        Ok(response)
            if method == Method::Get && matches!(response.status, 429 | 502 | 503 | 504) =>
        {
            match response.retry_after_seconds {
                Some(seconds) if seconds > MAX_RETRY_AFTER_SECONDS => None,
                Some(seconds) => Some(Duration::from_secs(u64::from(seconds))),
                None => Some(backoff),
            }
        }
        Ok(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(
        status: u16,
        retry_after_seconds: Option<u32>,
    ) -> Result<HttpResponse, TransportError> {
        Ok(HttpResponse {
            status,
            body: alloc::vec::Vec::new(),
            retry_after_seconds,
        })
    }

    const HALF: Duration = Duration::from_millis(500);

    #[test]
    fn reads_retry_on_overload_with_doubling_backoff() {
        for status in [429, 502, 503, 504] {
            assert_eq!(
                delay_before_retry(Method::Get, &answer(status, None), 1),
                Some(HALF)
            );
            assert_eq!(
                delay_before_retry(Method::Get, &answer(status, None), 2),
                Some(2 * HALF)
            );
            assert_eq!(
                delay_before_retry(Method::Get, &answer(status, None), 3),
                None
            );
        }
        for status in [200, 400, 401, 403, 404, 409, 500, 501] {
            assert_eq!(
                delay_before_retry(Method::Get, &answer(status, None), 1),
                None,
                "{status}"
            );
        }
    }

    #[test]
    fn retry_after_is_honoured_up_to_a_bound() {
        assert_eq!(
            delay_before_retry(Method::Get, &answer(429, Some(3)), 1),
            Some(Duration::from_secs(3))
        );
        assert_eq!(
            delay_before_retry(Method::Get, &answer(503, Some(0)), 1),
            Some(Duration::ZERO)
        );
        assert_eq!(
            delay_before_retry(Method::Get, &answer(429, Some(31)), 1),
            None
        );
    }

    #[test]
    fn writes_retry_only_when_never_sent() {
        for status in [429, 502, 503, 504] {
            assert_eq!(
                delay_before_retry(Method::Put, &answer(status, None), 1),
                None
            );
        }
        let refused = Err(TransportError::refused("connection refused"));
        let cut = Err(TransportError::new("connection reset"));
        assert_eq!(delay_before_retry(Method::Put, &refused, 1), Some(HALF));
        assert_eq!(delay_before_retry(Method::Get, &refused, 2), Some(2 * HALF));
        assert_eq!(delay_before_retry(Method::Put, &cut, 1), None);
        assert_eq!(delay_before_retry(Method::Get, &cut, 1), None);
    }
}
