//! `error::server_message` and `error::from_status` on any status and body, and `Error::redact`: a non-empty secret placed in an error's message is gone from the redacted error's `Display`.
//!
//! Properties:
//! - `server_message` never panics, is never empty, has no control characters, and is at most
//!   500 characters plus a final `…`;
//! - `from_status` picks the documented case for the status (401, 403, 404 with and without
//!   a meaning, 400/422, 409, anything else) and carries the status and `server_message`;
//! - `redact(secret)` on every case that carries server text (built with
//!   `pre + secret + post` as that text) leaves no occurrence of the secret in `Display`, and
//!   `from_status(.., body containing the secret, ..).redact(&Secret::new(secret))` neither, whenever the
//!   whole secret survived `server_message`.
//!
//! The redaction property is asserted for secrets that look like API keys: 1 to 200
//! characters, none of them whitespace, control characters, `:`, `` ` ``, `[` or `]`, and
//! the secret is neither part of the case's fixed text nor of the marker `[redacted]`.
//! Outside that, `Display` can spell the secret with the case's own words (a secret `HTTP`,
//! `e`, `d]`) or across the boundary between the fixed text and the message (`): x`), which
//! is no leak of the key; the target still checks that nothing panics there.
#![no_main]

use arbitrary::{Arbitrary, Unstructured};
use libfuzzer_sys::fuzz_target;
use truefoundry_volumes::api::status::{from_status, server_message, NotFoundMeans};
use truefoundry_volumes::error::{Error, ResourceKind};
use truefoundry_volumes::redact::{Redact, Secret};

const MAX_MESSAGE_CHARS: usize = 500;
const MARKER: &str = "[redacted]";

#[derive(Debug, Arbitrary)]
struct Input<'a> {
    status: u16,
    body: &'a [u8],
    /// What a 404 means, if anything.
    not_found: Option<(bool, &'a str)>,
    secret: &'a str,
    pre: &'a str,
    post: &'a str,
    /// Wrap the secret-bearing body as `{"message": ...}` (else raw text).
    json_body: bool,
    /// Status used for cases built by hand.
    other_status: u16,
}

fuzz_target!(|data: &[u8]| {
    let Ok(input) = Input::arbitrary_take_rest(Unstructured::new(data)) else {
        return;
    };
    check_server_message(input.body);
    check_from_status(&input);
    check_redact(&input);
});

fn check_server_message(body: &[u8]) {
    let message = server_message(body);
    assert!(!message.is_empty(), "empty server message");
    assert!(
        !message.chars().any(char::is_control),
        "control character in {message:?}"
    );
    let count = message.chars().count();
    assert!(count <= MAX_MESSAGE_CHARS + 1, "{count} characters");
    if count == MAX_MESSAGE_CHARS + 1 {
        assert!(message.ends_with('…'), "a long message is cut without `…`");
    }
    assert_eq!(message, server_message(body), "not deterministic");
}

fn check_from_status(input: &Input<'_>) {
    let status = input.status;
    let means = input.not_found.map(|(volume, name)| NotFoundMeans {
        kind: if volume {
            ResourceKind::Volume
        } else {
            ResourceKind::Workspace
        },
        name,
    });
    let error = from_status(status, input.body, means);
    let message = server_message(input.body);
    let expected = match status {
        401 => Error::Unauthorized { status, message },
        403 => Error::PermissionDenied { status, message },
        404 => match means {
            Some(means) => Error::NotFound {
                kind: means.kind,
                name: means.name.to_string(),
            },
            None => Error::HttpStatus { status, message },
        },
        400 | 422 => Error::Rejected { status, message },
        409 => Error::Conflict { status, message },
        _ => Error::HttpStatus { status, message },
    };
    assert_eq!(error, expected, "status {status} maps to the wrong case");
    assert!(!error.to_string().is_empty());
    assert!(error.fix().len() > 20, "weak fix for {error:?}");
}

/// Every case whose text can come from a server, with `message` as that text.
fn server_text_cases(status: u16, message: &str) -> Vec<Error> {
    let message = || message.to_string();
    vec![
        Error::Unauthorized {
            status,
            message: message(),
        },
        Error::PermissionDenied {
            status,
            message: message(),
        },
        Error::Rejected {
            status,
            message: message(),
        },
        Error::Conflict {
            status,
            message: message(),
        },
        Error::HttpStatus {
            status,
            message: message(),
        },
        Error::Transport { message: message() },
        Error::UndecodableResponse {
            status,
            detail: message(),
        },
        Error::StorageClassUnavailable {
            volume_fqn: "c1:ws1:data".to_string(),
            storage_class: "efs-sc".to_string(),
            message: message(),
        },
        Error::PersistentVolumeNotFound {
            volume_fqn: "c1:ws1:data".to_string(),
            persistent_volume: "data-pv".to_string(),
            message: message(),
        },
        Error::DeploymentFailed {
            volume_fqn: "c1:ws1:data".to_string(),
            api_status: "DEPLOY_FAILED".to_string(),
            message: message(),
        },
    ]
}

/// Whether `secret` is shaped like an API key (see the module docs for why the rest is not
/// asserted on).
fn key_like(secret: &str) -> bool {
    let length = secret.chars().count();
    (1..=200).contains(&length)
        && !secret
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, ':' | '`' | '[' | ']'))
        && !MARKER.contains(secret)
}

fn check_redact(input: &Input<'_>) {
    let secret = input.secret;
    let message = format!("{}{}{}", input.pre, secret, input.post);
    let asserted = key_like(secret);
    for error in server_text_cases(input.other_status, &message) {
        let fixed = fixed_text(&error);
        let redacted = error.clone().redact(&Secret::new(secret));
        let shown = redacted.to_string();
        if asserted && !fixed.contains(secret) {
            assert!(
                !shown.contains(secret),
                "secret {secret:?} survives redaction of {error:?}: {shown:?}"
            );
        }
        // Redacting twice changes nothing more, and an empty secret changes nothing.
        if asserted {
            assert_eq!(
                redacted.clone().redact(&Secret::new(secret)),
                redacted,
                "redact is not idempotent"
            );
        }
        assert_eq!(
            error.clone().redact(&Secret::none()),
            error,
            "an empty secret changed the error"
        );
    }

    // The client's path: a server echoes the secret in an error body.
    let body = if input.json_body {
        serde_json::to_vec(&serde_json::json!({ "statusCode": input.status, "message": message }))
            .unwrap_or_default()
    } else {
        message.clone().into_bytes()
    };
    let error = from_status(input.status, &body, None);
    let fixed = fixed_text(&error);
    if asserted && !fixed.contains(secret) && server_message(&body).contains(secret) {
        let shown = error.clone().redact(&Secret::new(secret)).to_string();
        assert!(
            !shown.contains(secret),
            "secret {secret:?} survives redaction of {error:?}: {shown:?}"
        );
    }
}

/// The `Display` of `error` with its server text emptied: the case's own words.
fn fixed_text(error: &Error) -> String {
    let mut empty = error.clone();
    match &mut empty {
        Error::Unauthorized { message, .. }
        | Error::PermissionDenied { message, .. }
        | Error::Rejected { message, .. }
        | Error::Conflict { message, .. }
        | Error::HttpStatus { message, .. }
        | Error::Transport { message }
        | Error::StorageClassUnavailable { message, .. }
        | Error::PersistentVolumeNotFound { message, .. }
        | Error::DeploymentFailed { message, .. } => message.clear(),
        Error::UndecodableResponse { detail, .. } => detail.clear(),
        other => panic!("not a case with server text: {other:?}"),
    }
    empty.to_string()
}
