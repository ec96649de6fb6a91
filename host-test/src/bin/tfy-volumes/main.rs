//! `tfy-volumes`: every export of the truefoundry-volumes component from the command line,
//! run inside the sandboxed wasmtime host.
//!
//! With `TFY_BASE_URL` (or `TFY_HOST` / `TFY_API_HOST`) and `TFY_API_KEY` set, calls go to
//! that control plane; with neither, to an embedded TrueFoundry emulator that keeps its
//! state in a file, so commands carry on from each other (see `target`). Every command that
//! talks to a control plane says on stderr where it points.
//!
//! The binary carries its components (see [`tfy_volumes_host::components`]) and caches their
//! compiled code in the user's cache directory (see `cache`), so it runs from anywhere.
//! Everything printed goes through `output`: text through [`Text`], which shows control
//! characters from a server escaped, JSON and YAML through [`tfy_volumes_host::terminal`].
//! Failures exit with a code per class (see `failure`), rendered in the output format asked
//! for — argument errors included.
//!
//! [`Text`]: tfy_volumes_host::terminal::Text

#![deny(clippy::print_stdout, clippy::print_stderr)]

mod apply;
mod args;
mod cache;
mod commands;
mod confirm;
mod demo;
mod failure;
mod interview;
mod local;
mod offline;
mod output;
mod progress;
mod target;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::error::ErrorKind;
use clap::Parser;
use tfy_volumes_host::components::World;
use tfy_volumes_host::terminal::Text;
use tfy_volumes_host::{Limits, Runtime};

use args::{Cli, Command, OutputFormat};
use failure::{Failure, EXIT_USAGE};

/// What every command needs to know about how it was invoked.
pub struct Context {
    /// How to print results and failures.
    pub format: OutputFormat,
    /// `--state-file`, when given.
    pub state_flag: Option<PathBuf>,
    /// How to invoke this CLI again with the same state file, for the commands it suggests.
    pub program: String,
    /// The host's deadline for one call.
    pub call_timeout: Duration,
}

impl Context {
    fn new(cli: &Cli) -> Context {
        let program = match &cli.state_file {
            Some(path) => format!("tfy-volumes --state-file {}", path.display()),
            None => "tfy-volumes".to_string(),
        };
        Context {
            format: cli.format(),
            state_flag: cli.state_file.clone(),
            program,
            call_timeout: Duration::from_secs(cli.call_timeout),
        }
    }

    /// Compiles the component this binary carries, cached in the user's cache directory.
    pub fn compile(&self) -> Result<Runtime, Failure> {
        let limits = Limits {
            call_timeout: self.call_timeout,
            ..Limits::default()
        };
        Ok(Runtime::compile(
            World::FullAccess.bytes(),
            limits,
            cache::open(),
        )?)
    }
}

fn main() -> ExitCode {
    let raw: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let cli = match Cli::try_parse_from(&raw) {
        Ok(cli) => cli,
        Err(error) => return argument_error(&error, OutputFormat::requested(&raw)),
    };
    let cx = Context::new(&cli);
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            return fail(
                cx.format,
                Failure::Host(format!("cannot start the async runtime: {error}")),
            )
        }
    };
    match runtime.block_on(run(&cx, &cli.command)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => fail(cx.format, failure),
    }
}

/// Reports `failure` in `format` (text on stderr, a document on stdout) and exits with its
/// class's code.
fn fail(format: OutputFormat, failure: Failure) -> ExitCode {
    match format {
        OutputFormat::Text => output::warn(failure.text()),
        machine => output::document(machine, &failure.json()),
    }
    ExitCode::from(failure.exit_code())
}

/// `--help` and `--version` print and succeed; anything else clap refuses is a usage error,
/// in the format the command line asked for.
fn argument_error(error: &clap::Error, format: OutputFormat) -> ExitCode {
    let rendered = error.render().to_string();
    let mut text = Text::new();
    text.block(&rendered);
    if matches!(
        error.kind(),
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion
    ) {
        output::say(text);
        return ExitCode::SUCCESS;
    }
    if format == OutputFormat::Text {
        output::warn(text);
        return ExitCode::from(EXIT_USAGE);
    }
    // clap's first paragraph without its `error: `, on one line, then its usage line as
    // the hint.
    let message = rendered
        .lines()
        .take_while(|line| !line.trim().is_empty())
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" ")
        .trim_start_matches("error: ")
        .to_string();
    let usage = rendered
        .lines()
        .find_map(|line| line.strip_prefix("Usage: "))
        .map(|usage| format!("Usage: {usage}. "))
        .unwrap_or_default();
    fail(
        format,
        Failure::usage(
            message,
            format!("{usage}Run `tfy-volumes --help` for more."),
        ),
    )
}

async fn run(cx: &Context, command: &Command) -> Result<(), Failure> {
    match command {
        command if offline::is_offline(command) => offline::run(cx, command).await,
        Command::Emulator(args) => local::emulator(cx, args),
        Command::Gateway { port } => local::gateway(cx, *port),
        Command::Component { world, output_file } => {
            local::write_component(cx, World::from(*world), output_file)
        }
        Command::Completions { shell } => {
            local::completions(*shell);
            Ok(())
        }
        command => commands::run(cx, command).await,
    }
}
