//! Every input rule (`validate`, `fqn`, `config`) on any string, and `manifest::from_request`, `plan::plan` and `snippet::render` on any request: no panic, and what is accepted satisfies the documented rule.
//!
//! Byte 0 picks the check; the rest of the input feeds it:
//! - 0: one string through every validator, `WorkspaceFqn::parse`, `VolumeFqn::parse` and
//!   `BaseUrl::parse`. Where the doc comment states the whole rule the target checks it both
//!   ways (accepted exactly when the rule holds); elsewhere it checks that what is accepted
//!   has the documented shape. Refusals are `InvalidInput` naming the field, on one line.
//! - 1: a `CreateRequest` through `manifest::from_request` and `plan::plan`: both agree; an
//!   accepted request gives a manifest that matches it field by field, whose JSON and the
//!   `PUT /apps` body parse back, and a plan whose `manifest_json` parses as that manifest
//!   and whose summary has one line per fact.
//! - 2: a `MountRequest` through `snippet::render`: the JSON formats parse, with a
//!   `volume_fqn` that starts with `tfy-volume://`; the YAML parses back (serde_yaml_ng) to
//!   the same values; the Python literals read back as the values.
//! - 3: environment variables through `Credentials::from_env`: precedence of the URL aliases,
//!   the key kept exactly, and never shown by `Debug` or by an error.
//!
//! Requests are built by [`Builder`]: each text field is a plausible value, a plausible value
//! with arbitrary text around or inside it, or arbitrary text.
#![no_main]

use arbitrary::{Result as ArbResult, Unstructured};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use truefoundry_volumes::api;
use truefoundry_volumes::api::credentials::{BaseUrl, Credentials, Scheme, BASE_URL_VARIABLES};
use truefoundry_volumes::error::{Error, Result};
use truefoundry_volumes::input::fqn::{VolumeFqn, WorkspaceFqn, VOLUME_SCHEME};
use truefoundry_volumes::input::manifest::{self, VolumeConfig};
use truefoundry_volumes::input::validate;
use truefoundry_volumes::model::{
    BrowserSettings, CreateRequest, MountRequest, SnippetFormat, VolumeKind, WaitOptions,
};
use truefoundry_volumes::offline::{plan, snippet};

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    match selector % 4 {
        0 => check_strings(&String::from_utf8_lossy(rest)),
        1 => {
            if let Ok(request) = Builder::new(rest).create_request() {
                check_create(&request);
            }
        }
        2 => {
            if let Ok(request) = Builder::new(rest).mount_request() {
                check_mount(&request);
            }
        }
        _ => {
            if let Ok(env) = Builder::new(rest).environment() {
                check_environment(&env);
            }
        }
    }
});

// ---------------------------------------------------------------------------------------
// The documented rules, written from the doc comments (not from the code).

fn lower_alnum(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit()
}

/// `validate::volume_name` / `existing_volume_name`.
fn volume_name_rule(name: &str, allow_double_hyphen: bool) -> bool {
    let length = name.chars().count();
    (3..=32).contains(&length)
        && name.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && name.chars().last().is_some_and(lower_alnum)
        && name.chars().all(|c| lower_alnum(c) || c == '-')
        && (allow_double_hyphen || !name.contains("--"))
}

/// `validate::kubernetes_name`: DNS-1123 subdomain as documented.
fn kubernetes_rule(name: &str) -> bool {
    (1..=253).contains(&name.chars().count())
        && name.chars().next().is_some_and(lower_alnum)
        && name.chars().last().is_some_and(lower_alnum)
        && name.chars().all(|c| lower_alnum(c) || c == '-' || c == '.')
}

/// `validate::browser_username`.
fn username_rule(name: &str) -> bool {
    (3..=10).contains(&name.chars().count())
        && name.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && name.chars().all(lower_alnum)
}

