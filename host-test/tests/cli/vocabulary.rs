//! The words the component's texts use for the command line (the core's vocabulary table)
//! are commands and flags this CLI really has: a fix that says "run `tfy-volumes get`" or
//! "pass `--replace-failed`" never sends a user looking for something that does not exist.

use std::collections::BTreeSet;

use truefoundry_volumes::vocabulary::{Surface, TERMS};

use crate::cli;

/// Every subcommand's `--help`, concatenated, and the subcommands that answered it.
fn helps(commands: &BTreeSet<&str>) -> String {
    let mut all = String::new();
    for command in commands {
        let output = cli(&[command, "--help"]).output().expect("the CLI runs");
        assert_eq!(
            output.status.code(),
            Some(0),
            "`tfy-volumes {command} --help`"
        );
        all.push_str(&String::from_utf8_lossy(&output.stdout));
    }
    all
}

#[test]
fn every_command_and_flag_the_texts_name_exists() {
    let words: Vec<&str> = TERMS
        .iter()
        .filter_map(|term| term.word(Surface::Cli))
        .collect();
    let commands: BTreeSet<&str> = words
        .iter()
        .filter_map(|word| word.strip_prefix("tfy-volumes "))
        .collect();
    assert!(commands.len() >= 10, "{commands:?}");
    let mut with_flags = commands.clone();
    with_flags.extend(["create", "expand", "mount-snippet", "wait"]);
    let help = helps(&with_flags);
    for word in words.iter().filter(|word| word.starts_with("--")) {
        assert!(
            help.contains(&format!("{word} ")) || help.contains(&format!("{word}\n")),
            "no command takes `{word}`"
        );
    }
}
