//! Keeping the API key out of everything the component returns.
//!
//! Two layers, both in the client's session: every response body is scrubbed of the key in
//! every form JSON can spell it (raw, `\u`-escaped, `\/`) before anything is decoded, so no
//! decoded text, clipped or not, can carry it; and every result and error is scrubbed once
//! more on its way out ([`Redact`]), which also catches a key the server split across two
//! fields that the component joins (a browser URL from host and path).

use alloc::string::String;
use alloc::vec::Vec;

use crate::error::Error;
use crate::model::{
    BrowserSettings, ClusterFacts, CreatePlan, CreateRequest, Volume, VolumeStatus,
};
use crate::offline::interview::{Answer, Choice, InterviewPlan, Question, Step};
use crate::offline::storage_class::{ClusterStorage, StorageClassInfo};

/// What replaces the key wherever it is found.
pub const PLACEHOLDER: &str = "[redacted]";

/// The secret to scrub; empty means nothing to scrub.
#[derive(Clone, Copy)]
pub struct Secret<'a>(&'a str);

impl<'a> Secret<'a> {
    /// A secret to look for.
    pub fn new(secret: &'a str) -> Self {
        Secret(secret)
    }

    /// Nothing to scrub (no key is configured).
    pub fn none() -> Self {
        Secret("")
    }
}

impl core::fmt::Debug for Secret<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

