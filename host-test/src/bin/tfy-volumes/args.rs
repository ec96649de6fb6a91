//! Command-line arguments, and their translation into the component's request records.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use tfy_volumes_host::bindings::{
    BrowserSettings, CacheVolumeRequest, CreateRequest, ManifestFormat, MountRequest, Precision,
    PvProvider, SizingRequest, SnippetFormat, StaticVolumeRequest, StorageNeeds, UseCase,
    VolumeKind, WaitOptions,
};
use tfy_volumes_host::components::World;

use crate::failure::EXIT_CODES_HELP;

#[derive(Parser)]
#[command(
    name = "tfy-volumes",
    version,
    about = "Manage TrueFoundry volumes through the truefoundry-volumes WebAssembly component.",
    long_about = "Manage TrueFoundry volumes through the truefoundry-volumes WebAssembly \
                  component, run sandboxed in wasmtime.\n\n\
                  With TFY_BASE_URL (or TFY_HOST / TFY_API_HOST) and TFY_API_KEY set, calls go \
                  to that control plane. With neither set, they go to an embedded TrueFoundry \
                  emulator (workspace demo-cluster:demo-ws) that keeps its state in a file in \
                  your data directory, so one command carries on from the last. Anything else \
                  (one without the other, an unusable value) is a configuration error. Every \
                  command says on stderr where it points.",
    after_long_help = EXIT_CODES_HELP
)]
pub struct Cli {
    /// Output format: `text` for people; `json` or `yaml` for programs, errors included.
    #[arg(long, short = 'o', global = true, value_enum, default_value_t = OutputFormat::Text)]
    pub output: OutputFormat,
    /// Same as `-o json`.
    #[arg(long, global = true, hide = true)]
    pub json: bool,
    /// The embedded emulator's state file [env: TFY_VOLUMES_STATE; default:
    /// <data dir>/tfy-volumes/emulator-state.json]. `tfy-volumes emulator reset` empties it.
    #[arg(long, global = true, value_name = "FILE")]
    pub state_file: Option<PathBuf>,
    /// The host's deadline for one call into the component, in seconds, on top of any
    /// waiting the call was asked to do (exit code 10 when it passes).
    #[arg(long, global = true, value_name = "SECONDS", default_value_t = 300,
          value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub call_timeout: u64,
    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    /// The output format asked for (`--json` counts as `-o json`).
    pub fn format(&self) -> OutputFormat {
        if self.json {
            OutputFormat::Json
        } else {
            self.output
        }
    }
}

/// How results (and failures) are printed.
#[derive(Clone, Copy, PartialEq, Eq, Debug, ValueEnum)]
pub enum OutputFormat {
    /// Tables and details for people; errors on stderr.
    Text,
    /// One JSON document on stdout, the result or `{"error": ...}`.
    Json,
    /// One YAML document on stdout, the result or `error: ...`.
    Yaml,
}

impl OutputFormat {
    /// The format a command line asks for, read without parsing it, for reporting argument
    /// errors in that format: the last `-o`/`--output` value, or `--json`.
    pub fn requested(args: &[std::ffi::OsString]) -> OutputFormat {
        let mut format = OutputFormat::Text;
        let mut json = false;
        let mut args = args.iter().skip(1).map(|arg| arg.to_string_lossy());
        while let Some(arg) = args.next() {
            let value = match arg.as_ref() {
                "--" => break,
                "--json" => {
                    json = true;
                    continue;
                }
                "-o" | "--output" => args.next().map(|value| value.into_owned()),
                other => other
                    .strip_prefix("--output=")
                    .or_else(|| other.strip_prefix("-o"))
                    .map(|value| value.trim_start_matches('=').to_string()),
            };
            match value.as_deref() {
                Some("json") => format = OutputFormat::Json,
                Some("yaml") => format = OutputFormat::Yaml,
                Some("text") => format = OutputFormat::Text,
                _ => {}
            }
        }
        if json {
            OutputFormat::Json
        } else {
            format
        }
    }
}

