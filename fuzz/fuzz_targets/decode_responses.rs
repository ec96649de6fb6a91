//! Every `api` decoder on any response body: no panic; a failure is only `UndecodableResponse` carrying the response's status, or the documented `NotFound`; a decoded volume keeps the decoders' promises.
//!
//! Decoders: `decode_workspace`, `decode_volume_page`, `decode_named_application`,
//! `decode_found_volume`, `decode_application`, `decode_deployment`, `decode_deployed` and
//! `decode_cluster` (with the storage derived from it), each with fixed valid FQNs and ids.
//!
//! Input: byte 0 picks the HTTP status (bits 0–2) and the mode (bit 7). Mode 0: the rest is
//! the body, byte for byte (the seeds are the API fixtures, mutated with `dict/json.dict`).
//! Mode 1: the rest drives a generator of API-shaped JSON (applications, deployments,
//! manifests, configs, statuses, pages, workspaces, clusters) whose every field may be
//! missing, `null`, a plausible value, or any JSON at all, so the deep paths of
//! `volume_from_parts` are reached quickly.
#![no_main]

use arbitrary::{Result as ArbResult, Unstructured};
use libfuzzer_sys::fuzz_target;
use truefoundry_volumes::api;
use truefoundry_volumes::api::http::HttpResponse;
use truefoundry_volumes::error::{Error, ResourceKind};
use truefoundry_volumes::input::fqn::{VolumeFqn, WorkspaceFqn, VOLUME_SCHEME};
use truefoundry_volumes::input::validate;
use truefoundry_volumes::model::{StatusPhase, Volume, VolumeKind};
use truefoundry_volumes::offline::storage_class::ClusterStorage;

/// Statuses the decoders may see; only 2xx reach them in the client, the rest check that the
/// status is carried through untouched.
const STATUSES: [u16; 8] = [200, 201, 202, 204, 299, 0, 500, u16::MAX];

const WORKSPACE: &str = "c1:ws1";
const VOLUME: &str = "c1:ws1:training-data";
const NAME: &str = "training-data";
const ID: &str = "app-1";
const CLUSTER: &str = "c1";

fuzz_target!(|data: &[u8]| {
    let Some((&head, rest)) = data.split_first() else {
        return;
    };
    let status = STATUSES[usize::from(head & 0x07)];
    let body = if head & 0x80 == 0 {
        rest.to_vec()
    } else {
        let mut u = Unstructured::new(rest);
        let mut out = String::new();
        // Running out of bytes mid-way leaves a truncated document: also worth decoding.
        let _ = envelope(&mut u, &mut out);
        out.into_bytes()
    };
    check_all(&HttpResponse {
        status,
        body,
        ..HttpResponse::default()
    });
});

