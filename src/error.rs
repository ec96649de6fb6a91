//! The one error type of the component, and the mapping from HTTP answers to it.

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use alloc::{format, vec};
use core::fmt;
use serde::de::{self, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

/// Kinds of things a lookup can fail to find.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResourceKind {
    /// A cluster, named by its id.
    Cluster,
    /// A workspace, named by its FQN.
    Workspace,
    /// A volume, named by its id or FQN.
    Volume,
}

impl ResourceKind {
    fn noun(self) -> &'static str {
        match self {
            ResourceKind::Cluster => "cluster",
            ResourceKind::Workspace => "workspace",
            ResourceKind::Volume => "volume",
        }
    }
}

/// Every way a call can fail. Each variant knows what the caller should do next ([`Error::fix`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// An argument breaks a rule; nothing was sent.
    #[error("invalid {field}: {problem}")]
    InvalidInput {
        /// The offending field, as the WIT names it (`size-gi`, `browser.path`, ...).
        field: String,
        /// The rule it breaks, with the value it had.
        problem: String,
        /// How to correct it.
        fix: String,
    },
    /// A required environment variable is missing or malformed.
    #[error("environment variable {variable}: {problem}")]
    MissingConfiguration {
        /// The variable (`TFY_BASE_URL` or `TFY_API_KEY`).
        variable: String,
        /// What is wrong with it.
        problem: String,
    },
    /// HTTP 401: the API key was refused.
    #[error("the control plane refused the API key (HTTP {status}): {message}")]
    Unauthorized {
        /// HTTP status.
        status: u16,
        /// The server's message.
        message: String,
    },
    /// HTTP 403: the key lacks permission.
    #[error("permission denied (HTTP {status}): {message}")]
    PermissionDenied {
        /// HTTP status.
        status: u16,
        /// The server's message.
        message: String,
    },
    /// The workspace or volume does not exist (or is not visible to this key).
    #[error("{} `{name}` not found", kind.noun())]
    NotFound {
        /// What is missing.
        kind: ResourceKind,
        /// The id or FQN that was looked up.
        name: String,
    },
    /// `create` refused because the name is taken in the workspace.
    #[error("a volume named `{name}` already exists in workspace `{workspace_fqn}` (id {id})")]
    AlreadyExists {
        /// The taken name.
        name: String,
        /// The workspace.
        workspace_fqn: String,
        /// Id of the existing application.
        id: String,
    },
    /// A volume can grow but never shrink.
    #[error("a volume cannot shrink: it has {current_gi} Gi, {requested_gi} Gi was requested")]
    SizeCannotBeReduced {
        /// Current size in Gi.
        current_gi: u32,
        /// Requested size in Gi.
        requested_gi: u32,
    },
    /// The deployment failed because the storage class is not on the cluster.
    #[error("storage class `{storage_class}` is not available for `{volume_fqn}`: {message}")]
    StorageClassUnavailable {
        /// The volume.
        volume_fqn: String,
        /// The storage class it asked for.
        storage_class: String,
        /// The control plane's message.
        message: String,
    },
    /// The deployment failed because the static volume's PersistentVolume is missing.
    #[error("PersistentVolume `{persistent_volume}` for `{volume_fqn}` was not found: {message}")]
    PersistentVolumeNotFound {
        /// The volume.
        volume_fqn: String,
        /// The PersistentVolume it wraps.
        persistent_volume: String,
        /// The control plane's message.
        message: String,
    },
    /// A volume was used from a workspace it does not belong to.
    #[error("volume belongs to workspace `{volume_workspace}`, not `{requested_workspace}`")]
    WorkspaceMismatch {
        /// The volume's workspace.
        volume_workspace: String,
        /// The workspace it was used from.
        requested_workspace: String,
    },
    /// The deployment ended failed, paused or cancelled for another reason.
    #[error("the deployment of `{volume_fqn}` ended {api_status}: {message}")]
    DeploymentFailed {
        /// The volume.
        volume_fqn: String,
        /// The final API status.
        api_status: String,
        /// The control plane's message (may be empty).
        message: String,
    },
    /// A wait gave up before the deployment settled.
    #[error("`{volume_fqn}` was still {last_status} after {waited_seconds} s")]
    TimedOut {
        /// The volume.
        volume_fqn: String,
        /// The last status seen.
        last_status: String,
        /// Seconds waited.
        waited_seconds: u32,
    },
    /// The volume is not at the version the caller expected.
    #[error("`{volume_fqn}` is at version {found_version}, not {expected_version}")]
    ChangedMeanwhile {
        /// The volume.
        volume_fqn: String,
        /// The version expected.
        expected_version: u32,
        /// The version found.
        found_version: u32,
    },
    /// HTTP 400/422: the control plane refused the request as invalid.
    #[error("the control plane rejected the request (HTTP {status}): {message}")]
    Rejected {
        /// HTTP status.
        status: u16,
        /// The server's message.
        message: String,
    },
    /// HTTP 409: another deployment is in progress.
    #[error("conflict (HTTP {status}): {message}")]
    Conflict {
        /// HTTP status.
        status: u16,
        /// The server's message.
        message: String,
    },
    /// Any other unsuccessful HTTP status.
    #[error("the control plane answered HTTP {status}: {message}")]
    HttpStatus {
        /// HTTP status.
        status: u16,
        /// The server's message.
        message: String,
    },
    /// No answer: connection, DNS, TLS, timeout, body too large, or refused by the host.
    #[error("request failed: {message}")]
    Transport {
        /// What went wrong.
        message: String,
    },
    /// An answer that is not the JSON the API documents.
    #[error("could not decode the control plane's answer (HTTP {status}): {detail}")]
    UndecodableResponse {
        /// HTTP status.
        status: u16,
        /// Why it could not be decoded.
        detail: String,
    },
}

