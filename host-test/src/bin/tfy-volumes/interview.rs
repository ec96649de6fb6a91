//! `tfy-volumes interview`: the component's volume interview as a conversation on the
//! terminal. Each question goes to stderr with its choices, its default and why; each answer
//! is a line of stdin (Enter takes the default). The component checks every answer and asks
//! again with the problem when it refuses one; once nothing is missing it returns the plan,
//! which is shown, confirmed like `create`, and created with the request the plan carries.
//! Answers may also be given up front (`--answer size-gi=20`), so a script can run it with
//! no questions left.

use tfy_volumes_host::bindings::{
    InterviewAnswer, InterviewField, InterviewPlan, InterviewQuestion, InterviewStep,
};
use tfy_volumes_host::report::{self, in_cli_words};
use tfy_volumes_host::terminal::Text;
use truefoundry_volumes::vocabulary::{plan_closing, Surface};

use crate::args::ConfirmArgs;
use crate::commands::{emit_volume, unanswered, Session};
use crate::failure::{ok, Failure};
use crate::progress::{self, interruptible};
use crate::{confirm, output, Context, OutputFormat};

/// Every field, as the WIT and `--answer` spell it, in the interview's order.
pub const FIELDS: [(InterviewField, &str); 13] = [
    (InterviewField::Workspace, "workspace"),
    (InterviewField::Kind, "kind"),
    (InterviewField::Name, "name"),
    (InterviewField::ReplaceFailed, "replace-failed"),
    (InterviewField::SizeGi, "size-gi"),
    (InterviewField::StorageClass, "storage-class"),
    (InterviewField::PersistentVolume, "persistent-volume"),
    (InterviewField::Browser, "browser"),
    (InterviewField::BrowserHost, "browser-host"),
    (InterviewField::BrowserPath, "browser-path"),
    (InterviewField::BrowserUsername, "browser-username"),
    (
        InterviewField::BrowserPasswordSecret,
        "browser-password-secret",
    ),
    (InterviewField::Wait, "wait"),
];

/// Questions one interview may ask before the CLI gives up: each of the 13 fields refused
/// a few times over. The component asks about one field per call, so a person who keeps
/// answering gets there long before this; it only stops a loop.
const MAX_QUESTIONS: usize = 100;

/// The name of `field`.
pub fn field_name(field: InterviewField) -> &'static str {
    FIELDS
        .iter()
        .find(|(known, _)| *known == field)
        .map_or("?", |(_, name)| name)
}

