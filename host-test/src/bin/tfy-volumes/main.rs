//! `tfy-volumes`: every export of the truefoundry-volumes component from the command line,
//! run inside the sandboxed wasmtime host.
//!
//! With `TFY_BASE_URL` (or `TFY_HOST` / `TFY_API_HOST`) and `TFY_API_KEY` set, calls go to
//! that control plane; otherwise an embedded TrueFoundry emulator is started on loopback,
//! seeded with the demo workspace `demo-cluster:demo-ws`.
//!
//! The binary carries its components (see [`tfy_volumes_host::components`]) and caches their
//! compiled code in the user's cache directory (see `cache`), so it runs from anywhere. In
//! text mode everything printed goes through [`Text`], which shows control characters from a
//! server escaped; `--json` output goes through [`terminal::json`].

#![deny(clippy::print_stdout, clippy::print_stderr)]

mod args;
mod cache;
mod demo;
mod output;
mod progress;

use std::net::{Ipv4Addr, SocketAddr};
use std::process::ExitCode;

use clap::Parser;
use serde_json::Value;
use tfy_volumes_host::bindings::{Volume, VolumeError};
use tfy_volumes_host::components::World;
use tfy_volumes_host::serve::{Gateway, GatewayServer, GATEWAY_BYTES};
use tfy_volumes_host::terminal::Text;
use tfy_volumes_host::{report, Grant, Limits, Runtime, Volumes};
use truefoundry_emulator::{Emulator, Seed};

use args::{Cli, Command, WaitArgs};

/// The demo seed's API key, granted to the component when the emulator is embedded.
pub const DEMO_API_KEY: &str = "demo-api-key";
/// The demo seed's workspace.
pub const DEMO_WORKSPACE: &str = "demo-cluster:demo-ws";

/// Where calls go: a real control plane, or the embedded emulator (kept alive here).
pub struct Target {
    grant: Grant,
    _emulator: Option<Emulator>,
}

impl Target {
    /// Whether calls go to the embedded emulator.
    pub fn embedded(&self) -> bool {
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
    output::warn(format!(
        "note: TFY_BASE_URL is not set; using the embedded TrueFoundry emulator at {} \
         (demo workspace {DEMO_WORKSPACE})",
        emulator.base_url()
    ));
    Ok(Target {
        grant: Grant::new(emulator.base_url(), DEMO_API_KEY),
        _emulator: Some(emulator),
    })
}

/// How a command ended.
pub enum Failure {
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
pub fn ok<T>(result: Result<T, VolumeError>) -> Result<T, Failure> {
    result.map_err(Failure::Component)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            output::warn(format!("error: cannot start the async runtime: {error}"));
            return ExitCode::from(2);
        }
    };
    match runtime.block_on(run(&cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Component(error)) => {
            if cli.json {
                output::json(&report::error_json(&error));
            } else {
                output::warn(report::error_text(&error));
            }
            ExitCode::from(1)
        }
        Err(Failure::Host(message)) => {
            output::warn(format!("error: {message}"));
            ExitCode::from(2)
        }
    }
}

/// Compiles the component this binary carries, cached in the user's cache directory.
fn compile() -> Result<Runtime, Failure> {
    Ok(Runtime::compile(
        World::FullAccess.bytes(),
        Limits::default(),
        cache::open(),
    )?)
}

