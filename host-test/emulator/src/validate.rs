//! Server-side validation of a volume manifest (`docs/truefoundry-api.md` §7 and §7.1): the
//! rules of the manifest models in TrueFoundry's Python SDK, PyPI `truefoundry` 0.17.5.
//!
//! Every refusal names the manifest field and the rule it broke, because that message is what
//! the emulator returns in a 400 body and what a client surfaces to its user.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A manifest refusal: the message names the field (`manifest.config.size`) and the rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Invalid(pub(crate) String);

impl Invalid {
    fn new(field: &str, rule: impl std::fmt::Display) -> Invalid {
        Invalid(format!("{field}: {rule}"))
    }
}

/// How a valid volume is provisioned: the facts the store needs for upserts and status. In a
/// state file it reads like the manifest's `config`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub(crate) enum VolumeKind {
    /// `config.type = "dynamic"`.
    Dynamic {
        /// `config.storage_class`.
        storage_class: String,
        /// `config.size` in Gi.
        size: u64,
    },
    /// `config.type = "static"`.
    Static {
        /// `config.persistent_volume_name`.
        persistent_volume_name: String,
    },
}

impl VolumeKind {
    /// The `config.type` string of this kind.
    pub(crate) fn type_name(&self) -> &'static str {
        match self {
            VolumeKind::Dynamic { .. } => "dynamic",
            VolumeKind::Static { .. } => "static",
        }
    }
}

/// A manifest that passed validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct VolumeSpec {
    /// `name`.
    pub(crate) name: String,
    /// `config`.
    pub(crate) kind: VolumeKind,
}

/// Largest `config.size` in Gi (`truefoundry` 0.17.5 and 0.5.0 on PyPI agree).
const MAX_SIZE_GI: u64 = 64_000;

/// Validates a whole manifest as `PUT /api/svc/v1/apps` receives it.
pub(crate) fn volume_manifest(manifest: &Value) -> Result<VolumeSpec, Invalid> {
    let m = manifest
        .as_object()
        .ok_or_else(|| Invalid::new("manifest", "must be a JSON object"))?;
    let app_type = required_str(m, "type", "manifest.type")?;
    if app_type != "volume" {
        return Err(Invalid::new(
            "manifest.type",
            format!("unsupported application type in emulator: {app_type:?} (only \"volume\")"),
        ));
    }
    let name = required_str(m, "name", "manifest.name")?;
    check_name(name)?;
    if let Some(ws) = m.get("workspace_fqn") {
        if !ws.is_string() {
            return Err(Invalid::new("manifest.workspace_fqn", "must be a string"));
        }
    }
    let config = m
        .get("config")
        .ok_or_else(|| Invalid::new("manifest.config", "is required"))?
        .as_object()
        .ok_or_else(|| Invalid::new("manifest.config", "must be an object"))?;
    let kind = volume_config(config)?;
    match m.get("volume_browser") {
        None | Some(Value::Null) => {}
        Some(browser) => volume_browser(browser)?,
    }
    Ok(VolumeSpec {
        name: name.to_string(),
        kind,
    })
}

/// The name rule of `truefoundry` 0.17.5: 3–32 chars, `a-z` first, `a-z0-9` last, `a-z0-9-`
/// inside, no `--`.
fn check_name(name: &str) -> Result<(), Invalid> {
    const FIELD: &str = "manifest.name";
    let len = name.chars().count();
    if !(3..=32).contains(&len) {
        return Err(Invalid::new(
            FIELD,
            format!("must be 3 to 32 characters long (got {len})"),
        ));
    }
    if !name.starts_with(|c: char| c.is_ascii_lowercase()) {
        return Err(Invalid::new(FIELD, "must start with a lowercase letter"));
    }
    if !name.ends_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit()) {
        return Err(Invalid::new(
            FIELD,
            "must end with a lowercase letter or a digit",
        ));
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return Err(Invalid::new(
            FIELD,
            "may contain only lowercase letters, digits and '-'",
        ));
    }
    if name.contains("--") {
        return Err(Invalid::new(FIELD, "must not contain two hyphens in a row"));
    }
    Ok(())
}

