//! The commands that call no export: write an embedded build, print a completion script,
//! serve the emulator or the gateway build in the foreground, or reset the embedded
//! emulator's state.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::Path;

use clap::CommandFactory;
use serde_json::json;
use tfy_volumes_host::components::World;
use tfy_volumes_host::serve::{Gateway, GatewayServer, GATEWAY_BYTES};
use tfy_volumes_host::terminal::Text;
use tfy_volumes_host::Limits;
use truefoundry_emulator::{reset_state, Emulator, Seed};

use crate::args::{Cli, EmulatorAction, EmulatorArgs};
use crate::failure::Failure;
use crate::target::{self, Embedding, DEMO_API_KEY, DEMO_WORKSPACE};
use crate::{cache, output, Context};

/// `tfy-volumes component`: writes the embedded build of `world` to `file`.
pub fn write_component(cx: &Context, world: World, file: &Path) -> Result<(), Failure> {
    std::fs::write(file, world.bytes())
        .map_err(|error| Failure::Host(format!("cannot write {}: {error}", file.display())))?;
    let value = json!({"world": world.name(), "bytes": world.bytes().len(),
                       "file": file.display().to_string()});
    output::emit(cx.format, value, || {
        Text::from(format!(
            "wrote the {} component ({} bytes) to {}",
            world.name(),
            world.bytes().len(),
            file.display()
        ))
    });
    Ok(())
}

/// `tfy-volumes completions <shell>`: the script on stdout.
pub fn completions(shell: clap_complete::Shell) {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "tfy-volumes", &mut script);
    output::generated(&script);
}

/// `tfy-volumes emulator …`.
pub fn emulator(cx: &Context, args: &EmulatorArgs) -> Result<(), Failure> {
    match args.action {
        Some(EmulatorAction::Reset) => reset(cx),
        None => serve(cx, args),
    }
}

/// `emulator reset`: empties the state file, once no command uses it.
fn reset(cx: &Context) -> Result<(), Failure> {
    let state_file = target::state_file(cx.state_flag.as_deref())?;
    let _lock = target::lock(&state_file)?;
    reset_state(&state_file).map_err(|error| {
        Failure::configuration(
            target::STATE_VARIABLE,
            format!("points at a file that cannot be reset: {error}"),
            "Fix the file's permissions, or choose another with --state-file or \
             TFY_VOLUMES_STATE.",
        )
    })?;
    let shown = state_file.display().to_string();
    output::emit(cx.format, json!({"reset": shown}), || {
        Text::from(format!(
            "The embedded emulator starts again from the demo workspace (state file {shown})."
        ))
    });
    Ok(())
}

/// `emulator`: serves in the foreground until killed; in memory unless a state file is
/// chosen explicitly (then locked, so no command uses it meanwhile).
fn serve(cx: &Context, args: &EmulatorArgs) -> Result<(), Failure> {
    let seed = match &args.seed {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|error| {
                Failure::usage(
                    format!("cannot read the seed {}: {error}", path.display()),
                    "Pass a readable JSON seed file to --seed.",
                )
            })?;
            serde_json::from_str(&text).map_err(|error| {
                Failure::usage(
                    format!("{} is not a seed: {error}", path.display()),
                    "Pass a JSON seed (see truefoundry_emulator::Seed) to --seed.",
                )
            })?
        }
        None => Seed::demo(),
    };
    let address = SocketAddr::from((Ipv4Addr::LOCALHOST, args.port));
    let mut builder = Emulator::builder(seed).listen_on(address);
    let mut kept = None;
    if target::state_file_chosen(cx.state_flag.as_deref()) {
        let state_file = target::state_file(cx.state_flag.as_deref())?;
        let lock = target::lock(&state_file)?;
        builder = builder.state_file(&state_file);
        kept = Some((state_file, lock));
    }
    let emulator = builder.start().map_err(|error| match error {
        truefoundry_emulator::StartError::Listen { .. } => Failure::usage(
            error.to_string(),
            "Choose another --port (0 picks a free one).",
        ),
        other => Failure::Host(format!("the emulator could not start: {other}")),
    })?;
    let state = kept.as_ref().map(|(path, _)| path.display().to_string());
    // The demo seed's key is public; a custom seed's keys are the caller's own.
    let api_key = args.seed.is_none().then_some(DEMO_API_KEY);
    let value = json!({"base-url": emulator.base_url(), "api-key": api_key,
                       "state-file": state});
    output::emit(cx.format, value, || {
        let mut text = Text::from(format!(
            "TrueFoundry emulator listening on {}",
            emulator.base_url()
        ));
        text.line(format!("  export TFY_BASE_URL={}", emulator.base_url()))
            .line(format!(
                "  export TFY_API_KEY=<a key from the seed; the demo seed's is {DEMO_API_KEY}>"
            ));
        match &state {
            Some(path) => text.line(format!("State kept in {path}.")),
            None => text.line("State kept in memory."),
        };
        text.line("Press Ctrl-C to stop.");
        text
    });
    emulator.wait();
    Ok(())
}

/// `tfy-volumes gateway`: serves the gateway build for `TFY_BASE_URL`'s control plane, or an
/// in-memory emulator's (the state file stays free for other commands), until killed.
pub fn gateway(cx: &Context, port: u16) -> Result<(), Failure> {
    let target = target::connect(cx.state_flag.as_deref(), Embedding::InMemory)?;
    let limits = Limits {
        call_timeout: cx.call_timeout,
        ..Limits::default()
    };
    let gateway = Gateway::compile(GATEWAY_BYTES, &target.grant.base_url, limits, cache::open())?;
    let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let server = GatewayServer::start(gateway, address, 2).map_err(|error| {
        Failure::usage(
            format!("cannot listen on {address}: {error}"),
            "Choose another --port (0 picks a free one).",
        )
    })?;
    let value = json!({"base-url": server.base_url(), "control-plane": target.grant.base_url});
    output::emit(cx.format, value, || {
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
        text
    });
    server.wait();
    Ok(())
}
