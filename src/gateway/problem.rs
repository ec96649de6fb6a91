//! Errors as HTTP: every `volume-error` case becomes one status code and an RFC 9457
//! `application/problem+json` body carrying the case, its fields in the WIT's kebab-case
//! shape, and the `fix`; the gateway's own refusals (no route, wrong method, wrong media
//! type, body too large) are problems too.
//!
//! A body looks like:
//!
//! ```json
//! {"type": "urn:truefoundry-volumes:volume-error:not-found", "title": "Not found",
//!  "status": 404, "detail": "volume `c1:ws1:nope` not found", "case": "not-found",
//!  "fields": {"kind": "volume", "name": "c1:ws1:nope", "fix": "Check …"}, "fix": "Check …"}
//! ```
//!
//! `fields` is the case's WIT record as is; it is nested rather than merged into the top
//! level because several records have a `status` or `detail` of their own (the control
//! plane's), which RFC 9457 reserves for the gateway's.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde_json::{json, Value};

use super::Response;
use crate::error::Error;
use crate::input::validate::shown;
use crate::vocabulary::{self, Surface};

/// Prefix of the `type` of every `volume-error` problem; the case follows.
pub const TYPE_PREFIX: &str = "urn:truefoundry-volumes:volume-error:";
/// Media type of problem bodies.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// The fix for a refused key, in a gateway's terms: the caller sends the key, not the host.
const UNAUTHORIZED_FIX: &str = "Send your TrueFoundry API key as `Authorization: Bearer \
     <key>` (generate one in the TrueFoundry UI under Settings > API Keys). If you sent one, \
     it may be mistyped, revoked or expired, or belong to another control plane than this \
     gateway's.";

/// A problem response waiting to be rendered.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: Value,
}

/// Status code, case and title of each `volume-error` case.
pub fn classify(error: &Error) -> (u16, &'static str, &'static str) {
    match error {
        Error::InvalidInput { .. } => (400, "invalid-input", "Invalid input"),
        Error::MissingConfiguration { .. } => (
            500,
            "missing-configuration",
            "The gateway is not configured",
        ),
        Error::Unauthorized { .. } => (401, "unauthorized", "Unauthorized"),
        Error::PermissionDenied { .. } => (403, "permission-denied", "Permission denied"),
        Error::NotFound { .. } => (404, "not-found", "Not found"),
        Error::AlreadyExists { .. } => (409, "already-exists", "Volume already exists"),
        Error::SizeCannotBeReduced { .. } => {
            (422, "size-cannot-be-reduced", "Volumes cannot shrink")
        }
        Error::StorageClassUnavailable { .. } => (
            422,
            "storage-class-unavailable",
            "Storage class unavailable",
        ),
        Error::PersistentVolumeNotFound { .. } => (
            422,
            "persistent-volume-not-found",
            "PersistentVolume not found",
        ),
        Error::WorkspaceMismatch { .. } => (502, "workspace-mismatch", "Workspace mismatch"),
        Error::Rejected { .. } => (422, "rejected", "Rejected by the control plane"),
        Error::Conflict { .. } => (409, "conflict", "Deployment in progress"),
        Error::DeploymentFailed { .. } => (502, "deployment-failed", "Deployment failed"),
        Error::DeletionFailed { .. } => (409, "deletion-failed", "Deletion failed"),
        Error::TimedOut { .. } => (504, "timed-out", "Still in progress"),
        Error::ChangedMeanwhile { .. } => (409, "changed-meanwhile", "Volume changed meanwhile"),
        Error::HttpStatus { .. } => (502, "http-status", "Control plane error"),
        Error::Transport { .. } => (502, "transport", "Control plane unreachable"),
        Error::UndecodableResponse { .. } => (
            502,
            "undecodable-response",
            "Unreadable control plane answer",
        ),
    }
}

/// The fix the gateway gives for `error`, in the gateway's words (routes, not functions).
fn fix(error: &Error) -> String {
    match error {
        Error::Unauthorized { .. } => UNAUTHORIZED_FIX.to_string(),
        other => words(&other.fix()),
    }
}

/// A text the core wrote, in the words of the gateway's callers.
fn words(text: &str) -> String {
    vocabulary::translate(text, Surface::Gateway)
}

