//! The in-memory store: workspaces, clusters, volume applications and their deployments.
//!
//! Everything here is plain data behind one mutex (see `mod.rs`); rendering to JSON lives in
//! `json.rs` and HTTP concerns in `routes.rs`.

use serde_json::Value;

use super::clock::now_iso8601;
use super::seed::{Access, Seed, SeedCluster};
use super::validate::{self, VolumeKind, VolumeSpec};

/// Statuses after which a deployment never changes (spec §4, APPS).
const TERMINAL: [&str; 6] = [
    "DEPLOY_SUCCESS",
    "DEPLOY_FAILED",
    "BUILD_FAILED",
    "FAILED",
    "PAUSED",
    "CANCELLED",
];

/// Statuses of a deployment that provisioned nothing (it cannot constrain later versions).
const PROVISIONED_NOTHING: [&str; 4] = ["DEPLOY_FAILED", "BUILD_FAILED", "FAILED", "CANCELLED"];

/// A seed the emulator cannot start from (unknown workspace, invalid manifest, ...).
#[derive(Debug)]
pub(crate) struct SeedError(pub(crate) String);

impl std::fmt::Display for SeedError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "invalid emulator seed: {}", self.0)
    }
}

impl std::error::Error for SeedError {}

/// A workspace, with the parts of its FQN split out.
#[derive(Clone, Debug)]
pub(crate) struct Workspace {
    pub(crate) id: String,
    pub(crate) fqn: String,
    pub(crate) name: String,
    pub(crate) cluster_id: String,
    pub(crate) created_at: String,
}

/// One status of a deployment (a new id on every change, as the real API keeps a history).
#[derive(Clone, Debug)]
pub(crate) struct Status {
    pub(crate) id: String,
    pub(crate) value: String,
    pub(crate) message: Option<String>,
    pub(crate) at: String,
}

impl Status {
    /// Whether this status is final.
    pub(crate) fn is_terminal(&self) -> bool {
        TERMINAL.contains(&self.value.as_str())
    }
}

/// Where a deployment will end once it turns terminal, decided when it is created.
#[derive(Clone, Debug)]
enum Outcome {
    Success,
    Failed(String),
}

/// One version of a volume application.
#[derive(Clone, Debug)]
pub(crate) struct Deployment {
    pub(crate) id: String,
    pub(crate) version: u64,
    pub(crate) manifest: Value,
    pub(crate) created_at: String,
    pub(crate) updated_at: String,
    pub(crate) status: Status,
    kind: VolumeKind,
    outcome: Outcome,
    /// Reads served while non-terminal.
    reads: u32,
}

/// A volume application and all its deployments (oldest first; never empty).
#[derive(Clone, Debug)]
pub(crate) struct App {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) workspace: Workspace,
    pub(crate) created_at: String,
    pub(crate) updated_at: String,
    pub(crate) deployments: Vec<Deployment>,
}

impl App {
    /// `<cluster>:<workspace>:<name>`.
    pub(crate) fn fqn(&self) -> String {
        format!("{}:{}", self.workspace.fqn, self.name)
    }

    /// The newest deployment.
    pub(crate) fn latest(&self) -> Option<&Deployment> {
        self.deployments.last()
    }

    /// The newest deployment that reached `DEPLOY_SUCCESS`.
    pub(crate) fn active(&self) -> Option<&Deployment> {
        self.deployments
            .iter()
            .rev()
            .find(|d| d.status.value == "DEPLOY_SUCCESS")
    }
}

/// A validated create/update request, ready for [`Store::upsert`].
pub(crate) struct Upsert {
    pub(crate) workspace: Workspace,
    pub(crate) spec: VolumeSpec,
    /// The manifest as submitted, with `workspace_fqn` filled in.
    pub(crate) manifest: Value,
    pub(crate) force: bool,
    pub(crate) dry_run: bool,
}

/// Why an upsert was refused.
#[derive(Debug)]
pub(crate) enum UpsertError {
    /// The change is not allowed on an existing volume (answered 400).
    Immutable(String),
    /// The latest deployment is still in progress and `forceDeploy` was not set (answered 409).
    InProgress(String),
}

/// What an upsert produced (or, for a dry run, would produce).
pub(crate) struct Upserted {
    pub(crate) app_id: String,
    pub(crate) app_fqn: String,
    pub(crate) deployment: Deployment,
}

