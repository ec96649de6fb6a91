//! `tfy-volumes apply -f volume.yaml`: a TrueFoundry volume manifest, the YAML `tfy apply`
//! takes (`type: volume`, `name`, `config`, optional `volume_browser` and `workspace_fqn`),
//! compared with what exists. A new volume is created; an existing one is only ever
//! expanded — any other difference is refused with its reason, so a volume is never
//! replaced behind a person's back. It shows the changes first (and asks, on a terminal);
//! `--dry-run` stops there.

use std::path::Path;

use serde::Deserialize;
use serde_json::{json, Value};
use tfy_volumes_host::bindings::{
    BrowserSettings, CreateRequest, ExpandRequest, ResourceKind, StatusPhase, Volume, VolumeError,
    VolumeKind, VolumeLifecycle,
};
use tfy_volumes_host::report;
use tfy_volumes_host::terminal::Text;

use crate::args::ApplyArgs;
use crate::commands::Session;
use crate::failure::{ok, Failure};
use crate::progress::interruptible;
use crate::{confirm, output, Context};

/// A TrueFoundry volume manifest. Unknown fields are refused, as TrueFoundry's SDK refuses
/// them.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    #[serde(rename = "type")]
    _type: String,
    name: String,
    config: Config,
    #[serde(default)]
    volume_browser: Option<Browser>,
    #[serde(default)]
    workspace_fqn: Option<String>,
}

#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "lowercase", deny_unknown_fields)]
enum Config {
    Dynamic { storage_class: String, size: u32 },
    Static { persistent_volume_name: String },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Browser {
    #[serde(default)]
    username: Option<String>,
    #[serde(default)]
    password_secret_fqn: Option<String>,
    endpoint: Endpoint,
    #[serde(default)]
    service_account: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Endpoint {
    host: String,
    #[serde(default)]
    path: Option<String>,
}

/// What apply does to the volume.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Action {
    Create,
    Expand(u32),
    ReplaceFailed,
    Unchanged,
}

impl Action {
    fn name(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Expand(_) => "expand",
            Action::ReplaceFailed => "replace-failed",
            Action::Unchanged => "unchanged",
        }
    }
}

/// One difference between the manifest and the volume.
struct Change {
    field: &'static str,
    from: Option<String>,
    to: Option<String>,
    /// Why it is refused, for a change apply will not make.
    refused: Option<String>,
}

impl Change {
    fn added(field: &'static str, to: impl Into<String>) -> Change {
        Change {
            field,
            from: None,
            to: Some(to.into()),
            refused: None,
        }
    }

    fn line(&self) -> String {
        let shown = |value: &Option<String>| value.clone().unwrap_or_else(|| "(none)".into());
        match (&self.from, &self.refused) {
            (None, None) => format!("+ {}: {}", self.field, shown(&self.to)),
            (Some(from), None) => format!("~ {}: {from} -> {}", self.field, shown(&self.to)),
            (_, Some(reason)) => format!(
                "{}: {} -> {} ({reason})",
                self.field,
                shown(&self.from),
                shown(&self.to)
            ),
        }
    }

    fn json(&self) -> Value {
        json!({"field": self.field, "from": self.from, "to": self.to})
    }
}

