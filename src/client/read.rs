//! Reading: a workspace by FQN, a volume by id or FQN, every volume of a workspace, and
//! whether a name is free.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use super::clock::Clock;
use super::session::Session;
use crate::api::decode::{self, ExistingApplication, LookupPage, ResolvedWorkspace};
use crate::api::endpoints;
use crate::api::http::{ApiRequest, HttpResponse, Transport};
use crate::api::status::NotFoundMeans;
use crate::api::LIST_PAGE_SIZE;
use crate::error::{Error, ResourceKind, Result};
use crate::input::fqn::WorkspaceFqn;
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

/// Most memory the volumes of one list may take, texts included. Hosts commonly cap a
/// component at 64 MiB; this leaves room for a page being decoded (at most 8 MiB of body) and
/// the result being handed over. Ten thousand real volumes take about 6 MiB.
pub const MAX_LISTED_BYTES: usize = 24 * 1024 * 1024;

/// The internal id and cluster of a workspace, or [`Error::NotFound`].
pub(super) fn workspace<T: Transport, C: Clock>(
    session: &mut Session<T, C>,
    workspace: &WorkspaceFqn,
) -> Result<ResolvedWorkspace> {
    let response = session.call(&endpoints::lookup_workspace(workspace), None)?;
    decode::decode_workspace(&response, workspace)
}

/// The application that holds `name` in `workspace`, if any, looked for on every page: PUT
/// /apps is an upsert, so a name missed here would be silently replaced.
pub(super) fn holder_of_name<T: Transport, C: Clock>(
    session: &mut Session<T, C>,
    workspace: &WorkspaceFqn,
    name: &str,
) -> Result<Option<ExistingApplication>> {
    scan(
        session,
        |offset| endpoints::find_application(workspace, name, offset, LIST_PAGE_SIZE),
        |response| decode::decode_named_application(response, workspace, name),
    )
}

/// [`Error::AlreadyExists`] for the application `existing` that holds `name` in
/// `workspace`.
pub(super) fn name_taken(
    workspace: &WorkspaceFqn,
    name: &str,
    existing: ExistingApplication,
) -> Error {
    let kind = existing.application_type;
    Error::AlreadyExists {
        name: if kind == "volume" {
            name.to_string()
        } else {
            // The type comes from the server: quoted, clipped, control characters escaped.
            format!("{name} (a {})", validate::shown(&kind))
        },
        workspace_fqn: workspace.to_string(),
        id: existing.id,
    }
}

/// Reads a volume the caller already validated.
pub(super) fn fetch<T: Transport, C: Clock>(
    session: &mut Session<T, C>,
    reference: &VolumeRef,
) -> Result<Volume> {
    match reference {
        VolumeRef::Fqn(fqn) => {
            let found = scan(
                session,
                |offset| endpoints::find_volume(fqn, offset, LIST_PAGE_SIZE),
                |response| decode::decode_found_volume(response, fqn),
            )?;
            found.ok_or_else(|| Error::NotFound {
                kind: ResourceKind::Volume,
                name: fqn.to_string(),
            })
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

/// Walks the pages `request` asks for until `decode` finds a match or the pages end (an
/// empty page, or the server's `total` reached), at most [`MAX_LIST_PAGES`] pages.
fn scan<T: Transport, C: Clock, R>(
    session: &mut Session<T, C>,
    request: impl Fn(u64) -> ApiRequest,
    mut decode: impl FnMut(&HttpResponse) -> Result<LookupPage<R>>,
) -> Result<Option<R>> {
    let mut offset = 0u64;
    for _ in 0..MAX_LIST_PAGES {
        let response = session.call(&request(offset), None)?;
        let page = decode(&response)?;
        if page.found.is_some() {
            return Ok(page.found);
        }
        offset += page.received;
        if page.received == 0 || page.total.is_some_and(|total| offset >= total) {
            return Ok(None);
        }
    }
    Err(inconsistent_pages(format!(
        "pagination did not end after {MAX_LIST_PAGES} pages"
    )))
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
    let mut kept_bytes = 0usize;
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
        kept_bytes += page.volumes.iter().map(footprint).sum::<usize>();
        if kept_bytes > MAX_LISTED_BYTES {
            return Err(Error::UndecodableResponse {
                status: response.status,
                detail: format!(
                    "the workspace's volumes take more than {} MiB, more than this component \
                     holds in memory",
                    MAX_LISTED_BYTES / (1024 * 1024)
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

/// The memory a decoded volume holds: the value itself and its texts.
fn footprint(volume: &Volume) -> usize {
    let texts = [
        Some(&volume.id),
        Some(&volume.name),
        Some(&volume.fqn),
        Some(&volume.mount_reference),
        Some(&volume.workspace_fqn),
        volume.storage_class.as_ref(),
        volume.persistent_volume_name.as_ref(),
        Some(&volume.status.api_status),
        Some(&volume.status.display),
        volume.status.message.as_ref(),
        volume.created_at.as_ref(),
        volume.browser_url.as_ref(),
        volume.browser_username.as_ref(),
    ];
    core::mem::size_of::<Volume>()
        + texts
            .iter()
            .flatten()
            .map(|text| text.capacity())
            .sum::<usize>()
}

fn inconsistent_pages(detail: String) -> Error {
    Error::UndecodableResponse {
        status: 200,
        detail: format!("inconsistent pagination: {detail}; retry the list"),
    }
}
