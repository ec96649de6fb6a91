//! Domain types of the component, mirroring the WIT records; no generated types here.

use alloc::string::String;
use alloc::vec::Vec;

/// How the storage behind a volume is provisioned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(
    feature = "json",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "kebab-case")
)]
pub enum VolumeKind {
    /// New storage from a storage class.
    Dynamic,
    /// An existing Kubernetes PersistentVolume.
    Static,
}

/// Settings of the optional Volume Browser.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(
    feature = "json",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "kebab-case", deny_unknown_fields)
)]
pub struct BrowserSettings {
    /// Login name; `None` means `admin`.
    pub username: Option<String>,
    /// `tfy-secret://<tenant>:<group>:<key>` of the password secret.
    pub password_secret_fqn: Option<String>,
    /// Host the browser is served on.
    pub host: String,
    /// Path it is served under; `None` means `/<volume-name>/`.
    pub path: Option<String>,
}

/// How long to follow a deployment; `None` fields take the official CLI's defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(
    feature = "json",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "kebab-case", deny_unknown_fields)
)]
pub struct WaitOptions {
    /// Seconds between checks (default 5).
    pub interval_seconds: Option<u32>,
    /// Seconds before giving up (default 600).
    pub timeout_seconds: Option<u32>,
}

/// Everything needed to create a volume.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "json",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "kebab-case", deny_unknown_fields)
)]
pub struct CreateRequest {
    /// `<cluster>:<workspace>`.
    pub workspace_fqn: String,
    /// Volume name.
    pub name: String,
    /// Dynamic or static.
    pub kind: VolumeKind,
    /// Dynamic only: size in Gi.
    pub size_gi: Option<u32>,
    /// Dynamic only: storage class.
    pub storage_class: Option<String>,
    /// Static only: the PersistentVolume to wrap.
    pub persistent_volume_name: Option<String>,
    /// Optional Volume Browser.
    pub browser: Option<BrowserSettings>,
    /// Wait for the deployment to settle before returning.
    pub wait: Option<WaitOptions>,
    /// When a volume of this name exists, never ran and its latest deployment failed, submit
    /// this manifest to it (repairing it) instead of refusing with `already-exists`.
    /// Absent means false.
    #[cfg_attr(feature = "json", serde(default))]
    pub replace_failed: bool,
}

/// A request to grow a dynamic volume.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "json",
    derive(serde::Deserialize),
    serde(rename_all = "kebab-case", deny_unknown_fields)
)]
pub struct ExpandRequest {
    /// Id or FQN of the volume.
    pub volume: String,
    /// New size in Gi.
    pub new_size_gi: u32,
    /// The version the caller read; `None` for whatever is current.
    pub expected_version: Option<u32>,
    /// Wait for the expanded volume to run.
    pub wait: Option<WaitOptions>,
}

/// Coarse state of a deployment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(
    feature = "json",
    derive(serde::Serialize),
    serde(rename_all = "kebab-case")
)]
pub enum StatusPhase {
    /// In progress.
    Deploying,
    /// `DEPLOY_SUCCESS`.
    Running,
    /// `DEPLOY_FAILED`, `BUILD_FAILED`, `FAILED`.
    Failed,
    /// `PAUSED`.
    Paused,
    /// `CANCELLED`.
    Cancelled,
    /// No deployment, or a status this version does not know.
    Unknown,
}

/// Status of a volume's latest deployment.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "json",
    derive(serde::Serialize),
    serde(rename_all = "kebab-case")
)]
pub struct VolumeStatus {
    /// Coarse state.
    pub phase: StatusPhase,
    /// Raw API status, for example `DEPLOY_SUCCESS`.
    pub api_status: String,
    /// `RUNNING` for `DEPLOY_SUCCESS`, else the raw status (or `UNKNOWN`).
    pub display: String,
    /// Whether the status is final.
    pub terminal: bool,
    /// The control plane's explanation, if any.
    pub message: Option<String>,
}

