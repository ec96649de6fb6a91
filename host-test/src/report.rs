//! Renders the component's results for people (tables, details, errors) and as JSON.
//!
//! Text comes out as [`Text`]: one line per fact, every line neutralised when printed (see
//! [`crate::terminal`]), so whatever a server put in a name or message is shown, not obeyed.

use comfy_table::{presets, Table};
use serde_json::{json, Value};

use crate::bindings::{
    Cloud, ClusterStorage, CreatePlan, ResourceKind, SizingAdvice, Snippet, StaticVolumeSetup,
    StatusPhase, StorageAdvice, StorageChoice, Volume, VolumeError, VolumeKind, VolumeLifecycle,
    VolumeStatus,
};
use crate::terminal::{neutralise, Text};

/// `list` as a table: Name | Size | Storage Class | Status | Created.
pub fn volumes_table(volumes: &[Volume]) -> Text {
    let rows = volumes.iter().map(|volume| {
        vec![
            volume.name.clone(),
            size_text(volume),
            storage_text(volume),
            volume.status.display.clone(),
            volume.created_at.clone().unwrap_or_else(|| "-".into()),
        ]
    });
    let mut text = table(
        &["NAME", "SIZE", "STORAGE CLASS", "STATUS", "CREATED"],
        rows,
    );
    if volumes.is_empty() {
        text.line("(no volumes in this workspace)");
    }
    text
}

/// Columns aligned by display width, two spaces apart, no borders, no trailing spaces. Cells
/// are neutralised before they are measured, so an escape sequence neither skews the columns
/// nor, with a line break, splits a row in two.
fn table(header: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> Text {
    let mut table = Table::new();
    table
        .load_style(presets::NOTHING)
        .set_header(header.to_vec());
    for row in rows {
        table.add_row(
            row.iter()
                .map(|cell| neutralise(cell).into_owned())
                .collect::<Vec<_>>(),
        );
    }
    let last = header.len().saturating_sub(1);
    for (index, column) in table.column_iter_mut().enumerate() {
        column.set_padding((0, if index == last { 0 } else { 2 }));
    }
    let mut text = Text::new();
    text.block(&table.trim_fmt());
    text
}

fn size_text(volume: &Volume) -> String {
    volume
        .size_gi
        .map(|size| format!("{size} Gi"))
        .unwrap_or_else(|| "-".into())
}

fn storage_text(volume: &Volume) -> String {
    match (&volume.storage_class, &volume.persistent_volume_name) {
        (Some(class), _) => class.clone(),
        (None, Some(pv)) => format!("static PV {pv}"),
        (None, None) => "-".into(),
    }
}

/// One volume, one fact per line.
pub fn volume_details(volume: &Volume) -> Text {
    let mut lines = vec![
        format!("Volume           {}", volume.name),
        format!("  Id             {}", volume.id),
        format!("  FQN            {}", volume.fqn),
        format!("  Mount with     {}", volume.mount_reference),
        format!("  Workspace      {}", volume.workspace_fqn),
        format!("  Kind           {}", kind_text(volume.kind)),
    ];
    match volume.kind {
        VolumeKind::Dynamic => {
            lines.push(format!("  Size           {}", size_text(volume)));
            lines.push(format!("  Storage class  {}", storage_text(volume)));
        }
        VolumeKind::Static => lines.push(format!(
            "  PV             {}",
            volume.persistent_volume_name.as_deref().unwrap_or("-")
        )),
    }
    lines.push(format!("  Status         {}", status_text(&volume.status)));
    if let Some(version) = volume.version {
        lines.push(format!("  Version        {version}"));
    }
    if let Some(created) = &volume.created_at {
        lines.push(format!("  Created        {created}"));
    }
    if let Some(url) = &volume.browser_url {
        let user = volume.browser_username.as_deref().unwrap_or("admin");
        lines.push(format!("  Browser        {url} (user {user})"));
    }
    let mut text = Text::new();
    for line in lines {
        text.line(line);
    }
    text
}

fn kind_text(kind: VolumeKind) -> &'static str {
    match kind {
        VolumeKind::Dynamic => "dynamic",
        VolumeKind::Static => "static",
    }
}

fn phase_text(phase: StatusPhase) -> &'static str {
    match phase {
        StatusPhase::Deploying => "deploying",
        StatusPhase::Running => "running",
        StatusPhase::Failed => "failed",
        StatusPhase::Paused => "paused",
        StatusPhase::Cancelled => "cancelled",
        StatusPhase::Unknown => "unknown",
    }
}

