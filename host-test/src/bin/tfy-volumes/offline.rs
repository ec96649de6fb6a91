//! The commands that never touch the network, run in an instance granted nothing. In text
//! mode stdout carries exactly the artefact (a snippet in its format, a YAML stream, advice)
//! and warnings go to stderr; in JSON and YAML they are fields of the result.

use tfy_volumes_host::{report, Grant};

use crate::args::{Command, OutputFormat};
use crate::failure::{ok, Failure};
use crate::{output, Context};

/// Whether `command` never touches the network.
pub fn is_offline(command: &Command) -> bool {
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

/// Runs a command that never touches the network.
pub async fn run(cx: &Context, command: &Command) -> Result<(), Failure> {
    let runtime = cx.compile()?;
    // No control plane: the outbound policy allows nothing.
    let mut volumes = runtime.instantiate(&Grant::new("", "")).await?;
    let format = cx.format;
    let (value, text, warnings) = match command {
        Command::Plan(args) => {
            let plan = ok(volumes.plan(&args.request()).await?)?;
            (
                report::plan_json(&plan),
                report::plan_text(&plan),
                plan.warnings,
            )
        }
        Command::MountSnippet(args) => {
            let snippet = ok(volumes.mount_snippet(&args.request()).await?)?;
            (
                report::snippet_json(&snippet),
                report::snippet_text(&snippet),
                snippet.warnings,
            )
        }
        Command::RecommendSize(args) => {
            let advice = ok(volumes.recommend_size(args.request()).await?)?;
            (
                report::sizing_json(&advice),
                report::sizing_text(&advice),
                advice.warnings,
            )
        }
        Command::RecommendStorage(args) => {
            let advice = ok(volumes.recommend_storage(args.needs()).await?)?;
            (
                report::storage_advice_json(&advice),
                report::storage_advice_text(&advice),
                advice.warnings,
            )
        }
        Command::StaticVolume(args) => {
            let plan = ok(volumes.static_volume_recipe(&args.request()).await?)?;
            (
                report::static_plan_json(&plan),
                report::static_plan_text(&plan),
                Vec::new(),
            )
        }
        Command::CacheVolume(args) => {
            let snippet = ok(volumes.cache_volume_snippet(&args.request()).await?)?;
            (
                report::snippet_json(&snippet),
                report::snippet_text(&snippet),
                snippet.warnings,
            )
        }
        _ => unreachable!("only offline commands come here"),
    };
    if format == OutputFormat::Text {
        output::warnings(&warnings);
    }
    output::emit(format, value, || text);
    Ok(())
}
