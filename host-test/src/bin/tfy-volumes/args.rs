//! Command-line arguments, and their translation into the component's request records.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use tfy_volumes_host::bindings::{
    BrowserSettings, CacheVolumeRequest, CreateRequest, ExpandRequest, ManifestFormat,
    MountRequest, Precision, PvProvider, SizingRequest, SnippetFormat, StaticVolumeRequest,
    StorageNeeds, UseCase, VolumeKind, WaitOptions,
};
use tfy_volumes_host::components::World;

#[derive(Parser)]
#[command(
    name = "tfy-volumes",
    version,
    about = "Manage TrueFoundry volumes through the truefoundry-volumes WebAssembly component.",
    long_about = "Manage TrueFoundry volumes through the truefoundry-volumes WebAssembly \
                  component, run sandboxed in wasmtime.\n\nWith TFY_BASE_URL (or TFY_HOST / \
                  TFY_API_HOST) and TFY_API_KEY set, calls go to that control plane; otherwise \
                  an embedded TrueFoundry emulator is started, seeded with the demo workspace \
                  demo-cluster:demo-ws."
)]
pub struct Cli {
    /// Print results (and errors) as JSON instead of text.
    #[arg(long, global = true)]
    pub json: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Walk through the exports: plan, create, list, get, snippets, advice, a refusal.
    /// Against a real control plane it only reads unless --create.
    Demo {
        /// Workspace FQN (<cluster>:<workspace>); required with a real control plane.
        #[arg(long, short)]
        workspace: Option<String>,
        /// Also create a 1 Gi volume `demo-scratch` on a real control plane.
        #[arg(long)]
        create: bool,
    },
    /// Check a create request and print the confirmation summary (no network).
    Plan(CreateArgs),
    /// Like plan, and check it against the control plane (read-only).
    Preflight(CreateArgs),
    /// Create a volume (refuses when the name is taken).
    Create {
        #[command(flatten)]
        volume: CreateArgs,
        #[command(flatten)]
        wait: WaitArgs,
    },
    /// List every volume of a workspace.
    List {
        /// Workspace FQN, <cluster>:<workspace>.
        #[arg(long, short)]
        workspace: String,
    },
    /// Show one volume, by id or FQN.
    Get {
        /// Volume id, or FQN <cluster>:<workspace>:<name> (tfy-volume:// optional).
        volume: String,
    },
    /// Show the status of a volume's latest deployment.
    Status {
        /// Volume id or FQN.
        volume: String,
    },
    /// Follow a volume's deployment until it runs or fails, showing progress.
    Wait {
        /// Volume id or FQN.
        volume: String,
        #[command(flatten)]
        options: WaitTiming,
    },
    /// Grow a dynamic volume (volumes never shrink).
    Expand {
        /// Volume id or FQN.
        volume: String,
        /// New size in Gi.
        #[arg(long)]
        size_gi: u32,
        /// Only expand if the volume is still at this version.
        #[arg(long)]
        expected_version: Option<u32>,
        #[command(flatten)]
        wait: WaitArgs,
    },
    /// Show the storage classes and Volume Browser hosts of a workspace's cluster.
    StorageClasses {
        /// Workspace FQN, <cluster>:<workspace>.
        #[arg(long, short)]
        workspace: String,
    },
    /// Print the text that mounts a volume into a Service, Job or notebook (no network).
    MountSnippet(MountArgs),
    /// Recommend a volume size for a use case (no network).
    RecommendSize(SizeArgs),
    /// Recommend a volume or blob storage (no network).
    RecommendStorage(StorageArgs),
    /// Print the PersistentVolume, manifest and steps to wrap existing storage (no network).
    StaticVolume(StaticArgs),
    /// Print the LLM deployment's cache volume block (no network).
    CacheVolume(CacheArgs),
    /// Write one of the component builds this binary carries to a file, for other hosts
    /// (the wasmtime CLI, jco, Wassette, an MCP gateway).
    Component {
        /// Which build: the `volumes` interface, or top-level tools (all, or read-only).
        #[arg(long, value_enum, default_value_t = WorldArg::FullAccess)]
        world: WorldArg,
        /// The file to write (replaced if it exists).
        #[arg(long, short)]
        output: PathBuf,
    },
    /// Run the TrueFoundry emulator in the foreground, for other hosts to use.
    Emulator {
        /// Port on 127.0.0.1 (0 picks a free one).
        #[arg(long, default_value_t = 0)]
        port: u16,
        /// JSON seed file (default: the demo workspace).
        #[arg(long)]
        seed: Option<PathBuf>,
    },
    /// Serve the gateway build (the volume API over HTTP) in the foreground, a fresh
    /// sandboxed instance per request; callers send `Authorization: Bearer <key>`.
    Gateway {
        /// Port on 127.0.0.1 (0 picks a free one).
        #[arg(long, default_value_t = 8080)]
        port: u16,
    },
}