/// A workspace FQN, from `-w` or `TFY_WORKSPACE`.
#[derive(Args)]
pub struct WorkspaceArg {
    /// Workspace FQN, <cluster>:<workspace>.
    #[arg(long, short, env = "TFY_WORKSPACE")]
    pub workspace: String,
}

/// `--yes`.
#[derive(Args, Clone, Copy)]
pub struct ConfirmArgs {
    /// Do not ask for confirmation. On a terminal, create, interview, expand, apply and
    /// delete show what they will do and ask first; off a terminal they do not ask, except
    /// delete, which then refuses without --yes.
    #[arg(long, short = 'y')]
    pub yes: bool,
}

#[derive(Subcommand)]
pub enum Command {
    /// Walk through the exports: plan, create, list, get, snippets, advice, a refusal. On
    /// the embedded emulator it uses a fresh world of its own (the state file is left
    /// alone); against a real control plane it only reads unless --create.
    Demo {
        /// Workspace FQN (<cluster>:<workspace>); required with a real control plane.
        #[arg(long, short, env = "TFY_WORKSPACE")]
        workspace: Option<String>,
        /// Also create a 1 Gi volume `demo-scratch` on a real control plane.
        #[arg(long)]
        create: bool,
    },
    /// Check a create request and print the confirmation summary (no network).
    Plan(CreateArgs),
    /// Like plan, and check it against the control plane (read-only).
    Preflight(CreateArgs),
    /// Plan a volume question by question, then create it. Each question goes to stderr
    /// with its choices and default; each answer is a line of stdin (Enter takes the
    /// default). The workspace, the name and the cluster's storage classes are checked as
    /// they are answered.
    Interview {
        /// An answer given up front, FIELD=VALUE (repeatable): workspace, kind, name,
        /// replace-failed, size-gi, storage-class, persistent-volume, browser, browser-host,
        /// browser-path, browser-username, browser-password-secret, wait.
        #[arg(long = "answer", short = 'a', value_name = "FIELD=VALUE")]
        answers: Vec<String>,
        /// Stop at the plan: print it and the answers that make it; create nothing.
        #[arg(long)]
        plan_only: bool,
        #[command(flatten)]
        confirm: ConfirmArgs,
    },
    /// Create a volume (refuses when the name is taken).
    Create {
        #[command(flatten)]
        volume: CreateArgs,
        #[command(flatten)]
        wait: WaitArgs,
        #[command(flatten)]
        confirm: ConfirmArgs,
    },
    /// List every volume of a workspace.
    List {
        #[command(flatten)]
        workspace: WorkspaceArg,
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
        /// Only expand if the volume is still at this version (default: the version read
        /// just before expanding).
        #[arg(long)]
        expected_version: Option<u32>,
        #[command(flatten)]
        wait: WaitArgs,
        #[command(flatten)]
        confirm: ConfirmArgs,
    },
    /// Delete a volume. On a terminal it asks you to type the volume's name; otherwise it
    /// needs --yes. Waits until the control plane has deleted it.
    Delete {
        /// Volume id or FQN.
        volume: String,
        #[command(flatten)]
        confirm: ConfirmArgs,
    },
    /// Create or expand a volume from a TrueFoundry volume manifest (the YAML `tfy apply`
    /// takes): shows what would change, never replaces a volume; only a larger size is
    /// applied to an existing volume.
    Apply(ApplyArgs),
    /// Show the storage classes and Volume Browser hosts of a workspace's cluster.
    StorageClasses {
        #[command(flatten)]
        workspace: WorkspaceArg,
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
        #[arg(long, short = 'f', visible_alias = "out")]
        output_file: PathBuf,
    },
    /// Run the TrueFoundry emulator in the foreground for other hosts (`emulator`), or
    /// forget what the embedded one remembers (`emulator reset`).
    Emulator(EmulatorArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Serve the gateway build (the volume API over HTTP) in the foreground, a fresh
    /// sandboxed instance per request; callers send `Authorization: Bearer <key>`.
    Gateway {
        /// Port on 127.0.0.1 (0 picks a free one).
        #[arg(long, default_value_t = 8080)]
        port: u16,
    },
}

/// `emulator [--port N] [--seed FILE]`, or `emulator reset`.
#[derive(Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct EmulatorArgs {
    #[command(subcommand)]
    pub action: Option<EmulatorAction>,
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// JSON seed file (default: the demo workspace). The world lives in memory unless
    /// --state-file (or TFY_VOLUMES_STATE) names a file.
    #[arg(long)]
    pub seed: Option<PathBuf>,
}