fn check_all(response: &HttpResponse) {
    let status = response.status;
    let workspace = WorkspaceFqn::parse("workspace-fqn", WORKSPACE).expect("fixed workspace");
    let volume = VolumeFqn::parse("volume", VOLUME).expect("fixed volume");

    match api::decode::decode_workspace(response, &workspace) {
        Ok(found) => {
            assert!(!found.id.is_empty(), "an empty workspace id was accepted");
            assert!(!found.cluster_id.is_empty(), "an empty cluster id was kept");
        }
        Err(error) => expect_error(&error, status, Some((ResourceKind::Workspace, WORKSPACE))),
    }

    match api::decode::decode_volume_page(response, &workspace) {
        Ok(page) => {
            assert!(
                page.volumes.len() as u64 <= page.received,
                "{} volumes from {} items",
                page.volumes.len(),
                page.received
            );
            for found in &page.volumes {
                check_volume(found);
                assert_eq!(found.workspace_fqn, WORKSPACE, "a foreign volume was kept");
            }
        }
        Err(error) => expect_error(&error, status, None),
    }

    match api::decode::decode_named_application(response, &workspace, NAME) {
        Ok(_) => {}
        Err(error) => expect_error(&error, status, None),
    }

    match api::decode::decode_found_volume(response, &volume) {
        Ok(found) => {
            check_volume(&found);
            assert_eq!(
                found.fqn, VOLUME,
                "found another volume than the one asked for"
            );
        }
        Err(error) => expect_error(&error, status, Some((ResourceKind::Volume, VOLUME))),
    }

    match api::decode::decode_application(response, ID) {
        Ok(found) => {
            check_volume(&found);
            check_size(response, &found);
        }
        Err(Error::NotFound {
            kind: ResourceKind::Volume,
            name,
        }) => assert!(name.starts_with(ID), "not-found names {name:?}"),
        Err(error) => expect_error(&error, status, None),
    }

    match api::decode::decode_deployment(response) {
        Ok(found) => check_volume(&found),
        Err(error) => expect_error(&error, status, None),
    }

    match api::decode::decode_deployed(response, ID) {
        Ok(deployed) => {
            check_volume(&deployed.volume);
            assert!(
                deployed.manifest.is_object(),
                "the kept manifest is not an object"
            );
            if let Some(id) = &deployed.workspace_id {
                assert!(!id.is_empty(), "an empty workspace id was kept");
            }
        }
        Err(Error::NotFound {
            kind: ResourceKind::Volume,
            name,
        }) => assert!(name.starts_with(ID), "not-found names {name:?}"),
        Err(error) => expect_error(&error, status, None),
    }

    match api::decode::decode_cluster(response, CLUSTER).map(ClusterStorage::from_facts) {
        Ok(storage) => {
            // Hosts: valid, distinct.
            for (index, host) in storage.browser_hosts.iter().enumerate() {
                assert!(
                    validate::endpoint_host("host", host).is_ok(),
                    "browser host {host:?} does not pass endpoint_host"
                );
                assert!(
                    !storage.browser_hosts[..index].contains(host),
                    "duplicate browser host {host:?}"
                );
            }
            // Classes: the declared default first, and flagged as the default.
            let names = storage.class_names();
            for (index, name) in names.iter().enumerate() {
                assert!(!names[..index].contains(name), "duplicate class {name:?}");
            }
            if let Some(default) = &storage.default_storage_class {
                assert!(!default.is_empty(), "an empty default class was kept");
                assert_eq!(names.first(), Some(default), "the default is not first");
                assert!(storage.storage_classes[0].is_default);
                assert!(storage.offers(default));
            }
            for class in &storage.storage_classes {
                if class.is_default {
                    assert_eq!(
                        storage.default_storage_class.as_ref(),
                        Some(&class.name),
                        "{:?} flagged as default",
                        class.name
                    );
                }
            }
        }
        Err(error) => expect_error(&error, status, None),
    }
}

/// A decoder failure is `UndecodableResponse` with the response's status, or (where the
/// decoder documents it) `NotFound` for exactly what was looked up.
fn expect_error(error: &Error, status: u16, not_found: Option<(ResourceKind, &str)>) {
    match (error, not_found) {
        (
            Error::UndecodableResponse {
                status: carried,
                detail,
            },
            _,
        ) => {
            assert_eq!(*carried, status, "status not carried");
            assert!(!detail.is_empty(), "undecodable without a reason");
        }
        (Error::NotFound { kind, name }, Some((expected_kind, expected_name))) => {
            assert_eq!((*kind, name.as_str()), (expected_kind, expected_name));
        }
        (other, _) => panic!("unexpected error case from a decoder: {other:?}"),
    }
    assert!(!error.to_string().is_empty());
    assert!(!error.fix().is_empty());
}

/// A decoded size is the number the server sent (`100`, `100.0`, `1e2`), not a rounding of it.
fn check_size(response: &HttpResponse, volume: &Volume) {
    let Ok(body) = serde_json::from_slice::<serde_json::Value>(&response.body) else {
        return;
    };
    let sent = body
        .pointer("/data/deployment/manifest/config/size")
        .and_then(serde_json::Value::as_f64);
    if volume.kind == VolumeKind::Dynamic {
        assert_eq!(
            volume.size_gi.map(f64::from),
            sent,
            "size {:?} decoded from {:?}",
            volume.size_gi,
            body.pointer("/data/deployment/manifest/config/size")
        );
    }
}