/// Shorthand for results of this crate.
pub type Result<T, E = Error> = core::result::Result<T, E>;

impl Error {
    /// An [`Error::InvalidInput`] for `field`.
    pub fn invalid(field: &str, problem: impl Into<String>, fix: impl Into<String>) -> Self {
        Error::InvalidInput {
            field: field.to_string(),
            problem: problem.into(),
            fix: fix.into(),
        }
    }

    /// What the caller should do next, in one or two sentences.
    pub fn fix(&self) -> String {
        match self {
            Error::InvalidInput { fix, .. } => fix.clone(),
            Error::MissingConfiguration { variable, .. } => format!(
                "Ask the host operator to grant {variable}: TFY_BASE_URL is the control plane URL \
                 such as https://<org>.truefoundry.cloud (aliases TFY_HOST, TFY_API_HOST), \
                 TFY_API_KEY an API key from Settings > API Keys."
            ),
            Error::Unauthorized { .. } => "Check TFY_API_KEY: it may be mistyped, revoked or \
                 expired, or belong to another control plane than TFY_BASE_URL. Generate a new \
                 key in the TrueFoundry UI under Settings > API Keys."
                .to_string(),
            Error::PermissionDenied { .. } => "Ask a workspace admin to grant this API key's \
                 user or team editor access to the workspace (read access suffices for list and \
                 get), or use a key that has it."
                .to_string(),
            Error::NotFound { kind, name } => match kind {
                ResourceKind::Cluster => format!(
                    "The cluster `{name}` of this workspace is not visible to this API key; ask \
                     an admin for read access to it, or pass the storage class and browser \
                     host explicitly."
                ),
                ResourceKind::Workspace => format!(
                    "Check the workspace FQN `{name}` (format <cluster>:<workspace>) in the \
                     TrueFoundry UI under Workspaces; ask the user which workspace to use \
                     rather than guessing."
                ),
                ResourceKind::Volume => format!(
                    "Check `{name}`: list the workspace's volumes (`list-volumes`), and pass \
                     an id or an FQN <cluster>:<workspace>:<name>."
                ),
            },
            Error::AlreadyExists { name, .. } => format!(
                "Use the existing volume `{name}` (call `get` on it), or choose another name. \
                 To grow it, expand it instead of creating it again."
            ),
            Error::SizeCannotBeReduced { .. } => "Volumes cannot shrink. To get a smaller volume, \
                 create a new one of the smaller size, copy the data over, and point your \
                 applications at it."
                .to_string(),
            Error::StorageClassUnavailable { .. } => "Pick a storage class the cluster offers \
                 (ask the cluster admin or run `kubectl get storageclass`) and create the volume \
                 again with it."
                .to_string(),
            Error::PersistentVolumeNotFound {
                persistent_volume, ..
            } => format!(
                "Ask the cluster admin to create the PersistentVolume `{persistent_volume}` \
                 first (check with `kubectl get pv {persistent_volume}`), then create the volume \
                 again."
            ),
            Error::WorkspaceMismatch {
                volume_workspace, ..
            } => format!(
                "Volumes are workspace-scoped: deploy the application in `{volume_workspace}`, \
                 or create a volume in the application's workspace."
            ),
            Error::DeploymentFailed { volume_fqn, .. } => format!(
                "Read the message, fix the cause (see the deployment's events in the TrueFoundry \
                 UI for `{volume_fqn}`), then deploy again."
            ),
            Error::TimedOut { volume_fqn, .. } => format!(
                "The deployment goes on without us: call `wait` on `{volume_fqn}` again with a \
                 longer timeout, or `status` later."
            ),
            Error::ChangedMeanwhile { volume_fqn, .. } => format!(
                "Someone else changed `{volume_fqn}`: call `get`, check its current manifest and \
                 size, then decide again with the new version."
            ),
            Error::Rejected { .. } => "Read the server's message, correct the named field and \
                 call again."
                .to_string(),
            Error::Conflict { .. } => "Another deployment of this volume is still in progress: \
                 wait until `get` shows a terminal status, then try again."
                .to_string(),
            Error::HttpStatus { status, .. } => match status {
                300..=399 => "The control plane redirected the request: set TFY_BASE_URL to \
                     the control plane's own URL (https://<org>.truefoundry.cloud), not a \
                     login page or an old address."
                    .to_string(),
                429 => "The control plane is rate-limiting this key: wait a little, then \
                     retry."
                    .to_string(),
                500..=599 => "The control plane had a problem: retry in a minute; if it \
                     persists, check TrueFoundry's status or contact support."
                    .to_string(),
                _ => "Read the server's message; check TFY_BASE_URL points at a TrueFoundry \
                     control plane."
                    .to_string(),
            },
            Error::Transport { .. } => "Check that TFY_BASE_URL is right and reachable from \
                 this host, and that the host allows outbound requests to it; then retry."
                .to_string(),
            Error::UndecodableResponse { .. } => "Check that TFY_BASE_URL points at a \
                 TrueFoundry control plane (not a proxy or login page); if it does, report \
                 this answer as a bug."
                .to_string(),
        }
    }

