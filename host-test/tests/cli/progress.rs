//! Waiting off a terminal: one stderr line per status change, then a final line; stdout
//! holds only the result.

use crate::{assert_exit, create_args, embedded_note, text, World};

/// The lines of `stderr` after the target note, with the elapsed seconds replaced by `N`.
fn progress_lines(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .skip(1)
        .map(|line| match line.split_once("] ") {
            Some((time, rest)) if time.trim_start().starts_with('[') => format!("  [N s] {rest}"),
            _ => line.to_string(),
        })
        .collect()
}

#[test]
fn create_wait_off_a_terminal_prints_each_change_and_a_final_line() {
    let world = World::new("progress");
    let output = world.run(&create_args("watched", "2", "efs-sc", &["--wait"]));
    assert_exit(&output, 0);
    let stderr = text(&output.stderr);
    assert!(stderr.starts_with(&embedded_note(&world.state)), "{stderr}");
    assert_eq!(
        progress_lines(&stderr),
        [
            "  [N s] demo-cluster:demo-ws:watched: DEPLOYING (INITIALIZED)",
            "  [N s] demo-cluster:demo-ws:watched: RUNNING; done waiting",
        ],
        "{stderr}"
    );
    let stdout = text(&output.stdout);
    assert!(stdout.starts_with("Volume           watched\n"), "{stdout}");
    assert!(stdout.contains("  Status         RUNNING\n"), "{stdout}");
}

#[test]
fn a_failing_deployment_ends_with_its_error_after_the_final_line() {
    let world = World::new("progress-failed");
    let output = world.run(&create_args("typo", "2", "gp9", &["--wait"]));
    assert_exit(&output, 8);
    let lines = progress_lines(&text(&output.stderr));
    assert_eq!(
        lines[0],
        "  [N s] demo-cluster:demo-ws:typo: DEPLOYING (INITIALIZED)"
    );
    let last = lines
        .iter()
        .position(|line| {
            line == "  [N s] demo-cluster:demo-ws:typo: stopped waiting (storage-class-unavailable)"
        })
        .unwrap_or_else(|| panic!("{lines:#?}"));
    assert_eq!(
        lines[last + 1],
        "error: storage-class-unavailable",
        "{lines:#?}"
    );
    assert_eq!(text(&output.stdout), "");
}
