//! Seed data: what the emulator knows when it starts (tenant, API keys, clusters, workspaces, volumes).

use serde::{Deserialize, Serialize};
use serde_json::json;

/// Everything the emulator starts with. Loadable from JSON (field names as below, snake_case);
/// every field has a default, so a partial JSON seed works.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct Seed {
    /// Tenant name reported in `tenantName` fields. Default `demo`.
    pub tenant_name: String,
    /// API keys the emulator accepts as `Authorization: Bearer <token>`.
    pub api_keys: Vec<SeedKey>,
    /// Clusters served by `GET /api/svc/v1/clusters`.
    pub clusters: Vec<SeedCluster>,
    /// Workspaces served by `GET /api/svc/v1/workspaces`.
    pub workspaces: Vec<SeedWorkspace>,
    /// Volumes that exist at start (each becomes an application with one deployment).
    pub volumes: Vec<SeedVolume>,
    /// How many reads (`GET /apps/{id}` or a list page containing the app) a new deployment
    /// answers as `INITIALIZED` before it turns terminal. `0` = terminal at once. Default 1.
    /// Ignored when [`Seed::ready_after_ms`] is set.
    pub reads_until_ready: u32,
    /// When set, deployments progress by wall-clock time instead of by reads: a new deployment
    /// turns terminal this many milliseconds after it was created, whoever looks. With a state
    /// file ([`crate::Emulator::start_with_state`]) that includes time spent while no emulator
    /// ran, as a real control plane keeps deploying while its clients are away. Default unset.
    pub ready_after_ms: Option<u64>,
}

impl Default for Seed {
    fn default() -> Seed {
        Seed {
            tenant_name: "demo".to_string(),
            api_keys: Vec::new(),
            clusters: Vec::new(),
            workspaces: Vec::new(),
            volumes: Vec::new(),
            reads_until_ready: 1,
            ready_after_ms: None,
        }
    }
}

/// One accepted API key and what it may do.
#[derive(Clone, Serialize, Deserialize)]
pub struct SeedKey {
    /// The bearer token. Never logged: `Debug` redacts it.
    pub token: String,
    /// What requests with this token may do.
    pub access: Access,
}

impl std::fmt::Debug for SeedKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SeedKey")
            .field("token", &"<redacted>")
            .field("access", &self.access)
            .finish()
    }
}

/// The permission level of an API key. In JSON: `"admin"`, `"read_only"` or
/// `{"workspaces": ["cluster:ws", ...]}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Access {
    /// Everything.
    Admin,
    /// GET requests only; any other method is refused with 403.
    ReadOnly,
    /// Full access to these workspace FQNs only; other workspaces are invisible in listings
    /// and refused with 403 when addressed directly.
    Workspaces(Vec<String>),
}

/// A cluster as the emulator serves it.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct SeedCluster {
    /// Cluster id, also its FQN and its name (the part of a workspace FQN before `:`).
    pub id: String,
    /// `aws-eks`, `gcp-gke-standard`, `azure-aks`, `generic` or `civo-talos`. Default `generic`.
    pub cluster_type: String,
    /// Base domains, e.g. `*.ml.example.com`.
    pub base_domains: Vec<String>,
    /// Served as `manifest.workbench_config.default_storage_class` when set.
    pub default_storage_class: Option<String>,
    /// Storage classes that exist in the cluster. A dynamic volume naming another class ends
    /// `DEPLOY_FAILED`; an empty list accepts any class.
    pub storage_classes: Vec<String>,
    /// Kubernetes PersistentVolumes that exist. A static volume naming another ends `DEPLOY_FAILED`.
    pub persistent_volumes: Vec<String>,
}

impl Default for SeedCluster {
    fn default() -> SeedCluster {
        SeedCluster {
            id: String::new(),
            cluster_type: "generic".to_string(),
            base_domains: Vec::new(),
            default_storage_class: None,
            storage_classes: Vec::new(),
            persistent_volumes: Vec::new(),
        }
    }
}