/// Id counters; ids look like `app-1`, `dep-1`, `st-1`.
#[derive(Debug, Default)]
struct Ids {
    app: u64,
    dep: u64,
    status: u64,
}

impl Ids {
    fn next(counter: &mut u64, prefix: &str) -> String {
        *counter += 1;
        format!("{prefix}-{counter}")
    }
}

/// The emulator's whole world.
#[derive(Debug)]
pub(crate) struct Store {
    pub(crate) tenant: String,
    pub(crate) keys: Vec<super::seed::SeedKey>,
    pub(crate) clusters: Vec<SeedCluster>,
    pub(crate) workspaces: Vec<Workspace>,
    /// In creation order, which is also the list order.
    pub(crate) apps: Vec<App>,
    pub(crate) started_at: String,
    reads_until_ready: u32,
    ids: Ids,
}

impl Store {
    /// Builds the store from a seed, creating the seeded volumes.
    pub(crate) fn from_seed(seed: Seed) -> Result<Store, SeedError> {
        let started_at = now_iso8601();
        let workspaces = seed
            .workspaces
            .iter()
            .map(|w| workspace_from_seed(&w.fqn, &w.id, &started_at))
            .collect::<Result<Vec<_>, _>>()?;
        for (i, w) in workspaces.iter().enumerate() {
            if workspaces[..i]
                .iter()
                .any(|o| o.id == w.id || o.fqn == w.fqn)
            {
                return Err(SeedError(format!(
                    "workspace {:?} (id {:?}) seeded twice",
                    w.fqn, w.id
                )));
            }
        }
        let mut store = Store {
            tenant: seed.tenant_name,
            keys: seed.api_keys,
            clusters: seed.clusters,
            workspaces,
            apps: Vec::new(),
            started_at,
            reads_until_ready: seed.reads_until_ready,
            ids: Ids::default(),
        };
        for volume in seed.volumes {
            store.seed_volume(&volume.workspace_fqn, volume.manifest, volume.status)?;
        }
        Ok(store)
    }

    fn seed_volume(
        &mut self,
        workspace_fqn: &str,
        mut manifest: Value,
        status: Option<String>,
    ) -> Result<(), SeedError> {
        let workspace = self
            .workspace_by_fqn(workspace_fqn)
            .cloned()
            .ok_or_else(|| SeedError(format!("volume in unknown workspace {workspace_fqn:?}")))?;
        let spec = validate::volume_manifest(&manifest).map_err(|e| SeedError(e.0))?;
        if self.app_by_name(&workspace.id, &spec.name).is_some() {
            return Err(SeedError(format!(
                "volume {:?} seeded twice in {workspace_fqn:?}",
                spec.name
            )));
        }
        if let Some(m) = manifest.as_object_mut() {
            m.insert("workspace_fqn".into(), Value::String(workspace.fqn.clone()));
        }
        let upsert = Upsert {
            workspace,
            spec,
            manifest,
            force: true,
            dry_run: false,
        };
        self.upsert(upsert)
            .map_err(|e| SeedError(format!("{e:?}")))?;
        // The seeded status replaces the fresh one; a non-terminal value progresses as usual.
        let status = status.unwrap_or_else(|| "DEPLOY_SUCCESS".to_string());
        if let Some(dep) = self
            .apps
            .last_mut()
            .and_then(|app| app.deployments.last_mut())
        {
            let failed = PROVISIONED_NOTHING.contains(&status.as_str());
            dep.status.message = match &dep.outcome {
                Outcome::Failed(why) if failed => Some(why.clone()),
                _ if failed => Some("Deployment failed".to_string()),
                _ => None,
            };
            dep.status.value = status;
        }
        Ok(())
    }

    /// The access of the key with this token.
    pub(crate) fn access_for(&self, token: &str) -> Option<&Access> {
        self.keys
            .iter()
            .find(|k| k.token == token)
            .map(|k| &k.access)
    }

    /// The workspace with this id.
    pub(crate) fn workspace_by_id(&self, id: &str) -> Option<&Workspace> {
        self.workspaces.iter().find(|w| w.id == id)
    }

    /// The workspace with this FQN.
    pub(crate) fn workspace_by_fqn(&self, fqn: &str) -> Option<&Workspace> {
        self.workspaces.iter().find(|w| w.fqn == fqn)
    }

    /// The cluster with this id.
    pub(crate) fn cluster(&self, id: &str) -> Option<&SeedCluster> {
        self.clusters.iter().find(|c| c.id == id)
    }