    /// Replaces every occurrence of `secret` in the error's text with `[redacted]`, so a
    /// server that echoes the API key (in a message, a type name, an id) cannot make us leak
    /// it. Every text field of every case is scrubbed.
    pub fn redact(self, secret: &str) -> Self {
        if secret.is_empty() {
            return self;
        }
        self.map_text(|text| {
            if text.contains(secret) {
                text.replace(secret, "[redacted]")
            } else {
                text
            }
        })
    }

    /// The error with `map` applied to each of its text fields.
    fn map_text(self, map: impl Fn(String) -> String) -> Self {
        match self {
            Error::InvalidInput {
                field,
                problem,
                fix,
            } => Error::InvalidInput {
                field,
                problem: map(problem),
                fix: map(fix),
            },
            Error::MissingConfiguration { variable, problem } => Error::MissingConfiguration {
                variable,
                problem: map(problem),
            },
            Error::Unauthorized { status, message } => Error::Unauthorized {
                status,
                message: map(message),
            },
            Error::PermissionDenied { status, message } => Error::PermissionDenied {
                status,
                message: map(message),
            },
            Error::NotFound { kind, name } => Error::NotFound {
                kind,
                name: map(name),
            },
            Error::AlreadyExists {
                name,
                workspace_fqn,
                id,
            } => Error::AlreadyExists {
                name: map(name),
                workspace_fqn: map(workspace_fqn),
                id: map(id),
            },
            Error::SizeCannotBeReduced {
                current_gi,
                requested_gi,
            } => Error::SizeCannotBeReduced {
                current_gi,
                requested_gi,
            },
            Error::StorageClassUnavailable {
                volume_fqn,
                storage_class,
                message,
            } => Error::StorageClassUnavailable {
                volume_fqn: map(volume_fqn),
                storage_class: map(storage_class),
                message: map(message),
            },
            Error::PersistentVolumeNotFound {
                volume_fqn,
                persistent_volume,
                message,
            } => Error::PersistentVolumeNotFound {
                volume_fqn: map(volume_fqn),
                persistent_volume: map(persistent_volume),
                message: map(message),
            },
            Error::WorkspaceMismatch {
                volume_workspace,
                requested_workspace,
            } => Error::WorkspaceMismatch {
                volume_workspace: map(volume_workspace),
                requested_workspace: map(requested_workspace),
            },
            Error::DeploymentFailed {
                volume_fqn,
                api_status,
                message,
            } => Error::DeploymentFailed {
                volume_fqn: map(volume_fqn),
                api_status: map(api_status),
                message: map(message),
            },
            Error::TimedOut {
                volume_fqn,
                last_status,
                waited_seconds,
            } => Error::TimedOut {
                volume_fqn: map(volume_fqn),
                last_status: map(last_status),
                waited_seconds,
            },
            Error::ChangedMeanwhile {
                volume_fqn,
                expected_version,
                found_version,
            } => Error::ChangedMeanwhile {
                volume_fqn: map(volume_fqn),
                expected_version,
                found_version,
            },
            Error::Rejected { status, message } => Error::Rejected {
                status,
                message: map(message),
            },
            Error::Conflict { status, message } => Error::Conflict {
                status,
                message: map(message),
            },
            Error::HttpStatus { status, message } => Error::HttpStatus {
                status,
                message: map(message),
            },
            Error::Transport { message } => Error::Transport {
                message: map(message),
            },
            Error::UndecodableResponse { status, detail } => Error::UndecodableResponse {
                status,
                detail: map(detail),
            },
        }
    }
}