/// Runs `apply`.
pub async fn apply(cx: &Context, session: &mut Session, args: &ApplyArgs) -> Result<(), Failure> {
    let manifest = read(&args.file)?;
    let workspace = workspace_of(&manifest, args.workspace.as_deref(), &args.file)?;
    let request = manifest.request(&workspace, args.replace_failed);
    let fqn = format!("{workspace}:{}", manifest.name);
    let volumes = &mut session.volumes;
    // The component's own rules first, before anything is read or written.
    ok(volumes.plan(&request).await?)?;
    let existing = match volumes.get(&fqn).await? {
        Ok(volume) => Some(volume),
        Err(VolumeError::NotFound(missing)) if missing.kind == ResourceKind::Volume => None,
        Err(error) => return Err(Failure::Component(error)),
    };
    let (action, changes) = decide(&manifest, &request, existing.as_ref(), args.replace_failed);
    let refused: Vec<String> = changes
        .iter()
        .filter(|change| change.refused.is_some())
        .map(Change::line)
        .collect();
    if !refused.is_empty() {
        return Err(Failure::Refused {
            volume: fqn.clone(),
            changes: refused,
            fix: format!(
                "apply changes an existing volume only by growing config.size. To change \
                 anything else, create a volume under another name and move the data, or \
                 delete this one first ({} delete {fqn}); for a volume whose create failed, \
                 --replace-failed.",
                cx.program
            ),
        });
    }
    let changes_json: Vec<Value> = changes.iter().map(Change::json).collect();
    let lines = change_lines(&fqn, action, &changes);
    if args.dry_run || action == Action::Unchanged {
        let value = json!({"action": action.name(), "volume-fqn": fqn, "changes": changes_json,
                           "dry-run": args.dry_run,
                           "volume": existing.as_ref().map(report::volume_json)});
        output::emit(cx.format, value, || lines);
        return Ok(());
    }
    if confirm::should_ask(args.confirm.yes) {
        output::warn(lines.clone());
        confirm::yes_or_cancel("Apply it?", "nothing was changed")?;
    } else if cx.format == crate::OutputFormat::Text {
        output::warn(lines.clone());
    }
    let interrupted = || Failure::Interrupted {
        message: format!(
            "stopped before the control plane answered; {fqn} may or may not have changed"
        ),
        resume: format!("{} get {fqn}", cx.program),
    };
    let mut changed = match action {
        Action::Create | Action::ReplaceFailed => {
            ok(interruptible(volumes.create(&request), interrupted).await??)?
        }
        Action::Expand(size) => {
            let before = existing.as_ref();
            let expand = ExpandRequest {
                volume: fqn.clone(),
                new_size_gi: size,
                expected_version: before.and_then(|volume| volume.version),
                wait: None,
            };
            let mut expanded = ok(interruptible(volumes.expand(&expand), interrupted).await??)?;
            expanded.created_at = before
                .and_then(|volume| volume.created_at.clone())
                .or(expanded.created_at);
            expanded
        }
        Action::Unchanged => unreachable!("returned above"),
    };
    changed = session.settled(cx, changed, &args.wait).await?;
    let value = json!({"action": action.name(), "volume-fqn": fqn, "changes": changes_json,
                       "dry-run": false, "volume": report::volume_json(&changed)});
    output::emit(cx.format, value, || report::volume_details(&changed));
    Ok(())
}

/// The change lines a person reads: what apply will do, then each field.
fn change_lines(fqn: &str, action: Action, changes: &[Change]) -> Text {
    let mut text = Text::from(match action {
        Action::Create => format!("{fqn} does not exist; apply creates it:"),
        Action::Expand(_) => format!("{fqn} exists; apply expands it:"),
        Action::ReplaceFailed => {
            format!("{fqn} exists but its create failed; apply replaces it (--replace-failed):")
        }
        Action::Unchanged => format!("{fqn} is up to date; nothing to apply."),
    });
    for change in changes {
        text.line(format!("  {}", change.line()));
    }
    text
}

/// Reads and parses the manifest at `file` (`-` for stdin).
fn read(file: &Path) -> Result<Manifest, Failure> {
    let shown = file.display();
    let text = if file == Path::new("-") {
        std::io::read_to_string(std::io::stdin())
    } else {
        std::fs::read_to_string(file)
    }
    .map_err(|error| {
        Failure::usage(
            format!("cannot read the manifest {shown}: {error}"),
            "Pass a readable volume manifest with -f (or - for stdin).",
        )
    })?;
    let fix = "Write a TrueFoundry volume manifest: type: volume, name, config (type: dynamic \
               with storage_class and size in Gi, or type: static with persistent_volume_name), \
               optionally volume_browser and workspace_fqn.";
    let value: serde_yaml_ng::Value = serde_yaml_ng::from_str(&text)
        .map_err(|error| Failure::usage(format!("{shown} is not YAML: {error}"), fix))?;
    let kind = value.get("type").and_then(serde_yaml_ng::Value::as_str);
    if kind != Some("volume") {
        let found = kind.map_or_else(|| "no `type`".to_string(), |kind| format!("type: {kind}"));
        return Err(Failure::usage(
            format!("{shown} is not a volume manifest ({found}); apply takes `type: volume`"),
            fix,
        ));
    }
    let manifest: Manifest = serde_yaml_ng::from_value(value).map_err(|error| {
        Failure::usage(
            format!("{shown} is not a usable volume manifest: {error}"),
            fix,
        )
    })?;
    if let Some(account) = manifest
        .volume_browser
        .as_ref()
        .and_then(|browser| browser.service_account.as_deref())
        .filter(|account| *account != "default")
    {
        return Err(Failure::usage(
            format!(
                "{shown}: volume_browser.service_account {account:?} is not supported; the \
                 Volume Browser runs as `default`"
            ),
            "Remove volume_browser.service_account (or set it to default).",
        ));
    }
    Ok(manifest)
}