/// A status on one line: display text, phase, and the server's message.
pub fn status_text(status: &VolumeStatus) -> String {
    match &status.message {
        Some(message) => format!("{} ({message})", status.display),
        None => status.display.clone(),
    }
}

/// A plan as the user should read it, warnings last.
pub fn plan_text(plan: &CreatePlan) -> Text {
    let mut text = Text::new();
    text.block(&plan.summary);
    if plan.checked_online {
        text.line("Checked against the control plane: the workspace exists and the name is free.");
        if !plan.storage_classes.is_empty() {
            text.line(format!(
                "Storage classes offered: {}",
                plan.storage_classes.join(", ")
            ));
        }
        if !plan.browser_hosts.is_empty() {
            text.line(format!("Browser hosts: {}", plan.browser_hosts.join(", ")));
        }
    }
    text.append(warnings_text(&plan.warnings));
    text
}

fn warnings_text(warnings: &[String]) -> Text {
    let mut text = Text::new();
    for warning in warnings {
        text.line(format!("Warning: {warning}"));
    }
    text
}

/// A snippet, then its warnings as comments a person will notice.
pub fn snippet_text(snippet: &Snippet) -> Text {
    let mut text = Text::new();
    text.block(&snippet.text);
    if !snippet.warnings.is_empty() {
        text.line("");
        text.append(warnings_text(&snippet.warnings));
    }
    text
}

/// A snippet as JSON.
pub fn snippet_json(snippet: &Snippet) -> Value {
    json!({"text": snippet.text, "warnings": snippet.warnings})
}

fn cloud_text(cloud: Cloud) -> &'static str {
    match cloud {
        Cloud::Aws => "aws",
        Cloud::Gcp => "gcp",
        Cloud::Azure => "azure",
        Cloud::Other => "other",
    }
}

/// A cluster's storage classes as a table, and its browser hosts.
pub fn cluster_storage_text(storage: &ClusterStorage) -> Text {
    let mut text = Text::from(format!(
        "Cluster {} ({}, cloud {})",
        storage.cluster_id,
        storage.cluster_type,
        cloud_text(storage.cloud)
    ));
    text.line(storage.note.clone());
    if !storage.storage_classes.is_empty() {
        let rows = storage.storage_classes.iter().map(|class| {
            vec![
                class.name.clone(),
                if class.is_default { "yes" } else { "" }.to_string(),
                class.tier.clone(),
                class.driver.clone(),
                class.access_mode.clone(),
                class.notes.clone(),
            ]
        });
        text.append(table(
            &[
                "STORAGE CLASS",
                "DEFAULT",
                "TIER",
                "DRIVER",
                "ACCESS",
                "NOTES",
            ],
            rows,
        ));
    }
    let hosts = if storage.browser_hosts.is_empty() {
        "none".to_string()
    } else {
        storage.browser_hosts.join(", ")
    };
    text.line(format!("Volume Browser hosts: {hosts}"));
    text
}

/// Cluster storage as JSON.
pub fn cluster_storage_json(storage: &ClusterStorage) -> Value {
    json!({
        "cluster-id": storage.cluster_id,
        "cluster-type": storage.cluster_type,
        "cloud": cloud_text(storage.cloud),
        "default-storage-class": storage.default_storage_class,
        "storage-classes": storage.storage_classes.iter().map(|class| json!({
            "name": class.name, "driver": class.driver, "tier": class.tier,
            "access-mode": class.access_mode, "notes": class.notes, "is-default": class.is_default,
        })).collect::<Vec<_>>(),
        "browser-hosts": storage.browser_hosts,
        "note": storage.note,
    })
}

/// Sizing advice for people.
pub fn sizing_text(advice: &SizingAdvice) -> Text {
    let mut text = Text::from(format!("{} Gi", advice.size_gi));
    text.block(&advice.rationale);
    text.append(warnings_text(&advice.warnings));
    text
}

/// Sizing advice as JSON.
pub fn sizing_json(advice: &SizingAdvice) -> Value {
    json!({"size-gi": advice.size_gi, "rationale": advice.rationale, "warnings": advice.warnings})
}

fn choice_text(choice: StorageChoice) -> &'static str {
    match choice {
        StorageChoice::Volume => "volume",
        StorageChoice::BlobStorage => "blob-storage",
    }
}

