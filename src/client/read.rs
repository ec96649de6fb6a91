//! Reading: a workspace by FQN, a volume by id or FQN, every volume of a workspace, and
//! whether a name is free.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use super::clock::Clock;
use super::session::Session;
use crate::api::decode::{self, ResolvedWorkspace};
use crate::api::endpoints;
use crate::api::http::Transport;
use crate::api::status::NotFoundMeans;
use crate::api::LIST_PAGE_SIZE;
use crate::error::{Error, ResourceKind, Result};
use crate::input::fqn::WorkspaceFqn;
use crate::input::manifest::ValidCreate;
use crate::input::reference::VolumeRef;
use crate::input::validate;
use crate::model::Volume;

/// Upper bound on list pages, so a server whose pagination never ends cannot loop us forever
/// (at [`LIST_PAGE_SIZE`] per page this is two million volumes).
const MAX_LIST_PAGES: u32 = 10_000;

/// Most volumes reserved up front from the server's `total` (about 7 MiB).
const MAX_RESERVED_VOLUMES: usize = 20_000;

/// Most volumes one list returns: a server that keeps sending pages cannot exhaust the
/// component's memory (and trap it); the caller gets an error instead.
pub const MAX_LISTED_VOLUMES: u64 = 50_000;

/// The internal id and cluster of a workspace, or [`Error::NotFound`].
pub(super) fn workspace<T: Transport, C: Clock>(
    session: &mut Session<T, C>,
    workspace: &WorkspaceFqn,
) -> Result<ResolvedWorkspace> {
    let response = session.call(&endpoints::lookup_workspace(workspace), None)?;
    decode::decode_workspace(&response, workspace)
}

/// Resolves the request's workspace and makes sure the name is free in it.
pub(super) fn workspace_with_free_name<T: Transport, C: Clock>(
    session: &mut Session<T, C>,
    valid: &ValidCreate,
) -> Result<ResolvedWorkspace> {
    let resolved = workspace(session, &valid.workspace)?;
    // PUT /apps is an upsert: without this check it would silently add a version to an
    // existing volume of the same name.
    let lookup = endpoints::find_application(&valid.workspace, &valid.manifest.name);
    let response = session.call(&lookup, None)?;
    if let Some((id, kind)) =
        decode::decode_named_application(&response, &valid.workspace, &valid.manifest.name)?
    {
        return Err(Error::AlreadyExists {
            name: if kind.is_empty() || kind == "volume" {
                valid.manifest.name.clone()
            } else {
                // The type comes from the server: quoted, clipped, control characters escaped.
                format!("{} (a {})", valid.manifest.name, validate::shown(&kind))
            },
            workspace_fqn: valid.workspace.to_string(),
            id,
        });
    }
    Ok(resolved)
}

/// Reads a volume the caller already validated.
pub(super) fn fetch<T: Transport, C: Clock>(
    session: &mut Session<T, C>,
    reference: &VolumeRef,
) -> Result<Volume> {
    match reference {
        VolumeRef::Fqn(fqn) => {
            let response = session.call(&endpoints::find_volume(fqn), None)?;
            decode::decode_found_volume(&response, fqn)
        }
        VolumeRef::Id(id) => {
            let not_found = NotFoundMeans {
                kind: ResourceKind::Volume,
                name: id,
            };
            let response = session.call(&endpoints::get_application(id), Some(not_found))?;
            decode::decode_application(&response, id)
        }
    }
}

/// Every volume of a workspace, all pages, sorted by name.
pub(super) fn list<T: Transport, C: Clock>(
    session: &mut Session<T, C>,
    workspace_fqn: &WorkspaceFqn,
) -> Result<Vec<Volume>> {
    let name = workspace_fqn.to_string();
    let not_found = NotFoundMeans {
        kind: ResourceKind::Workspace,
        name: &name,
    };
    let mut volumes = Vec::new();
    let mut offset = 0u64;
    let mut expected_total = None;
    for _ in 0..MAX_LIST_PAGES {
        let request = endpoints::list_volumes_page(workspace_fqn, offset, LIST_PAGE_SIZE);
        let response = session.call(&request, Some(not_found))?;
        let page = decode::decode_volume_page(&response, workspace_fqn)?;
        let total = page.total.or(expected_total);
        if volumes.is_empty() {
            // One allocation for the whole list: growing by doubling would copy it and
            // briefly hold twice its size. The bound keeps a lying `total` from reserving
            // memory that the pages will not fill.
            let expected = usize::try_from(total.unwrap_or(0)).unwrap_or(usize::MAX);
            volumes.reserve_exact(expected.min(MAX_RESERVED_VOLUMES));
        }
        if expected_total.is_some() && page.total.is_some() && page.total != expected_total {
            return Err(inconsistent_pages(format!(
                "the total changed from {} to {} between pages",
                expected_total.unwrap_or_default(),
                page.total.unwrap_or_default()
            )));
        }
        expected_total = total;
        offset += page.received;
        if offset > MAX_LISTED_VOLUMES {
            return Err(Error::UndecodableResponse {
                status: response.status,
                detail: format!(
                    "the workspace lists more than {MAX_LISTED_VOLUMES} volumes, more than \
                     this component holds in memory"
                ),
            });
        }
        volumes.extend(page.volumes);
        let done = match total {
            Some(total) if offset >= total => true,
            Some(total) if page.received == 0 => {
                return Err(inconsistent_pages(format!(
                    "the control plane reported {total} volumes but its pages ended after \
                     {offset}"
                )))
            }
            _ => page.received == 0,
        };
        if done {
            // An empty list may mean a missing workspace: tell the two apart.
            if offset == 0 {
                workspace(session, workspace_fqn)?;
            }
            // Unstable sort: no scratch buffer (names are unique in a workspace anyway).
            volumes.sort_unstable_by(|a, b| a.name.cmp(&b.name));
            let before = volumes.len();
            volumes.dedup_by(|a, b| a.id == b.id);
            if volumes.len() != before {
                return Err(inconsistent_pages(
                    "the same volume appeared on two pages".to_string(),
                ));
            }
            return Ok(volumes);
        }
    }
    Err(inconsistent_pages(format!(
        "pagination did not end after {MAX_LIST_PAGES} pages"
    )))
}

fn inconsistent_pages(detail: String) -> Error {
    Error::UndecodableResponse {
        status: 200,
        detail: format!("inconsistent pagination: {detail}; retry the list"),
    }
}
