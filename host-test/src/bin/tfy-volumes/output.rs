//! The only place the CLI prints. Text goes out through [`Text`], whose lines show control
//! characters escaped; JSON through [`terminal::json`]. `main.rs` denies `print!` and
//! `eprint!` in the whole binary (clippy's `print_stdout` / `print_stderr`) and this module
//! writes to the streams itself, so no value from a server can reach the terminal another way.

use std::io::{ErrorKind, Write};

use serde_json::Value;
use tfy_volumes_host::terminal::{self, Text};

/// Exit status when stdout is closed early (`tfy-volumes list … | head -1`): what a shell
/// reports for a process ended by SIGPIPE, quietly, instead of a panic.
const CLOSED_STDOUT: i32 = 128 + 13;

/// Prints `text` on stdout.
pub fn say(text: impl Into<Text>) {
    to_stdout(&text.into().to_string());
}

/// Prints `value` on stdout as indented JSON.
pub fn json(value: &Value) {
    to_stdout(&(terminal::json(value) + "\n"));
}

/// Prints `text` on stderr (notes, progress, errors); a closed stderr is ignored.
pub fn warn(text: impl Into<Text>) {
    let _ = std::io::stderr().write_all(text.into().to_string().as_bytes());
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
        std::process::exit(2);
    }
}
