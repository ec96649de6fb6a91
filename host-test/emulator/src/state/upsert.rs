//! `PUT /apps` on the store: creating a volume application or adding a version, with the
//! rules for changing an existing volume.

use std::time::SystemTime;

use serde_json::Value;

use super::entities::{App, Deployment, Ids, Lifecycle, Outcome, Status, PROVISIONED_NOTHING};
use super::lifecycle::finish;
use super::{Store, Workspace};
use crate::clock;
use crate::validate::{VolumeKind, VolumeSpec};

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
    /// The latest deployment is still in progress and `forceDeploy` was not set, or the
    /// application is being deleted (answered 409).
    Conflict(String),
}

/// What an upsert produced (or, for a dry run, would produce).
pub(crate) struct Upserted {
    pub(crate) app_id: String,
    pub(crate) app_fqn: String,
    pub(crate) deployment: Deployment,
}

impl Store {
    /// Creates the application, or adds a version to the one with the same name in the
    /// workspace. A dry run checks everything and returns the would-be deployment unstored.
    pub(crate) fn upsert(&mut self, req: Upsert) -> Result<Upserted, UpsertError> {
        let existing = self.app_by_name(&req.workspace.id, &req.spec.name);
        if let Some(idx) = existing {
            check_update(&self.apps[idx], &req)?;
        }
        let now = clock::now();
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
            created_at: now,
            updated_at: now,
            status: Status {
                id: status_id,
                value: "INITIALIZED".to_string(),
                message: None,
                at: now,
            },
            kind: req.spec.kind,
            outcome,
            reads: 0,
        };
        if self.progress.is_immediate() {
            finish(&mut deployment, now);
        }
        if req.dry_run {
            return Ok(Upserted {
                app_id,
                app_fqn,
                deployment,
            });
        }
        match existing {
            Some(idx) => self.add_version(idx, deployment.clone(), now),
            None => self.apps.push(App {
                id: app_id.clone(),
                name: req.spec.name,
                workspace: req.workspace,
                created_at: now,
                updated_at: now,
                deployments: vec![deployment.clone()],
                lifecycle: Lifecycle::Active,
                mounted_by: Vec::new(),
            }),
        }
        self.changed();
        Ok(Upserted {
            app_id,
            app_fqn,
            deployment,
        })
    }

    /// Appends a deployment, cancelling a predecessor still in progress (`forceDeploy`). A
    /// volume whose deletion failed is active again.
    fn add_version(&mut self, idx: usize, deployment: Deployment, now: SystemTime) {
        let Some(app) = self.apps.get_mut(idx) else {
            return;
        };
        if let Some(prev) = app.deployments.last_mut() {
            if !prev.status.is_terminal() {
                prev.status = Status {
                    id: Ids::next(&mut self.ids.status, "st"),
                    value: "CANCELLED".to_string(),
                    message: Some(format!("Superseded by version {}", deployment.version)),
                    at: now,
                };
                prev.updated_at = now;
            }
        }
        app.deployments.push(deployment);
        app.updated_at = now;
        app.lifecycle = Lifecycle::Active;
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

/// Rules for a new version of an existing volume (the working guesses of
/// `docs/truefoundry-api.md` §15): the provisioning type and storage class are fixed and the
/// size may only grow, relative to the newest deployment that may have provisioned something;
/// a deployment in progress blocks a new one unless `forceDeploy` is set; and a volume being
/// deleted takes no new version.
fn check_update(app: &App, req: &Upsert) -> Result<(), UpsertError> {
    if app.lifecycle == Lifecycle::Deleting {
        return Err(UpsertError::Conflict(format!(
            "Application {} is being deleted; wait until it is gone, then create it again",
            app.name
        )));
    }
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
            return Err(UpsertError::Conflict(format!(
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