/// `config`: discriminated on `config.type`. Unknown keys (e.g. `access_modes`) are accepted:
/// whether the real server honours them is unconfirmed (`docs/truefoundry-api.md` §7), and the
/// emulator echoes them.
fn volume_config(config: &Map<String, Value>) -> Result<VolumeKind, Invalid> {
    match required_str(config, "type", "manifest.config.type")? {
        "dynamic" => {
            let storage_class =
                required_str(config, "storage_class", "manifest.config.storage_class")?;
            let size = size_gi(config.get("size"))?;
            Ok(VolumeKind::Dynamic {
                storage_class: storage_class.to_string(),
                size,
            })
        }
        "static" => {
            let pv = required_str(
                config,
                "persistent_volume_name",
                "manifest.config.persistent_volume_name",
            )?;
            Ok(VolumeKind::Static {
                persistent_volume_name: pv.to_string(),
            })
        }
        other => Err(Invalid::new(
            "manifest.config.type",
            format!("must be \"dynamic\" or \"static\" (got {other:?})"),
        )),
    }
}

/// `config.size`: a JSON integer (not a float, not a string) in 1..=64000 Gi.
fn size_gi(size: Option<&Value>) -> Result<u64, Invalid> {
    const FIELD: &str = "manifest.config.size";
    let size = size.ok_or_else(|| Invalid::new(FIELD, "is required for a dynamic volume"))?;
    let out_of_range = || {
        Invalid::new(
            FIELD,
            format!("must be an integer from 1 to {MAX_SIZE_GI} (Gi), got {size}"),
        )
    };
    if !(size.is_u64() || size.is_i64()) {
        return Err(out_of_range());
    }
    match size.as_u64() {
        Some(gi) if (1..=MAX_SIZE_GI).contains(&gi) => Ok(gi),
        _ => Err(out_of_range()),
    }
}

/// `volume_browser` (`docs/truefoundry-api.md` §7.1).
fn volume_browser(browser: &Value) -> Result<(), Invalid> {
    let b = browser
        .as_object()
        .ok_or_else(|| Invalid::new("manifest.volume_browser", "must be an object"))?;
    if let Some(username) = optional_str(b, "username", "manifest.volume_browser.username")? {
        check_username(username)?;
    }
    if let Some(fqn) = optional_str(
        b,
        "password_secret_fqn",
        "manifest.volume_browser.password_secret_fqn",
    )? {
        check_secret_fqn(fqn)?;
    }
    optional_str(
        b,
        "service_account",
        "manifest.volume_browser.service_account",
    )?;
    let endpoint = b
        .get("endpoint")
        .ok_or_else(|| Invalid::new("manifest.volume_browser.endpoint", "is required"))?
        .as_object()
        .ok_or_else(|| Invalid::new("manifest.volume_browser.endpoint", "must be an object"))?;
    let host = required_str(endpoint, "host", "manifest.volume_browser.endpoint.host")?;
    check_host(host)?;
    if let Some(path) = optional_str(endpoint, "path", "manifest.volume_browser.endpoint.path")? {
        check_path(path)?;
    }
    Ok(())
}

/// Username: 3–10 chars, lowercase letters and digits, a letter first (`truefoundry` 0.17.5;
/// no `-`).
fn check_username(username: &str) -> Result<(), Invalid> {
    let ok = (3..=10).contains(&username.len())
        && username.starts_with(|c: char| c.is_ascii_lowercase())
        && username
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    if ok {
        Ok(())
    } else {
        Err(Invalid::new(
            "manifest.volume_browser.username",
            "must be 3 to 10 lowercase letters or digits, starting with a letter",
        ))
    }
}

/// Secret FQN: `tfy-secret://<tenant>:<group>:<key>`, three non-empty parts.
fn check_secret_fqn(fqn: &str) -> Result<(), Invalid> {
    let ok = fqn.strip_prefix("tfy-secret://").is_some_and(|rest| {
        let parts: Vec<&str> = rest.split(':').collect();
        parts.len() == 3 && parts.iter().all(|p| !p.is_empty())
    });
    if ok {
        Ok(())
    } else {
        Err(Invalid::new(
            "manifest.volume_browser.password_secret_fqn",
            "must look like tfy-secret://<tenant>:<secret-group>:<secret-key>",
        ))
    }
}