/// `validate::secret_fqn` (the code also refuses whitespace; only the shape is asserted).
fn secret_shape(fqn: &str) -> bool {
    fqn.strip_prefix("tfy-secret://").is_some_and(|rest| {
        let parts: Vec<&str> = rest.split(':').collect();
        parts.len() == 3 && parts.iter().all(|part| !part.is_empty())
    })
}

/// A dotted IPv4 address: four decimal numbers 0–255 of one to three digits.
fn ipv4(host: &str) -> bool {
    let labels: Vec<&str> = host.split('.').collect();
    labels.len() == 4
        && labels.iter().all(|label| {
            (1..=3).contains(&label.len())
                && label.bytes().all(|b| b.is_ascii_digit())
                && label.parse::<u16>().is_ok_and(|n| n <= 255)
        })
}

/// `validate::endpoint_host`.
fn host_rule(host: &str) -> bool {
    if host.eq_ignore_ascii_case("localhost") || host.is_empty() || host.len() > 253 {
        return false;
    }
    if ipv4(host) {
        return true;
    }
    let labels: Vec<&str> = host.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|label| {
            (1..=63).contains(&label.len())
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        && labels
            .last()
            .is_some_and(|last| last.chars().all(|c| c.is_ascii_alphabetic()))
}

/// `validate::endpoint_path`.
fn endpoint_path_rule(path: &str) -> bool {
    if path == "/" {
        return true;
    }
    let Some(inner) = path.strip_prefix('/').and_then(|p| p.strip_suffix('/')) else {
        return false;
    };
    inner.split('/').all(|segment| {
        segment
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric())
            && segment
                .chars()
                .last()
                .is_some_and(|c| c.is_ascii_alphanumeric())
            && segment
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    })
}

/// `validate::mount_path`.
fn mount_path_rule(path: &str) -> bool {
    path.starts_with('/')
        && path != "/"
        && !path.ends_with('/')
        && !path.chars().any(char::is_control)
        && path.len() <= 4096
}

/// `validate::sub_path`.
fn sub_path_rule(path: &str) -> bool {
    !path.is_empty()
        && !path.starts_with('/')
        && !path.ends_with('/')
        && !path.split('/').any(|segment| segment == "..")
        && !path.chars().any(char::is_control)
        && path.len() <= 4096
}

/// `validate::application_id`.
fn application_id_rule(id: &str) -> bool {
    (1..=128).contains(&id.len())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
}

/// One part of an FQN: 1–63 letters, digits, `-`, `_`, `.`.
fn fqn_part_rule(part: &str) -> bool {
    (1..=63).contains(&part.len())
        && part
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// `BaseUrl::authority` is documented as `host[:port]`: a non-empty host (a name or a
/// bracketed IPv6 literal) and, when present, a decimal port.
fn authority_shape(authority: &str) -> bool {
    let (host, port) = match authority.strip_prefix('[') {
        Some(rest) => {
            let Some((inside, after)) = rest.split_once(']') else {
                return false;
            };
            if after.is_empty() {
                (inside, None)
            } else if let Some(port) = after.strip_prefix(':') {
                (inside, Some(port))
            } else {
                return false;
            }
        }
        None => match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        },
    };
    !host.is_empty()
        && port.is_none_or(|port| {
            (1..=5).contains(&port.len()) && port.bytes().all(|b| b.is_ascii_digit())
        })
}

