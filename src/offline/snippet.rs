//! Mount snippets: the text that attaches a volume to a Service, Job or notebook (docs/truefoundry-api.md §8).

use alloc::format;
use alloc::string::{String, ToString};
use serde::Serialize;

use crate::error::Result;
use crate::input::fqn::{VolumeFqn, K8S_VOLUME_SCHEME};
use crate::input::validate;
use crate::model::{MountRequest, Snippet, SnippetFormat};

/// A mount that passed every rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VolumeMount {
    /// Always `volume`.
    #[serde(rename = "type")]
    kind: &'static str,
    /// Absolute path in the container.
    mount_path: String,
    /// `tfy-volume://<cluster>:<workspace>:<name>` or `tfy-k8s-volume://<pvc-name>`.
    volume_fqn: String,
    /// Directory inside the volume.
    #[serde(skip_serializing_if = "Option::is_none")]
    sub_path: Option<String>,
}

impl VolumeMount {
    /// Checks `request` and builds the mount.
    pub fn from_request(request: &MountRequest) -> Result<Self> {
        let volume = request.volume_fqn.trim();
        let reference = match volume.strip_prefix(K8S_VOLUME_SCHEME) {
            Some(claim) => {
                validate::kubernetes_name("volume-fqn", "PersistentVolumeClaim", claim)?;
                format!("{K8S_VOLUME_SCHEME}{claim}")
            }
            None => VolumeFqn::parse("volume-fqn", volume)?.mount_reference(),
        };
        validate::mount_path("mount-path", &request.mount_path)?;
        if let Some(sub_path) = &request.sub_path {
            validate::sub_path("sub-path", sub_path)?;
        }
        Ok(VolumeMount {
            kind: "volume",
            mount_path: request.mount_path.clone(),
            volume_fqn: reference,
            sub_path: request.sub_path.clone(),
        })
    }
}

/// The volumes skill's warning against concurrent writers, made concrete for `mount_path`.
fn many_writers_warning(mount_path: &str) -> String {
    format!(
        "Several pods share this volume: never write the same file from two pods at once, it \
         can corrupt data. Have each pod write under its own directory, \
         {mount_path}/<pod name> (the pod name is in the HOSTNAME environment variable), and \
         only read what other pods wrote."
    )
}

/// Renders the snippet `request` asks for.
pub fn render(request: &MountRequest) -> Result<Snippet> {
    let mount = VolumeMount::from_request(request)?;
    let per_pod = request.per_pod_directories;
    let text = match request.format {
        SnippetFormat::PythonSdk => python(&mount, per_pod),
        SnippetFormat::JsonMount => pretty_json(&mount),
        SnippetFormat::ServiceManifest => manifest_fragment("service", &mount),
        SnippetFormat::JobManifest => manifest_fragment("job", &mount),
        SnippetFormat::Yaml => yaml(&mount, per_pod),
    };
    let mut warnings = alloc::vec::Vec::new();
    if per_pod {
        warnings.push(many_writers_warning(&mount.mount_path));
    }
    Ok(Snippet { text, warnings })
}

fn pretty_json<T: Serialize>(value: &T) -> String {
    // Serializing structs of strings cannot fail.
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

/// A JSON string literal; its escapes are valid in Python and YAML double-quoted strings too.
fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_default()
}

/// A manifest fragment whose top-level key is `"type"` (not the `"kind"` of older TrueFoundry examples, docs/truefoundry-api.md §14.4).
fn manifest_fragment(application_type: &'static str, mount: &VolumeMount) -> String {
    #[derive(Serialize)]
    struct Fragment<'a> {
        #[serde(rename = "type")]
        kind: &'static str,
        mounts: [&'a VolumeMount; 1],
    }
    pretty_json(&Fragment {
        kind: application_type,
        mounts: [mount],
    })
}

fn python(mount: &VolumeMount, per_pod: bool) -> String {
    let mut text = String::new();
    if per_pod {
        text.push_str("import os\n");
    }
    text.push_str(
        "from truefoundry.deploy import VolumeMount\n\n\
         # Add to the `mounts` list of your Service or Job in deploy.py.\n\
         volume_mount = VolumeMount(\n",
    );
    text.push_str(&format!("    mount_path={},\n", quoted(&mount.mount_path)));
    text.push_str(&format!("    volume_fqn={},\n", quoted(&mount.volume_fqn)));
    if let Some(sub_path) = &mount.sub_path {
        text.push_str(&format!("    sub_path={},\n", quoted(sub_path)));
    }
    text.push_str(")\n");
    if per_pod {
        text.push_str(&format!(
            "\n# In the application: several pods share this volume, so each writes only under\n\
             # its own directory (HOSTNAME is the pod name).\n\
             pod_dir = os.path.join({}, os.environ[\"HOSTNAME\"])\n\
             os.makedirs(pod_dir, exist_ok=True)\n",
            quoted(&mount.mount_path)
        ));
    }
    text
}