/// What every decoded volume promises, whatever the server sent.
fn check_volume(volume: &Volume) {
    assert_eq!(
        volume.mount_reference,
        format!("{VOLUME_SCHEME}{}", volume.fqn),
        "mount reference is not the scheme plus the FQN"
    );
    assert!(!volume.id.is_empty(), "volume without an id");
    assert!(!volume.name.is_empty(), "volume without a name");
    match volume.kind {
        VolumeKind::Static => assert!(
            volume.size_gi.is_none() && volume.storage_class.is_none(),
            "a static volume with dynamic fields: {volume:?}"
        ),
        VolumeKind::Dynamic => assert!(
            volume.persistent_volume_name.is_none(),
            "a dynamic volume with a PersistentVolume: {volume:?}"
        ),
    }
    let status = &volume.status;
    assert!(!status.display.is_empty(), "empty status display");
    if status.phase == StatusPhase::Running {
        assert_eq!(status.display, "RUNNING");
    }
    if status.api_status.is_empty() {
        assert_eq!(status.display, "UNKNOWN");
        assert_eq!(status.phase, StatusPhase::Unknown);
    }
    if let Some(message) = &status.message {
        assert!(
            !message.trim().is_empty(),
            "a blank status message was kept"
        );
    }
    if let Some(url) = &volume.browser_url {
        assert!(url.starts_with("https://"), "browser URL {url:?}");
    }
}

// ---------------------------------------------------------------------------------------
// API-shaped JSON, written as text so that odd numbers, duplicate keys, bad escapes and
// truncation can all occur.

const KEYS: &[&str] = &[
    "data",
    "pagination",
    "total",
    "offset",
    "limit",
    "id",
    "fqn",
    "name",
    "type",
    "workspaceFqn",
    "workspace_fqn",
    "workspace",
    "lastVersion",
    "createdAt",
    "deployment",
    "version",
    "applicationId",
    "manifest",
    "currentStatus",
    "status",
    "state",
    "isTerminalState",
    "message",
    "config",
    "storage_class",
    "size",
    "persistent_volume_name",
    "volume_browser",
    "username",
    "endpoint",
    "host",
    "path",
    "statusCode",
    "error",
    "clusterId",
    "workspaceId",
    "cluster_type",
    "base_domains",
    "workbench_config",
    "default_storage_class",
];

const STRINGS: &[&str] = &[
    "volume",
    "service",
    "dynamic",
    "static",
    "nfs",
    "c1:ws1",
    "c1:other",
    "c1:ws1:training-data",
    "c1:ws1:training-data:1",
    "c1:ws1:training-data:x",
    "c1:ws1:shared-datasets",
    "training-data",
    "shared-datasets",
    "app-1",
    "app-7",
    "ws-123",
    "DEPLOY_SUCCESS",
    "DEPLOY_FAILED",
    "INITIALIZED",
    "BUILD_FAILED",
    "PAUSED",
    "CANCELLED",
    "",
    " ",
    ":",
    "efs-sc",
    "shared-datasets-pv",
    "c1.example.com",
    "/training-data/",
    "/",
    "admin",
    "2026-02-10T14:30:00Z",
    "c1",
    "aws-eks",
    "gcp-gke-standard",
    "azure-aks",
    "generic",
    "standard-rwx",
    "azurefile",
    "*.ml.acme.example.com",
    "apps.acme.example.com",
    "APPS.acme.example.com ",
    "*.",
    "localhost",
];

/// JSON string literals that are awkward as text (escapes, lone surrogates, control chars).
const RAW_STRINGS: &[&str] = &[
    r#""\u0000""#,
    r#""\ud800""#,
    r#""\udc00\ud800""#,
    r#""a\nb""#,
    r#""\u00e9""#,
    r#""\"""#,
    r#""\\""#,
];

const NUMBERS: &[&str] = &[
    "0",
    "1",
    "2",
    "100",
    "-1",
    "-0",
    "1.0",
    "100.0",
    "5.5",
    "-0.0",
    "0.0",
    "1e2",
    "1E-2",
    "4294967295",
    "4294967296",
    "9007199254740993",
    "18446744073709551615",
    "18446744073709551616",
    "1.8446744073709552e19",
    "1e308",
    "-1e308",
    "1e400",
    "123456789012345678901234567890",
];