/// What a 404 means for the request that got it.
#[derive(Debug, Clone, Copy)]
pub struct NotFoundMeans<'a> {
    /// The kind of thing that was addressed.
    pub kind: ResourceKind,
    /// Its id or FQN.
    pub name: &'a str,
}

/// The error body the control plane sends (`{statusCode, message, code?, details?}`).
/// `message` is a string, or a list of strings in NestJS validation errors.
#[derive(Deserialize)]
struct ErrorBody {
    #[serde(default, deserialize_with = "message_text")]
    message: Option<String>,
    #[serde(default)]
    error: Option<String>,
}

/// A `message` that is a string, or a list of strings joined with `; `, or null.
fn message_text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    struct MessageText;

    impl<'de> Visitor<'de> for MessageText {
        type Value = Option<String>;

        fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
            formatter.write_str("a message string or a list of them")
        }

        fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
            Ok(Some(text.to_string()))
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<Self::Value, A::Error> {
            let mut parts: Vec<String> = Vec::new();
            while let Some(part) = items.next_element::<String>()? {
                parts.push(part);
            }
            Ok(Some(parts.join("; ")))
        }

        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
    }

    deserializer.deserialize_any(MessageText)
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

/// An [`Error::UndecodableResponse`] for a body that did not match the expected shape.
pub fn undecodable(status: u16, what: &str, cause: impl core::fmt::Display) -> Error {
    Error::UndecodableResponse {
        status,
        detail: format!("expected {what}: {cause}"),
    }
}