fn yaml(mount: &VolumeMount, per_pod: bool) -> String {
    let mut text = String::new();
    if per_pod {
        text.push_str(&format!(
            "# Several pods share this volume: each must write only under\n\
             # {}/<pod name> (the HOSTNAME environment variable), never to the same file.\n",
            // As a YAML scalar: quoted whenever a character of the path could end the comment.
            yaml_scalar(&mount.mount_path)
        ));
    }
    text.push_str("mounts:\n  - type: volume\n");
    text.push_str(&format!(
        "    mount_path: {}\n",
        yaml_scalar(&mount.mount_path)
    ));
    text.push_str(&format!(
        "    volume_fqn: {}\n",
        yaml_scalar(&mount.volume_fqn)
    ));
    if let Some(sub_path) = &mount.sub_path {
        text.push_str(&format!("    sub_path: {}\n", yaml_scalar(sub_path)));
    }
    text
}

/// A YAML scalar for `text`: plain when that reads back as the same string, else
/// double-quoted.
pub(crate) fn yaml_scalar(text: &str) -> String {
    let safe_chars = text
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '-' | '_' | '.' | ':'));
    let safe_start = text
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '/');
    // A `:` followed by a space or at the end would start a mapping; `#` a comment.
    let safe_colons = !text.ends_with(':') && !text.contains(": ");
    let reserved = matches!(
        text.to_ascii_lowercase().as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "y" | "n"
    );
    if safe_chars && safe_start && safe_colons && !reserved {
        text.to_string()
    } else {
        yaml_quoted(text)
    }
}