type U<'a, 'b> = &'a mut Unstructured<'b>;

fn envelope(u: U, out: &mut String) -> ArbResult<()> {
    match u.int_in_range(0u8..=6)? {
        0 | 1 => page(u, out, application),
        2 => {
            out.push_str("{\"data\":");
            application(u, out)?;
            out.push('}');
            Ok(())
        }
        3 => {
            out.push_str("{\"data\":");
            deployment(u, out)?;
            out.push('}');
            Ok(())
        }
        4 => page(u, out, workspace),
        5 => {
            out.push_str("{\"data\":");
            cluster(u, out)?;
            out.push('}');
            Ok(())
        }
        _ => any(u, out, 4),
    }
}

fn page(u: U, out: &mut String, item: fn(U, &mut String) -> ArbResult<()>) -> ArbResult<()> {
    out.push('{');
    let mut first = true;
    field(u, out, &mut first, "data", |u, out| {
        out.push('[');
        let count = u.int_in_range(0u8..=4)?;
        for index in 0..count {
            if index > 0 {
                out.push(',');
            }
            item(u, out)?;
        }
        out.push(']');
        Ok(())
    })?;
    field(u, out, &mut first, "pagination", |u, out| {
        object(
            u,
            out,
            &[("total", number), ("offset", number), ("limit", number)],
        )
    })?;
    extras(u, out, &mut first)?;
    out.push('}');
    Ok(())
}

fn workspace(u: U, out: &mut String) -> ArbResult<()> {
    object(
        u,
        out,
        &[
            ("id", string),
            ("fqn", string),
            ("name", string),
            ("clusterId", string),
        ],
    )
}

fn cluster(u: U, out: &mut String) -> ArbResult<()> {
    object(
        u,
        out,
        &[
            ("id", string),
            ("manifest", |u, out| {
                object(
                    u,
                    out,
                    &[
                        ("cluster_type", string),
                        ("base_domains", |u, out| {
                            out.push('[');
                            let count = u.int_in_range(0u8..=4)?;
                            for index in 0..count {
                                if index > 0 {
                                    out.push(',');
                                }
                                string(u, out)?;
                            }
                            out.push(']');
                            Ok(())
                        }),
                        ("workbench_config", |u, out| {
                            object(u, out, &[("default_storage_class", string)])
                        }),
                    ],
                )
            }),
        ],
    )
}

fn application(u: U, out: &mut String) -> ArbResult<()> {
    object(
        u,
        out,
        &[
            ("id", string),
            ("fqn", string),
            ("name", string),
            ("type", string),
            ("workspaceFqn", string),
            ("workspaceId", string),
            ("workspace", |u, out| {
                object(u, out, &[("fqn", string), ("name", string)])
            }),
            ("lastVersion", number),
            ("createdAt", string),
            ("deployment", deployment),
        ],
    )
}

fn deployment(u: U, out: &mut String) -> ArbResult<()> {
    object(
        u,
        out,
        &[
            ("id", string),
            ("version", number),
            ("fqn", string),
            ("applicationId", string),
            ("manifest", manifest),
            ("currentStatus", current_status),
            ("createdAt", string),
        ],
    )
}

fn manifest(u: U, out: &mut String) -> ArbResult<()> {
    object(
        u,
        out,
        &[
            ("type", string),
            ("name", string),
            ("workspace_fqn", string),
            ("config", |u, out| {
                object(
                    u,
                    out,
                    &[
                        ("type", string),
                        ("storage_class", string),
                        ("size", number),
                        ("persistent_volume_name", string),
                    ],
                )
            }),
            ("volume_browser", |u, out| {
                object(
                    u,
                    out,
                    &[
                        ("username", string),
                        ("endpoint", |u, out| {
                            object(u, out, &[("host", string), ("path", string)])
                        }),
                    ],
                )
            }),
        ],
    )
}

fn current_status(u: U, out: &mut String) -> ArbResult<()> {
    object(
        u,
        out,
        &[
            ("status", string),
            ("state", |u, out| {
                object(u, out, &[("isTerminalState", boolean)])
            }),
            ("message", string),
        ],
    )
}

type Writer = fn(U, &mut String) -> ArbResult<()>;