/// A refusal names `field` and fits on one line.
fn refused(result: &Result<impl core::fmt::Debug>, field: &str) {
    match result {
        Ok(_) => {}
        Err(Error::InvalidInput {
            field: named,
            problem,
            fix,
        }) => {
            assert_eq!(named, field, "wrong field named");
            assert!(
                !problem.chars().any(char::is_control),
                "problem breaks lines: {problem:?}"
            );
            // At most two values are shown, each cut at 80 characters, a control character
            // escaped to at most 6 (`\u{1f}`).
            assert!(
                problem.chars().count() < 2 * (80 * 6 + 3) + 300,
                "problem too long"
            );
            assert!(!fix.is_empty());
        }
        Err(other) => panic!("a validator returned {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------
// Selector 0: one string through every rule.

fn check_strings(text: &str) {
    const F: &str = "f";

    let workspace = WorkspaceFqn::parse(F, text);
    refused(&workspace, F);
    if let Ok(parsed) = &workspace {
        assert_eq!(text.matches(':').count(), 1, "{text:?} has not one `:`");
        assert_eq!(
            parsed.to_string(),
            text,
            "workspace FQN does not round-trip"
        );
        assert!(fqn_part_rule(parsed.cluster()) && fqn_part_rule(parsed.workspace()));
    }

    let volume = VolumeFqn::parse(F, text);
    refused(&volume, F);
    if let Ok(parsed) = &volume {
        let bare = text.strip_prefix(VOLUME_SCHEME).unwrap_or(text);
        assert_eq!(bare.matches(':').count(), 2, "{text:?} has not two `:`");
        assert_eq!(parsed.to_string(), bare, "volume FQN does not round-trip");
        assert_eq!(parsed.mount_reference(), format!("{VOLUME_SCHEME}{bare}"));
        assert!(volume_name_rule(parsed.name(), true), "{:?}", parsed.name());
        assert_eq!(
            VolumeFqn::parse(F, &parsed.mount_reference()).as_ref(),
            Ok(parsed),
            "the mount reference does not parse back"
        );
    }

    let checks: [(&str, Result<()>, bool); 8] = [
        (
            "volume_name",
            validate::volume_name(F, text),
            volume_name_rule(text, false),
        ),
        (
            "existing_volume_name",
            validate::existing_volume_name(F, text),
            volume_name_rule(text, true),
        ),
        (
            "kubernetes_name",
            validate::kubernetes_name(F, "storage class", text),
            kubernetes_rule(text),
        ),
        (
            "browser_username",
            validate::browser_username(F, text),
            username_rule(text),
        ),
        (
            "endpoint_path",
            validate::endpoint_path(F, text),
            endpoint_path_rule(text),
        ),
        (
            "mount_path",
            validate::mount_path(F, text),
            mount_path_rule(text),
        ),
        ("sub_path", validate::sub_path(F, text), sub_path_rule(text)),
        (
            "application_id",
            validate::application_id(F, text),
            application_id_rule(text),
        ),
    ];
    for (name, result, rule) in checks {
        refused(&result, F);
        assert_eq!(result.is_ok(), rule, "{name} on {text:?}: {result:?}");
    }

    // Accepted secret references have the documented shape (the code also refuses
    // whitespace inside the parts, which the shape does not mention).
    let secret = validate::secret_fqn(F, text);
    refused(&secret, F);
    if secret.is_ok() {
        assert!(secret_shape(text), "secret_fqn accepted {text:?}");
    }

    let host = validate::endpoint_host(F, text);
    refused(&host, F);
    if host.is_ok() {
        assert!(host_rule(text), "endpoint_host accepted {text:?}");
    }

    // Sizes: the first bytes as a number.
    let mut bytes = [0u8; 4];
    for (slot, byte) in bytes.iter_mut().zip(text.bytes()) {
        *slot = byte;
    }
    let size = u32::from_le_bytes(bytes) >> (text.len() % 17);
    let sized = validate::size_gi(F, size);
    refused(&sized, F);
    assert_eq!(sized.is_ok(), (1..=64_000).contains(&size), "size {size}");

    check_base_url(text);
}

fn check_base_url(text: &str) {
    match BaseUrl::parse("V", text) {
        Ok(url) => {
            let shown = url.to_string();
            let scheme = match url.scheme {
                Scheme::Http => "http://",
                Scheme::Https => "https://",
            };
            assert!(shown.starts_with(scheme), "{shown:?}");
            assert!(!url.authority.is_empty(), "empty authority from {text:?}");
            assert_eq!(url.authority, url.authority.to_ascii_lowercase());
            assert!(
                authority_shape(&url.authority),
                "authority {:?} from {text:?} is not host[:port]",
                url.authority
            );
            assert!(
                url.path_prefix.is_empty() || url.path_prefix.starts_with('/'),
                "prefix {:?}",
                url.path_prefix
            );
            assert!(
                !url.path_prefix.ends_with('/'),
                "path prefix {:?} from {text:?} ends with `/`",
                url.path_prefix
            );
            assert_eq!(
                BaseUrl::parse("V", &shown).as_ref(),
                Ok(&url),
                "{shown:?} does not parse back"
            );
        }
        Err(Error::MissingConfiguration { variable, problem }) => {
            assert_eq!(variable, "V");
            assert!(!problem.is_empty());
        }
        Err(other) => panic!("BaseUrl::parse returned {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------
// Selector 1: create requests.

fn check_create(request: &CreateRequest) {
    let valid = manifest::from_request(request);
    let planned = plan::plan(request);
    match (&valid, &planned) {
        (Err(refused), Err(plan_refused)) => {
            assert_eq!(refused, plan_refused, "plan and create refuse differently");
            assert!(
                matches!(refused, Error::InvalidInput { .. }),
                "create refused locally with {refused:?}"
            );
            return;
        }
        (Ok(_), Ok(_)) => {}
        _ => panic!("plan and create disagree: {valid:?} / {planned:?}"),
    }
    let (Ok(valid), Ok(planned)) = (valid, planned) else {
        unreachable!()
    };
    let manifest = &valid.manifest;

    assert_eq!(manifest.kind, "volume");
    assert_eq!(manifest.name, request.name);
    assert!(
        volume_name_rule(&manifest.name, false),
        "{:?}",
        manifest.name
    );
    assert_eq!(manifest.workspace_fqn, request.workspace_fqn);
    assert_eq!(valid.workspace.to_string(), request.workspace_fqn);
    assert_eq!(manifest.workspace_fqn.matches(':').count(), 1);

    match &manifest.config {
        VolumeConfig::Dynamic {
            storage_class,
            size,
        } => {
            assert_eq!(request.kind, VolumeKind::Dynamic);
            assert_eq!(Some(*size), request.size_gi);
            assert!((1..=64_000).contains(size));
            assert_eq!(Some(storage_class), request.storage_class.as_ref());
            assert!(kubernetes_rule(storage_class));
            assert!(request.persistent_volume_name.is_none());
        }
        VolumeConfig::Static {
            persistent_volume_name,
        } => {
            assert_eq!(request.kind, VolumeKind::Static);
            assert!(request.size_gi.is_none() && request.storage_class.is_none());
            assert_eq!(
                Some(persistent_volume_name),
                request.persistent_volume_name.as_ref()
            );
            assert!(kubernetes_rule(persistent_volume_name));
        }
    }

    assert_eq!(manifest.volume_browser.is_some(), request.browser.is_some());
    if let (Some(browser), Some(settings)) = (&manifest.volume_browser, &request.browser) {
        assert!(username_rule(&browser.username), "{:?}", browser.username);
        assert_eq!(
            browser.username,
            settings.username.clone().unwrap_or_else(|| "admin".into())
        );
        assert_eq!(browser.password_secret_fqn, settings.password_secret_fqn);
        if let Some(secret) = &browser.password_secret_fqn {
            assert!(secret_shape(secret), "{secret:?}");
        }
        assert_eq!(browser.endpoint.host, settings.host);
        assert!(
            host_rule(&browser.endpoint.host),
            "{:?}",
            browser.endpoint.host
        );
        assert!(endpoint_path_rule(&browser.endpoint.path));
        assert_eq!(
            browser.url(),
            format!("https://{}{}", browser.endpoint.host, browser.endpoint.path)
        );
    }

    // The manifest serializes to the wire form.
    let json = serde_json::to_value(manifest).expect("manifest serializes");
    assert_eq!(json["type"], "volume");
    assert_eq!(json["name"], manifest.name.as_str());
    assert_eq!(json["workspace_fqn"], manifest.workspace_fqn.as_str());
    let config_type = match manifest.config {
        VolumeConfig::Dynamic { .. } => "dynamic",
        VolumeConfig::Static { .. } => "static",
    };
    assert_eq!(json["config"]["type"], config_type);

    // The PUT body carries it as is.
    let put = api::endpoints::create_or_update(manifest, "ws-123");
    let body: Value = serde_json::from_slice(put.body.as_deref().expect("PUT has a body"))
        .expect("PUT body is JSON");
    assert_eq!(body["manifest"], json);
    assert_eq!(body["workspaceId"], "ws-123");

    // The plan.
    let from_plan: Value =
        serde_json::from_str(&planned.manifest_json).expect("manifest_json parses as JSON");
    assert_eq!(from_plan, json, "manifest_json is not the manifest");
    let summary = &planned.summary;
    assert!(
        !summary.chars().any(|c| c.is_control() && c != '\n'),
        "control character in the summary: {summary:?}"
    );
    let browser_lines = match &manifest.volume_browser {
        Some(browser) => 2 + usize::from(browser.password_secret_fqn.is_some()),
        None => 1,
    };
    let config_lines = match manifest.config {
        VolumeConfig::Dynamic { .. } => 2,
        VolumeConfig::Static { .. } => 1,
    };
    assert_eq!(
        summary.split('\n').count(),
        3 + config_lines + browser_lines + 2,
        "a value broke a summary line: {summary:?}"
    );
    assert!(summary.contains(&format!("`{}`", manifest.name)));
    assert!(summary.contains("never reduced"));
    assert!(summary.contains(&format!(
        "tfy-volume://{}:{}",
        manifest.workspace_fqn, manifest.name
    )));
    let expected_warnings = usize::from(matches!(manifest.config, VolumeConfig::Static { .. }))
        + usize::from(
            manifest
                .volume_browser
                .as_ref()
                .is_some_and(|b| b.password_secret_fqn.is_none()),
        );
    assert_eq!(
        planned.warnings.len(),
        expected_warnings,
        "{:?}",
        planned.warnings
    );
}

// ---------------------------------------------------------------------------------------
// Selector 2: mount snippets.

fn check_mount(request: &MountRequest) {
    let rendered = snippet::render(request);
    assert_eq!(
        rendered.is_ok(),
        snippet::VolumeMount::from_request(request).is_ok()
    );
    let snippet = match rendered {
        Ok(snippet) => snippet,
        Err(Error::InvalidInput { field, .. }) => {
            assert!(
                ["volume-fqn", "mount-path", "sub-path"].contains(&field.as_str()),
                "unexpected field {field:?}"
            );
            return;
        }
        Err(other) => panic!("render returned {other:?}"),
    };
    let text = snippet.text;
    let per_pod = request.per_pod_directories;
    if per_pod {
        assert_eq!(snippet.warnings.len(), 1, "{:?}", snippet.warnings);
        assert!(snippet.warnings[0].contains(&format!("{}/<pod name>", request.mount_path)));
    } else {
        assert!(snippet.warnings.is_empty(), "{:?}", snippet.warnings);
    }
    let fqn = VolumeFqn::parse("volume-fqn", request.volume_fqn.trim())
        .expect("rendered, so the FQN parses");
    let reference = fqn.mount_reference();
    assert!(request.mount_path.starts_with('/'));
    assert!(mount_path_rule(&request.mount_path));
    if let Some(sub_path) = &request.sub_path {
        assert!(sub_path_rule(sub_path));
    }

    let check_entry = |entry: &Value, format: &str| {
        assert_eq!(entry["type"], "volume", "{format}: {text}");
        assert_eq!(
            entry["mount_path"],
            request.mount_path.as_str(),
            "{format}: {text}"
        );
        let volume_fqn = entry["volume_fqn"]
            .as_str()
            .expect("volume_fqn is a string");
        assert!(
            volume_fqn.starts_with(VOLUME_SCHEME),
            "{format}: {volume_fqn:?}"
        );
        assert_eq!(volume_fqn, reference, "{format}: {text}");
        match &request.sub_path {
            Some(sub_path) => assert_eq!(entry["sub_path"], sub_path.as_str(), "{format}: {text}"),
            None => assert!(entry.get("sub_path").is_none(), "{format}: {text}"),
        }
    };

    match request.format {
        SnippetFormat::JsonMount => {
            let value: Value = serde_json::from_str(&text).expect("JSON snippet parses");
            check_entry(&value, "json");
        }
        SnippetFormat::ServiceManifest | SnippetFormat::JobManifest => {
            let value: Value = serde_json::from_str(&text).expect("manifest snippet parses");
            let kind = if request.format == SnippetFormat::ServiceManifest {
                "service"
            } else {
                "job"
            };
            assert_eq!(value["type"], kind);
            let mounts = value["mounts"].as_array().expect("mounts is a list");
            assert_eq!(mounts.len(), 1);
            check_entry(&mounts[0], kind);
        }
        SnippetFormat::Yaml => {
            let value: Value = match serde_yaml_ng::from_str(&text) {
                Ok(value) => value,
                Err(error) => panic!("YAML snippet does not parse: {error}\n{text}"),
            };
            // Only `mounts`: the per-pod comment must stay a comment.
            assert_eq!(
                value.as_object().map(|map| map.len()),
                Some(1),
                "YAML has more than `mounts`: {text}"
            );
            let mounts = value["mounts"].as_array().expect("mounts is a list");
            assert_eq!(mounts.len(), 1, "{text}");
            check_entry(&mounts[0], "yaml");
        }
        SnippetFormat::PythonSdk => {
            let header = if per_pod { "import os\nfrom" } else { "from" };
            assert!(text.starts_with(&format!("{header} truefoundry.deploy import VolumeMount\n")));
            let literal = |key: &str| -> Option<String> {
                let prefix = format!("    {key}=");
                let line = text.lines().find(|line| line.starts_with(&prefix))?;
                let literal = line.strip_prefix(&prefix)?.strip_suffix(',')?;
                Some(serde_json::from_str(literal).expect("a Python literal reads back"))
            };
            assert_eq!(
                literal("mount_path").as_deref(),
                Some(request.mount_path.as_str())
            );
            assert_eq!(literal("volume_fqn").as_deref(), Some(reference.as_str()));
            assert_eq!(literal("sub_path"), request.sub_path);
            if per_pod {
                let line = text
                    .lines()
                    .find(|line| line.starts_with("pod_dir = os.path.join("))
                    .expect("the per-pod directory line");
                let literal = line
                    .strip_prefix("pod_dir = os.path.join(")
                    .and_then(|rest| rest.strip_suffix(", os.environ[\"HOSTNAME\"])"))
                    .expect("the per-pod line's shape");
                let path: String = serde_json::from_str(literal).expect("a Python literal");
                assert_eq!(path, request.mount_path);
            }
            assert_eq!(
                text.lines().count(),
                7 + usize::from(request.sub_path.is_some()) + if per_pod { 6 } else { 0 },
                "a value broke a line: {text:?}"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------
// Selector 3: the environment.

/// Appended to API keys so that any echo of one in an error is unmistakable.
const CANARY: &str = "\u{1F511}canary";

fn check_environment(env: &[(String, String)]) {
    let result = Credentials::from_env(env.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    // The documented reading: blank values are unset; the last value of a variable counts;
    // TFY_BASE_URL before TFY_HOST before TFY_API_HOST.
    let last = |name: &str| {
        env.iter()
            .rev()
            .find(|(key, value)| key == name && !value.trim().is_empty())
            .map(|(_, value)| value.as_str())
    };
    let key = last("TFY_API_KEY");
    match &result {
        Ok(credentials) => {
            let (variable, url) = BASE_URL_VARIABLES
                .iter()
                .find_map(|variable| last(variable).map(|url| (*variable, url)))
                .expect("accepted without a URL");
            assert_eq!(
                BaseUrl::parse(variable, url).as_ref(),
                Ok(&credentials.base_url),
                "not the URL of {variable}"
            );
            assert_eq!(Some(credentials.api_key.expose()), key, "not the key given");
            let exposed = credentials.api_key.expose();
            assert!(!exposed.is_empty());
            assert!(!exposed.chars().any(|c| c.is_whitespace() || c.is_control()));
            assert_eq!(
                format!("{credentials:?}"),
                format!(
                    "Credentials {{ base_url: {:?}, api_key: ApiKey([redacted]) }}",
                    credentials.base_url
                ),
                "Debug shows more than the URL"
            );
            assert_eq!(credentials.api_key.to_string(), "[redacted]");
        }
        Err(Error::MissingConfiguration { variable, .. }) => {
            assert!(
                ["TFY_BASE_URL", "TFY_HOST", "TFY_API_HOST", "TFY_API_KEY"]
                    .contains(&variable.as_str()),
                "{variable:?}"
            );
        }
        Err(other) => panic!("from_env returned {other:?}"),
    }
    if let (Err(error), Some(key)) = (&result, key) {
        if key.contains(CANARY) {
            let shown = format!("{error} {error:?} {}", error.fix());
            assert!(!shown.contains(key), "the key shows in {shown:?}");
        }
    }
}

// ---------------------------------------------------------------------------------------
// The builder.

struct Builder<'a> {
    u: Unstructured<'a>,
}

const WORKSPACES: &[&str] = &["c1:ws1", "prod-cluster:ml-team", "a:b", "c1.x_y:ws-1"];
const NAMES: &[&str] = &[
    "training-data",
    "abc",
    "a1b",
    "v-1-2",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
];
const STORAGE_CLASSES: &[&str] = &["efs-sc", "gp3", "ebs.csi.aws.com", "a"];
const PERSISTENT_VOLUMES: &[&str] = &["shared-datasets-pv", "pv1"];
const USERNAMES: &[&str] = &["admin", "abc", "user01", "abcdefghij"];
const SECRETS: &[&str] = &["tfy-secret://acme:vol-sg:pw", "tfy-secret://t:g:k"];
const HOSTS: &[&str] = &["ml.example.com", "10.0.0.12", "a.b", "my-host.example.io"];
const BROWSER_PATHS: &[&str] = &["/", "/training-data/", "/a/b/", "/v1.2/"];
const VOLUME_FQNS: &[&str] = &[
    "c1:ws1:my-volume",
    "tfy-volume://c1:ws1:my-volume",
    "  c1:ws1:a--b\n",
];
const MOUNT_PATHS: &[&str] = &["/data", "/mnt/models", "/a", "/data: #1 \"x\""];
const SUB_PATHS: &[&str] = &["models", "runs/2026", "a.b", "true", "2026", "a: b"];
const VARIABLES: &[&str] = &[
    "TFY_BASE_URL",
    "TFY_HOST",
    "TFY_API_HOST",
    "TFY_API_KEY",
    "HOME",
];
const URLS: &[&str] = &[
    "https://acme.truefoundry.cloud",
    "http://127.0.0.1:8787/",
    "HTTPS://Tfy.Example.com/gateway/",
    "https://[::1]:443",
];
const KEYS: &[&str] = &["sk-live-123", "tfy-abc.def_ghi"];

impl<'a> Builder<'a> {
    fn new(data: &'a [u8]) -> Self {
        Builder {
            u: Unstructured::new(data),
        }
    }

    /// A plausible value, a plausible value with arbitrary text around or inside it, or
    /// arbitrary text.
    fn text(&mut self, good: &[&str]) -> ArbResult<String> {
        let base = (*self.u.choose(good)?).to_string();
        Ok(match self.u.int_in_range(0u8..=9)? {
            0..=4 => base,
            5 => base + &self.u.arbitrary::<String>()?,
            6 => self.u.arbitrary::<String>()? + &base,
            7 => {
                let mut value = base;
                let at = self.u.choose_index(value.len() + 1)?;
                if value.is_char_boundary(at) {
                    value.insert(at, self.u.arbitrary()?);
                }
                value
            }
            8 => {
                let mut value = base;
                if !value.is_empty() {
                    let at = self.u.choose_index(value.len())?;
                    if value.is_char_boundary(at) {
                        value.remove(at);
                    }
                }
                value
            }
            _ => self.u.arbitrary()?,
        })
    }

    fn optional_text(&mut self, good: &[&str]) -> ArbResult<Option<String>> {
        Ok(if self.u.ratio(1u8, 4u8)? {
            None
        } else {
            Some(self.text(good)?)
        })
    }

    fn create_request(&mut self) -> ArbResult<CreateRequest> {
        let kind = if self.u.arbitrary()? {
            VolumeKind::Dynamic
        } else {
            VolumeKind::Static
        };
        let size_gi = match self.u.int_in_range(0u8..=5)? {
            0 => None,
            1 => Some(self.u.arbitrary()?),
            _ => Some(*self.u.choose(&[1u32, 100, 64_000, 0, 64_001, u32::MAX])?),
        };
        let browser = if self.u.arbitrary()? {
            Some(BrowserSettings {
                username: self.optional_text(USERNAMES)?,
                password_secret_fqn: self.optional_text(SECRETS)?,
                host: self.text(HOSTS)?,
                path: self.optional_text(BROWSER_PATHS)?,
            })
        } else {
            None
        };
        Ok(CreateRequest {
            workspace_fqn: self.text(WORKSPACES)?,
            name: self.text(NAMES)?,
            kind,
            size_gi,
            storage_class: self.optional_text(STORAGE_CLASSES)?,
            persistent_volume_name: self.optional_text(PERSISTENT_VOLUMES)?,
            browser,
            wait: if self.u.arbitrary()? {
                Some(WaitOptions {
                    interval_seconds: self.u.arbitrary()?,
                    timeout_seconds: self.u.arbitrary()?,
                })
            } else {
                None
            },
        })
    }

    fn mount_request(&mut self) -> ArbResult<MountRequest> {
        let format = *self.u.choose(&[
            SnippetFormat::PythonSdk,
            SnippetFormat::JsonMount,
            SnippetFormat::ServiceManifest,
            SnippetFormat::JobManifest,
            SnippetFormat::Yaml,
        ])?;
        Ok(MountRequest {
            format,
            per_pod_directories: self.u.arbitrary()?,
            volume_fqn: self.text(VOLUME_FQNS)?,
            mount_path: self.text(MOUNT_PATHS)?,
            sub_path: self.optional_text(SUB_PATHS)?,
        })
    }

    fn environment(&mut self) -> ArbResult<Vec<(String, String)>> {
        let canary = self.u.arbitrary::<bool>()?;
        let count = self.u.int_in_range(0u8..=5)?;
        let mut env = Vec::with_capacity(usize::from(count));
        for _ in 0..count {
            let name = self.text(VARIABLES)?;
            let mut value = if name == "TFY_API_KEY" {
                self.text(KEYS)?
            } else {
                self.text(URLS)?
            };
            if canary && name == "TFY_API_KEY" {
                value.push_str(CANARY);
            }
            env.push((name, value));
        }
        Ok(env)
    }
}
