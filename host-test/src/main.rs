//! `tfy-volumes`: every export of the truefoundry-volumes component from the command line,
//! run inside the sandboxed wasmtime host.
//!
//! With `TFY_BASE_URL` (or `TFY_HOST` / `TFY_API_HOST`) and `TFY_API_KEY` set, calls go to
//! that control plane; otherwise an embedded TrueFoundry emulator is started on loopback,
//! seeded with the demo workspace `demo-cluster:demo-ws`.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use serde_json::{json, Value};
use tfy_volumes_host::bindings::{
    BrowserSettings, CreateRequest, MountRequest, SnippetFormat, VolumeError, VolumeKind,
};
use tfy_volumes_host::emulator::{Emulator, Seed};
use tfy_volumes_host::{report, Grant, Runtime, Volumes};

/// The demo seed's API key, granted to the component when the emulator is embedded.
const DEMO_API_KEY: &str = "demo-api-key";
/// The demo seed's workspace.
const DEMO_WORKSPACE: &str = "demo-cluster:demo-ws";

#[derive(Parser)]
#[command(
    name = "tfy-volumes",
    version,
    about = "Manage TrueFoundry volumes through the truefoundry-volumes WebAssembly component."
)]
struct Cli {
    /// Print results as JSON instead of text.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Walk through every export: plan, create, list, get, mount snippets, and a refusal.
    /// Against a real control plane it only reads (list, get, snippets) unless --create.
    Demo {
        /// Workspace FQN (<cluster>:<workspace>); required with a real control plane.
        #[arg(long, short)]
        workspace: Option<String>,
        /// Also create a small volume on a real control plane.
        #[arg(long)]
        create: bool,
    },
    /// Check a create request and print the confirmation summary (no network).
    Plan(CreateArgs),
    /// Create a volume (refuses when the name is taken).
    Create(CreateArgs),
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
    /// Print the text that mounts a volume into a Service, Job or notebook (no network).
    MountSnippet {
        /// Volume FQN, <cluster>:<workspace>:<name> (tfy-volume:// optional).
        volume: String,
        /// Absolute path in the container, e.g. /data.
        #[arg(long)]
        mount_path: String,
        /// Directory inside the volume to mount instead of its root.
        #[arg(long)]
        sub_path: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::PythonSdk)]
        format: Format,
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
}

#[derive(Args)]
struct CreateArgs {
    /// Workspace FQN, <cluster>:<workspace>.
    #[arg(long, short)]
    workspace: String,
    /// Volume name (3-32 lowercase letters, digits, hyphens).
    #[arg(long)]
    name: String,
    /// Size in Gi, for a dynamic volume.
    #[arg(long)]
    size_gi: Option<u32>,
    /// Storage class, for a dynamic volume.
    #[arg(long)]
    storage_class: Option<String>,
    /// Existing PersistentVolume, for a static volume.
    #[arg(long, conflicts_with_all = ["size_gi", "storage_class"])]
    persistent_volume: Option<String>,
    /// Serve a Volume Browser on this host.
    #[arg(long)]
    browser_host: Option<String>,
    /// Volume Browser path (default /<name>/).
    #[arg(long, requires = "browser_host")]
    browser_path: Option<String>,
    /// Volume Browser username (default admin).
    #[arg(long, requires = "browser_host")]
    browser_username: Option<String>,
    /// tfy-secret://... holding the Volume Browser password.
    #[arg(long, requires = "browser_host")]
    browser_password_secret: Option<String>,
}