/// What `emulator` does besides serving.
#[derive(Subcommand)]
pub enum EmulatorAction {
    /// Forget everything the embedded emulator remembers: the next command starts again
    /// from the demo workspace.
    Reset,
}

/// `apply -f volume.yaml`.
#[derive(Args)]
pub struct ApplyArgs {
    /// The volume manifest (YAML or JSON; `-` reads stdin).
    #[arg(long, short = 'f')]
    pub file: PathBuf,
    /// Workspace FQN when the manifest has no `workspace_fqn`.
    #[arg(long, short, env = "TFY_WORKSPACE")]
    pub workspace: Option<String>,
    /// Only show what would change.
    #[arg(long)]
    pub dry_run: bool,
    /// When the volume exists, never ran and its last deployment failed, replace it with
    /// the manifest instead of refusing.
    #[arg(long)]
    pub replace_failed: bool,
    #[command(flatten)]
    pub wait: WaitArgs,
    #[command(flatten)]
    pub confirm: ConfirmArgs,
}

#[derive(Args)]
pub struct CreateArgs {
    /// Workspace FQN, <cluster>:<workspace>.
    #[arg(long, short, env = "TFY_WORKSPACE")]
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
    /// Seconds between status checks [default: 5; 1 on the embedded emulator].
    #[arg(long)]
    pub interval: Option<u32>,
    /// Seconds before giving up (the deployment itself goes on).
    #[arg(long, default_value_t = 600)]
    pub timeout: u32,
}

impl WaitTiming {
    /// The component's wait options, checking every `default_interval` seconds unless
    /// `--interval` says otherwise.
    pub fn options(self, default_interval: u32) -> WaitOptions {
        WaitOptions {
            interval_seconds: Some(self.interval.unwrap_or(default_interval)),
            timeout_seconds: Some(self.timeout),
        }
    }
}

/// `--wait` with its timing.
#[derive(Args, Clone, Copy)]
pub struct WaitArgs {
    /// Follow the deployment until the volume runs (or fails), showing progress.
    #[arg(long = "wait")]
    pub enabled: bool,
    #[command(flatten)]
    pub timing: WaitTiming,
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
    /// Absolute path in the container, e.g. /data (a trailing / is dropped).
    #[arg(long)]
    pub mount_path: String,
    /// Directory inside the volume to mount instead of its root.
    #[arg(long)]
    pub sub_path: Option<String>,
    /// What to print: Python for the SDK, a JSON mount, a Service or Job manifest, or YAML.
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
            mount_path: without_trailing_slash(&self.mount_path),
            sub_path: self.sub_path.clone(),
            format: self.format.into(),
            per_pod_directories: self.per_pod,
        }
    }
}