#[derive(Args)]
pub struct CreateArgs {
    /// Workspace FQN, <cluster>:<workspace>.
    #[arg(long, short)]
    pub workspace: String,
    /// Volume name (3-32 lowercase letters, digits, hyphens).
    #[arg(long)]
    pub name: String,
    /// Size in Gi, for a dynamic volume.
    #[arg(long)]
    pub size_gi: Option<u32>,
    /// Storage class, for a dynamic volume.
    #[arg(long)]
    pub storage_class: Option<String>,
    /// Existing PersistentVolume, for a static volume.
    #[arg(long, conflicts_with_all = ["size_gi", "storage_class"])]
    pub persistent_volume: Option<String>,
    /// Serve a Volume Browser on this host.
    #[arg(long)]
    pub browser_host: Option<String>,
    /// Volume Browser path (default /<name>/).
    #[arg(long, requires = "browser_host")]
    pub browser_path: Option<String>,
    /// Volume Browser username (default admin).
    #[arg(long, requires = "browser_host")]
    pub browser_username: Option<String>,
    /// tfy-secret://... holding the Volume Browser password.
    #[arg(long, requires = "browser_host")]
    pub browser_password_secret: Option<String>,
    /// When a volume of this name exists, never ran and its last deployment failed, replace
    /// it with this request instead of refusing.
    #[arg(long)]
    pub replace_failed: bool,
}

impl CreateArgs {
    /// The create request these arguments describe (without waiting).
    pub fn request(&self) -> CreateRequest {
        let kind = if self.persistent_volume.is_some() {
            VolumeKind::Static
        } else {
            VolumeKind::Dynamic
        };
        CreateRequest {
            workspace_fqn: self.workspace.clone(),
            name: self.name.clone(),
            kind,
            size_gi: self.size_gi,
            storage_class: self.storage_class.clone(),
            persistent_volume_name: self.persistent_volume.clone(),
            browser: self.browser_host.as_ref().map(|host| BrowserSettings {
                username: self.browser_username.clone(),
                password_secret_fqn: self.browser_password_secret.clone(),
                host: host.clone(),
                path: self.browser_path.clone(),
            }),
            wait: None,
            replace_failed: self.replace_failed,
        }
    }
}

/// `--interval` and `--timeout`.
#[derive(Args, Clone, Copy)]
pub struct WaitTiming {
    /// Seconds between status checks.
    #[arg(long, default_value_t = 5)]
    pub interval: u32,
    /// Seconds before giving up.
    #[arg(long, default_value_t = 600)]
    pub timeout: u32,
}

impl WaitTiming {
    /// The component's wait options.
    pub fn options(self) -> WaitOptions {
        WaitOptions {
            interval_seconds: Some(self.interval),
            timeout_seconds: Some(self.timeout),
        }
    }
}

/// `--wait` with its timing.
#[derive(Args)]
pub struct WaitArgs {
    /// Follow the deployment until the volume runs (or fails), showing progress.
    #[arg(long = "wait")]
    pub enabled: bool,
    #[command(flatten)]
    pub timing: WaitTiming,
}

impl Command {
    /// The expand request of an `expand` command.
    pub fn expand_request(
        volume: &str,
        size_gi: u32,
        expected_version: Option<u32>,
    ) -> ExpandRequest {
        ExpandRequest {
            volume: volume.to_string(),
            new_size_gi: size_gi,
            expected_version,
            wait: None,
        }
    }
}

/// The embedded component builds, by world.
#[derive(Clone, Copy, ValueEnum)]
pub enum WorldArg {
    /// One `volumes` interface with every function.
    FullAccess,
    /// Every function as a top-level export, for agent runtimes.
    Tools,
    /// The tools that cannot change anything.
    ReadOnlyTools,
}