/// The case's WIT record (`field-problem`, `server-reply`, …) as JSON.
fn fields(error: Error, fix: String) -> Value {
    match error {
        // The record's own fix is the one passed in, in the gateway's words.
        Error::InvalidInput { field, problem, .. } => {
            json!({"field": field, "problem": words(&problem), "fix": fix})
        }
        Error::MissingConfiguration { variable, problem } => {
            json!({"field": variable, "problem": problem, "fix": fix})
        }
        Error::Unauthorized { status, message }
        | Error::PermissionDenied { status, message }
        | Error::Rejected { status, message }
        | Error::Conflict { status, message }
        | Error::HttpStatus { status, message } => {
            json!({"status": status, "message": message, "fix": fix})
        }
        Error::NotFound { kind, name } => json!({"kind": kind, "name": name, "fix": fix}),
        Error::AlreadyExists {
            name,
            workspace_fqn,
            id,
        } => json!({"name": name, "workspace-fqn": workspace_fqn, "id": id, "fix": fix}),
        Error::SizeCannotBeReduced {
            current_gi,
            requested_gi,
        } => json!({"current-gi": current_gi, "requested-gi": requested_gi, "fix": fix}),
        Error::StorageClassUnavailable {
            volume_fqn,
            storage_class: missing_name,
            message,
        }
        | Error::PersistentVolumeNotFound {
            volume_fqn,
            persistent_volume: missing_name,
            message,
        } => json!({"volume-fqn": volume_fqn, "missing-name": missing_name,
                    "message": message, "fix": fix}),
        Error::WorkspaceMismatch {
            volume_workspace,
            requested_workspace,
        } => json!({"volume-workspace": volume_workspace,
                    "requested-workspace": requested_workspace, "fix": fix}),
        Error::DeploymentFailed {
            volume_fqn,
            api_status,
            message,
        } => json!({"volume-fqn": volume_fqn, "api-status": api_status, "message": message,
                    "fix": fix}),
        Error::TimedOut {
            volume_fqn,
            last_status,
            waited_seconds,
        } => json!({"volume-fqn": volume_fqn, "last-status": last_status,
                    "waited-seconds": waited_seconds, "fix": fix}),
        Error::ChangedMeanwhile {
            volume_fqn,
            expected_version,
            found_version,
        } => json!({"volume-fqn": volume_fqn, "expected-version": expected_version,
                    "found-version": found_version, "fix": fix}),
        Error::DeletionFailed { volume_fqn } => json!({"volume-fqn": volume_fqn, "fix": fix}),
        Error::Transport { message } => json!({"message": message, "fix": fix}),
        Error::UndecodableResponse { status, detail } => {
            json!({"status": status, "detail": detail, "fix": fix})
        }
    }
}

impl From<Error> for Problem {
    fn from(error: Error) -> Self {
        let (status, case, title) = classify(&error);
        let fix = fix(&error);
        let detail = words(&error.to_string());
        let mut headers = Vec::new();
        if status == 401 {
            headers.push(("www-authenticate", "Bearer".to_string()));
        }
        Problem {
            status,
            headers,
            body: json!({
                "type": format!("{TYPE_PREFIX}{case}"),
                "title": title,
                "status": status,
                "detail": detail,
                "case": case,
                "fields": fields(error, fix.clone()),
                "fix": fix,
            }),
        }
    }
}

impl Problem {
    /// A problem of the gateway's own, not a `volume-error` case: `type` is `about:blank`
    /// and `title` the status's reason phrase (RFC 9457 §4.2.1).
    fn plain(status: u16, title: &str, detail: String, fix: &str) -> Self {
        Problem {
            status,
            headers: Vec::new(),
            body: json!({"type": "about:blank", "title": title, "status": status,
                         "detail": detail, "fix": fix}),
        }
    }

    /// 404 for a path no route has.
    pub fn no_such_route(path: &str) -> Self {
        Problem::plain(
            404,
            "Not Found",
            format!("no route for {}", shown(path)),
            "See `GET /openapi.json` for the routes this gateway serves.",
        )
    }

    /// 405 for a path whose routes take other methods, with `Allow` listing them.
    pub fn method_not_allowed(method: &str, path: &str, allowed: &[&str]) -> Self {
        let allow = allowed.join(", ");
        let mut problem = Problem::plain(
            405,
            "Method Not Allowed",
            format!(
                "{} does not take {}; it takes {allow}",
                shown(path),
                shown(method)
            ),
            "Use one of the methods in the `Allow` header.",
        );
        problem.headers.push(("allow", allow));
        problem
    }

    /// 400 for a path parameter that is not valid percent-encoded UTF-8.
    pub fn undecodable_path(path: &str) -> Self {
        Problem::plain(
            400,
            "Bad Request",
            format!(
                "the path {} has a malformed percent-escape or is not UTF-8",
                shown(path)
            ),
            "Percent-encode the workspace or volume as UTF-8 (`:` may stay as it is).",
        )
    }

    /// 415 for a body that is not JSON.
    pub fn unsupported_media_type(content_type: Option<&str>) -> Self {
        let detail = match content_type {
            Some(sent) => format!("the body is {}, not JSON", shown(sent)),
            None => "the body has no Content-Type".to_string(),
        };
        let mut problem = Problem::plain(
            415,
            "Unsupported Media Type",
            detail,
            "Send the body as JSON with `Content-Type: application/json`.",
        );
        problem
            .headers
            .push(("accept-post", "application/json".to_string()));
        problem
    }

