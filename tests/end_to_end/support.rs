//! Shared harness: one compiled component, a seeded emulator per test, typed helpers.

use std::sync::OnceLock;
use std::time::Duration;

use serde_json::{json, Value};
use tfy_volumes_host::bindings::{CreateRequest, VolumeError, VolumeKind};
use tfy_volumes_host::{Grant, Limits, Runtime, Volumes};
use truefoundry_emulator::{
    Access, Emulator, RecordedRequest, Seed, SeedCluster, SeedKey, SeedVolume, SeedWorkspace,
};

/// The admin key of [`seed`]; unusual enough that a leak would be visible.
pub const ADMIN_KEY: &str = "sk-e2e-admin-7f3a9c";
/// A key with read-only access.
pub const READER_KEY: &str = "sk-e2e-reader-51d2";
/// The workspace tests use.
pub const WS: &str = "c1:ws1";

/// The component, compiled once for the whole test binary.
pub fn runtime() -> &'static Runtime {
    static RUNTIME: OnceLock<Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| Runtime::new().expect("the built component compiles"))
}

/// The component under short host limits, for faults that would otherwise take a minute:
/// HTTP timeouts of one second.
pub fn impatient_runtime() -> &'static Runtime {
    static RUNTIME: OnceLock<Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        let limits = Limits {
            connect_timeout: Duration::from_secs(1),
            first_byte_timeout: Duration::from_secs(1),
            between_bytes_timeout: Duration::from_secs(1),
            ..Limits::default()
        };
        Runtime::with_limits(limits).expect("the built component compiles")
    })
}

/// A cluster `c1` (aws-eks), workspaces `c1:ws1` and `c1:ws2`, two keys, no volumes.
pub fn seed() -> Seed {
    Seed {
        tenant_name: "acme".into(),
        api_keys: vec![
            SeedKey {
                token: ADMIN_KEY.into(),
                access: Access::Admin,
            },
            SeedKey {
                token: READER_KEY.into(),
                access: Access::ReadOnly,
            },
        ],
        clusters: vec![SeedCluster {
            id: "c1".into(),
            cluster_type: "aws-eks".into(),
            base_domains: vec!["*.ml.example.com".into()],
            default_storage_class: Some("efs-sc".into()),
            storage_classes: vec!["efs-sc".into(), "gp3".into()],
            persistent_volumes: vec!["datasets-pv".into()],
        }],
        workspaces: vec![
            SeedWorkspace {
                fqn: "c1:ws1".into(),
                id: "ws-1".into(),
            },
            SeedWorkspace {
                fqn: "c1:ws2".into(),
                id: "ws-2".into(),
            },
        ],
        volumes: Vec::new(),
        reads_until_ready: 1,
        ..Seed::default()
    }
}

/// A dynamic volume manifest for seeding.
pub fn dynamic_volume(workspace: &str, name: &str, size: u32) -> SeedVolume {
    SeedVolume {
        workspace_fqn: workspace.into(),
        manifest: json!({"type":"volume","name":name,
                         "config":{"type":"dynamic","storage_class":"efs-sc","size":size}}),
        ..SeedVolume::default()
    }
}

/// A running emulator and a component instance granted its URL and a key.
pub struct Harness {
    pub emulator: Emulator,
    pub volumes: Volumes,
}

impl Harness {
    /// The default seed, the admin key.
    pub async fn new() -> Harness {
        Self::with(seed(), ADMIN_KEY).await
    }

    /// `seed`, granting `key`.
    pub async fn with(seed: Seed, key: &str) -> Harness {
        Self::on(runtime(), seed, key).await
    }

    /// `seed`, granting `key`, in instances of `runtime`.
    pub async fn on(runtime: &Runtime, seed: Seed, key: &str) -> Harness {
        let emulator = Emulator::start(seed).expect("the emulator starts");
        let grant = Grant::new(emulator.base_url(), key);
        let volumes = runtime
            .instantiate(&grant)
            .await
            .expect("the component instantiates");
        Harness { emulator, volumes }
    }

    /// Everything the emulator received, as `METHOD path?query` lines.
    pub fn request_lines(&self) -> Vec<String> {
        self.emulator.requests().iter().map(line).collect()
    }

    /// The requests the emulator received.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.emulator.requests()
    }
}

/// Every test's emulator is checked on drop: the API key may appear in the `Authorization`
/// header and nowhere else the server can see (path, query, other headers, body).
impl Drop for Harness {
    fn drop(&mut self) {
        if std::thread::panicking() {
            return;
        }
        for key in [ADMIN_KEY, READER_KEY] {
            for request in self.emulator.requests() {
                assert_key_only_in_authorization(&request, key);
            }
        }
    }
}

/// Fails when `key` appears in `request` anywhere but its `Authorization` header.
pub fn assert_key_only_in_authorization(request: &RecordedRequest, key: &str) {
    let line = line(request);
    assert!(!line.contains(key), "the key leaked into {line}");
    for (name, value) in &request.headers {
        if name != "authorization" {
            assert!(!value.contains(key), "the key leaked into header {name}");
        }
    }
    assert!(
        !String::from_utf8_lossy(&request.body).contains(key),
        "the key leaked into the body of {line}"
    );
}

fn line(request: &RecordedRequest) -> String {
    let query: Vec<String> = request
        .query
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    if query.is_empty() {
        format!("{} {}", request.method, request.path)
    } else {
        format!("{} {}?{}", request.method, request.path, query.join("&"))
    }
}

/// A valid dynamic create request in [`WS`].
pub fn dynamic_request(name: &str) -> CreateRequest {
    CreateRequest {
        workspace_fqn: WS.into(),
        name: name.into(),
        kind: VolumeKind::Dynamic,
        size_gi: Some(100),
        storage_class: Some("efs-sc".into()),
        persistent_volume_name: None,
        browser: None,
        wait: None,
        replace_failed: false,
    }
}

/// The JSON body of a recorded request.
pub fn body(request: &RecordedRequest) -> Value {
    request.json_body().expect("the request has a JSON body")
}

/// Unwraps the component's `Err`, failing the test with the `Ok` value otherwise.
pub fn expect_error<T: std::fmt::Debug>(outcome: Result<T, VolumeError>) -> VolumeError {
    match outcome {
        Err(error) => error,
        Ok(value) => panic!("expected an error, got {value:?}"),
    }
}
