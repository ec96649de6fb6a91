//! The commands that talk to a control plane: one [`Session`] each (the target, the compiled
//! component, an instance granted only that target), a result on stdout, everything else on
//! stderr.

use serde_json::Value;
use tfy_volumes_host::bindings::{ExpandRequest, Volume, VolumeKind};
use tfy_volumes_host::terminal::Text;
use tfy_volumes_host::{report, Runtime, Volumes};

use crate::args::{Command, WaitArgs};
use crate::failure::{ok, Failure};
use crate::progress::{self, interruptible};
use crate::target::{self, Embedding, Target};
use crate::{apply, confirm, demo, interview, output, Context};

/// What a networked command works with.
pub struct Session {
    /// Where calls go (kept alive for the command).
    pub target: Target,
    /// The compiled component.
    pub runtime: Runtime,
    /// The instance the command calls.
    pub volumes: Volumes,
}

impl Session {
    /// Connects to the target the environment names and instantiates the component for it.
    async fn open(cx: &Context, embedding: Embedding) -> Result<Session, Failure> {
        let target = target::connect(cx.state_flag.as_deref(), embedding)?;
        let runtime = cx.compile()?;
        let volumes = runtime.instantiate(&target.grant).await?;
        Ok(Session {
            target,
            runtime,
            volumes,
        })
    }

    /// `volume`, or, when `wait` asks for it, the volume its deployment settles into.
    pub async fn settled(
        &mut self,
        cx: &Context,
        volume: Volume,
        wait: &WaitArgs,
    ) -> Result<Volume, Failure> {
        if !wait.enabled {
            return Ok(volume);
        }
        let options = wait.timing.options(self.target.default_interval());
        progress::follow(
            &self.runtime,
            &self.target.grant,
            &mut self.volumes,
            &volume.fqn,
            options,
            &cx.program,
        )
        .await
    }
}

/// Runs a command that talks to a control plane.
pub async fn run(cx: &Context, command: &Command) -> Result<(), Failure> {
    let embedding = match command {
        Command::Demo { .. } => Embedding::InMemory,
        _ => Embedding::StateFile,
    };
    // Arguments the component does not check are checked before anything is started.
    if let Command::Interview { answers, .. } = command {
        interview::parse_answers(answers)?;
    }
    let mut session = Session::open(cx, embedding).await?;
    let format = cx.format;
    let volumes = &mut session.volumes;
    match command {
        Command::Preflight(args) => {
            let plan = ok(volumes.preflight(&args.request()).await?)?;
            if format == crate::OutputFormat::Text {
                output::warnings(&plan.warnings);
            }
            output::emit(format, report::plan_json(&plan), || {
                report::plan_text(&plan)
            });
        }
        Command::Create {
            volume,
            wait,
            confirm,
        } => {
            let request = volume.request();
            if confirm::should_ask(confirm.yes) {
                let plan = ok(volumes.preflight(&request).await?)?;
                output::warn(report::plan_text(&plan));
                output::warnings(&plan.warnings);
                confirm::yes_or_cancel("Create it?", "nothing was created")?;
            }
            let fqn = format!("{}:{}", request.workspace_fqn, request.name);
            let created =
                ok(
                    interruptible(volumes.create(&request), || unanswered(cx, &fqn, "created"))
                        .await??,
                )?;
            let shown = session.settled(cx, created, wait).await?;
            emit_volume(cx, &shown);
        }
        Command::Interview {
            answers,
            plan_only,
            confirm,
        } => interview::run(cx, &mut session, answers, *plan_only, confirm).await?,
        Command::List { workspace } => {
            let list = ok(volumes.list(&workspace.workspace).await?)?;
            let array = Value::Array(list.iter().map(report::volume_json).collect());
            output::emit(format, array, || report::volumes_table(&list));
        }
        Command::Get { volume } => {
            let volume = ok(volumes.get(volume).await?)?;
            emit_volume(cx, &volume);
        }
        Command::Status { volume } => {
            let status = ok(volumes.status(volume).await?)?;
            output::emit(format, report::status_json(&status), || {
                Text::from(report::status_text(&status))
            });
        }
        Command::Wait { volume, options } => {
            let options = options.options(session.target.default_interval());
            let settled = progress::follow(
                &session.runtime,
                &session.target.grant,
                &mut session.volumes,
                volume,
                options,
                &cx.program,
            )
            .await?;
            emit_volume(cx, &settled);
        }
        Command::Expand {
            volume,
            size_gi,
            expected_version,
            wait,
            confirm,
        } => {
            let before = ok(volumes.get(volume).await?)?;
            let grows = before.kind == VolumeKind::Dynamic
                && before.size_gi.is_none_or(|size| *size_gi > size);
            if grows && confirm::should_ask(confirm.yes) {
                output::warn(expansion_text(&before, *size_gi));
                confirm::yes_or_cancel("Expand it?", "nothing was changed")?;
            }
            let request = ExpandRequest {
                volume: volume.clone(),
                new_size_gi: *size_gi,
                // What was just read and shown: a change made meanwhile is refused.
                expected_version: expected_version.or(before.version),
                wait: None,
            };
            let mut expanded = ok(interruptible(volumes.expand(&request), || {
                unanswered(cx, &before.fqn, "expanded")
            })
            .await??)?;
            // The answer describes the new deployment; the volume was created before it.
            expanded.created_at = before.created_at.clone().or(expanded.created_at);
            let shown = session.settled(cx, expanded, wait).await?;
            emit_volume(cx, &shown);
        }
        Command::Delete { volume, confirm } => {
            delete(cx, &mut session, volume, confirm.yes).await?
        }
        Command::Apply(args) => apply::apply(cx, &mut session, args).await?,
        Command::StorageClasses { workspace } => {
            let storage = ok(volumes.storage_classes(&workspace.workspace).await?)?;
            output::emit(format, report::cluster_storage_json(&storage), || {
                report::cluster_storage_text(&storage)
            });
        }
        Command::Demo { workspace, create } => {
            demo::tour(cx, &mut session, workspace.as_deref(), *create).await?;
        }
        _ => unreachable!("only networked commands come here"),
    }
    let denied = session.volumes.denied_requests();
    if !denied.is_empty() {
        output::warn(format!(
            "note: the host refused requests to {}",
            denied.join(", ")
        ));
    }
    Ok(())
}

