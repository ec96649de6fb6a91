//! `tfy-volumes demo`: a tour of the exports, safe against a real control plane. In text it
//! prints each step under a heading; with `-o json` or `-o yaml` it prints one document, a
//! list of `{step, result}` (a refusal shown as the step's `error`).

use serde_json::{json, Value};
use tfy_volumes_host::bindings::{
    BrowserSettings, CreateRequest, ExpandRequest, MountRequest, SizingRequest, SnippetFormat,
    UseCase, VolumeKind, WaitOptions,
};
use tfy_volumes_host::report;
use tfy_volumes_host::terminal::Text;

use crate::args::OutputFormat;
use crate::commands::Session;
use crate::failure::{ok, Failure};
use crate::target::DEMO_WORKSPACE;
use crate::{output, Context};

/// The steps shown so far: printed as they come in text, gathered for a document otherwise.
struct Tour {
    format: OutputFormat,
    steps: Vec<Value>,
}

impl Tour {
    fn step(&mut self, title: &str, value: Value, text: Text) {
        if self.format == OutputFormat::Text {
            let mut shown = Text::new();
            if !self.steps.is_empty() {
                shown.line("");
            }
            shown.line(format!("== {title} ==")).append(text);
            output::say(shown);
        }
        self.steps.push(json!({"step": title, "result": value}));
    }

    fn refusal(&mut self, title: &str, error: &tfy_volumes_host::bindings::VolumeError) {
        self.step(
            title,
            json!({"error": report::error_json(error)}),
            report::error_text(error),
        );
    }

    fn finish(self) {
        if self.format != OutputFormat::Text {
            output::document(self.format, &Value::Array(self.steps));
        }
    }
}

/// Text and its warnings, for a step.
fn with_warnings(mut text: Text, warnings: &[String]) -> Text {
    text.append(report::warnings_text(warnings));
    text
}

/// A tour of the exports. On the embedded emulator it creates and expands a volume and shows
/// the refusal to create it twice; on a real control plane it only reads unless `create`.
pub async fn tour(
    cx: &Context,
    session: &mut Session,
    workspace: Option<&str>,
    create: bool,
) -> Result<(), Failure> {
    let embedded = session.target.embedded();
    let workspace =
        match (workspace, embedded) {
            (Some(workspace), _) => workspace.to_string(),
            (None, true) => DEMO_WORKSPACE.to_string(),
            (None, false) => return Err(Failure::usage(
                "with a real control plane the demo needs a workspace; it never picks one for you",
                "Pass --workspace <cluster>:<workspace> (or set TFY_WORKSPACE).",
            )),
        };
    let writes = embedded || create;
    let volumes = &mut session.volumes;
    let mut tour = Tour {
        format: cx.format,
        steps: Vec::new(),
    };

    let sizing = SizingRequest {
        use_case: UseCase::ModelCache,
        parameters_billions: Some(7.0),
        precision: None,
        data_gi: None,
        model_gi: None,
        kept_checkpoints: None,
    };
    let advice = ok(volumes.recommend_size(sizing).await?)?;
    tour.step(
        "recommend-size: a cache for a 7B model",
        report::sizing_json(&advice),
        with_warnings(report::sizing_text(&advice), &advice.warnings),
    );

    let storage = ok(volumes.storage_classes(&workspace).await?)?;
    tour.step(
        &format!("storage-classes of {workspace}"),
        report::cluster_storage_json(&storage),
        report::cluster_storage_text(&storage),
    );

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
        replace_failed: false,
        // Poll every second so the tour moves quickly.
        wait: Some(WaitOptions {
            interval_seconds: Some(1),
            timeout_seconds: Some(if embedded { 30 } else { 600 }),
        }),
    };

    let preflight = "preflight: what create would do, checked against the control plane";
    match volumes.preflight(&request).await? {
        Ok(plan) => tour.step(
            preflight,
            report::plan_json(&plan),
            with_warnings(report::plan_text(&plan), &plan.warnings),
        ),
        // Running the demo twice against a real control plane finds its own volume.
        Err(error) => tour.refusal(preflight, &error),
    }

    if writes {
        let created = ok(volumes.create(&request).await?)?;
        tour.step(
            "create, waiting until it runs",
            report::volume_json(&created),
            report::volume_details(&created),
        );

        let expand = ExpandRequest {
            volume: created.fqn.clone(),
            new_size_gi: if embedded { 64 } else { 2 },
            expected_version: created.version,
            wait: request.wait,
        };
        let expanded = ok(volumes.expand(&expand).await?)?;
        tour.step(
            "expand to 64 Gi (same manifest, only the size changes)",
            report::volume_json(&expanded),
            report::volume_details(&expanded),
        );
    }

    let list = ok(volumes.list(&workspace).await?)?;
    tour.step(
        &format!("list {workspace}"),
        Value::Array(list.iter().map(report::volume_json).collect()),
        report::volumes_table(&list),
    );

    if let Some(first) = list.first() {
        let volume = ok(volumes.get(&first.fqn).await?)?;
        tour.step(
            &format!("get {}", first.fqn),
            report::volume_json(&volume),
            report::volume_details(&volume),
        );

        for (format, title, per_pod) in [
            (SnippetFormat::PythonSdk, "Python SDK (deploy.py)", false),
            (
                SnippetFormat::Yaml,
                "YAML manifest, several writer pods",
                true,
            ),
        ] {
            let request = MountRequest {
                volume_fqn: first.fqn.clone(),
                mount_path: "/data".into(),
                sub_path: None,
                format,
                per_pod_directories: per_pod,
            };
            let snippet = ok(volumes.mount_snippet(&request).await?)?;
            tour.step(
                &format!("mount snippet: {title}"),
                report::snippet_json(&snippet),
                with_warnings(report::snippet_text(&snippet), &snippet.warnings),
            );
        }
    }

    if writes {
        let title = "create the same volume again: refused, never replaced";
        match volumes.create(&request).await? {
            Err(error) => tour.refusal(title, &error),
            Ok(volume) => {
                return Err(Failure::Host(format!(
                    "the second create unexpectedly succeeded ({})",
                    volume.fqn
                )))
            }
        }
    }
    tour.finish();
    Ok(())
}