/// A value whose every text can be scrubbed of the key.
pub trait Redact: Sized {
    /// The value with every occurrence of `secret` in its texts replaced by [`PLACEHOLDER`].
    fn redact(self, secret: &Secret<'_>) -> Self;
}

impl Redact for String {
    fn redact(self, secret: &Secret<'_>) -> Self {
        if secret.0.is_empty() || !self.contains(secret.0) {
            return self;
        }
        self.replace(secret.0, PLACEHOLDER)
    }
}

impl<T: Redact> Redact for Option<T> {
    fn redact(self, secret: &Secret<'_>) -> Self {
        self.map(|value| value.redact(secret))
    }
}

impl<T: Redact> Redact for Vec<T> {
    fn redact(self, secret: &Secret<'_>) -> Self {
        self.into_iter().map(|value| value.redact(secret)).collect()
    }
}

impl<T: Redact, E: Redact> Redact for Result<T, E> {
    fn redact(self, secret: &Secret<'_>) -> Self {
        match self {
            Ok(value) => Ok(value.redact(secret)),
            Err(error) => Err(error.redact(secret)),
        }
    }
}

impl Redact for () {
    fn redact(self, _: &Secret<'_>) -> Self {}
}

impl Redact for VolumeStatus {
    fn redact(self, secret: &Secret<'_>) -> Self {
        VolumeStatus {
            api_status: self.api_status.redact(secret),
            display: self.display.redact(secret),
            message: self.message.redact(secret),
            ..self
        }
    }
}

impl Redact for Volume {
    fn redact(self, secret: &Secret<'_>) -> Self {
        Volume {
            id: self.id.redact(secret),
            name: self.name.redact(secret),
            fqn: self.fqn.redact(secret),
            mount_reference: self.mount_reference.redact(secret),
            workspace_fqn: self.workspace_fqn.redact(secret),
            storage_class: self.storage_class.redact(secret),
            persistent_volume_name: self.persistent_volume_name.redact(secret),
            status: self.status.redact(secret),
            created_at: self.created_at.redact(secret),
            browser_url: self.browser_url.redact(secret),
            browser_username: self.browser_username.redact(secret),
            ..self
        }
    }
}

impl Redact for ClusterFacts {
    fn redact(self, secret: &Secret<'_>) -> Self {
        ClusterFacts {
            cluster_id: self.cluster_id.redact(secret),
            cluster_type: self.cluster_type.redact(secret),
            default_storage_class: self.default_storage_class.redact(secret),
            base_domains: self.base_domains.redact(secret),
        }
    }
}

impl Redact for StorageClassInfo {
    fn redact(self, secret: &Secret<'_>) -> Self {
        StorageClassInfo {
            name: self.name.redact(secret),
            driver: self.driver.redact(secret),
            tier: self.tier.redact(secret),
            access_mode: self.access_mode.redact(secret),
            notes: self.notes.redact(secret),
            ..self
        }
    }
}

impl Redact for ClusterStorage {
    fn redact(self, secret: &Secret<'_>) -> Self {
        ClusterStorage {
            cluster_id: self.cluster_id.redact(secret),
            cluster_type: self.cluster_type.redact(secret),
            default_storage_class: self.default_storage_class.redact(secret),
            storage_classes: self.storage_classes.redact(secret),
            browser_hosts: self.browser_hosts.redact(secret),
            note: self.note.redact(secret),
            ..self
        }
    }
}

impl Redact for CreatePlan {
    fn redact(self, secret: &Secret<'_>) -> Self {
        CreatePlan {
            summary: self.summary.redact(secret),
            manifest_json: self.manifest_json.redact(secret),
            warnings: self.warnings.redact(secret),
            storage_classes: self.storage_classes.redact(secret),
            browser_hosts: self.browser_hosts.redact(secret),
            ..self
        }
    }
}

impl Redact for BrowserSettings {
    fn redact(self, secret: &Secret<'_>) -> Self {
        BrowserSettings {
            username: self.username.redact(secret),
            password_secret_fqn: self.password_secret_fqn.redact(secret),
            host: self.host.redact(secret),
            path: self.path.redact(secret),
        }
    }
}

impl Redact for CreateRequest {
    fn redact(self, secret: &Secret<'_>) -> Self {
        CreateRequest {
            workspace_fqn: self.workspace_fqn.redact(secret),
            name: self.name.redact(secret),
            storage_class: self.storage_class.redact(secret),
            persistent_volume_name: self.persistent_volume_name.redact(secret),
            browser: self.browser.redact(secret),
            ..self
        }
    }
}

impl Redact for Answer {
    fn redact(self, secret: &Secret<'_>) -> Self {
        Answer {
            value: self.value.redact(secret),
            ..self
        }
    }
}

impl Redact for Choice {
    fn redact(self, secret: &Secret<'_>) -> Self {
        Choice {
            value: self.value.redact(secret),
            meaning: self.meaning.redact(secret),
        }
    }
}

impl Redact for Question {
    fn redact(self, secret: &Secret<'_>) -> Self {
        Question {
            question: self.question.redact(secret),
            accepts: self.accepts.redact(secret),
            choices: self.choices.redact(secret),
            default_answer: self.default_answer.redact(secret),
            default_reason: self.default_reason.redact(secret),
            problem: self.problem.redact(secret),
            ..self
        }
    }
}

impl Redact for InterviewPlan {
    fn redact(self, secret: &Secret<'_>) -> Self {
        InterviewPlan {
            plan: self.plan.redact(secret),
            answers: self.answers.redact(secret),
            request: self.request.redact(secret),
            next_step: self.next_step.redact(secret),
        }
    }
}

impl Redact for Step {
    fn redact(self, secret: &Secret<'_>) -> Self {
        match self {
            Step::Ask(question) => Step::Ask(question.redact(secret)),
            Step::Confirm(plan) => Step::Confirm(plan.redact(secret)),
        }
    }
}

impl Redact for Error {
    fn redact(self, secret: &Secret<'_>) -> Self {
        let map = |text: String| text.redact(secret);
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
            Error::DeletionFailed { volume_fqn } => Error::DeletionFailed {
                volume_fqn: map(volume_fqn),
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

/// `body` with every occurrence of `secret` replaced by [`PLACEHOLDER`], in every spelling a
/// JSON text can give it: each character raw, as a `\uXXXX` escape (a surrogate pair beyond
/// the BMP), or as its short escape (`\/`, `\\`, `\"`, `\n`, ...). The placeholder is plain
/// ASCII, so a JSON document stays a JSON document.
pub fn scrub_json(body: Vec<u8>, secret: &Secret<'_>) -> Vec<u8> {
    let secret = secret.0;
    let Some(first) = secret.chars().next() else {
        return body;
    };
    let mut first_raw = [0u8; 4];
    let first_raw = first.encode_utf8(&mut first_raw).as_bytes()[0];
    // Most bodies hold no key: find the first one before copying anything.
    let Some(mut found) = next_spelling(&body, 0, first_raw, secret) else {
        return body;
    };
    let mut out = Vec::with_capacity(body.len());
    let mut copied = 0;
    loop {
        let (start, end) = found;
        out.extend_from_slice(&body[copied..start]);
        out.extend_from_slice(PLACEHOLDER.as_bytes());
        copied = end;
        match next_spelling(&body, end, first_raw, secret) {
            Some(next) => found = next,
            None => break,
        }
    }
    out.extend_from_slice(&body[copied..]);
    out
}

/// Where the next spelling of `secret` at or after `from` starts and ends. A spelling starts
/// with the key's first character raw (`first_raw`, its first byte) or with a backslash, so
/// only those bytes are tried, found a word at a time rather than byte by byte: every
/// answer passes through here, and a page of a hundred volumes is 250 KB.
fn next_spelling(body: &[u8], from: usize, first_raw: u8, secret: &str) -> Option<(usize, usize)> {
    memchr::memchr2_iter(first_raw, b'\\', &body[from..])
        .map(|offset| from + offset)
        .find_map(|at| Some((at, match_spelled(body, at, secret)?)))
}

/// Where a spelling of `secret` that starts at `at` ends, if one does.
fn match_spelled(body: &[u8], mut at: usize, secret: &str) -> Option<usize> {
    for wanted in secret.chars() {
        at = match_char(body, at, wanted)?;
    }
    Some(at)
}

/// Where one spelling of `wanted` that starts at `at` ends, if one does.
fn match_char(body: &[u8], at: usize, wanted: char) -> Option<usize> {
    let mut raw = [0u8; 4];
    let raw = wanted.encode_utf8(&mut raw).as_bytes();
    // Inside a JSON string a backslash always starts an escape, so a wanted backslash is
    // only ever spelled escaped.
    if wanted != '\\' && body.get(at..at + raw.len()) == Some(raw) {
        return Some(at + raw.len());
    }
    if body.get(at) != Some(&b'\\') {
        return None;
    }
    let short = match wanted {
        '"' => Some(b'"'),
        '\\' => Some(b'\\'),
        '/' => Some(b'/'),
        '\u{8}' => Some(b'b'),
        '\u{c}' => Some(b'f'),
        '\n' => Some(b'n'),
        '\r' => Some(b'r'),
        '\t' => Some(b't'),
        _ => None,
    };
    if short.is_some() && body.get(at + 1).copied() == short {
        return Some(at + 2);
    }
    let mut units = [0u16; 2];
    let mut end = at;
    for unit in wanted.encode_utf16(&mut units).iter() {
        let digits = body.get(end..end + 6)?;
        if digits[..2] != *b"\\u" || hex_value(&digits[2..])? != *unit {
            return None;
        }
        end += 6;
    }
    Some(end)
}

/// The value of four hexadecimal digits, either case.
fn hex_value(digits: &[u8]) -> Option<u16> {
    digits.iter().try_fold(0u16, |value, digit| {
        let nibble = char::from(*digit).to_digit(16)?;
        Some(value << 4 | nibble as u16)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::every_variant;
    use alloc::format;
    use alloc::string::ToString;

    const KEY: &str = "sk-canary/9\u{e9}";

    fn scrubbed(body: &str) -> String {
        String::from_utf8(scrub_json(body.as_bytes().to_vec(), &Secret::new(KEY))).unwrap()
    }

    #[test]
    fn every_json_spelling_of_the_key_is_scrubbed() {
        let spellings = [
            "sk-canary/9\u{e9}",
            "sk-canary\\/9\u{e9}",
            "\\u0073k-canary/9\\u00e9",
            "\\u0073\\u006B\\u002d\\u0063\\u0061\\u006e\\u0061\\u0072\\u0079\\u002F\\u0039\\u00E9",
            "sk-can\\u0061ry\\/9\\u00e9",
        ];
        for spelling in spellings {
            let body = format!(r#"{{"message":"before {spelling} after","n":1}}"#);
            let out = scrubbed(&body);
            assert_eq!(
                out, r#"{"message":"before [redacted] after","n":1}"#,
                "{spelling}"
            );
            let decoded: serde_json::Value = serde_json::from_str(&out).unwrap();
            assert!(!decoded.to_string().contains("canary"));
        }
    }

    #[test]
    fn keys_beyond_the_bmp_and_with_short_escapes_are_scrubbed() {
        let key = "k\u{1F511}\"x\\y\n";
        let body = r#"["k\ud83d\udd11\"x\\y\n", "k\uD83D\uDD11\u0022x\u005cy\u000a"]"#;
        let out =
            String::from_utf8(scrub_json(body.as_bytes().to_vec(), &Secret::new(key))).unwrap();
        assert_eq!(out, r#"["[redacted]", "[redacted]"]"#);
    }

    #[test]
    fn every_occurrence_is_scrubbed_back_to_back_and_at_the_ends() {
        let escaped = "\\u0073k-canary\\/9\\u00e9";
        let body = format!("{KEY}{KEY}, s{escaped}\\{KEY}{escaped}");
        assert_eq!(
            scrubbed(&body),
            format!("{PLACEHOLDER}{PLACEHOLDER}, s{PLACEHOLDER}\\{PLACEHOLDER}{PLACEHOLDER}")
        );
    }

    #[test]
    fn near_misses_and_empty_secrets_leave_the_body_alone() {
        let body = r#"{"a":"sk-canary/9e","b":"\u0073k-canar","c":"\\u0073k"}"#;
        assert_eq!(scrubbed(body), body);
        assert_eq!(
            scrub_json(b"anything".to_vec(), &Secret::none()),
            b"anything".to_vec()
        );
    }

    #[test]
    fn redact_scrubs_every_text_field_of_every_error_case() {
        let secret = "sk-canary-9";
        for error in every_variant(&format!("before {secret} after")) {
            let scrubbed = error.redact(&Secret::new(secret));
            let shown = format!("{scrubbed:?} {scrubbed} {}", scrubbed.fix());
            assert!(!shown.contains(secret), "{shown}");
        }
    }
}
