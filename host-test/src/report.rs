//! Renders the component's results for people (tables, details, errors) and as JSON.

use serde_json::{json, Value};

use crate::bindings::{
    Cloud, ClusterStorage, CreatePlan, ResourceKind, SizingAdvice, Snippet, StaticVolumeSetup,
    StatusPhase, StorageAdvice, StorageChoice, Volume, VolumeError, VolumeKind, VolumeLifecycle,
    VolumeStatus,
};

/// `list` as a table: Name | Size | Storage Class | Status | Created.
pub fn volumes_table(volumes: &[Volume]) -> String {
    let header = ["NAME", "SIZE", "STORAGE CLASS", "STATUS", "CREATED"];
    let rows: Vec<[String; 5]> = volumes
        .iter()
        .map(|volume| {
            [
                volume.name.clone(),
                size_text(volume),
                storage_text(volume),
                volume.status.display.clone(),
                volume.created_at.clone().unwrap_or_else(|| "-".into()),
            ]
        })
        .collect();
    let mut widths = header.map(str::len);
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |cells: &[String]| {
        let padded: Vec<String> = cells
            .iter()
            .zip(widths)
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect();
        padded.join("  ").trim_end().to_string()
    };
    let mut out = line(&header.map(String::from));
    out.push('\n');
    for row in &rows {
        out.push_str(&line(row));
        out.push('\n');
    }
    if rows.is_empty() {
        out.push_str("(no volumes in this workspace)\n");
    }
    out
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
pub fn volume_details(volume: &Volume) -> String {
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
    lines.join("\n") + "\n"
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
pub fn plan_text(plan: &CreatePlan) -> String {
    let mut out = plan.summary.clone();
    out.push('\n');
    if plan.checked_online {
        out.push_str(
            "Checked against the control plane: the workspace exists and the name is free.\n",
        );
        if !plan.storage_classes.is_empty() {
            out.push_str(&format!(
                "Storage classes offered: {}\n",
                plan.storage_classes.join(", ")
            ));
        }
        if !plan.browser_hosts.is_empty() {
            out.push_str(&format!(
                "Browser hosts: {}\n",
                plan.browser_hosts.join(", ")
            ));
        }
    }
    out.push_str(&warnings_text(&plan.warnings));
    out
}

fn warnings_text(warnings: &[String]) -> String {
    warnings
        .iter()
        .map(|warning| format!("Warning: {warning}\n"))
        .collect()
}

/// A snippet, then its warnings as comments a person will notice.
pub fn snippet_text(snippet: &Snippet) -> String {
    let mut out = snippet.text.clone();
    if !snippet.warnings.is_empty() {
        out.push('\n');
        out.push_str(&warnings_text(&snippet.warnings));
    }
    out
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
pub fn cluster_storage_text(storage: &ClusterStorage) -> String {
    let mut out = format!(
        "Cluster {} ({}, cloud {})\n",
        storage.cluster_id,
        storage.cluster_type,
        cloud_text(storage.cloud)
    );
    if storage.storage_classes.is_empty() {
        out.push_str("No known storage classes for this cluster type; ask the cluster admin (`kubectl get storageclass`).\n");
    }
    for class in &storage.storage_classes {
        let default = if class.is_default { " (default)" } else { "" };
        out.push_str(&format!(
            "  {}{default}: {} via {}, {}. {}\n",
            class.name, class.tier, class.driver, class.access_mode, class.notes
        ));
    }
    let hosts = if storage.browser_hosts.is_empty() {
        "none".to_string()
    } else {
        storage.browser_hosts.join(", ")
    };
    out.push_str(&format!("Volume Browser hosts: {hosts}\n"));
    out
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
    })
}

/// Sizing advice for people.
pub fn sizing_text(advice: &SizingAdvice) -> String {
    format!(
        "{} Gi\n{}\n{}",
        advice.size_gi,
        advice.rationale,
        warnings_text(&advice.warnings)
    )
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
pub fn storage_advice_text(advice: &StorageAdvice) -> String {
    let mut out = format!("Recommended: {}\n", choice_text(advice.choice));
    for reason in &advice.reasons {
        out.push_str(&format!("  - {reason}\n"));
    }
    out.push_str(&warnings_text(&advice.warnings));
    out
}

/// Storage advice as JSON.
pub fn storage_advice_json(advice: &StorageAdvice) -> Value {
    json!({"choice": choice_text(advice.choice), "reasons": advice.reasons, "warnings": advice.warnings})
}

/// A static volume recipe for people: steps, the PV, the manifest, notes.
pub fn static_plan_text(plan: &StaticVolumeSetup) -> String {
    let mut out = String::from("Steps:\n");
    for (index, step) in plan.steps.iter().enumerate() {
        out.push_str(&format!("  {}. {step}\n", index + 1));
    }
    out.push_str("\n# PersistentVolume (kubectl apply -f)\n");
    out.push_str(&plan.persistent_volume_yaml);
    out.push_str("\n# TrueFoundry volume manifest\n");
    out.push_str(&plan.volume_manifest_json);
    out.push('\n');
    for note in &plan.notes {
        out.push_str(&format!("Note: {note}\n"));
    }
    out
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
pub fn error_text(error: &VolumeError) -> String {
    let json = error_json(error);
    let mut out = format!("error: {}\n", error_case(error));
    if let Some(fields) = json.as_object() {
        for (key, value) in fields {
            if key == "error" || key == "fix" {
                continue;
            }
            let shown = value
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| value.to_string());
            out.push_str(&format!("  {key}: {shown}\n"));
        }
        if let Some(fix) = fields.get("fix").and_then(Value::as_str) {
            out.push_str(&format!("  what to do: {fix}\n"));
        }
    }
    out
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
        assert_eq!(table, expected.join("\n") + "\n");
        assert!(volumes_table(&[]).contains("(no volumes"));
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
        let text = error_text(&error);
        assert!(text.starts_with("error: already-exists\n"));
        assert!(text.ends_with("  what to do: Use it.\n"));
    }
}