async fn run(cli: &Cli) -> Result<(), Failure> {
    let json = cli.json;
    // Commands that need no control plane run without starting one.
    if is_offline(&cli.command) {
        return run_offline(&cli.command, json).await;
    }
    if let Command::Emulator { port, seed } = &cli.command {
        return serve_emulator(*port, seed.as_deref());
    }
    if let Command::Component { world, output } = &cli.command {
        return write_component(World::from(*world), output);
    }
    if let Command::Gateway { port } = &cli.command {
        return serve_gateway(*port);
    }
    let target = connect().map_err(Failure::Host)?;
    let runtime = compile()?;
    let mut volumes = runtime.instantiate(&target.grant).await?;
    match &cli.command {
        Command::Preflight(args) => {
            let plan = ok(volumes.preflight(&args.request()).await?)?;
            emit(json, report::plan_json(&plan), || report::plan_text(&plan));
        }
        Command::Create { volume, wait } => {
            let created = ok(volumes.create(&volume.request()).await?)?;
            let shown = settled(&runtime, &target, &mut volumes, created, wait, json).await?;
            emit_volume(json, &shown);
        }
        Command::List { workspace } => {
            let list = ok(volumes.list(workspace).await?)?;
            let array = Value::Array(list.iter().map(report::volume_json).collect());
            emit(json, array, || report::volumes_table(&list));
        }
        Command::Get { volume } => {
            let volume = ok(volumes.get(volume).await?)?;
            emit_volume(json, &volume);
        }
        Command::Status { volume } => {
            let status = ok(volumes.status(volume).await?)?;
            emit(json, report::status_json(&status), || {
                Text::from(report::status_text(&status))
            });
        }
        Command::Wait { volume, options } => {
            let settled = progress::follow(
                &runtime,
                &target.grant,
                &mut volumes,
                volume,
                *options,
                json,
            )
            .await?;
            emit_volume(json, &settled);
        }
        Command::Expand {
            volume,
            size_gi,
            expected_version,
            wait,
        } => {
            let request = Command::expand_request(volume, *size_gi, *expected_version);
            let expanded = ok(volumes.expand(&request).await?)?;
            let shown = settled(&runtime, &target, &mut volumes, expanded, wait, json).await?;
            emit_volume(json, &shown);
        }
        Command::StorageClasses { workspace } => {
            let storage = ok(volumes.storage_classes(workspace).await?)?;
            emit(json, report::cluster_storage_json(&storage), || {
                report::cluster_storage_text(&storage)
            });
        }
        Command::Demo { workspace, create } => {
            demo::tour(&mut volumes, &target, workspace.as_deref(), *create).await?;
        }
        Command::Plan(_)
        | Command::MountSnippet(_)
        | Command::RecommendSize(_)
        | Command::RecommendStorage(_)
        | Command::StaticVolume(_)
        | Command::CacheVolume(_)
        | Command::Component { .. }
        | Command::Emulator { .. }
        | Command::Gateway { .. } => unreachable!("handled above"),
    }
    let denied = volumes.denied_requests();
    if !denied.is_empty() {
        output::warn(format!(
            "note: the host refused requests to {}",
            denied.join(", ")
        ));
    }
    Ok(())
}

/// Whether `command` never touches the network.
fn is_offline(command: &Command) -> bool {
    matches!(
        command,
        Command::Plan(_)
            | Command::MountSnippet(_)
            | Command::RecommendSize(_)
            | Command::RecommendStorage(_)
            | Command::StaticVolume(_)
            | Command::CacheVolume(_)
    )
}

/// Runs a command that never touches the network, in an instance granted nothing.
async fn run_offline(command: &Command, json: bool) -> Result<(), Failure> {
    let runtime = compile()?;
    // No control plane: the outbound policy allows nothing.
    let mut volumes = runtime.instantiate(&Grant::new("", "")).await?;
    match command {
        Command::Plan(args) => {
            let plan = ok(volumes.plan(&args.request()).await?)?;
            emit(json, report::plan_json(&plan), || report::plan_text(&plan));
        }
        Command::MountSnippet(args) => {
            let snippet = ok(volumes.mount_snippet(&args.request()).await?)?;
            emit(json, report::snippet_json(&snippet), || {
                report::snippet_text(&snippet)
            });
        }
        Command::RecommendSize(args) => {
            let advice = ok(volumes.recommend_size(args.request()).await?)?;
            emit(json, report::sizing_json(&advice), || {
                report::sizing_text(&advice)
            });
        }
        Command::RecommendStorage(args) => {
            let advice = ok(volumes.recommend_storage(args.needs()).await?)?;
            emit(json, report::storage_advice_json(&advice), || {
                report::storage_advice_text(&advice)
            });
        }
        Command::StaticVolume(args) => {
            let plan = ok(volumes.static_volume_recipe(&args.request()).await?)?;
            emit(json, report::static_plan_json(&plan), || {
                report::static_plan_text(&plan)
            });
        }
        Command::CacheVolume(args) => {
            let snippet = ok(volumes.cache_volume_snippet(&args.request()).await?)?;
            emit(json, report::snippet_json(&snippet), || {
                report::snippet_text(&snippet)
            });
        }
        _ => unreachable!("only offline commands come here"),
    }
    Ok(())
}