/// The workspace: the manifest's `workspace_fqn`, else `--workspace` / `TFY_WORKSPACE`; the
/// two must agree when both are given.
fn workspace_of(manifest: &Manifest, flag: Option<&str>, file: &Path) -> Result<String, Failure> {
    match (manifest.workspace_fqn.as_deref(), flag) {
        (Some(named), Some(flag)) if named != flag => Err(Failure::usage(
            format!(
                "{} names workspace {named}, but --workspace (or TFY_WORKSPACE) says {flag}",
                file.display()
            ),
            "Make them agree, or leave one out.",
        )),
        (Some(named), _) => Ok(named.to_string()),
        (None, Some(flag)) => Ok(flag.to_string()),
        (None, None) => Err(Failure::usage(
            format!("{} has no workspace_fqn", file.display()),
            "Add workspace_fqn: <cluster>:<workspace> to the manifest, or pass --workspace \
             (or set TFY_WORKSPACE).",
        )),
    }
}

impl Manifest {
    /// The create request the manifest describes.
    fn request(&self, workspace: &str, replace_failed: bool) -> CreateRequest {
        let (kind, size_gi, storage_class, persistent_volume_name) = match &self.config {
            Config::Dynamic {
                storage_class,
                size,
            } => (
                VolumeKind::Dynamic,
                Some(*size),
                Some(storage_class.clone()),
                None,
            ),
            Config::Static {
                persistent_volume_name,
            } => (
                VolumeKind::Static,
                None,
                None,
                Some(persistent_volume_name.clone()),
            ),
        };
        CreateRequest {
            workspace_fqn: workspace.to_string(),
            name: self.name.clone(),
            kind,
            size_gi,
            storage_class,
            persistent_volume_name,
            browser: self.volume_browser.as_ref().map(|browser| BrowserSettings {
                username: browser.username.clone(),
                password_secret_fqn: browser.password_secret_fqn.clone(),
                host: browser.endpoint.host.clone(),
                path: browser.endpoint.path.clone(),
            }),
            wait: None,
            replace_failed,
        }
    }

    /// The Volume Browser's URL and username as the control plane reports them, with the
    /// component's defaults (`/<name>/`, `admin`).
    fn browser(&self) -> Option<(String, String)> {
        self.volume_browser.as_ref().map(|browser| {
            let path = browser
                .endpoint
                .path
                .clone()
                .unwrap_or_else(|| format!("/{}/", self.name));
            let user = browser.username.clone().unwrap_or_else(|| "admin".into());
            (format!("https://{}{path}", browser.endpoint.host), user)
        })
    }
}

