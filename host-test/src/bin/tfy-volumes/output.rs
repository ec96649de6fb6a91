//! The only place the CLI prints. Text goes out through [`Text`], whose lines show control
//! characters escaped; JSON through [`terminal::json`], YAML through [`terminal::yaml`]; the
//! live progress line through [`LiveLine`], which neutralises its messages the same way.
//! `main.rs` denies `print!` and `eprint!` in the whole binary (clippy's `print_stdout` /
//! `print_stderr`) and this module writes to the streams itself, so no value from a server
//! can reach the terminal another way.
//!
//! stdout carries only a command's result; notes, warnings, prompts, progress and (in text
//! mode) errors go to stderr.

use std::io::{ErrorKind, Write};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::Value;
use tfy_volumes_host::terminal::{self, neutralise, Text};

use crate::args::OutputFormat;

/// Exit status when stdout is closed early (`tfy-volumes list … | head -1`): what a shell
/// reports for a process ended by SIGPIPE, quietly, instead of a panic.
const CLOSED_STDOUT: i32 = 128 + 13;

/// Prints `text` on stdout.
pub fn say(text: impl Into<Text>) {
    to_stdout(&text.into().to_string());
}

/// Prints `value` on stdout as one document in a machine `format` (text prints JSON).
pub fn document(format: OutputFormat, value: &Value) {
    match format {
        OutputFormat::Yaml => to_stdout(&terminal::yaml(value)),
        OutputFormat::Json | OutputFormat::Text => to_stdout(&(terminal::json(value) + "\n")),
    }
}

/// Prints a result: `value` as JSON or YAML, or the text `text` renders; either way,
/// nothing in it can drive the terminal.
pub fn emit(format: OutputFormat, value: Value, text: impl FnOnce() -> Text) {
    match format {
        OutputFormat::Text => say(text()),
        machine => document(machine, &value),
    }
}

/// Prints text this binary generated itself and that holds nothing from a server or a user
/// (a shell completion script, whose tabs must stay tabs), on stdout as it is.
pub fn generated(text: &[u8]) {
    to_stdout(&String::from_utf8_lossy(text));
}

/// Prints `text` on stderr (notes, progress, errors); a closed stderr is ignored.
pub fn warn(text: impl Into<Text>) {
    let _ = std::io::stderr().write_all(text.into().to_string().as_bytes());
}

/// Prints each warning on stderr as a `warning:` line.
pub fn warnings(warnings: &[String]) {
    let text = tfy_volumes_host::report::warnings_text(warnings);
    if !text.is_empty() {
        warn(text);
    }
}

/// Writes `question` on stderr without ending the line, for an answer typed after it.
pub fn prompt(question: &str) {
    let mut stderr = std::io::stderr();
    let _ = stderr
        .write_all(neutralise(question).as_bytes())
        .and_then(|()| stderr.flush());
}

fn to_stdout(shown: &str) {
    let mut stdout = std::io::stdout().lock();
    if let Err(error) = stdout
        .write_all(shown.as_bytes())
        .and_then(|()| stdout.flush())
    {
        if error.kind() == ErrorKind::BrokenPipe {
            std::process::exit(CLOSED_STDOUT);
        }
        warn(format!("error: cannot write to stdout: {error}"));
        std::process::exit(1);
    }
}

/// A line on stderr that redraws itself on a terminal: a spinner, the elapsed time ticking,
/// and a message; lines printed through it stay above it.
pub struct LiveLine(ProgressBar);

impl LiveLine {
    /// Starts the line with `message`, redrawn ten times a second.
    pub fn start(message: &str) -> LiveLine {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        // The template is a constant; it cannot fail to parse.
        if let Ok(style) = ProgressStyle::with_template("  [{elapsed:>4}] {msg} {spinner}") {
            bar.set_style(style);
        }
        bar.set_message(neutralise(message).into_owned());
        bar.enable_steady_tick(Duration::from_millis(100));
        LiveLine(bar)
    }

    /// Changes the message.
    pub fn set(&self, message: &str) {
        self.0.set_message(neutralise(message).into_owned());
    }

    /// Prints `line` above the live line, where it stays.
    pub fn keep(&self, line: &str) {
        self.0.println(neutralise(line));
    }

    /// Removes the live line, leaving the lines kept above it.
    pub fn finish(self) {
        self.0.finish_and_clear();
    }
}