/// Storage advice for people.
pub fn storage_advice_text(advice: &StorageAdvice) -> Text {
    let mut text = Text::from(format!("Recommended: {}", choice_text(advice.choice)));
    for reason in &advice.reasons {
        text.line(format!("  - {reason}"));
    }
    text.append(warnings_text(&advice.warnings));
    text
}

/// Storage advice as JSON.
pub fn storage_advice_json(advice: &StorageAdvice) -> Value {
    json!({"choice": choice_text(advice.choice), "reasons": advice.reasons, "warnings": advice.warnings})
}

/// A static volume recipe for people: steps, the PV, the manifest, notes.
pub fn static_plan_text(plan: &StaticVolumeSetup) -> Text {
    let mut text = Text::from("Steps:");
    for (index, step) in plan.steps.iter().enumerate() {
        text.line(format!("  {}. {step}", index + 1));
    }
    text.line("").line("# PersistentVolume (kubectl apply -f)");
    text.block(&plan.persistent_volume_yaml);
    text.line("").line("# TrueFoundry volume manifest");
    text.block(&plan.volume_manifest_json);
    for note in &plan.notes {
        text.line(format!("Note: {note}"));
    }
    text
}

/// A static volume recipe as JSON.
pub fn static_plan_json(plan: &StaticVolumeSetup) -> Value {
    let manifest: Value = serde_json::from_str(&plan.volume_manifest_json)
        .unwrap_or(Value::String(plan.volume_manifest_json.clone()));
    json!({"persistent-volume-yaml": plan.persistent_volume_yaml, "volume-manifest": manifest,
           "steps": plan.steps, "notes": plan.notes})
}

/// A status as JSON.
pub fn status_json(status: &VolumeStatus) -> Value {
    json!({
        "phase": phase_text(status.phase),
        "api-status": status.api_status,
        "display": status.display,
        "terminal": status.terminal,
        "message": status.message,
    })
}

/// The error's case name, as in the WIT.
pub fn error_case(error: &VolumeError) -> &'static str {
    match error {
        VolumeError::InvalidInput(_) => "invalid-input",
        VolumeError::MissingConfiguration(_) => "missing-configuration",
        VolumeError::Unauthorized(_) => "unauthorized",
        VolumeError::PermissionDenied(_) => "permission-denied",
        VolumeError::NotFound(_) => "not-found",
        VolumeError::AlreadyExists(_) => "already-exists",
        VolumeError::SizeCannotBeReduced(_) => "size-cannot-be-reduced",
        VolumeError::StorageClassUnavailable(_) => "storage-class-unavailable",
        VolumeError::PersistentVolumeNotFound(_) => "persistent-volume-not-found",
        VolumeError::WorkspaceMismatch(_) => "workspace-mismatch",
        VolumeError::Rejected(_) => "rejected",
        VolumeError::Conflict(_) => "conflict",
        VolumeError::DeploymentFailed(_) => "deployment-failed",
        VolumeError::DeletionFailed(_) => "deletion-failed",
        VolumeError::TimedOut(_) => "timed-out",
        VolumeError::ChangedMeanwhile(_) => "changed-meanwhile",
        VolumeError::HttpStatus(_) => "http-status",
        VolumeError::Transport(_) => "transport",
        VolumeError::UndecodableResponse(_) => "undecodable-response",
    }
}