/// An object with the given fields (each possibly left out, null, or anything) and extras.
fn object(u: U, out: &mut String, fields: &[(&str, Writer)]) -> ArbResult<()> {
    out.push('{');
    let mut first = true;
    for (key, writer) in fields {
        field(u, out, &mut first, key, writer)?;
    }
    extras(u, out, &mut first)?;
    out.push('}');
    Ok(())
}

fn field(
    u: U,
    out: &mut String,
    first: &mut bool,
    key: &str,
    writer: impl FnOnce(U, &mut String) -> ArbResult<()>,
) -> ArbResult<()> {
    let choice = u.int_in_range(0u8..=9)?;
    if choice == 0 {
        return Ok(());
    }
    separator(out, first);
    out.push_str(&serde_json::to_string(key).unwrap_or_default());
    out.push(':');
    match choice {
        1 => out.push_str("null"),
        2 => any(u, out, 2)?,
        _ => writer(u, out)?,
    }
    Ok(())
}

/// Unknown or duplicate keys with any value.
fn extras(u: U, out: &mut String, first: &mut bool) -> ArbResult<()> {
    let count = u.int_in_range(0u8..=2)?;
    for _ in 0..count {
        separator(out, first);
        key(u, out)?;
        out.push(':');
        any(u, out, 2)?;
    }
    Ok(())
}

fn separator(out: &mut String, first: &mut bool) {
    if !*first {
        out.push(',');
    }
    *first = false;
}

fn key(u: U, out: &mut String) -> ArbResult<()> {
    if u.ratio(1u8, 4u8)? {
        let text: String = u.arbitrary()?;
        out.push_str(&serde_json::to_string(&text).unwrap_or_default());
    } else {
        out.push_str(&serde_json::to_string(u.choose(KEYS)?).unwrap_or_default());
    }
    Ok(())
}

fn string(u: U, out: &mut String) -> ArbResult<()> {
    match u.int_in_range(0u8..=9)? {
        0 | 1 => {
            let text: String = u.arbitrary()?;
            out.push_str(&serde_json::to_string(&text).unwrap_or_default());
        }
        2 => out.push_str(u.choose(RAW_STRINGS)?),
        3 => {
            // A plausible value with arbitrary text after it.
            let text = format!("{}{}", u.choose(STRINGS)?, u.arbitrary::<String>()?);
            out.push_str(&serde_json::to_string(&text).unwrap_or_default());
        }
        _ => out.push_str(&serde_json::to_string(u.choose(STRINGS)?).unwrap_or_default()),
    }
    Ok(())
}

fn number(u: U, out: &mut String) -> ArbResult<()> {
    match u.int_in_range(0u8..=3)? {
        0 => out.push_str(&u.arbitrary::<i64>()?.to_string()),
        1 => {
            let value: f64 = u.arbitrary()?;
            // `{:?}` of NaN/inf is not JSON; that is fine, it is a body a server could send.
            out.push_str(&format!("{value:?}"));
        }
        _ => out.push_str(u.choose(NUMBERS)?),
    }
    Ok(())
}

fn boolean(u: U, out: &mut String) -> ArbResult<()> {
    out.push_str(if u.arbitrary()? { "true" } else { "false" });
    Ok(())
}

/// Any JSON value, nested at most `depth` deep.
fn any(u: U, out: &mut String, depth: u8) -> ArbResult<()> {
    let top = if depth == 0 { 4 } else { 6 };
    match u.int_in_range(0u8..=top)? {
        0 => out.push_str("null"),
        1 => boolean(u, out)?,
        2 => number(u, out)?,
        3 | 4 => string(u, out)?,
        5 => {
            out.push('[');
            let count = u.int_in_range(0u8..=3)?;
            for index in 0..count {
                if index > 0 {
                    out.push(',');
                }
                any(u, out, depth - 1)?;
            }
            out.push(']');
        }
        _ => {
            out.push('{');
            let mut first = true;
            let count = u.int_in_range(0u8..=3)?;
            for _ in 0..count {
                separator(out, &mut first);
                key(u, out)?;
                out.push(':');
                any(u, out, depth - 1)?;
            }
            out.push('}');
        }
    }
    Ok(())
}