/// `/data/` as `/data`: a person adds the slash out of habit, and the path means the same.
/// `/` stays, and nothing else is touched (`//data` is still refused by the component).
fn without_trailing_slash(path: &str) -> String {
    match path.strip_suffix('/') {
        Some(trimmed) if !trimmed.is_empty() && !trimmed.ends_with('/') => trimmed.to_string(),
        _ => path.to_string(),
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

/// The providers that take a storage account, share or container, and resource group.
const AZURE: [(&str, &str); 2] = [("provider", "azure-files"), ("provider", "azure-blob")];

#[derive(Args)]
pub struct StaticArgs {
    /// Where the storage lives.
    #[arg(long, value_enum)]
    pub provider: ProviderArg,
    /// Workspace FQN that will own the TrueFoundry volume.
    #[arg(long, short, env = "TFY_WORKSPACE")]
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
    // Each provider's required flags are declared here so clap names every missing one at
    // once; the component still checks each value.
    /// AWS EFS file system id (fs-...).
    #[arg(long, required_if_eq("provider", "aws-efs"))]
    pub file_system_id: Option<String>,
    /// AWS EFS access point id (fsap-...).
    #[arg(long, required_if_eq("provider", "aws-efs"))]
    pub access_point_id: Option<String>,
    /// S3 or GCS bucket.
    #[arg(long, required_if_eq_any([("provider", "aws-s3"), ("provider", "gcp-gcs")]))]
    pub bucket: Option<String>,
    /// S3 bucket region.
    #[arg(long, required_if_eq("provider", "aws-s3"))]
    pub region: Option<String>,
    /// GCS: Kubernetes service account.
    #[arg(long, required_if_eq("provider", "gcp-gcs"))]
    pub service_account: Option<String>,
    /// Azure storage account.
    #[arg(long, required_if_eq_any(AZURE))]
    pub storage_account: Option<String>,
    /// Azure file share or blob container.
    #[arg(long, required_if_eq_any(AZURE))]
    pub share_or_container: Option<String>,
    /// Azure resource group.
    #[arg(long, required_if_eq_any(AZURE))]
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
    /// The block's format.
    #[arg(long, value_enum, default_value_t = BlockFormat::Json)]
    pub format: BlockFormat,
    /// Same as `--format yaml`.
    #[arg(long, hide = true)]
    pub yaml: bool,
}

/// The format of a manifest block.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BlockFormat {
    /// JSON.
    Json,
    /// YAML.
    Yaml,
}

impl CacheArgs {
    /// The component's request.
    pub fn request(&self) -> CacheVolumeRequest {
        CacheVolumeRequest {
            storage_class: self.storage_class.clone(),
            cache_size_gi: self.cache_size_gi,
            model_gi: self.model_gi,
            format: if self.yaml || self.format == BlockFormat::Yaml {
                ManifestFormat::Yaml
            } else {
                ManifestFormat::Json
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_trailing_slash_is_dropped_from_a_mount_path_and_nothing_else() {
        for (given, used) in [
            ("/data/", "/data"),
            ("/data", "/data"),
            ("/a/b/", "/a/b"),
            ("/", "/"),
            ("//", "//"),
            ("/data//", "/data//"),
            ("data/", "data"),
        ] {
            assert_eq!(without_trailing_slash(given), used, "{given}");
        }
    }

    #[test]
    fn the_requested_format_is_read_from_any_spelling() {
        let cases: [(&[&str], OutputFormat); 8] = [
            (&["get", "x"], OutputFormat::Text),
            (&["get", "-o", "json"], OutputFormat::Json),
            (&["-ojson", "get"], OutputFormat::Json),
            (&["get", "--output=yaml"], OutputFormat::Yaml),
            (
                &["get", "--output", "yaml", "-o", "text"],
                OutputFormat::Text,
            ),
            (&["--json", "get", "-o", "yaml"], OutputFormat::Json),
            (&["get", "-o=yaml"], OutputFormat::Yaml),
            (&["get", "--", "-o", "json"], OutputFormat::Text),
        ];
        for (args, format) in cases {
            let args: Vec<std::ffi::OsString> = std::iter::once("tfy-volumes")
                .chain(args.iter().copied())
                .map(Into::into)
                .collect();
            assert_eq!(OutputFormat::requested(&args), format, "{args:?}");
        }
    }

    #[test]
    fn the_command_line_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