/// Every error variant once, for tests that must cover them all.
#[doc(hidden)]
pub fn every_variant_for_tests() -> Vec<Error> {
    let message = || "message".to_string();
    vec![
        Error::invalid(
            "name",
            "problem",
            "Use a valid name such as `training-data`.",
        ),
        Error::MissingConfiguration {
            variable: "TFY_API_KEY".to_string(),
            problem: "not set".to_string(),
        },
        Error::Unauthorized {
            status: 401,
            message: message(),
        },
        Error::PermissionDenied {
            status: 403,
            message: message(),
        },
        Error::NotFound {
            kind: ResourceKind::Workspace,
            name: "c:w".to_string(),
        },
        Error::NotFound {
            kind: ResourceKind::Cluster,
            name: "c".to_string(),
        },
        Error::AlreadyExists {
            name: "v".to_string(),
            workspace_fqn: "c:w".to_string(),
            id: "app-1".to_string(),
        },
        Error::SizeCannotBeReduced {
            current_gi: 10,
            requested_gi: 5,
        },
        Error::StorageClassUnavailable {
            volume_fqn: "c:w:v".to_string(),
            storage_class: "sc".to_string(),
            message: message(),
        },
        Error::PersistentVolumeNotFound {
            volume_fqn: "c:w:v".to_string(),
            persistent_volume: "pv".to_string(),
            message: message(),
        },
        Error::WorkspaceMismatch {
            volume_workspace: "c:a".to_string(),
            requested_workspace: "c:b".to_string(),
        },
        Error::DeploymentFailed {
            volume_fqn: "c:w:v".to_string(),
            api_status: "CANCELLED".to_string(),
            message: message(),
        },
        Error::TimedOut {
            volume_fqn: "c:w:v".to_string(),
            last_status: "INITIALIZED".to_string(),
            waited_seconds: 600,
        },
        Error::ChangedMeanwhile {
            volume_fqn: "c:w:v".to_string(),
            expected_version: 2,
            found_version: 3,
        },
        Error::Rejected {
            status: 400,
            message: message(),
        },
        Error::Conflict {
            status: 409,
            message: message(),
        },
        Error::HttpStatus {
            status: 500,
            message: message(),
        },
        Error::Transport { message: message() },
        Error::UndecodableResponse {
            status: 200,
            detail: message(),
        },
    ]
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

    #[test]
    fn redact_scrubs_the_secret_from_server_text() {
        let leaked = Error::Unauthorized {
            status: 401,
            message: "bad key sk-live-123 for user".into(),
        };
        assert_eq!(
            leaked.redact("sk-live-123"),
            Error::Unauthorized {
                status: 401,
                message: "bad key [redacted] for user".into()
            }
        );
        let transport = Error::Transport {
            message: "sk-live-123 sk-live-123".into(),
        };
        assert_eq!(
            transport.redact("sk-live-123"),
            Error::Transport {
                message: "[redacted] [redacted]".into()
            }
        );
    }

    #[test]
    fn redact_scrubs_every_text_field_of_every_case() {
        let secret = "sk-canary-9";
        for error in every_variant_for_tests() {
            let leaky = error.map_text(|text| format!("{text} {secret}"));
            let scrubbed = leaky.redact(secret);
            assert!(
                !format!("{scrubbed:?} {scrubbed}").contains(secret),
                "{scrubbed:?}"
            );
        }
    }

    #[test]
    fn every_variant_has_a_fix_and_a_message() {
        for error in every_variant_for_tests() {
            assert!(error.fix().len() > 20, "{error:?} has a weak fix");
            assert!(!error.to_string().is_empty());
        }
    }
}