/// Where a volume is in its life: deletion is asynchronous on TrueFoundry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(
    feature = "json",
    derive(serde::Serialize),
    serde(rename_all = "kebab-case")
)]
pub enum Lifecycle {
    /// In use (or usable).
    Active,
    /// Deletion started and is under way.
    Deleting,
    /// Deletion was attempted and failed; the volume is as it was.
    DeletionFailed,
}

/// A volume as the control plane reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "json",
    derive(serde::Serialize),
    serde(rename_all = "kebab-case")
)]
pub struct Volume {
    /// Application id.
    pub id: String,
    /// Name.
    pub name: String,
    /// `<cluster>:<workspace>:<name>`.
    pub fqn: String,
    /// `tfy-volume://<fqn>`.
    pub mount_reference: String,
    /// `<cluster>:<workspace>`.
    pub workspace_fqn: String,
    /// Dynamic or static.
    pub kind: VolumeKind,
    /// Dynamic: size in Gi.
    pub size_gi: Option<u32>,
    /// Dynamic: storage class.
    pub storage_class: Option<String>,
    /// Static: PersistentVolume name.
    pub persistent_volume_name: Option<String>,
    /// Latest deployment status.
    pub status: VolumeStatus,
    /// Latest deployment version.
    pub version: Option<u32>,
    /// Creation time, ISO-8601.
    pub created_at: Option<String>,
    /// `https://{host}{path}` of the Volume Browser.
    pub browser_url: Option<String>,
    /// Volume Browser login name.
    pub browser_username: Option<String>,
    /// Active, being deleted, or a failed deletion.
    pub lifecycle: Lifecycle,
}

/// What the control plane says about a cluster's storage, as sent: the advisors derive the
/// usual storage classes and the Volume Browser hosts from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterFacts {
    /// Cluster id.
    pub cluster_id: String,
    /// `manifest.cluster_type` (`aws-eks`, `gcp-gke-standard`, `azure-aks`, ...), empty when
    /// missing.
    pub cluster_type: String,
    /// `manifest.workbench_config.default_storage_class`, when set.
    pub default_storage_class: Option<String>,
    /// `manifest.base_domains`, wildcards included.
    pub base_domains: Vec<String>,
}

/// The confirmation a user reads before `create`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "json",
    derive(serde::Serialize),
    serde(rename_all = "kebab-case")
)]
pub struct CreatePlan {
    /// Human-readable summary.
    pub summary: String,
    /// The manifest `create` will submit, as pretty JSON.
    pub manifest_json: String,
    /// Non-blocking warnings.
    pub warnings: Vec<String>,
    /// Whether the control plane was consulted (`preflight`).
    pub checked_online: bool,
    /// Storage classes the cluster offers, default first (`preflight` only).
    pub storage_classes: Vec<String>,
    /// Hosts usable for the Volume Browser (`preflight` only).
    pub browser_hosts: Vec<String>,
}

/// Formats of `mount-snippet`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(
    feature = "json",
    derive(serde::Deserialize),
    serde(rename_all = "kebab-case")
)]
pub enum SnippetFormat {
    /// `truefoundry.deploy.VolumeMount` in Python.
    PythonSdk,
    /// One JSON `mounts` entry.
    JsonMount,
    /// JSON Service manifest fragment.
    ServiceManifest,
    /// JSON Job manifest fragment.
    JobManifest,
    /// YAML `mounts:` block.
    Yaml,
}

/// What to mount where.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "json",
    derive(serde::Deserialize),
    serde(rename_all = "kebab-case", deny_unknown_fields)
)]
pub struct MountRequest {
    /// Volume FQN, with or without `tfy-volume://`.
    pub volume_fqn: String,
    /// Absolute mount path.
    pub mount_path: String,
    /// Optional directory inside the volume.
    pub sub_path: Option<String>,
    /// Output format.
    pub format: SnippetFormat,
    /// Several pods will write: tell each to use its own directory.
    /// Absent means false.
    #[cfg_attr(feature = "json", serde(default))]
    pub per_pod_directories: bool,
}

/// Configuration text and the advice that could not go into it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "json",
    derive(serde::Serialize),
    serde(rename_all = "kebab-case")
)]
pub struct Snippet {
    /// The text.
    pub text: String,
    /// Advice for the reader.
    pub warnings: Vec<String>,
}
