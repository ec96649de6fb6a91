//! Unsuccessful HTTP answers as [`Error`]s: the status decides the case, the body gives the
//! server's message (docs/truefoundry-api.md §3.6 and §5).

use alloc::string::{String, ToString};

use super::wire::ErrorBody;
use crate::error::{Error, ResourceKind};

/// What a 404 means for the request that got it.
#[derive(Debug, Clone, Copy)]
pub struct NotFoundMeans<'a> {
    /// The kind of thing that was addressed.
    pub kind: ResourceKind,
    /// Its id or FQN.
    pub name: &'a str,
}

/// The longest server message we carry, in characters; longer ones are cut with `…`.
const MAX_MESSAGE_CHARS: usize = 500;

/// The human-readable message of an error body: its `message` (joined when a list), else its
/// `error`, else the start of the body as text.
pub fn server_message(body: &[u8]) -> String {
    let parsed = serde_json::from_slice::<ErrorBody>(body).ok();
    let message = match parsed {
        Some(ErrorBody {
            message: Some(text),
            ..
        }) => text,
        Some(ErrorBody {
            error: Some(text), ..
        }) => text,
        _ => String::from_utf8_lossy(body).into_owned(),
    };
    let message = clip(message.trim());
    if message.is_empty() {
        "(empty body)".to_string()
    } else {
        message
    }
}

/// `text` without control characters, cut to [`MAX_MESSAGE_CHARS`].
fn clip(text: &str) -> String {
    let mut out: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(MAX_MESSAGE_CHARS)
        .collect();
    if text.chars().count() > MAX_MESSAGE_CHARS {
        out.push('…');
    }
    out
}

/// Maps an unsuccessful HTTP answer to an error. `not_found` says what a 404 means for this
/// request; without it a 404 is reported as a plain HTTP status.
pub fn from_status(status: u16, body: &[u8], not_found: Option<NotFoundMeans<'_>>) -> Error {
    let message = server_message(body);
    match status {
        401 => Error::Unauthorized { status, message },
        403 => Error::PermissionDenied { status, message },
        404 => match not_found {
            Some(means) => Error::NotFound {
                kind: means.kind,
                name: means.name.to_string(),
            },
            None => Error::HttpStatus { status, message },
        },
        400 | 422 => Error::Rejected { status, message },
        409 => Error::Conflict { status, message },
        _ => Error::HttpStatus { status, message },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_maps_to_the_documented_case() {
        let body = br#"{"statusCode":0,"message":"server says"}"#;
        let volume = Some(NotFoundMeans {
            kind: ResourceKind::Volume,
            name: "app-9",
        });
        let cases: &[(u16, Option<NotFoundMeans<'_>>, Error)] = &[
            (
                401,
                None,
                Error::Unauthorized {
                    status: 401,
                    message: "server says".into(),
                },
            ),
            (
                403,
                None,
                Error::PermissionDenied {
                    status: 403,
                    message: "server says".into(),
                },
            ),
            (
                404,
                volume,
                Error::NotFound {
                    kind: ResourceKind::Volume,
                    name: "app-9".into(),
                },
            ),
            (
                404,
                None,
                Error::HttpStatus {
                    status: 404,
                    message: "server says".into(),
                },
            ),
            (
                400,
                None,
                Error::Rejected {
                    status: 400,
                    message: "server says".into(),
                },
            ),
            (
                422,
                None,
                Error::Rejected {
                    status: 422,
                    message: "server says".into(),
                },
            ),
            (
                409,
                None,
                Error::Conflict {
                    status: 409,
                    message: "server says".into(),
                },
            ),
            (
                429,
                None,
                Error::HttpStatus {
                    status: 429,
                    message: "server says".into(),
                },
            ),
            (
                500,
                None,
                Error::HttpStatus {
                    status: 500,
                    message: "server says".into(),
                },
            ),
            (
                503,
                None,
                Error::HttpStatus {
                    status: 503,
                    message: "server says".into(),
                },
            ),
            (
                302,
                None,
                Error::HttpStatus {
                    status: 302,
                    message: "server says".into(),
                },
            ),
        ];
        for (status, means, expected) in cases {
            assert_eq!(
                &from_status(*status, body, *means),
                expected,
                "status {status}"
            );
        }
    }

    #[test]
    fn server_message_reads_every_body_shape() {
        let cases: &[(&[u8], &str)] = &[
            (
                br#"{"statusCode":400,"message":"name is invalid"}"#,
                "name is invalid",
            ),
            (
                br#"{"message":["size must be >= 1","name too long"]}"#,
                "size must be >= 1; name too long",
            ),
            (br#"{"error":"mock failure"}"#, "mock failure"),
            (b"<html>Bad Gateway</html>", "<html>Bad Gateway</html>"),
            (b"", "(empty body)"),
            (b"line one\nline two", "line one line two"),
        ];
        for (body, expected) in cases {
            assert_eq!(server_message(body), *expected);
        }
    }

    #[test]
    fn server_message_is_clipped() {
        let long = "x".repeat(2000);
        let message = server_message(long.as_bytes());
        assert_eq!(message.chars().count(), MAX_MESSAGE_CHARS + 1);
        assert!(message.ends_with('…'));
    }
}
