//! Asking before a change: on a terminal, create, interview, expand, apply and delete show
//! what they will do and wait for an answer; `--yes` skips the question. Off a terminal
//! nobody can answer, so they go ahead — except delete, which then needs `--yes`.

use std::io::{BufRead, IsTerminal};

use crate::failure::Failure;
use crate::output;

/// Whether a person can answer on stdin.
pub fn interactive() -> bool {
    std::io::stdin().is_terminal()
}

/// Whether to ask before changing anything: on a terminal, unless `--yes`.
pub fn should_ask(yes: bool) -> bool {
    !yes && interactive()
}

/// Asks `question` on stderr; `Ok` when the answer is yes, `Cancelled` otherwise (an empty
/// answer or end of input included).
pub fn yes_or_cancel(question: &str, cancelled: &str) -> Result<(), Failure> {
    output::prompt(&format!("{question} [y/N] "));
    let answer = read_line()?;
    if matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes") {
        Ok(())
    } else {
        Err(Failure::Cancelled(cancelled.to_string()))
    }
}

/// Asks for `name` to be typed; returns what was typed (the component compares it), or
/// `Cancelled` for an empty answer.
pub fn typed_name(name: &str, cancelled: &str) -> Result<String, Failure> {
    output::prompt(&format!(
        "Type the volume's name ({name}) to delete it, or press Enter to keep it: "
    ));
    let answer = read_line()?;
    let answer = answer.trim();
    if answer.is_empty() {
        return Err(Failure::Cancelled(cancelled.to_string()));
    }
    Ok(answer.to_string())
}

/// One line of stdin, or `None` at the end of input.
pub fn read_answer() -> Result<Option<String>, Failure> {
    let mut line = String::new();
    let read = std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|error| Failure::Host(format!("cannot read the answer from stdin: {error}")))?;
    Ok((read > 0).then_some(line))
}

/// One line of stdin; empty at the end of input.
fn read_line() -> Result<String, Failure> {
    Ok(read_answer()?.unwrap_or_default())
}