/// The error as JSON: `{"error": <case>, ...its fields}`.
pub fn error_json(error: &VolumeError) -> Value {
    let fields = match error {
        VolumeError::InvalidInput(p) | VolumeError::MissingConfiguration(p) => {
            json!({"field": p.field, "problem": p.problem, "fix": p.fix})
        }
        VolumeError::Unauthorized(r)
        | VolumeError::PermissionDenied(r)
        | VolumeError::Rejected(r)
        | VolumeError::Conflict(r)
        | VolumeError::HttpStatus(r) => {
            json!({"status": r.status, "message": r.message, "fix": r.fix})
        }
        VolumeError::NotFound(m) => json!({
            "kind": match m.kind {
                ResourceKind::Cluster => "cluster",
                ResourceKind::Workspace => "workspace",
                ResourceKind::Volume => "volume",
            },
            "name": m.name, "fix": m.fix
        }),
        VolumeError::AlreadyExists(e) => json!({
            "name": e.name, "workspace-fqn": e.workspace_fqn, "id": e.id, "fix": e.fix
        }),
        VolumeError::SizeCannotBeReduced(s) => json!({
            "current-gi": s.current_gi, "requested-gi": s.requested_gi, "fix": s.fix
        }),
        VolumeError::StorageClassUnavailable(d) | VolumeError::PersistentVolumeNotFound(d) => {
            json!({"volume-fqn": d.volume_fqn, "missing-name": d.missing_name,
                   "message": d.message, "fix": d.fix})
        }
        VolumeError::WorkspaceMismatch(w) => json!({
            "volume-workspace": w.volume_workspace,
            "requested-workspace": w.requested_workspace, "fix": w.fix
        }),
        VolumeError::DeploymentFailed(d) => json!({
            "volume-fqn": d.volume_fqn, "api-status": d.api_status,
            "message": d.message, "fix": d.fix
        }),
        VolumeError::DeletionFailed(d) => json!({"volume-fqn": d.volume_fqn, "fix": d.fix}),
        VolumeError::TimedOut(t) => json!({
            "volume-fqn": t.volume_fqn, "last-status": t.last_status,
            "waited-seconds": t.waited_seconds, "fix": t.fix
        }),
        VolumeError::ChangedMeanwhile(c) => json!({
            "volume-fqn": c.volume_fqn, "expected-version": c.expected_version,
            "found-version": c.found_version, "fix": c.fix
        }),
        VolumeError::Transport(f) => json!({"message": f.message, "fix": f.fix}),
        VolumeError::UndecodableResponse(b) => {
            json!({"status": b.status, "detail": b.detail, "fix": b.fix})
        }
    };
    let mut object = json!({ "error": error_case(error) });
    if let (Some(target), Value::Object(source)) = (object.as_object_mut(), fields) {
        target.extend(source);
    }
    object
}

/// The error for people: the case, its facts, and the fix.
pub fn error_text(error: &VolumeError) -> Text {
    let json = error_json(error);
    let mut text = Text::from(format!("error: {}", error_case(error)));
    if let Some(fields) = json.as_object() {
        for (key, value) in fields {
            if key == "error" || key == "fix" {
                continue;
            }
            let shown = value
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| value.to_string());
            text.line(format!("  {key}: {shown}"));
        }
        if let Some(fix) = fields.get("fix").and_then(Value::as_str) {
            text.line(format!("  what to do: {fix}"));
        }
    }
    text
}

/// A volume as JSON, with the WIT's field names.
pub fn volume_json(volume: &Volume) -> Value {
    json!({
        "id": volume.id,
        "name": volume.name,
        "fqn": volume.fqn,
        "mount-reference": volume.mount_reference,
        "workspace-fqn": volume.workspace_fqn,
        "kind": kind_text(volume.kind),
        "size-gi": volume.size_gi,
        "storage-class": volume.storage_class,
        "persistent-volume-name": volume.persistent_volume_name,
        "status": status_json(&volume.status),
        "version": volume.version,
        "created-at": volume.created_at,
        "browser-url": volume.browser_url,
        "browser-username": volume.browser_username,
        "lifecycle": lifecycle_text(volume.lifecycle),
    })
}

/// The WIT's name of a lifecycle stage.
fn lifecycle_text(lifecycle: VolumeLifecycle) -> &'static str {
    match lifecycle {
        VolumeLifecycle::Active => "active",
        VolumeLifecycle::Deleting => "deleting",
        VolumeLifecycle::DeletionFailed => "deletion-failed",
    }
}

