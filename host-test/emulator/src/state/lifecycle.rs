//! How the store changes with time and attention: deployments turning terminal (after a
//! number of reads, or after wall-clock time), and asynchronous deletion.

use std::time::SystemTime;

use super::entities::{Deployment, Ids, Lifecycle, Outcome, Status};
use super::{Progress, Store};
use crate::clock;

impl Store {
    /// Catches up with wall-clock time: under [`Progress::Time`], every deployment that is due
    /// turns terminal, dated when it became due (so catching up late, even in another process,
    /// gives the same dates).
    pub(crate) fn settle(&mut self, now: SystemTime) {
        let Progress::Time(after) = self.progress else {
            return;
        };
        let mut changed = false;
        for app in &mut self.apps {
            let Some(dep) = app.deployments.last_mut() else {
                continue;
            };
            let due = dep.created_at.checked_add(after).unwrap_or(dep.created_at);
            if !dep.status.is_terminal() && now >= due {
                finish(dep, due);
                dep.status.id = Ids::next(&mut self.ids.status, "st");
                changed = true;
            }
        }
        if changed {
            self.changed();
        }
    }

    /// After an answer showed these applications (a get, or a list page), counts one read of
    /// each one's latest deployment (the answer showed the status before the read), and
    /// completes the deletions the answer announced: a deleting application is gone
    /// afterwards, or, when mounted, stays with its deletion failed.
    pub(crate) fn after_answer(&mut self, shown: &[usize]) {
        for &idx in shown {
            self.note_read(idx);
        }
        let mut gone = Vec::new();
        for &idx in shown {
            let Some(app) = self.apps.get_mut(idx) else {
                continue;
            };
            if app.lifecycle != Lifecycle::Deleting {
                continue;
            }
            if app.mounted_by.is_empty() {
                gone.push(idx);
            } else {
                app.lifecycle = Lifecycle::DeletionFailed;
            }
            self.unsaved = true;
        }
        gone.sort_unstable();
        gone.dedup();
        for idx in gone.into_iter().rev() {
            self.apps.remove(idx);
        }
    }

    /// Under [`Progress::Reads`], counts one read of the application's latest deployment;
    /// after the seed's number of reads a non-terminal deployment turns terminal.
    fn note_read(&mut self, idx: usize) {
        let Progress::Reads(limit) = self.progress else {
            return;
        };
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
            finish(dep, clock::now());
            dep.status.id = Ids::next(&mut self.ids.status, "st");
        }
        self.changed();
    }

    /// `DELETE`: the application turns `deleting` (a second `DELETE` changes nothing). Unless
    /// the volume is mounted — its deletion will fail and must leave it as it was — a
    /// deployment in progress is cancelled, since deleting an application stops its rollout.
    pub(crate) fn delete(&mut self, idx: usize) {
        let now = clock::now();
        let Some(app) = self.apps.get_mut(idx) else {
            return;
        };
        if app.lifecycle == Lifecycle::Deleting {
            return;
        }
        app.lifecycle = Lifecycle::Deleting;
        app.updated_at = now;
        if app.mounted_by.is_empty() {
            if let Some(dep) = app.deployments.last_mut() {
                if !dep.status.is_terminal() {
                    dep.status = Status {
                        id: Ids::next(&mut self.ids.status, "st"),
                        value: "CANCELLED".to_string(),
                        message: Some("Cancelled: the application is being deleted".to_string()),
                        at: now,
                    };
                    dep.updated_at = now;
                }
            }
        }
        self.changed();
    }
}

/// Moves a deployment to its decided terminal status at `at` (the caller assigns the status
/// id).
pub(super) fn finish(dep: &mut Deployment, at: SystemTime) {
    let (value, message) = match &dep.outcome {
        Outcome::Success => ("DEPLOY_SUCCESS", None),
        Outcome::Failed(why) => ("DEPLOY_FAILED", Some(why.clone())),
    };
    dep.status.value = value.to_string();
    dep.status.message = message;
    dep.status.at = at;
    dep.updated_at = at;
}