/// `FIELD=VALUE` as an answer; a usage error naming the fields otherwise.
pub fn parse_answer(given: &str) -> Result<InterviewAnswer, Failure> {
    let names = || {
        FIELDS
            .iter()
            .map(|(_, name)| *name)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let Some((name, value)) = given.split_once('=') else {
        return Err(Failure::usage(
            format!("--answer `{given}` is not FIELD=VALUE"),
            format!("Give one setting per --answer, for example `--answer size-gi=20`; the fields are {}.", names()),
        ));
    };
    let field = FIELDS
        .iter()
        .find(|(_, known)| *known == name.trim())
        .map(|(field, _)| *field)
        .ok_or_else(|| {
            Failure::usage(
                format!("--answer names no interview field `{}`", name.trim()),
                format!("The fields are {}.", names()),
            )
        })?;
    Ok(InterviewAnswer {
        field,
        value: value.to_string(),
    })
}

/// Every `--answer`, in order; the first malformed one is a usage error.
pub fn parse_answers(given: &[String]) -> Result<Vec<InterviewAnswer>, Failure> {
    given.iter().map(|given| parse_answer(given)).collect()
}

/// Runs the interview from `given`, then shows, confirms and creates the planned volume
/// (or, with `plan_only`, prints the plan and the answers that make it).
pub async fn run(
    cx: &Context,
    session: &mut Session,
    given: &[String],
    plan_only: bool,
    confirm_args: &ConfirmArgs,
) -> Result<(), Failure> {
    let mut answers = parse_answers(given)?;
    for _ in 0..MAX_QUESTIONS {
        match ok(session.volumes.interview(&answers).await?)? {
            InterviewStep::Ask(question) => {
                let value = ask(&question)?;
                answers.push(InterviewAnswer {
                    field: question.field,
                    value,
                });
            }
            InterviewStep::Confirm(plan) => {
                return finish(cx, session, plan, plan_only, confirm_args).await
            }
        }
    }
    Err(Failure::Host(format!(
        "the interview asked {MAX_QUESTIONS} questions without reaching a plan; give the \
         settings as flags to `{} create` instead",
        cx.program
    )))
}

/// Shows `question` on stderr and reads its answer; Enter takes the default, the end of
/// input stops the interview.
fn ask(question: &InterviewQuestion) -> Result<String, Failure> {
    let mut text = Text::new();
    if let Some(problem) = &question.problem {
        text.line(format!("Not accepted: {}", in_cli_words(problem)));
    }
    text.line(in_cli_words(&question.question));
    text.line(format!("  {}", in_cli_words(&question.accepts)));
    for choice in &question.choices {
        text.line(format!(
            "  {:<14} {}",
            choice.value,
            in_cli_words(&choice.meaning)
        ));
    }
    match &question.default_answer {
        Some(default) => text.line(format!(
            "  Enter takes {default}: {}",
            in_cli_words(&question.default_reason)
        )),
        None => text.line(format!("  {}", in_cli_words(&question.default_reason))),
    };
    output::warn(text);
    output::prompt(&format!("{}> ", field_name(question.field)));
    let Some(line) = confirm::read_answer()? else {
        return Err(Failure::Cancelled(format!(
            "the input ended at the {} question; nothing was created",
            field_name(question.field)
        )));
    };
    let answer = line.trim();
    Ok(match (&question.default_answer, answer.is_empty()) {
        (Some(default), true) => default.clone(),
        _ => answer.to_string(),
    })
}

/// The plan: shown, then printed (`plan_only`) or confirmed and created.
async fn finish(
    cx: &Context,
    session: &mut Session,
    plan: InterviewPlan,
    plan_only: bool,
    confirm_args: &ConfirmArgs,
) -> Result<(), Failure> {
    // The summary's last sentence tells an agent how to create the volume; here what
    // follows is the question, or the command that creates it.
    let mut shown_plan = plan.plan.clone();
    shown_plan.summary = shown_plan
        .summary
        .replace(plan_closing(Surface::Interface), "")
        .trim_end()
        .to_string();
    if plan_only {
        let flags: Vec<String> = plan
            .answers
            .iter()
            .map(|answer| {
                format!(
                    "--answer {}={}",
                    field_name(answer.field),
                    shell_word(&answer.value)
                )
            })
            .collect();
        let again = format!("{} interview {}", cx.program, flags.join(" "));
        let mut json = report::plan_json(&shown_plan);
        json["answers"] = plan
            .answers
            .iter()
            .map(|answer| serde_json::json!({"field": field_name(answer.field), "value": answer.value}))
            .collect();
        output::emit(cx.format, json, || {
            let mut text = report::plan_text(&shown_plan);
            text.line(format!("To create it: {again} --yes"));
            text
        });
        if cx.format == OutputFormat::Text {
            output::warnings(&plan.plan.warnings);
        }
        return Ok(());
    }
    output::warn(report::plan_text(&shown_plan));
    output::warnings(&plan.plan.warnings);
    if confirm::should_ask(confirm_args.yes) {
        confirm::yes_or_cancel("Create it?", "nothing was created")?;
    }
    let mut request = plan.request;
    // The CLI follows the deployment itself, with progress, rather than inside the call.
    let wait = request.wait.take();
    let fqn = format!("{}:{}", request.workspace_fqn, request.name);
    let created = ok(interruptible(session.volumes.create(&request), || {
        unanswered(cx, &fqn, "created")
    })
    .await??)?;
    let shown = match wait {
        None => created,
        Some(mut options) => {
            options.interval_seconds = options
                .interval_seconds
                .or(Some(session.target.default_interval()));
            progress::follow(
                &session.runtime,
                &session.target.grant,
                &mut session.volumes,
                &created.fqn,
                options,
                &cx.program,
            )
            .await?
        }
    };
    emit_volume(cx, &shown);
    Ok(())
}

/// `value` as one shell word: as it is when it needs no quoting, single-quoted otherwise.
fn shell_word(value: &str) -> String {
    let plain = !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.:/@%+,".contains(c));
    if plain {
        value.to_string()
    } else {
        format!("'{}'", value.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_parses_back_from_its_name() {
        for (field, name) in FIELDS {
            let answer = parse_answer(&format!("{name}=x=y")).unwrap();
            assert_eq!(answer.field, field);
            assert_eq!(answer.value, "x=y");
            assert_eq!(field_name(field), name);
        }
    }

    #[test]
    fn the_names_are_the_cores() {
        use std::collections::BTreeSet;
        use truefoundry_volumes::offline::interview::Field;
        let core: BTreeSet<&str> = Field::ALL.into_iter().map(Field::name).collect();
        let cli: BTreeSet<&str> = FIELDS.iter().map(|(_, name)| *name).collect();
        assert_eq!(cli, core);
        assert_eq!(cli.len(), FIELDS.len());
    }

    #[test]
    fn a_malformed_answer_is_a_usage_error_naming_the_fields() {
        for given in ["size-gi", "colour=red"] {
            let failure = parse_answer(given).unwrap_err();
            let shown = format!("{failure:?}");
            assert!(shown.contains("size-gi, storage-class"), "{shown}");
        }
    }

    #[test]
    fn answers_are_quoted_for_the_shell_only_when_needed() {
        assert_eq!(shell_word("demo-cluster:demo-ws"), "demo-cluster:demo-ws");
        assert_eq!(shell_word("tfy-secret://t:g:k"), "tfy-secret://t:g:k");
        assert_eq!(shell_word("a b"), "'a b'");
        assert_eq!(shell_word("it's"), r"'it'\''s'");
        assert_eq!(shell_word(""), "''");
    }
}