/// A YAML double-quoted scalar. Unlike JSON's escaping, it also escapes what YAML forbids raw
/// (U+FFFE, U+FFFF) and what YAML 1.1 parsers take for line breaks (U+0085, U+2028,
/// U+2029), which would otherwise change the value read back or break the document.
fn yaml_quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control()
                || matches!(
                    c,
                    '\u{2028}' | '\u{2029}' | '\u{FEFF}' | '\u{FFFE}' | '\u{FFFF}'
                ) =>
            {
                out.push_str(&format!("\\u{:04X}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;
    use serde_json::Value;

    fn request(format: SnippetFormat, sub_path: Option<&str>) -> MountRequest {
        MountRequest {
            volume_fqn: "c1:ws1:my-volume".into(),
            mount_path: "/data".into(),
            sub_path: sub_path.map(Into::into),
            format,
            per_pod_directories: false,
        }
    }

    fn text(request: &MountRequest) -> String {
        let snippet = render(request).unwrap();
        assert_eq!(snippet.warnings, alloc::vec::Vec::<String>::new());
        snippet.text
    }

    fn golden(name: &str) -> &'static str {
        match name {
            "json_mount" => include_str!("../../tests/fixtures/snippets/json_mount.json"),
            "service" => include_str!("../../tests/fixtures/snippets/service_manifest.json"),
            "job" => include_str!("../../tests/fixtures/snippets/job_manifest.json"),
            _ => unreachable!(),
        }
    }

    fn json(text: &str) -> Value {
        serde_json::from_str(text).unwrap()
    }

    #[test]
    fn a_raw_claim_mounts_by_its_kubernetes_name_in_every_format() {
        for format in [
            SnippetFormat::PythonSdk,
            SnippetFormat::JsonMount,
            SnippetFormat::ServiceManifest,
            SnippetFormat::JobManifest,
            SnippetFormat::Yaml,
        ] {
            let snippet = render(&MountRequest {
                volume_fqn: "tfy-k8s-volume://shared-cache".into(),
                mount_path: "/cache".into(),
                sub_path: None,
                format,
                per_pod_directories: false,
            })
            .unwrap();
            let quoted = snippet.text.contains("\"tfy-k8s-volume://shared-cache\"");
            let plain_yaml = snippet
                .text
                .contains("volume_fqn: tfy-k8s-volume://shared-cache\n");
            assert!(quoted || plain_yaml, "{format:?}: {}", snippet.text);
        }
        for bad in [
            "tfy-k8s-volume://",
            "tfy-k8s-volume://Bad_Name",
            "tfy-k8s-volume://a/b",
        ] {
            let refused = render(&MountRequest {
                volume_fqn: bad.into(),
                mount_path: "/cache".into(),
                sub_path: None,
                format: SnippetFormat::Yaml,
                per_pod_directories: false,
            });
            assert!(
                matches!(&refused, Err(crate::Error::InvalidInput { field, .. }) if field == "volume-fqn"),
                "{bad}: {refused:?}"
            );
        }
    }

    #[test]
    fn json_formats_match_their_goldens() {
        let cases = [
            (SnippetFormat::JsonMount, "json_mount"),
            (SnippetFormat::ServiceManifest, "service"),
            (SnippetFormat::JobManifest, "job"),
        ];
        for (format, name) in cases {
            let rendered = text(&request(format, Some("models")));
            assert_eq!(json(&rendered), json(golden(name)), "{name}");
        }
    }

    #[test]
    fn yaml_matches_its_golden_as_parsed_yaml() {
        let rendered = text(&request(SnippetFormat::Yaml, Some("models")));
        let parsed: Value = serde_yaml_ng::from_str(&rendered).unwrap();
        let expected: Value =
            serde_yaml_ng::from_str(include_str!("../../tests/fixtures/snippets/mounts.yaml"))
                .unwrap();
        assert_eq!(parsed, expected);
        assert_eq!(parsed["mounts"][0], json(golden("json_mount")));
    }

    #[test]
    fn yaml_round_trips_awkward_values() {
        let mut awkward = request(SnippetFormat::Yaml, Some("true"));
        awkward.mount_path = "/data: #1 \"x\"".into();
        let parsed: Value = serde_yaml_ng::from_str(&text(&awkward)).unwrap();
        assert_eq!(parsed["mounts"][0]["mount_path"], "/data: #1 \"x\"");
        assert_eq!(parsed["mounts"][0]["sub_path"], "true");
    }

    #[test]
    fn the_scheme_is_added_once() {
        let mut with_scheme = request(SnippetFormat::JsonMount, None);
        with_scheme.volume_fqn = "tfy-volume://c1:ws1:my-volume".into();
        let rendered = json(&text(&with_scheme));
        assert_eq!(rendered["volume_fqn"], "tfy-volume://c1:ws1:my-volume");
        assert!(rendered.get("sub_path").is_none());
    }

    #[test]
    fn python_snippet_uses_volume_mount() {
        let rendered = text(&request(SnippetFormat::PythonSdk, Some("models")));
        assert_eq!(
            rendered,
            "from truefoundry.deploy import VolumeMount\n\n\
             # Add to the `mounts` list of your Service or Job in deploy.py.\n\
             volume_mount = VolumeMount(\n\
             \x20   mount_path=\"/data\",\n\
             \x20   volume_fqn=\"tfy-volume://c1:ws1:my-volume\",\n\
             \x20   sub_path=\"models\",\n\
             )\n"
        );
    }

    #[test]
    fn python_strings_are_escaped() {
        let mut tricky = request(SnippetFormat::PythonSdk, None);
        tricky.mount_path = "/data/\"quoted\"\\dir".into();
        let rendered = text(&tricky);
        assert!(
            rendered.contains(r#"mount_path="/data/\"quoted\"\\dir","#),
            "{rendered}"
        );
    }

    #[test]
    fn yaml_scalars_quote_only_when_needed() {
        assert_eq!(yaml_scalar("/data"), "/data");
        assert_eq!(
            yaml_scalar("tfy-volume://c1:ws1:v"),
            "tfy-volume://c1:ws1:v"
        );
        assert_eq!(yaml_scalar("true"), "\"true\"");
        assert_eq!(yaml_scalar("2026"), "\"2026\"");
        assert_eq!(yaml_scalar("/a: b"), "\"/a: b\"");
        assert_eq!(yaml_scalar("/a #b"), "\"/a #b\"");
    }

    #[test]
    fn per_pod_directories_add_guidance_and_the_warning() {
        for format in [
            SnippetFormat::PythonSdk,
            SnippetFormat::JsonMount,
            SnippetFormat::ServiceManifest,
            SnippetFormat::JobManifest,
            SnippetFormat::Yaml,
        ] {
            let shared = MountRequest {
                per_pod_directories: true,
                ..request(format, Some("models"))
            };
            let snippet = render(&shared).unwrap();
            assert_eq!(snippet.warnings.len(), 1);
            assert!(snippet.warnings[0].contains("/data/<pod name>"));
            assert!(snippet.warnings[0].contains("never write the same file from two pods"));
            // The mount itself is unchanged: every format still parses to the same entry.
            let alone = text(&request(format, Some("models")));
            match format {
                SnippetFormat::Yaml => {
                    let parsed: Value = serde_yaml_ng::from_str(&snippet.text).unwrap();
                    assert_eq!(parsed, serde_yaml_ng::from_str::<Value>(&alone).unwrap());
                    assert!(snippet.text.starts_with("# Several pods share this volume"));
                }
                SnippetFormat::PythonSdk => {
                    assert!(snippet
                        .text
                        .contains("pod_dir = os.path.join(\"/data\", os.environ[\"HOSTNAME\"])"));
                    assert!(snippet.text.starts_with("import os\n"));
                }
                _ => assert_eq!(json(&snippet.text), json(&alone)),
            }
        }
    }

    #[test]
    fn invalid_mounts_name_the_field() {
        let cases = [
            (
                MountRequest {
                    volume_fqn: "my-volume".into(),
                    ..request(SnippetFormat::Yaml, None)
                },
                "volume-fqn",
            ),
            (
                MountRequest {
                    mount_path: "data".into(),
                    ..request(SnippetFormat::Yaml, None)
                },
                "mount-path",
            ),
            (
                MountRequest {
                    mount_path: "/data/".into(),
                    ..request(SnippetFormat::Yaml, None)
                },
                "mount-path",
            ),
            (request(SnippetFormat::Yaml, Some("/abs")), "sub-path"),
            (request(SnippetFormat::Yaml, Some("a/../b")), "sub-path"),
        ];
        for (bad, field) in cases {
            match render(&bad) {
                Err(Error::InvalidInput { field: named, .. }) => assert_eq!(named, field),
                other => panic!("expected invalid {field}, got {other:?}"),
            }
        }
    }

    // Found by fuzz/fuzz_targets/validators.rs; inputs: fuzz/regressions/validators/
    // yaml-line-separator (quoted scalar) and yaml-line-separator-comment (per-pod comment).
    // YAML 1.1 parsers (libyaml, PyYAML, serde_yaml_ng) take U+2028 and U+2029 as line breaks,
    // and JSON escapes leave them raw: inside the double-quoted scalar the spaces around them
    // are folded away (the path read back differs), and inside the per-pod comment they end
    // the comment, so the rest of the line becomes YAML and the snippet does not parse. Both
    // pass `validate::mount_path` and `validate::sub_path`.
    #[test]
    fn yaml_round_trips_line_and_paragraph_separators() {
        for mount_path in [
            "/data \u{2028} x",
            "/a\u{2029} b",
            "/mnt/models----:-4\u{2028}--:-",
        ] {
            for per_pod in [false, true] {
                let mut mount = request(SnippetFormat::Yaml, Some("runs/202\u{2028} 6"));
                mount.mount_path = mount_path.into();
                mount.per_pod_directories = per_pod;
                let text = render(&mount).unwrap().text;
                let parsed: Value = serde_yaml_ng::from_str(&text).unwrap_or_else(|error| {
                    panic!("{mount_path:?}, per-pod {per_pod}: {error}\n{text}")
                });
                assert_eq!(parsed.as_object().map(|map| map.len()), Some(1), "{text}");
                assert_eq!(parsed["mounts"][0]["mount_path"], mount_path, "{text}");
                assert_eq!(
                    parsed["mounts"][0]["sub_path"], "runs/202\u{2028} 6",
                    "{text}"
                );
            }
        }
    }

    // Found by fuzz/fuzz_targets/validators.rs; input: fuzz/regressions/validators/yaml-noncharacter.
    // The YAML snippet quotes with JSON escapes, which leave U+FFFE and U+FFFF raw; YAML forbids
    // them raw, so the snippet does not parse ("control characters are not allowed"), in the
    // quoted scalar and in the per-pod comment alike. Both pass `validate::mount_path` and
    // `validate::sub_path`.
    #[test]
    fn yaml_round_trips_noncharacters() {
        for mount_path in ["/mn\u{FFFE}t/models", "/data\u{FFFF}"] {
            for per_pod in [false, true] {
                let mut mount = request(SnippetFormat::Yaml, Some("runs/2026\u{FFFF}"));
                mount.mount_path = mount_path.into();
                mount.per_pod_directories = per_pod;
                let text = render(&mount).unwrap().text;
                let parsed: Value = serde_yaml_ng::from_str(&text).unwrap_or_else(|error| {
                    panic!("{mount_path:?}, per-pod {per_pod}: {error}\n{text}")
                });
                assert_eq!(parsed.as_object().map(|map| map.len()), Some(1), "{text}");
                assert_eq!(parsed["mounts"][0]["mount_path"], mount_path, "{text}");
                assert_eq!(
                    parsed["mounts"][0]["sub_path"], "runs/2026\u{FFFF}",
                    "{text}"
                );
            }
        }
    }
}
