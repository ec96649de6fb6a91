//! The state file: the workspaces, volume applications (with every deployment) and id
//! counters of an emulator, saved after every change so another emulator started later on
//! the same file carries on where this one stopped.
//!
//! Saving writes a temporary file beside the state file, flushes it to disk, then renames it
//! over the state file: a crash leaves the old state or the new one, never half of one.
//! One emulator at a time should use a file; two running at once each overwrite the other's
//! changes.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{StartError, StateError};
use crate::seed::Seed;
use crate::state::{first_duplicate, App, Ids, Store, Workspace};

/// Names the format in the file, so an unrelated JSON file is refused for what it is.
const FORMAT: &str = "truefoundry-emulator-state";

/// The format version this emulator reads and writes.
const VERSION: u32 = 1;

/// A state file as written.
#[derive(Serialize)]
struct SavedRef<'a> {
    format: &'static str,
    version: u32,
    workspaces: &'a [Workspace],
    applications: &'a [App],
    ids: &'a Ids,
}

/// A state file as read.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Saved {
    format: String,
    version: u32,
    pub(crate) workspaces: Vec<Workspace>,
    pub(crate) applications: Vec<App>,
    pub(crate) ids: Ids,
}

impl Saved {
    /// Checks what serde cannot: the format, and that the records agree with each other.
    pub(crate) fn check(&self) -> Result<(), String> {
        if self.format != FORMAT || self.version != VERSION {
            return Err(format!(
                "format {:?} version {}, but this emulator reads {FORMAT:?} version {VERSION}",
                self.format, self.version
            ));
        }
        if let Some(twice) = first_duplicate(&self.workspaces) {
            return Err(format!(
                "workspace {:?} (id {:?}) appears twice",
                twice.fqn, twice.id
            ));
        }
        for (i, app) in self.applications.iter().enumerate() {
            if !self.workspaces.contains(&app.workspace) {
                return Err(format!(
                    "application {:?} is in workspace {:?}, which the file does not list",
                    app.id, app.workspace.fqn
                ));
            }
            if app.deployments.is_empty() {
                return Err(format!("application {:?} has no deployment", app.id));
            }
            if self.applications[..i]
                .iter()
                .any(|other| other.id == app.id)
            {
                return Err(format!("application id {:?} appears twice", app.id));
            }
        }
        Ok(())
    }
}

/// The store kept in `path`: loaded from it when it exists, otherwise built from the seed and
/// saved there. Never falls back to the seed over a file that exists but cannot be used.
pub(crate) fn open(seed: Seed, path: &Path) -> Result<Store, StartError> {
    let mut store = match fs::read(path) {
        Ok(bytes) => {
            let corrupt = |detail: String| StateError::Corrupt {
                path: path.to_path_buf(),
                detail,
            };
            let saved: Saved =
                serde_json::from_slice(&bytes).map_err(|error| corrupt(error.to_string()))?;
            Store::from_saved(&seed, saved).map_err(corrupt)?
        }
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            Store::from_seed(seed).map_err(|error| StartError::InvalidSeed(error.0))?
        }
        Err(error) => {
            return Err(StateError::Unreadable {
                path: path.to_path_buf(),
                error,
            }
            .into())
        }
    };
    store.keep_in(path.to_path_buf())?;
    Ok(store)
}

/// Writes the state atomically (temporary file, flush to disk, rename), creating the parent
/// directory if needed.
pub(crate) fn save(
    path: &Path,
    workspaces: &[Workspace],
    applications: &[App],
    ids: &Ids,
) -> Result<(), StateError> {
    let unwritable = |error: std::io::Error| StateError::Unwritable {
        path: path.to_path_buf(),
        error,
    };
    let saved = SavedRef {
        format: FORMAT,
        version: VERSION,
        workspaces,
        applications,
        ids,
    };
    // Serializing plain structs with string keys cannot fail.
    let mut bytes = serde_json::to_vec_pretty(&saved).unwrap_or_default();
    bytes.push(b'\n');
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent).map_err(unwritable)?;
    }
    let temp = temporary_sibling(path);
    let written = fs::File::create(&temp).and_then(|mut file| {
        file.write_all(&bytes)?;
        file.sync_all()
    });
    if let Err(error) = written.and_then(|()| fs::rename(&temp, path)) {
        let _ = fs::remove_file(&temp);
        return Err(unwritable(error));
    }
    Ok(())
}

/// `<dir>/.<name>.tmp-<pid>`: in the same directory (a rename never crosses file systems)
/// and per process.
fn temporary_sibling(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map_or_else(|| "state".into(), |n| n.to_string_lossy().into_owned());
    path.with_file_name(format!(".{name}.tmp-{}", std::process::id()))
}

/// Forgets the state kept in `path`: the next emulator started on it begins from its seed.
/// A file that does not exist is already reset.
pub fn reset_state(path: &Path) -> Result<(), StateError> {
    match fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(error) => Err(StateError::Unwritable {
            path: path.to_path_buf(),
            error,
        }),
    }
}
