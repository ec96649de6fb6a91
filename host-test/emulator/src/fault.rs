//! Fault injection: rules that make the emulator misbehave on demand, and their bookkeeping.

use std::time::Duration;

/// When to misbehave, and how. Rules are checked in insertion order; the first matching rule
/// whose `times` is not used up applies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FaultRule {
    /// Only requests with this method (case-insensitive); `None` = any method.
    pub method: Option<String>,
    /// Only requests whose path starts with this; `None` = any path.
    pub path_prefix: Option<String>,
    /// How many matching requests to fault; `None` = every matching request.
    pub times: Option<u32>,
    /// What to do instead of (or on top of) the normal answer.
    pub fault: Fault,
}

impl FaultRule {
    /// A rule for every request.
    pub fn always(fault: Fault) -> FaultRule {
        FaultRule {
            method: None,
            path_prefix: None,
            times: None,
            fault,
        }
    }

    fn matches(&self, method: &str, path: &str) -> bool {
        self.method
            .as_deref()
            .is_none_or(|m| m.eq_ignore_ascii_case(method))
            && self
                .path_prefix
                .as_deref()
                .is_none_or(|p| path.starts_with(p))
    }
}

/// A way to misbehave.
///
/// `Status`, `Redirect`, `HugeBody`, `Hang` and `CloseWithoutResponse` replace the answer and
/// skip authentication. `Delay`, `TruncatedBody` and `InconsistentTotal` distort the *normal*
/// answer, which is computed as usual (authentication and state changes included): a PUT cut
/// short by `TruncatedBody` has still been stored, as it would be on a real server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fault {
    /// Answer with exactly this status, body and headers (`Content-Length` is added).
    Status {
        /// HTTP status code; an invalid code (outside 100..=999) is sent as 500.
        status: u16,
        /// Response body.
        body: String,
        /// Extra response headers; invalid names or values are skipped.
        headers: Vec<(String, String)>,
    },
    /// Wait this long, then answer normally.
    Delay(Duration),
    /// Read the request and never answer (until the emulator shuts down).
    Hang,
    /// Drop the connection after reading the request, writing nothing.
    CloseWithoutResponse,
    /// Send the normal answer's headers with its full `Content-Length`, write only the first
    /// half of the body, then close the connection.
    TruncatedBody,
    /// Answer with this status and a `Location` header, empty body.
    Redirect {
        /// e.g. 301, 302, 307.
        status: u16,
        /// The `Location` header value.
        location: String,
    },
    /// Answer 200 with a JSON-looking prefix followed by `bytes` of filler, streamed.
    HugeBody {
        /// Filler bytes after the prefix.
        bytes: u64,
    },
    /// On list endpoints, report this `pagination.total` instead of the real one (other
    /// endpoints answer normally; the rule's `times` is consumed either way).
    InconsistentTotal {
        /// The total to report.
        total: u64,
    },
}

/// The installed rules with how often each has fired.
#[derive(Debug, Default)]
pub(crate) struct FaultBook {
    rules: Vec<(FaultRule, u32)>,
}

impl FaultBook {
    /// Adds a rule after the existing ones.
    pub(crate) fn push(&mut self, rule: FaultRule) {
        self.rules.push((rule, 0));
    }

    /// Removes every rule.
    pub(crate) fn clear(&mut self) {
        self.rules.clear();
    }

    /// The fault for this request, if any, counting it against its rule's `times`.
    pub(crate) fn take(&mut self, method: &str, path: &str) -> Option<Fault> {
        let (rule, used) = self.rules.iter_mut().find(|(rule, used)| {
            rule.times.is_none_or(|times| *used < times) && rule.matches(method, path)
        })?;
        *used = used.saturating_add(1);
        Some(rule.fault.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_unexhausted_match_wins() {
        let mut book = FaultBook::default();
        book.push(FaultRule {
            method: Some("put".to_string()),
            path_prefix: Some("/api/svc/v1/apps".to_string()),
            times: Some(1),
            fault: Fault::Hang,
        });
        book.push(FaultRule::always(Fault::CloseWithoutResponse));
        assert_eq!(book.take("GET", "/x"), Some(Fault::CloseWithoutResponse));
        assert_eq!(book.take("PUT", "/api/svc/v1/apps"), Some(Fault::Hang));
        assert_eq!(
            book.take("PUT", "/api/svc/v1/apps"),
            Some(Fault::CloseWithoutResponse)
        );
        book.clear();
        assert_eq!(book.take("PUT", "/api/svc/v1/apps"), None);
    }
}