impl From<WorldArg> for World {
    fn from(world: WorldArg) -> World {
        match world {
            WorldArg::FullAccess => World::FullAccess,
            WorldArg::Tools => World::Tools,
            WorldArg::ReadOnlyTools => World::ReadOnlyTools,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    PythonSdk,
    JsonMount,
    ServiceManifest,
    JobManifest,
    Yaml,
}

impl From<Format> for SnippetFormat {
    fn from(format: Format) -> Self {
        match format {
            Format::PythonSdk => SnippetFormat::PythonSdk,
            Format::JsonMount => SnippetFormat::JsonMount,
            Format::ServiceManifest => SnippetFormat::ServiceManifest,
            Format::JobManifest => SnippetFormat::JobManifest,
            Format::Yaml => SnippetFormat::Yaml,
        }
    }
}

#[derive(Args)]
pub struct MountArgs {
    /// Volume FQN, <cluster>:<workspace>:<name> (tfy-volume:// optional).
    pub volume: String,
    /// Absolute path in the container, e.g. /data.
    #[arg(long)]
    pub mount_path: String,
    /// Directory inside the volume to mount instead of its root.
    #[arg(long)]
    pub sub_path: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::PythonSdk)]
    pub format: Format,
    /// Several pods write: give each its own directory.
    #[arg(long)]
    pub per_pod: bool,
}