/// A plan as JSON.
pub fn plan_json(plan: &CreatePlan) -> Value {
    let manifest: Value = serde_json::from_str(&plan.manifest_json)
        .unwrap_or(Value::String(plan.manifest_json.clone()));
    json!({"summary": plan.summary, "manifest": manifest, "warnings": plan.warnings,
           "checked-online": plan.checked_online, "storage-classes": plan.storage_classes,
           "browser-hosts": plan.browser_hosts})
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bindings::{ExistingVolume, VolumeStatus};

    fn volume(name: &str, size: Option<u32>, class: Option<&str>, pv: Option<&str>) -> Volume {
        Volume {
            id: format!("id-{name}"),
            name: name.into(),
            fqn: format!("c:w:{name}"),
            mount_reference: format!("tfy-volume://c:w:{name}"),
            workspace_fqn: "c:w".into(),
            kind: if pv.is_some() {
                VolumeKind::Static
            } else {
                VolumeKind::Dynamic
            },
            size_gi: size,
            storage_class: class.map(Into::into),
            persistent_volume_name: pv.map(Into::into),
            status: VolumeStatus {
                phase: StatusPhase::Running,
                api_status: "DEPLOY_SUCCESS".into(),
                display: "RUNNING".into(),
                terminal: true,
                message: None,
            },
            version: Some(1),
            created_at: Some("2026-02-10T14:30:00Z".into()),
            browser_url: None,
            browser_username: None,
            lifecycle: VolumeLifecycle::Active,
        }
    }

    #[test]
    fn table_has_the_five_columns_aligned() {
        let table = volumes_table(&[
            volume("training-data", Some(100), Some("efs-sc"), None),
            volume("shared", None, None, Some("shared-pv")),
        ]);
        let expected = [
            "NAME           SIZE    STORAGE CLASS        STATUS   CREATED",
            "training-data  100 Gi  efs-sc               RUNNING  2026-02-10T14:30:00Z",
            "shared         -       static PV shared-pv  RUNNING  2026-02-10T14:30:00Z",
        ];
        assert_eq!(table.to_string(), expected.join("\n") + "\n");
        assert_eq!(
            volumes_table(&[]).to_string(),
            "NAME  SIZE  STORAGE CLASS  STATUS  CREATED\n(no volumes in this workspace)\n"
        );
    }

    #[test]
    fn a_cell_with_escapes_stays_one_aligned_row() {
        let table = volumes_table(&[
            volume("ok", Some(1), Some("a"), None),
            volume("x\u{1b}[2J\r\ny", Some(2), Some("b"), None),
        ]);
        let expected = [
            "NAME             SIZE  STORAGE CLASS  STATUS   CREATED",
            "ok               1 Gi  a              RUNNING  2026-02-10T14:30:00Z",
            "x\\u{1b}[2J\\r\\ny  2 Gi  b              RUNNING  2026-02-10T14:30:00Z",
        ];
        assert_eq!(table.to_string(), expected.join("\n") + "\n");
    }

    #[test]
    fn storage_classes_are_a_table_between_the_cluster_and_its_hosts() {
        let storage = ClusterStorage {
            cluster_id: "c1".into(),
            cluster_type: "aws-eks".into(),
            cloud: Cloud::Aws,
            default_storage_class: Some("efs-sc".into()),
            storage_classes: vec![
                crate::bindings::StorageClassInfo {
                    name: "efs-sc".into(),
                    driver: "efs.csi.aws.com".into(),
                    tier: "standard".into(),
                    access_mode: "ReadWriteMany".into(),
                    notes: "Shared NFS.".into(),
                    is_default: true,
                },
                crate::bindings::StorageClassInfo {
                    name: "gp3".into(),
                    driver: "ebs.csi.aws.com".into(),
                    tier: "fast".into(),
                    access_mode: "ReadWriteOnce".into(),
                    notes: "One node.".into(),
                    is_default: false,
                },
            ],
            browser_hosts: vec!["a.example.com".into(), "b.example.com".into()],
            note: "These are the usual classes.".into(),
        };
        let expected = [
            "Cluster c1 (aws-eks, cloud aws)",
            "These are the usual classes.",
            "STORAGE CLASS  DEFAULT  TIER      DRIVER           ACCESS         NOTES",
            "efs-sc         yes      standard  efs.csi.aws.com  ReadWriteMany  Shared NFS.",
            "gp3                     fast      ebs.csi.aws.com  ReadWriteOnce  One node.",
            "Volume Browser hosts: a.example.com, b.example.com",
        ];
        assert_eq!(
            cluster_storage_text(&storage).to_string(),
            expected.join("\n") + "\n"
        );
    }

    #[test]
    fn errors_render_their_case_fields_and_fix() {
        let error = VolumeError::AlreadyExists(ExistingVolume {
            name: "v".into(),
            workspace_fqn: "c:w".into(),
            id: "app-1".into(),
            fix: "Use it.".into(),
        });
        assert_eq!(
            error_json(&error),
            json!({"error":"already-exists","name":"v","workspace-fqn":"c:w","id":"app-1","fix":"Use it."})
        );
        assert_eq!(
            error_text(&error).to_string(),
            "error: already-exists\n  id: app-1\n  name: v\n  workspace-fqn: c:w\n  \
             what to do: Use it.\n"
        );
    }
}