/// `delete`: asks for the name on a terminal, needs `--yes` elsewhere, and passes the name
/// as `confirm-name` so the component checks what is deleted.
async fn delete(
    cx: &Context,
    session: &mut Session,
    volume: &str,
    yes: bool,
) -> Result<(), Failure> {
    if !yes && !confirm::interactive() {
        return Err(Failure::usage(
            "delete needs --yes when stdin is not a terminal; nothing was deleted",
            format!(
                "Run it on a terminal to type the volume's name, or add --yes: {} delete \
                 {volume} --yes",
                cx.program
            ),
        ));
    }
    let found = ok(session.volumes.get(volume).await?)?;
    let confirm_name = if yes {
        found.name.clone()
    } else {
        output::warn(report::volume_details(&found));
        confirm::typed_name(&found.name, "nothing was deleted")?
    };
    let deleting = format!("deleting {}", found.fqn);
    let deleted = ok(interruptible(
        progress::showing(&deleting, session.volumes.delete(volume, &confirm_name)),
        || Failure::Interrupted {
            message: format!(
                "stopped waiting; the control plane goes on deleting {}",
                found.fqn
            ),
            resume: format!("{} get {}", cx.program, found.fqn),
        },
    )
    .await??)?;
    output::emit(cx.format, report::volume_json(&deleted), || {
        Text::from(format!(
            "Deleted volume {} ({}).",
            deleted.name, deleted.fqn
        ))
    });
    if deleted.kind == VolumeKind::Dynamic && cx.format == crate::OutputFormat::Text {
        output::warn(
            "note: the cloud keeps a dynamic volume's storage (reclaim policy Retain) until \
             an admin removes it",
        );
    }
    Ok(())
}

/// What an expansion will do, for the confirmation.
fn expansion_text(before: &Volume, size_gi: u32) -> Text {
    let from = before.size_gi.map_or_else(
        || "its current size".to_string(),
        |size| format!("{size} Gi"),
    );
    let mut text = Text::from(format!(
        "Expand {} from {from} to {size_gi} Gi.",
        before.fqn
    ));
    text.line(format!(
        "Storage class {} and everything else stay as they are. Volumes grow but never shrink.",
        before.storage_class.as_deref().unwrap_or("-")
    ));
    text
}

/// Ctrl-C before the control plane answered a write.
pub fn unanswered(cx: &Context, fqn: &str, done: &str) -> Failure {
    Failure::Interrupted {
        message: format!(
            "stopped before the control plane answered; {fqn} may or may not have been {done}"
        ),
        resume: format!("{} get {fqn}", cx.program),
    }
}

/// Prints a volume as JSON, YAML or details.
pub fn emit_volume(cx: &Context, volume: &Volume) {
    output::emit(cx.format, report::volume_json(volume), || {
        report::volume_details(volume)
    });
}