    /// Index of the application with this id.
    pub(crate) fn app_index(&self, id: &str) -> Option<usize> {
        self.apps.iter().position(|a| a.id == id)
    }

    fn app_by_name(&self, workspace_id: &str, name: &str) -> Option<usize> {
        self.apps
            .iter()
            .position(|a| a.workspace.id == workspace_id && a.name == name)
    }

    /// Removes an application; false if there was none with this id.
    pub(crate) fn delete(&mut self, id: &str) -> bool {
        let before = self.apps.len();
        self.apps.retain(|a| a.id != id);
        self.apps.len() != before
    }

    /// Creates the application, or adds a version to the one with the same name in the
    /// workspace. A dry run checks everything and returns the would-be deployment unstored.
    pub(crate) fn upsert(&mut self, req: Upsert) -> Result<Upserted, UpsertError> {
        let existing = self.app_by_name(&req.workspace.id, &req.spec.name);
        if let Some(idx) = existing {
            check_update(&self.apps[idx], &req)?;
        }
        let now = now_iso8601();
        let outcome = self.outcome_for(&req.workspace, &req.spec.kind);
        let (app_id, app_fqn, version) = match existing {
            Some(idx) => {
                let app = &self.apps[idx];
                let version = app.latest().map_or(1, |d| d.version + 1);
                (app.id.clone(), app.fqn(), version)
            }
            None => {
                let id = if req.dry_run {
                    format!("app-{}", self.ids.app + 1)
                } else {
                    Ids::next(&mut self.ids.app, "app")
                };
                (id, format!("{}:{}", req.workspace.fqn, req.spec.name), 1)
            }
        };
        // A dry run shows the ids the deployment would get, without using them up.
        let (dep_id, status_id) = if req.dry_run {
            (
                format!("dep-{}", self.ids.dep + 1),
                format!("st-{}", self.ids.status + 1),
            )
        } else {
            (
                Ids::next(&mut self.ids.dep, "dep"),
                Ids::next(&mut self.ids.status, "st"),
            )
        };
        let mut deployment = Deployment {
            id: dep_id,
            version,
            manifest: req.manifest,
            created_at: now.clone(),
            updated_at: now.clone(),
            status: Status {
                id: status_id,
                value: "INITIALIZED".to_string(),
                message: None,
                at: now.clone(),
            },
            kind: req.spec.kind,
            outcome,
            reads: 0,
        };
        if self.reads_until_ready == 0 {
            finish(&mut deployment);
        }
        if req.dry_run {
            return Ok(Upserted {
                app_id,
                app_fqn,
                deployment,
            });
        }
        match existing {
            Some(idx) => self.add_version(idx, deployment.clone(), &now),
            None => self.apps.push(App {
                id: app_id.clone(),
                name: req.spec.name,
                workspace: req.workspace,
                created_at: now.clone(),
                updated_at: now,
                deployments: vec![deployment.clone()],
            }),
        }
        Ok(Upserted {
            app_id,
            app_fqn,
            deployment,
        })
    }

    /// Appends a deployment, cancelling a predecessor still in progress (`forceDeploy`).
    fn add_version(&mut self, idx: usize, deployment: Deployment, now: &str) {
        let Some(app) = self.apps.get_mut(idx) else {
            return;
        };
        if let Some(prev) = app.deployments.last_mut() {
            if !prev.status.is_terminal() {
                prev.status = Status {
                    id: Ids::next(&mut self.ids.status, "st"),
                    value: "CANCELLED".to_string(),
                    message: Some(format!("Superseded by version {}", deployment.version)),
                    at: now.to_string(),
                };
                prev.updated_at = now.to_string();
            }
        }
        app.deployments.push(deployment);
        app.updated_at = now.to_string();
    }

    /// Counts one read of the application's latest deployment; after `reads_until_ready`
    /// reads a non-terminal deployment turns terminal (the read itself showed the old status).
    pub(crate) fn note_read(&mut self, idx: usize) {
        let limit = self.reads_until_ready;
        let Some(dep) = self
            .apps
            .get_mut(idx)
            .and_then(|a| a.deployments.last_mut())
        else {
            return;
        };
        if dep.status.is_terminal() {
            return;
        }
        dep.reads = dep.reads.saturating_add(1);
        if dep.reads >= limit {
            finish(dep);
            dep.status.id = Ids::next(&mut self.ids.status, "st");
        }
    }