impl CreateArgs {
    fn request(&self) -> CreateRequest {
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
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
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

/// Where calls go: a real control plane, or the embedded emulator (kept alive here).
struct Target {
    grant: Grant,
    _emulator: Option<Emulator>,
}

impl Target {
    fn embedded(&self) -> bool {
        self._emulator.is_some()
    }
}

fn connect() -> Result<Target, String> {
    if let Some(grant) = Grant::from_process_env() {
        return Ok(Target {
            grant,
            _emulator: None,
        });
    }
    let emulator = Emulator::start(Seed::demo())
        .map_err(|error| format!("could not start the embedded emulator: {error}"))?;
    eprintln!(
        "note: TFY_BASE_URL is not set; using the embedded TrueFoundry emulator at {} \
         (demo workspace {DEMO_WORKSPACE})",
        emulator.base_url()
    );
    Ok(Target {
        grant: Grant::new(emulator.base_url(), DEMO_API_KEY),
        _emulator: Some(emulator),
    })
}

/// How a command ended.
enum Failure {
    /// The component returned a typed error (exit 1).
    Component(VolumeError),
    /// The host, the arguments or the environment failed (exit 2).
    Host(String),
}

impl From<wasmtime::Error> for Failure {
    fn from(error: wasmtime::Error) -> Self {
        Failure::Host(format!("{error:#}"))
    }
}

/// Unwraps a component result, turning its error into a [`Failure`].
fn ok<T>(result: Result<T, VolumeError>) -> Result<T, Failure> {
    result.map_err(Failure::Component)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return ExitCode::from(2);
        }
    };
    match runtime.block_on(run(&cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Component(error)) => {
            if cli.json {
                println!("{:#}", report::error_json(&error));
            } else {
                eprint!("{}", report::error_text(&error));
            }
            ExitCode::from(1)
        }
        Err(Failure::Host(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

async fn run(cli: &Cli) -> Result<(), Failure> {
    if let Command::Emulator { port, seed } = &cli.command {
        return serve_emulator(*port, seed.as_deref());
    }
    let target = connect().map_err(Failure::Host)?;
    let runtime = Runtime::new()?;
    let mut volumes = runtime.instantiate(&target.grant).await?;
    let json = cli.json;
    match &cli.command {
        Command::Plan(args) => {
            let plan = ok(volumes.plan(&args.request()).await?)?;
            emit(json, report::plan_json(&plan), || report::plan_text(&plan));
        }
        Command::Create(args) => {
            let volume = ok(volumes.create(&args.request()).await?)?;
            emit(json, report::volume_json(&volume), || {
                report::volume_details(&volume)
            });
        }
        Command::List { workspace } => {
            let list = ok(volumes.list(workspace).await?)?;
            let array = Value::Array(list.iter().map(report::volume_json).collect());
            emit(json, array, || report::volumes_table(&list));
        }
        Command::Get { volume } => {
            let volume = ok(volumes.get(volume).await?)?;
            emit(json, report::volume_json(&volume), || {
                report::volume_details(&volume)
            });
        }
        Command::MountSnippet {
            volume,
            mount_path,
            sub_path,
            format,
        } => {
            let request = MountRequest {
                volume_fqn: volume.clone(),
                mount_path: mount_path.clone(),
                sub_path: sub_path.clone(),
                format: (*format).into(),
            };
            let snippet = ok(volumes.mount_snippet(&request).await?)?;
            emit(json, json!({ "snippet": snippet }), || snippet.clone());
        }
        Command::Demo { workspace, create } => {
            demo(&mut volumes, &target, workspace.as_deref(), *create).await?;
        }
        Command::Emulator { .. } => unreachable!("handled above"),
    }
    let denied = volumes.denied_requests();
    if !denied.is_empty() {
        eprintln!("note: the host refused requests to {}", denied.join(", "));
    }
    Ok(())
}

/// Prints `value` as JSON, or the text `text` renders.
fn emit(json: bool, value: Value, text: impl FnOnce() -> String) {
    if json {
        println!("{value:#}");
    } else {
        print!("{}", text());
    }
}

fn serve_emulator(port: u16, seed: Option<&std::path::Path>) -> Result<(), Failure> {
    let seed = match seed {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|error| {
                Failure::Host(format!("cannot read {}: {error}", path.display()))
            })?;
            serde_json::from_str(&text).map_err(|error| {
                Failure::Host(format!("{} is not a seed: {error}", path.display()))
            })?
        }
        None => Seed::demo(),
    };
    let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let emulator = Emulator::start_on(address, seed)
        .map_err(|error| Failure::Host(format!("cannot listen on {address}: {error}")))?;
    println!("TrueFoundry emulator listening on {}", emulator.base_url());
    println!("  export TFY_BASE_URL={}", emulator.base_url());
    println!("  export TFY_API_KEY=<a key from the seed; the demo seed's is {DEMO_API_KEY}>");
    println!("Press Ctrl-C to stop.");
    emulator.wait();
    Ok(())
}

/// A tour of every export. On the embedded emulator it creates a volume and shows the
/// refusal to create it twice; on a real control plane it only reads unless `create`.
async fn demo(
    volumes: &mut Volumes,
    target: &Target,
    workspace: Option<&str>,
    create: bool,
) -> Result<(), Failure> {
    let workspace = match (workspace, target.embedded()) {
        (Some(workspace), _) => workspace.to_string(),
        (None, true) => DEMO_WORKSPACE.to_string(),
        (None, false) => {
            return Err(Failure::Host(
                "with a real control plane, pass --workspace <cluster>:<workspace>; the demo \
                 never picks a workspace for you"
                    .into(),
            ))
        }
    };
    let writes = target.embedded() || create;
    let request = CreateRequest {
        workspace_fqn: workspace.clone(),
        name: "demo-scratch".into(),
        kind: VolumeKind::Dynamic,
        size_gi: Some(if target.embedded() { 50 } else { 1 }),
        storage_class: Some("efs-sc".into()),
        persistent_volume_name: None,
        browser: target.embedded().then(|| BrowserSettings {
            username: None,
            password_secret_fqn: Some("tfy-secret://demo:volume-browser:password".into()),
            host: "volumes.demo.example.com".into(),
            path: None,
        }),
    };

    println!("== plan: what create would do ==");
    print!("{}", report::plan_text(&ok(volumes.plan(&request).await?)?));

    if writes {
        println!("\n== create ==");
        let created = ok(volumes.create(&request).await?)?;
        print!("{}", report::volume_details(&created));
    }

    println!("\n== list {workspace} ==");
    let list = ok(volumes.list(&workspace).await?)?;
    print!("{}", report::volumes_table(&list));

    let Some(first) = list.first() else {
        println!("\nThe workspace has no volumes; nothing more to show.");
        return Ok(());
    };
    println!("\n== get {} ==", first.fqn);
    print!(
        "{}",
        report::volume_details(&ok(volumes.get(&first.fqn).await?)?)
    );

    for (format, title) in [
        (SnippetFormat::PythonSdk, "Python SDK (deploy.py)"),
        (SnippetFormat::Yaml, "YAML manifest"),
    ] {
        println!("\n== mount snippet: {title} ==");
        let request = MountRequest {
            volume_fqn: first.fqn.clone(),
            mount_path: "/data".into(),
            sub_path: None,
            format,
        };
        print!("{}", ok(volumes.mount_snippet(&request).await?)?);
    }

    if writes {
        println!("\n== create the same volume again: refused, never replaced ==");
        match volumes.create(&request).await? {
            Err(error) => print!("{}", report::error_text(&error)),
            Ok(volume) => {
                return Err(Failure::Host(format!(
                    "the second create unexpectedly succeeded ({})",
                    volume.fqn
                )))
            }
        }
    }
    Ok(())
}