/// A workspace as the emulator serves it.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SeedWorkspace {
    /// `<cluster-id>:<workspace-name>`.
    pub fqn: String,
    /// Internal id (the `workspaceId` of requests). Empty = `ws-<workspace-name>`.
    pub id: String,
}

/// A volume that exists when the emulator starts.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SeedVolume {
    /// FQN of a seeded workspace.
    pub workspace_fqn: String,
    /// The volume manifest (`docs/truefoundry-api.md` §7); it must pass the same validation as
    /// `PUT /apps`.
    pub manifest: serde_json::Value,
    /// Status of its one deployment. `None` = `DEPLOY_SUCCESS`. A non-terminal value such as
    /// `INITIALIZED` progresses like a fresh deployment.
    pub status: Option<String>,
    /// Names of the applications (services, jobs…) whose manifests mount this volume. The
    /// emulator serves volumes only, so this is how a test says the volume is in use:
    /// `DELETE` is then accepted but the deletion fails (`lifecycleStage: deletion_failed`),
    /// as Kubernetes keeps a claim that a pod still uses.
    pub mounted_by: Vec<String>,
}

impl Seed {
    /// A small, ready-to-use world: tenant `demo`, admin key `demo-api-key`, cluster
    /// `demo-cluster` (aws-eks) with workspace `demo-cluster:demo-ws` (id `ws-demo`) holding
    /// the volumes `training-data`, `model-cache` (dynamic) and `shared-datasets` (static).
    pub fn demo() -> Seed {
        let ws = "demo-cluster:demo-ws";
        Seed {
            tenant_name: "demo".to_string(),
            api_keys: vec![SeedKey {
                token: "demo-api-key".to_string(),
                access: Access::Admin,
            }],
            clusters: vec![SeedCluster {
                id: "demo-cluster".to_string(),
                cluster_type: "aws-eks".to_string(),
                base_domains: vec!["*.demo.example.com".to_string()],
                default_storage_class: Some("efs-sc".to_string()),
                storage_classes: vec!["efs-sc".to_string(), "gp3".to_string()],
                persistent_volumes: vec!["shared-datasets-pv".to_string()],
            }],
            workspaces: vec![SeedWorkspace {
                fqn: ws.to_string(),
                id: "ws-demo".to_string(),
            }],
            volumes: vec![
                SeedVolume {
                    workspace_fqn: ws.to_string(),
                    manifest: json!({
                        "type": "volume",
                        "name": "training-data",
                        "config": {"type": "dynamic", "storage_class": "efs-sc", "size": 100},
                        "volume_browser": {
                            "username": "admin",
                            "password_secret_fqn": "tfy-secret://demo:volume-secrets:browser-password",
                            "endpoint": {"host": "volumes.demo.example.com", "path": "/training-data/"},
                            "service_account": "default"
                        }
                    }),
                    status: None,
                    mounted_by: Vec::new(),
                },
                SeedVolume {
                    workspace_fqn: ws.to_string(),
                    manifest: json!({
                        "type": "volume",
                        "name": "model-cache",
                        "config": {"type": "dynamic", "storage_class": "efs-sc", "size": 200}
                    }),
                    status: None,
                    mounted_by: Vec::new(),
                },
                SeedVolume {
                    workspace_fqn: ws.to_string(),
                    manifest: json!({
                        "type": "volume",
                        "name": "shared-datasets",
                        "config": {"type": "static", "persistent_volume_name": "shared-datasets-pv"}
                    }),
                    status: None,
                    mounted_by: Vec::new(),
                },
            ],
            reads_until_ready: 1,
            ready_after_ms: None,
        }
    }

    /// No clusters, workspaces or volumes; one admin key with this token.
    pub fn empty_with_key(token: &str) -> Seed {
        Seed {
            api_keys: vec![SeedKey {
                token: token.to_string(),
                access: Access::Admin,
            }],
            ..Seed::default()
        }
    }
}