    /// Decides now how the deployment will end: the cluster must have the storage class
    /// (when it lists any) or the PersistentVolume. An unknown cluster lists nothing.
    fn outcome_for(&self, workspace: &Workspace, kind: &VolumeKind) -> Outcome {
        let cluster = self.cluster(&workspace.cluster_id);
        match kind {
            VolumeKind::Dynamic { storage_class, .. } => {
                let classes = cluster.map(|c| c.storage_classes.as_slice()).unwrap_or(&[]);
                if classes.is_empty() || classes.contains(storage_class) {
                    Outcome::Success
                } else {
                    Outcome::Failed(format!(
                        "storageclass.storage.k8s.io \"{storage_class}\" not found"
                    ))
                }
            }
            VolumeKind::Static {
                persistent_volume_name,
            } => {
                let pvs = cluster
                    .map(|c| c.persistent_volumes.as_slice())
                    .unwrap_or(&[]);
                if pvs.contains(persistent_volume_name) {
                    Outcome::Success
                } else {
                    Outcome::Failed(format!(
                        "persistentvolume \"{persistent_volume_name}\" not found"
                    ))
                }
            }
        }
    }
}

/// Moves a deployment to its decided terminal status (the caller assigns the status id).
fn finish(dep: &mut Deployment) {
    let now = now_iso8601();
    let (value, message) = match &dep.outcome {
        Outcome::Success => ("DEPLOY_SUCCESS", None),
        Outcome::Failed(why) => ("DEPLOY_FAILED", Some(why.clone())),
    };
    dep.status.value = value.to_string();
    dep.status.message = message;
    dep.status.at = now.clone();
    dep.updated_at = now;
}

/// Rules for a new version of an existing volume (spec §15 guesses): the provisioning type and
/// storage class are fixed and the size may only grow, relative to the newest deployment that
/// may have provisioned something; and a deployment in progress blocks a new one unless
/// `forceDeploy` is set.
fn check_update(app: &App, req: &Upsert) -> Result<(), UpsertError> {
    let baseline = app
        .deployments
        .iter()
        .rev()
        .find(|d| !PROVISIONED_NOTHING.contains(&d.status.value.as_str()));
    if let Some(base) = baseline {
        compare_kinds(&app.name, &base.kind, &req.spec.kind)?;
    }
    if let Some(latest) = app.latest() {
        if !latest.status.is_terminal() && !req.force {
            return Err(UpsertError::InProgress(format!(
                "Deployment {} (version {}) of application {} is still in progress ({}); \
                 wait for it to finish or set forceDeploy",
                latest.id, latest.version, app.name, latest.status.value
            )));
        }
    }
    Ok(())
}

fn compare_kinds(name: &str, old: &VolumeKind, new: &VolumeKind) -> Result<(), UpsertError> {
    match (old, new) {
        (
            VolumeKind::Dynamic {
                storage_class: old_class,
                size: old_size,
            },
            VolumeKind::Dynamic {
                storage_class: new_class,
                size: new_size,
            },
        ) => {
            if old_class != new_class {
                return Err(UpsertError::Immutable(format!(
                    "manifest.config.storage_class: cannot be changed for existing volume {name} \
                     (from {old_class:?} to {new_class:?})"
                )));
            }
            if new_size < old_size {
                return Err(UpsertError::Immutable(format!(
                    "manifest.config.size: cannot be reduced for existing volume {name} \
                     (from {old_size} to {new_size} Gi); volumes can only grow"
                )));
            }
            Ok(())
        }
        (VolumeKind::Static { .. }, VolumeKind::Static { .. }) => Ok(()),
        _ => Err(UpsertError::Immutable(format!(
            "manifest.config.type: cannot be changed for existing volume {name} (from {} to {})",
            old.type_name(),
            new.type_name()
        ))),
    }
}

/// Splits `cluster:name` and fills a default id.
fn workspace_from_seed(fqn: &str, id: &str, now: &str) -> Result<Workspace, SeedError> {
    let (cluster_id, name) = fqn
        .split_once(':')
        .filter(|(c, n)| !c.is_empty() && !n.is_empty() && !n.contains(':'))
        .ok_or_else(|| SeedError(format!("workspace fqn {fqn:?} is not <cluster>:<name>")))?;
    Ok(Workspace {
        id: if id.is_empty() {
            format!("ws-{name}")
        } else {
            id.to_string()
        },
        fqn: fqn.to_string(),
        name: name.to_string(),
        cluster_id: cluster_id.to_string(),
        created_at: now.to_string(),
    })
}