    /// 413 for a body over `limit` bytes.
    pub fn too_large(limit: usize) -> Self {
        Problem::plain(
            413,
            "Content Too Large",
            format!("the body exceeds {limit} bytes"),
            "Send a smaller body: every request this API takes is a small JSON object.",
        )
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The response: the problem as `application/problem+json`.
    pub fn into_response(self) -> Response {
        let mut headers = Vec::with_capacity(3 + self.headers.len());
        headers.push(("content-type", PROBLEM_JSON.to_string()));
        headers.push(("cache-control", "no-store".to_string()));
        headers.extend(self.headers);
        Response {
            status: self.status,
            headers,
            body: serde_json::to_vec(&self.body).unwrap_or_default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::every_variant;

    fn body(problem: Problem) -> Value {
        serde_json::from_slice(&problem.into_response().body).unwrap()
    }

    #[test]
    fn every_case_has_one_status_and_carries_its_fields_and_fix() {
        let expected = [
            ("invalid-input", 400),
            ("missing-configuration", 500),
            ("unauthorized", 401),
            ("permission-denied", 403),
            ("not-found", 404),
            ("not-found", 404),
            ("not-found", 404),
            ("already-exists", 409),
            ("size-cannot-be-reduced", 422),
            ("storage-class-unavailable", 422),
            ("persistent-volume-not-found", 422),
            ("workspace-mismatch", 502),
            ("deployment-failed", 502),
            ("deletion-failed", 409),
            ("timed-out", 504),
            ("changed-meanwhile", 409),
            ("rejected", 422),
            ("conflict", 409),
            ("http-status", 502),
            ("transport", 502),
            ("undecodable-response", 502),
        ];
        let errors = every_variant("told");
        assert_eq!(errors.len(), expected.len());
        for (error, (case, status)) in errors.into_iter().zip(expected) {
            let fix = fix(&error);
            let detail = words(&error.to_string());
            let body = body(Problem::from(error));
            assert_eq!(body["type"], format!("{TYPE_PREFIX}{case}"));
            assert_eq!(body["case"], case);
            assert_eq!(body["status"], status);
            assert_eq!(body["detail"], detail);
            assert_eq!(body["fix"], fix.as_str());
            assert_eq!(body["fields"]["fix"], fix.as_str(), "{case}");
            assert!(body["title"].as_str().is_some_and(|t| !t.is_empty()));
        }
    }

    #[test]
    fn fields_keep_the_wit_record_shapes() {
        let cases = [
            (
                Error::NotFound {
                    kind: crate::error::ResourceKind::Volume,
                    name: "c1:ws1:nope".into(),
                },
                json!({"kind": "volume", "name": "c1:ws1:nope"}),
            ),
            (
                Error::StorageClassUnavailable {
                    volume_fqn: "c1:ws1:v".into(),
                    storage_class: "fast".into(),
                    message: "m".into(),
                },
                json!({"volume-fqn": "c1:ws1:v", "missing-name": "fast", "message": "m"}),
            ),
            (
                Error::MissingConfiguration {
                    variable: "TFY_BASE_URL".into(),
                    problem: "is not set".into(),
                },
                json!({"field": "TFY_BASE_URL", "problem": "is not set"}),
            ),
            (
                Error::HttpStatus {
                    status: 503,
                    message: "down".into(),
                },
                json!({"status": 503, "message": "down"}),
            ),
        ];
        for (error, mut expected) in cases {
            let fix = fix(&error);
            expected["fix"] = Value::String(fix);
            assert_eq!(body(Problem::from(error))["fields"], expected);
        }
    }

    #[test]
    fn unauthorized_carries_a_challenge_and_the_gateway_fix() {
        let response = Problem::from(Error::Unauthorized {
            status: 401,
            message: "bad key".into(),
        })
        .into_response();
        assert_eq!(response.status, 401);
        assert_eq!(response.header("www-authenticate"), Some("Bearer"));
        assert_eq!(response.header("content-type"), Some(PROBLEM_JSON));
        let body: Value = serde_json::from_slice(&response.body).unwrap();
        assert_eq!(body["fix"], UNAUTHORIZED_FIX);
    }

    #[test]
    fn gateway_problems_are_about_blank_with_their_headers() {
        let response = Problem::method_not_allowed("PUT", "/plan", &["POST"]).into_response();
        assert_eq!(response.status, 405);
        assert_eq!(response.header("allow"), Some("POST"));
        let body: Value = serde_json::from_slice(&response.body).unwrap();
        assert_eq!(
            body,
            json!({"type": "about:blank", "title": "Method Not Allowed", "status": 405,
                   "detail": "`/plan` does not take `PUT`; it takes POST",
                   "fix": "Use one of the methods in the `Allow` header."})
        );
        let quoted = Problem::no_such_route(&"\n/x".repeat(100)).into_response();
        let body: Value = serde_json::from_slice(&quoted.body).unwrap();
        let detail = body["detail"].as_str().unwrap();
        assert!(!detail.contains('\n') && detail.ends_with("…`"), "{detail}");
    }
}