/// Host: a dotted hostname of two or more labels (1–63 letters, digits or `-` each; the last
/// label letters only; at most 253 chars in all) or a dotted IPv4 address. `localhost` fails
/// because it has a single label.
fn check_host(host: &str) -> Result<(), Invalid> {
    if is_hostname(host) || is_ipv4(host) {
        Ok(())
    } else {
        Err(Invalid::new(
            "manifest.volume_browser.endpoint.host",
            format!(
                "must be a dotted hostname (e.g. ml.example.com) or an IPv4 address, got {host:?}"
            ),
        ))
    }
}

fn is_hostname(host: &str) -> bool {
    let labels: Vec<&str> = host.split('.').collect();
    let label_ok = |l: &&str| {
        (1..=63).contains(&l.len()) && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    };
    host.len() <= 253
        && labels.len() >= 2
        && labels.iter().all(label_ok)
        && labels
            .last()
            .is_some_and(|tld| tld.chars().all(|c| c.is_ascii_alphabetic()))
}

fn is_ipv4(host: &str) -> bool {
    let parts: Vec<&str> = host.split('.').collect();
    parts.len() == 4
        && parts.iter().all(|p| {
            (1..=3).contains(&p.len())
                && p.chars().all(|c| c.is_ascii_digit())
                && p.parse::<u16>().is_ok_and(|n| n <= 255)
        })
}

/// Path: begins and ends with `/` (`/` alone is fine); each segment is alphanumeric, or starts
/// and ends alphanumeric with `-`, `_` or `.` inside.
fn check_path(path: &str) -> Result<(), Invalid> {
    const FIELD: &str = "manifest.volume_browser.endpoint.path";
    if path == "/" {
        return Ok(());
    }
    let inner = path
        .strip_prefix('/')
        .and_then(|p| p.strip_suffix('/'))
        .ok_or_else(|| Invalid::new(FIELD, format!("must begin and end with '/', got {path:?}")))?;
    if inner.split('/').all(is_path_segment) {
        Ok(())
    } else {
        Err(Invalid::new(
            FIELD,
            format!(
                "each segment must be alphanumeric, with '-', '_' or '.' allowed inside, got {path:?}"
            ),
        ))
    }
}

fn is_path_segment(segment: &str) -> bool {
    let edge_ok = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    edge_ok(segment.chars().next())
        && edge_ok(segment.chars().last())
        && segment
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

fn required_str<'a>(
    obj: &'a Map<String, Value>,
    key: &str,
    field: &str,
) -> Result<&'a str, Invalid> {
    optional_str(obj, key, field)?.ok_or_else(|| Invalid::new(field, "is required"))
}

/// A string field that may be absent or null.
fn optional_str<'a>(
    obj: &'a Map<String, Value>,
    key: &str,
    field: &str,
) -> Result<Option<&'a str>, Invalid> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(Invalid::new(field, "must be a string")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names() {
        for (name, ok) in [
            ("abc", true),
            ("a-1", true),
            ("ab", false),
            ("a".repeat(32).as_str(), true),
            ("a".repeat(33).as_str(), false),
            ("1ab", false),
            ("ab-", false),
            ("aBc", false),
            ("a--b", false),
            ("a_b", false),
        ] {
            assert_eq!(check_name(name).is_ok(), ok, "{name}");
        }
    }

    #[test]
    fn hosts_and_paths() {
        for (host, ok) in [
            ("ml.example.com", true),
            ("a.b", true),
            ("10.0.0.1", true),
            ("localhost", false),
            ("ex.com1", false),
            ("256.1.1.1", false),
            ("a..com", false),
        ] {
            assert_eq!(check_host(host).is_ok(), ok, "{host}");
        }
        for (path, ok) in [
            ("/", true),
            ("/a/", true),
            ("/a-b_c.d/e/", true),
            ("/a", false),
            ("a/", false),
            ("/-a/", false),
            ("//", false),
        ] {
            assert_eq!(check_path(path).is_ok(), ok, "{path}");
        }
    }

    #[test]
    fn size_must_be_an_integer_in_range() {
        for (size, ok) in [
            (json!(1), true),
            (json!(64000), true),
            (json!(0), false),
            (json!(64001), false),
            (json!(-1), false),
            (json!(10.5), false),
            (json!("10"), false),
        ] {
            assert_eq!(size_gi(Some(&size)).is_ok(), ok, "{size}");
        }
    }
}