/// `volume`, or, when `wait` asks for it, the volume its deployment settles into (with
/// progress shown).
async fn settled(
    runtime: &Runtime,
    target: &Target,
    volumes: &mut Volumes,
    volume: Volume,
    wait: &WaitArgs,
    json: bool,
) -> Result<Volume, Failure> {
    if !wait.enabled {
        return Ok(volume);
    }
    progress::follow(
        runtime,
        &target.grant,
        volumes,
        &volume.id,
        wait.timing,
        json,
    )
    .await
}

/// Prints a volume as JSON or as details.
fn emit_volume(json: bool, volume: &Volume) {
    emit(json, report::volume_json(volume), || {
        report::volume_details(volume)
    });
}

/// Prints `value` as JSON, or the text `text` renders; either way, nothing in it can drive
/// the terminal.
pub fn emit(json: bool, value: Value, text: impl FnOnce() -> Text) {
    if json {
        output::json(&value);
    } else {
        output::say(text());
    }
}

/// `tfy-volumes component`: writes the embedded build of `world` to `output`.
fn write_component(world: World, file: &std::path::Path) -> Result<(), Failure> {
    std::fs::write(file, world.bytes())
        .map_err(|error| Failure::Host(format!("cannot write {}: {error}", file.display())))?;
    output::say(format!(
        "wrote the {} component ({} bytes) to {}",
        world.name(),
        world.bytes().len(),
        file.display()
    ));
    Ok(())
}

/// Serves the gateway build for `TFY_BASE_URL`'s control plane, or the embedded emulator's.
fn serve_gateway(port: u16) -> Result<(), Failure> {
    let target = connect().map_err(Failure::Host)?;
    let gateway = Gateway::compile(
        GATEWAY_BYTES,
        &target.grant.base_url,
        Limits::default(),
        cache::open(),
    )?;
    let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let server = GatewayServer::start(gateway, address, 2)
        .map_err(|error| Failure::Host(format!("cannot listen on {address}: {error}")))?;
    let mut text = Text::from(format!(
        "truefoundry-volumes gateway on {} for {}",
        server.base_url(),
        target.grant.base_url
    ));
    if target.embedded() {
        text.line(format!(
            "  try: curl -H 'Authorization: Bearer {DEMO_API_KEY}' \
             {}/workspaces/{DEMO_WORKSPACE}/volumes",
            server.base_url()
        ));
    }
    text.line(format!("  the API: {}/openapi.json", server.base_url()))
        .line("Press Ctrl-C to stop.");
    output::say(text);
    server.wait();
    Ok(())
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
    let mut text = Text::from(format!(
        "TrueFoundry emulator listening on {}",
        emulator.base_url()
    ));
    text.line(format!("  export TFY_BASE_URL={}", emulator.base_url()))
        .line(format!(
            "  export TFY_API_KEY=<a key from the seed; the demo seed's is {DEMO_API_KEY}>"
        ))
        .line("Press Ctrl-C to stop.");
    output::say(text);
    emulator.wait();
    Ok(())
}