/// What to do, and each difference (refused ones carry their reason).
fn decide(
    manifest: &Manifest,
    request: &CreateRequest,
    existing: Option<&Volume>,
    replace_failed: bool,
) -> (Action, Vec<Change>) {
    let Some(volume) = existing else {
        return (Action::Create, fields(manifest, request));
    };
    let refuse = |field, from: Option<String>, to: Option<String>, reason: &str| Change {
        field,
        from,
        to,
        refused: Some(reason.to_string()),
    };
    if volume.lifecycle != VolumeLifecycle::Active {
        let state = match volume.lifecycle {
            VolumeLifecycle::Deleting => "being deleted",
            _ => "one whose deletion failed",
        };
        return (
            Action::Unchanged,
            vec![refuse(
                "volume",
                Some(state.into()),
                Some("applied".into()),
                "wait until the deletion ends, then apply again",
            )],
        );
    }
    if replace_failed && volume.status.phase == StatusPhase::Failed {
        return (Action::ReplaceFailed, fields(manifest, request));
    }
    let mut changes = Vec::new();
    let mut action = Action::Unchanged;
    let kind_name = |kind: VolumeKind| match kind {
        VolumeKind::Dynamic => "dynamic",
        VolumeKind::Static => "static",
    };
    if volume.kind != request.kind {
        changes.push(refuse(
            "config.type",
            Some(kind_name(volume.kind).into()),
            Some(kind_name(request.kind).into()),
            "a volume's kind cannot change",
        ));
    }
    if volume.kind == request.kind && request.kind == VolumeKind::Dynamic {
        if volume.storage_class != request.storage_class {
            changes.push(refuse(
                "config.storage_class",
                volume.storage_class.clone(),
                request.storage_class.clone(),
                "a volume's storage class cannot change",
            ));
        }
        match (volume.size_gi, request.size_gi) {
            (Some(now), Some(wanted)) if wanted < now => changes.push(refuse(
                "config.size",
                Some(format!("{now} Gi")),
                Some(format!("{wanted} Gi")),
                "volumes never shrink",
            )),
            (now, Some(wanted)) if now != Some(wanted) => {
                changes.push(Change {
                    field: "config.size",
                    from: Some(now.map_or_else(|| "unknown".into(), |now| format!("{now} Gi"))),
                    to: Some(format!("{wanted} Gi")),
                    refused: None,
                });
                action = Action::Expand(wanted);
            }
            _ => {}
        }
    }
    if volume.kind == request.kind
        && request.kind == VolumeKind::Static
        && volume.persistent_volume_name != request.persistent_volume_name
    {
        changes.push(refuse(
            "config.persistent_volume_name",
            volume.persistent_volume_name.clone(),
            request.persistent_volume_name.clone(),
            "a static volume's PersistentVolume cannot change",
        ));
    }
    let deployed = volume.browser_url.clone().map(|url| {
        let user = volume
            .browser_username
            .clone()
            .unwrap_or_else(|| "admin".into());
        (url, user)
    });
    let wanted = manifest.browser();
    if deployed.as_ref().map(|(url, _)| url) != wanted.as_ref().map(|(url, _)| url) {
        changes.push(refuse(
            "volume_browser.endpoint",
            deployed.as_ref().map(|(url, _)| url.clone()),
            wanted.as_ref().map(|(url, _)| url.clone()),
            "apply changes only the size",
        ));
    } else if let (Some((_, now)), Some((_, user))) = (&deployed, &wanted) {
        if now != user {
            changes.push(refuse(
                "volume_browser.username",
                Some(now.clone()),
                Some(user.clone()),
                "apply changes only the size",
            ));
        }
    }
    (action, changes)
}

/// Every field a new volume gets, as additions.
fn fields(manifest: &Manifest, request: &CreateRequest) -> Vec<Change> {
    let mut changes = Vec::new();
    match request.kind {
        VolumeKind::Dynamic => {
            changes.push(Change::added("config.type", "dynamic"));
            if let Some(class) = &request.storage_class {
                changes.push(Change::added("config.storage_class", class.clone()));
            }
            if let Some(size) = request.size_gi {
                changes.push(Change::added("config.size", format!("{size} Gi")));
            }
        }
        VolumeKind::Static => {
            changes.push(Change::added("config.type", "static"));
            if let Some(pv) = &request.persistent_volume_name {
                changes.push(Change::added("config.persistent_volume_name", pv.clone()));
            }
        }
    }
    if let Some((url, user)) = manifest.browser() {
        changes.push(Change::added("volume_browser.endpoint", url));
        changes.push(Change::added("volume_browser.username", user));
    }
    changes
}
