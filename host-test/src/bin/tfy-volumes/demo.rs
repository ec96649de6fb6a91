//! `tfy-volumes demo`: a tour of the exports, safe against a real control plane.

use tfy_volumes_host::bindings::{
    BrowserSettings, CreateRequest, ExpandRequest, MountRequest, SizingRequest, SnippetFormat,
    UseCase, VolumeKind, WaitOptions,
};
use tfy_volumes_host::terminal::Text;
use tfy_volumes_host::{report, Volumes};

use crate::{ok, output, Failure, Target, DEMO_WORKSPACE};

/// A tour of the exports. On the embedded emulator it creates and expands a volume and shows
/// the refusal to create it twice; on a real control plane it only reads unless `create`.
pub async fn tour(
    volumes: &mut Volumes,
    target: &Target,
    workspace: Option<&str>,
    create: bool,
) -> Result<(), Failure> {
    let embedded = target.embedded();
    let workspace = match (workspace, embedded) {
        (Some(workspace), _) => workspace.to_string(),
        (None, true) => DEMO_WORKSPACE.to_string(),
        (None, false) => {
            return Err(Failure::Host(
                "with a real control plane, pass --workspace <cluster>:<workspace>; the demo \
                 never picks a workspace for you"
                    .into(),
            ))
        }
    };
    let writes = embedded || create;

    output::say("== recommend-size: a cache for a 7B model ==");
    let sizing = SizingRequest {
        use_case: UseCase::ModelCache,
        parameters_billions: Some(7.0),
        precision: None,
        data_gi: None,
        model_gi: None,
        kept_checkpoints: None,
    };
    output::say(report::sizing_text(&ok(volumes
        .recommend_size(sizing)
        .await?)?));

    heading(&format!("storage-classes of {workspace}"));
    let storage = ok(volumes.storage_classes(&workspace).await?)?;
    output::say(report::cluster_storage_text(&storage));

    let storage_class = storage
        .storage_classes
        .first()
        .map(|class| class.name.clone())
        .unwrap_or_else(|| "efs-sc".into());
    let request = CreateRequest {
        workspace_fqn: workspace.clone(),
        name: "demo-scratch".into(),
        kind: VolumeKind::Dynamic,
        size_gi: Some(if embedded { 32 } else { 1 }),
        storage_class: Some(storage_class),
        persistent_volume_name: None,
        browser: storage
            .browser_hosts
            .first()
            .filter(|_| embedded)
            .map(|host| BrowserSettings {
                username: None,
                password_secret_fqn: Some("tfy-secret://demo:volume-browser:password".into()),
                host: host.clone(),
                path: None,
            }),
        // Poll every second so the tour moves quickly.
        replace_failed: false,
        wait: Some(WaitOptions {
            interval_seconds: Some(1),
            timeout_seconds: Some(if embedded { 30 } else { 600 }),
        }),
    };

    heading("preflight: what create would do, checked against the control plane");
    match volumes.preflight(&request).await? {
        Ok(plan) => output::say(report::plan_text(&plan)),
        // Running the demo twice against a real control plane finds its own volume.
        Err(error) => output::say(report::error_text(&error)),
    }

    if writes {
        heading("create, waiting until it runs");
        let created = ok(volumes.create(&request).await?)?;
        output::say(report::volume_details(&created));

        heading("expand to 64 Gi (same manifest, only the size changes)");
        let expand = ExpandRequest {
            volume: created.fqn.clone(),
            new_size_gi: if embedded { 64 } else { 2 },
            expected_version: created.version,
            wait: request.wait,
        };
        let expanded = ok(volumes.expand(&expand).await?)?;
        output::say(report::volume_details(&expanded));
    }

    heading(&format!("list {workspace}"));
    let list = ok(volumes.list(&workspace).await?)?;
    output::say(report::volumes_table(&list));

    let Some(first) = list.first() else {
        let mut text = Text::new();
        text.line("")
            .line("The workspace has no volumes; nothing more to show.");
        output::say(text);
        return Ok(());
    };
    heading(&format!("get {}", first.fqn));
    output::say(report::volume_details(&ok(volumes
        .get(&first.fqn)
        .await?)?));

    for (format, title, per_pod) in [
        (SnippetFormat::PythonSdk, "Python SDK (deploy.py)", false),
        (
            SnippetFormat::Yaml,
            "YAML manifest, several writer pods",
            true,
        ),
    ] {
        heading(&format!("mount snippet: {title}"));
        let request = MountRequest {
            volume_fqn: first.fqn.clone(),
            mount_path: "/data".into(),
            sub_path: None,
            format,
            per_pod_directories: per_pod,
        };
        output::say(report::snippet_text(&ok(volumes
            .mount_snippet(&request)
            .await?)?));
    }

    if writes {
        heading("create the same volume again: refused, never replaced");
        match volumes.create(&request).await? {
            Err(error) => output::say(report::error_text(&error)),
            Ok(volume) => {
                return Err(Failure::Host(format!(
                    "the second create unexpectedly succeeded ({})",
                    volume.fqn
                )))
            }
        }
    }
    Ok(())
}

/// A section title, after a blank line.
fn heading(title: &str) {
    let mut text = Text::new();
    text.line("").line(format!("== {title} =="));
    output::say(text);
}
