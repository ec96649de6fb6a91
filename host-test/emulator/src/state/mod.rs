//! The store: workspaces, clusters, volume applications and their deployments, and how they
//! change (upserts, progress, deletion).
//!
//! Everything here is plain data behind one mutex (see `lib.rs`); rendering to JSON lives in
//! `json.rs`, HTTP concerns in `routes.rs`, and the state file in `persist.rs`.

mod entities;
mod lifecycle;
mod upsert;

use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use serde_json::Value;

pub(crate) use entities::{App, Deployment, Ids, Status, Workspace};
pub(crate) use upsert::{Upsert, UpsertError};

use crate::clock;
use crate::error::StateError;
use crate::persist::{self, Saved};
use crate::seed::{Access, Seed, SeedCluster, SeedKey};
use crate::validate;
use entities::{Outcome, PROVISIONED_NOTHING};

/// A seed the emulator cannot start from (unknown workspace, invalid manifest, ...).
#[derive(Debug)]
pub(crate) struct SeedError(pub(crate) String);

/// How a new deployment moves from `INITIALIZED` to its terminal status.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Progress {
    /// After this many reads (deterministic, for tests).
    Reads(u32),
    /// This long after it was created (a state file keeps the creation time).
    Time(Duration),
}

impl Progress {
    /// Whether a new deployment is terminal at once (no reads, or no time, to wait for).
    fn is_immediate(self) -> bool {
        match self {
            Progress::Reads(reads) => reads == 0,
            Progress::Time(after) => after.is_zero(),
        }
    }

    fn of(seed: &Seed) -> Progress {
        match seed.ready_after_ms {
            Some(ms) => Progress::Time(Duration::from_millis(ms)),
            None => Progress::Reads(seed.reads_until_ready),
        }
    }
}

/// The emulator's whole world.
#[derive(Debug)]
pub(crate) struct Store {
    pub(crate) tenant: String,
    pub(crate) keys: Vec<SeedKey>,
    pub(crate) clusters: Vec<SeedCluster>,
    pub(crate) workspaces: Vec<Workspace>,
    /// In creation order, which is also the list order.
    pub(crate) apps: Vec<App>,
    pub(crate) started_at: SystemTime,
    progress: Progress,
    ids: Ids,
    /// Where every change is saved, if anywhere.
    file: Option<PathBuf>,
    /// Whether something changed since the last save.
    unsaved: bool,
}

impl Store {
    /// Builds the store from a seed, creating the seeded volumes.
    pub(crate) fn from_seed(seed: Seed) -> Result<Store, SeedError> {
        let started_at = clock::now();
        let workspaces = seed
            .workspaces
            .iter()
            .map(|w| workspace_from_seed(&w.fqn, &w.id, started_at))
            .collect::<Result<Vec<_>, _>>()?;
        if let Some(twice) = first_duplicate(&workspaces) {
            return Err(SeedError(format!(
                "workspace {:?} (id {:?}) seeded twice",
                twice.fqn, twice.id
            )));
        }
        let mut store = Store {
            tenant: seed.tenant_name.clone(),
            keys: seed.api_keys.clone(),
            clusters: seed.clusters.clone(),
            workspaces,
            apps: Vec::new(),
            started_at,
            progress: Progress::of(&seed),
            ids: Ids::default(),
            file: None,
            unsaved: false,
        };
        for volume in seed.volumes {
            store.seed_volume(
                &volume.workspace_fqn,
                volume.manifest,
                volume.status,
                volume.mounted_by,
            )?;
        }
        Ok(store)
    }

    /// Builds the store from a saved state; the seed gives only what a state file does not
    /// hold (tenant, keys, clusters, progress).
    pub(crate) fn from_saved(seed: &Seed, saved: Saved) -> Result<Store, String> {
        saved.check()?;
        Ok(Store {
            tenant: seed.tenant_name.clone(),
            keys: seed.api_keys.clone(),
            clusters: seed.clusters.clone(),
            workspaces: saved.workspaces,
            apps: saved.applications,
            started_at: clock::now(),
            progress: Progress::of(seed),
            ids: saved.ids,
            file: None,
            unsaved: false,
        })
    }

    /// From now on, saves every change to `path` (and saves once now).
    pub(crate) fn keep_in(&mut self, path: PathBuf) -> Result<(), StateError> {
        self.file = Some(path);
        self.unsaved = true;
        self.save_if_changed()
    }

    /// Writes the state file if there is one and something changed since the last save. On
    /// failure the change stays marked unsaved, so the next request tries again.
    pub(crate) fn save_if_changed(&mut self) -> Result<(), StateError> {
        if let (Some(path), true) = (&self.file, self.unsaved) {
            persist::save(path, &self.workspaces, &self.apps, &self.ids)?;
        }
        self.unsaved = false;
        Ok(())
    }

    /// Notes that the world changed (and must be saved).
    fn changed(&mut self) {
        self.unsaved = true;
    }

    fn seed_volume(
        &mut self,
        workspace_fqn: &str,
        mut manifest: Value,
        status: Option<String>,
        mounted_by: Vec<String>,
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
        let Some(app) = self.apps.last_mut() else {
            return Ok(());
        };
        app.mounted_by = mounted_by;
        // The seeded status replaces the fresh one; a non-terminal value progresses as usual.
        let status = status.unwrap_or_else(|| "DEPLOY_SUCCESS".to_string());
        if let Some(dep) = app.deployments.last_mut() {
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
}

/// The first workspace whose id or FQN an earlier one already has.
pub(crate) fn first_duplicate(workspaces: &[Workspace]) -> Option<&Workspace> {
    workspaces.iter().enumerate().find_map(|(i, w)| {
        workspaces[..i]
            .iter()
            .any(|o| o.id == w.id || o.fqn == w.fqn)
            .then_some(w)
    })
}

/// Splits `cluster:name` and fills a default id.
fn workspace_from_seed(fqn: &str, id: &str, now: SystemTime) -> Result<Workspace, SeedError> {
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
        created_at: now,
    })
}
