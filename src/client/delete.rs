//! Deleting a volume: only the volume the caller named, only when the caller repeats its
//! name, then a bounded wait until the control plane has finished (deletion is asynchronous:
//! the volume is answered as `deleting` for a while, then no more).

use alloc::format;
use alloc::string::ToString;
use core::time::Duration;

use super::clock::Clock;
use super::read;
use super::session::Session;
use crate::api::decode;
use crate::api::endpoints;
use crate::api::http::Transport;
use crate::api::status::NotFoundMeans;
use crate::error::{Error, ResourceKind, Result};
use crate::input::reference::VolumeRef;
use crate::model::{Lifecycle, Volume};

/// Seconds between checks while the deletion runs.
pub const DELETE_CHECK_INTERVAL_SECONDS: u64 = 2;
/// Seconds to follow a deletion before answering `timed-out` (the deletion goes on).
pub const DELETE_TIMEOUT_SECONDS: u64 = 120;

/// Deletes the volume `reference` names when `confirm_name` is its name; returns the volume
/// as it was.
pub(super) fn delete<T: Transport, C: Clock>(
    session: &mut Session<T, C>,
    reference: &VolumeRef,
    confirm_name: &str,
) -> Result<Volume> {
    let volume = read::fetch(session, reference)?;
    if volume.name != confirm_name {
        return Err(Error::invalid(
            "confirm-name",
            format!(
                "`{confirm_name}` is not the name of the volume to delete, `{}`",
                volume.fqn
            ),
            format!(
                "Make sure `{}` is the volume to delete (its data goes with it unless its \
                 storage retains it), then repeat its name, `{}`, exactly.",
                volume.fqn, volume.name
            ),
        ));
    }
    let not_found = NotFoundMeans {
        kind: ResourceKind::Volume,
        name: &volume.fqn,
    };
    session.call(&endpoints::delete_application(&volume.id), Some(not_found))?;
    let start = session.now();
    let timeout = Duration::from_secs(DELETE_TIMEOUT_SECONDS);
    loop {
        match still_there(session, &volume)? {
            None => return Ok(volume),
            Some(Lifecycle::DeletionFailed) => {
                return Err(Error::DeletionFailed {
                    volume_fqn: volume.fqn,
                })
            }
            Some(_) => {}
        }
        let elapsed = session.now().saturating_sub(start);
        if elapsed >= timeout {
            return Err(Error::TimedOut {
                volume_fqn: volume.fqn,
                last_status: "DELETING".to_string(),
                waited_seconds: u32::try_from(elapsed.as_secs()).unwrap_or(u32::MAX),
            });
        }
        session.sleep(Duration::from_secs(DELETE_CHECK_INTERVAL_SECONDS).min(timeout - elapsed));
    }
}

/// The lifecycle of `volume` while the control plane still answers for it, `None` once it is
/// gone.
fn still_there<T: Transport, C: Clock>(
    session: &mut Session<T, C>,
    volume: &Volume,
) -> Result<Option<Lifecycle>> {
    let not_found = NotFoundMeans {
        kind: ResourceKind::Volume,
        name: &volume.id,
    };
    match session.call(&endpoints::get_application(&volume.id), Some(not_found)) {
        Ok(response) => Ok(Some(
            decode::decode_application(&response, &volume.id)?.lifecycle,
        )),
        Err(Error::NotFound { .. }) => Ok(None),
        Err(other) => Err(other),
    }
}