impl MountArgs {
    /// The component's request.
    pub fn request(&self) -> MountRequest {
        MountRequest {
            volume_fqn: self.volume.clone(),
            mount_path: self.mount_path.clone(),
            sub_path: self.sub_path.clone(),
            format: self.format.into(),
            per_pod_directories: self.per_pod,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub enum UseCaseArg {
    ModelCache,
    TrainingDataset,
    Checkpoints,
    General,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum PrecisionArg {
    Fp32,
    Fp16,
    Bf16,
    Int8,
    Int4,
}

#[derive(Args)]
pub struct SizeArgs {
    /// What the volume will hold.
    #[arg(long, value_enum)]
    pub use_case: UseCaseArg,
    /// Model cache: parameters in billions.
    #[arg(long)]
    pub parameters_billions: Option<f64>,
    /// Model cache: weight precision (default fp16).
    #[arg(long, value_enum)]
    pub precision: Option<PrecisionArg>,
    /// Dataset or general: data size in Gi.
    #[arg(long)]
    pub data_gi: Option<f64>,
    /// Checkpoints: size of one checkpoint in Gi.
    #[arg(long)]
    pub model_gi: Option<f64>,
    /// Checkpoints: how many are kept (default 3).
    #[arg(long)]
    pub kept_checkpoints: Option<u32>,
}

impl SizeArgs {
    /// The component's request.
    pub fn request(&self) -> SizingRequest {
        SizingRequest {
            use_case: match self.use_case {
                UseCaseArg::ModelCache => UseCase::ModelCache,
                UseCaseArg::TrainingDataset => UseCase::TrainingDataset,
                UseCaseArg::Checkpoints => UseCase::Checkpoints,
                UseCaseArg::General => UseCase::General,
            },
            parameters_billions: self.parameters_billions,
            precision: self.precision.map(|precision| match precision {
                PrecisionArg::Fp32 => Precision::Fp32,
                PrecisionArg::Fp16 => Precision::Fp16,
                PrecisionArg::Bf16 => Precision::Bf16,
                PrecisionArg::Int8 => Precision::Int8,
                PrecisionArg::Int4 => Precision::Int4,
            }),
            data_gi: self.data_gi,
            model_gi: self.model_gi,
            kept_checkpoints: self.kept_checkpoints,
        }
    }
}

#[derive(Args)]
pub struct StorageArgs {
    /// Expected data size in Gi.
    #[arg(long)]
    pub data_gi: Option<f64>,
    /// Data must be reachable across regions.
    #[arg(long)]
    pub cross_region: bool,
    /// Several pods access the same data at once.
    #[arg(long)]
    pub concurrent_pods: bool,
    /// The code needs file-system behaviour (renames, locks, listing).
    #[arg(long)]
    pub file_system: bool,
    /// Reads must be fast and frequent.
    #[arg(long)]
    pub low_latency: bool,
    /// Written once, read rarely.
    #[arg(long)]
    pub write_once: bool,
    /// Cost matters most.
    #[arg(long)]
    pub cost_first: bool,
}

impl StorageArgs {
    /// The component's input.
    pub fn needs(&self) -> StorageNeeds {
        StorageNeeds {
            data_gi: self.data_gi,
            cross_region_access: self.cross_region,
            concurrent_pod_access: self.concurrent_pods,
            file_system_semantics: self.file_system,
            low_latency_reads: self.low_latency,
            write_once_read_rarely: self.write_once,
            cost_first: self.cost_first,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ProviderArg {
    AwsEfs,
    AwsS3,
    GcpGcs,
    AzureFiles,
    AzureBlob,
}

#[derive(Args)]
pub struct StaticArgs {
    /// Where the storage lives.
    #[arg(long, value_enum)]
    pub provider: ProviderArg,
    /// Workspace FQN that will own the TrueFoundry volume.
    #[arg(long, short)]
    pub workspace: String,
    /// TrueFoundry volume name.
    #[arg(long)]
    pub name: String,
    /// PersistentVolume name (default <name>-pv).
    #[arg(long)]
    pub persistent_volume: Option<String>,
    /// Declared capacity in Gi (default 100).
    #[arg(long)]
    pub capacity_gi: Option<u32>,
    /// AWS EFS file system id (fs-...).
    #[arg(long)]
    pub file_system_id: Option<String>,
    /// AWS EFS access point id (fsap-...).
    #[arg(long)]
    pub access_point_id: Option<String>,
    /// S3 or GCS bucket.
    #[arg(long)]
    pub bucket: Option<String>,
    /// S3 bucket region.
    #[arg(long)]
    pub region: Option<String>,
    /// GCS: Kubernetes service account.
    #[arg(long)]
    pub service_account: Option<String>,
    /// Azure storage account.
    #[arg(long)]
    pub storage_account: Option<String>,
    /// Azure file share or blob container.
    #[arg(long)]
    pub share_or_container: Option<String>,
    /// Azure resource group.
    #[arg(long)]
    pub resource_group: Option<String>,
}

impl StaticArgs {
    /// The component's request.
    pub fn request(&self) -> StaticVolumeRequest {
        StaticVolumeRequest {
            provider: match self.provider {
                ProviderArg::AwsEfs => PvProvider::AwsEfs,
                ProviderArg::AwsS3 => PvProvider::AwsS3,
                ProviderArg::GcpGcs => PvProvider::GcpGcs,
                ProviderArg::AzureFiles => PvProvider::AzureFiles,
                ProviderArg::AzureBlob => PvProvider::AzureBlob,
            },
            workspace_fqn: self.workspace.clone(),
            volume_name: self.name.clone(),
            persistent_volume_name: self.persistent_volume.clone(),
            capacity_gi: self.capacity_gi,
            file_system_id: self.file_system_id.clone(),
            access_point_id: self.access_point_id.clone(),
            bucket: self.bucket.clone(),
            region: self.region.clone(),
            service_account: self.service_account.clone(),
            storage_account: self.storage_account.clone(),
            share_or_container: self.share_or_container.clone(),
            resource_group: self.resource_group.clone(),
        }
    }
}

#[derive(Args)]
pub struct CacheArgs {
    /// Storage class for the cache.
    #[arg(long)]
    pub storage_class: String,
    /// Cache size in GB (default 200).
    #[arg(long)]
    pub cache_size_gi: Option<u32>,
    /// The model's size in GB, to check the cache is at least twice it.
    #[arg(long)]
    pub model_gi: Option<f64>,
    /// Print YAML instead of JSON.
    #[arg(long)]
    pub yaml: bool,
}

impl CacheArgs {
    /// The component's request.
    pub fn request(&self) -> CacheVolumeRequest {
        CacheVolumeRequest {
            storage_class: self.storage_class.clone(),
            cache_size_gi: self.cache_size_gi,
            model_gi: self.model_gi,
            format: if self.yaml {
                ManifestFormat::Yaml
            } else {
                ManifestFormat::Json
            },
        }
    }
}
