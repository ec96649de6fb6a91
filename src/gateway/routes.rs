//! The route table: every method and path the gateway serves, in one list that the router
//! reads and the OpenAPI document is tested against.
//!
//! Paths name resources (`/workspaces/{workspace}/volumes`, `/volumes/{volume}`); actions on
//! a volume are sub-resources (`…/wait`, `…/expand`). A volume is named by its application
//! id or its FQN `<cluster>:<workspace>:<name>`, so Google-style `:expand` suffixes would be
//! ambiguous, and `PATCH` would suggest any field can change while only the size can.

use alloc::string::String;
use alloc::vec::Vec;

/// What a route does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    /// `GET /healthz`.
    Health,
    /// `GET /openapi.json`.
    OpenApi,
    /// Every volume of a workspace.
    ListVolumes,
    /// Create a volume in a workspace.
    CreateVolume,
    /// One volume.
    GetVolume,
    /// A volume's latest deployment status.
    VolumeStatus,
    /// Follow a volume's deployment until it settles (bounded).
    WaitForVolume,
    /// Grow a dynamic volume.
    ExpandVolume,
    /// Delete a volume whose name the caller repeats.
    DeleteVolume,
    /// A create request checked offline.
    Plan,
    /// A create request checked against the control plane.
    Preflight,
    /// The next question of the volume interview, or its plan.
    Interview,
    /// A workspace's storage classes and browser hosts.
    StorageClasses,
    /// Text that mounts a volume.
    MountSnippet,
    /// A volume size for a use case.
    Sizing,
    /// Volume or blob storage.
    StorageAdvice,
    /// PersistentVolume YAML and a static volume manifest.
    StaticVolumeRecipe,
    /// The LLM cache volume block.
    CacheVolumeSnippet,
}

/// One route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Route {
    /// HTTP method.
    pub method: &'static str,
    /// Path template; `{workspace}` or `{volume}` stands for one path segment.
    pub path: &'static str,
    /// The OpenAPI `operationId`.
    pub operation_id: &'static str,
    /// What it does.
    pub operation: Operation,
}

const fn route(
    method: &'static str,
    path: &'static str,
    operation_id: &'static str,
    operation: Operation,
) -> Route {
    Route {
        method,
        path,
        operation_id,
        operation,
    }
}

/// Every route the gateway serves.
pub const ROUTES: [Route; 18] = [
    route("GET", "/healthz", "health", Operation::Health),
    route("GET", "/openapi.json", "openapi", Operation::OpenApi),
    route(
        "GET",
        "/workspaces/{workspace}/volumes",
        "listVolumes",
        Operation::ListVolumes,
    ),
    route(
        "POST",
        "/workspaces/{workspace}/volumes",
        "createVolume",
        Operation::CreateVolume,
    ),
    route(
        "GET",
        "/workspaces/{workspace}/storage-classes",
        "storageClasses",
        Operation::StorageClasses,
    ),
    route(
        "GET",
        "/volumes/{volume}",
        "getVolume",
        Operation::GetVolume,
    ),
    route(
        "DELETE",
        "/volumes/{volume}",
        "deleteVolume",
        Operation::DeleteVolume,
    ),
    route(
        "GET",
        "/volumes/{volume}/status",
        "volumeStatus",
        Operation::VolumeStatus,
    ),
    route(
        "POST",
        "/volumes/{volume}/wait",
        "waitForVolume",
        Operation::WaitForVolume,
    ),
    route(
        "POST",
        "/volumes/{volume}/expand",
        "expandVolume",
        Operation::ExpandVolume,
    ),
    route("POST", "/plan", "plan", Operation::Plan),
    route("POST", "/preflight", "preflight", Operation::Preflight),
    route("POST", "/interview", "interview", Operation::Interview),
    route(
        "POST",
        "/mount-snippets",
        "mountSnippet",
        Operation::MountSnippet,
    ),
    route("POST", "/sizing", "recommendSize", Operation::Sizing),
    route(
        "POST",
        "/storage-advice",
        "recommendStorage",
        Operation::StorageAdvice,
    ),
    route(
        "POST",
        "/static-volume-recipes",
        "staticVolumeRecipe",
        Operation::StaticVolumeRecipe,
    ),
    route(
        "POST",
        "/cache-volume-snippets",
        "cacheVolumeSnippet",
        Operation::CacheVolumeSnippet,
    ),
];

/// What the router found for a method and path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Match {
    /// The route, and the decoded `{workspace}` or `{volume}` segment when it has one.
    Found(&'static Route, Option<String>),
    /// No route has this path.
    NoSuchPath,
    /// Routes have this path, but none this method: these methods do.
    MethodNotAllowed(Vec<&'static str>),
    /// The path has a route's shape, but its parameter is not valid percent-encoded UTF-8.
    Undecodable,
}

/// The route for `method` and `path` (without the query).
pub fn find(method: &str, path: &str) -> Match {
    let mut allowed = Vec::new();
    for route in &ROUTES {
        let Some(parameter) = shape(route.path, path) else {
            continue;
        };
        if route.method != method {
            allowed.push(route.method);
            continue;
        }
        return match parameter {
            Parameter::None => Match::Found(route, None),
            Parameter::Decoded(value) => Match::Found(route, Some(value)),
            Parameter::Undecodable => Match::Undecodable,
        };
    }
    if allowed.is_empty() {
        Match::NoSuchPath
    } else {
        Match::MethodNotAllowed(allowed)
    }
}

enum Parameter {
    None,
    Decoded(String),
    Undecodable,
}

/// Whether `path` has the shape of `template`, and its parameter segment.
fn shape(template: &str, path: &str) -> Option<Parameter> {
    let mut parameter = Parameter::None;
    let mut segments = path.split('/');
    for expected in template.split('/') {
        let segment = segments.next()?;
        if expected.starts_with('{') {
            if segment.is_empty() {
                return None;
            }
            parameter = match percent_decode(segment) {
                Some(value) if !value.is_empty() => Parameter::Decoded(value),
                _ => Parameter::Undecodable,
            };
        } else if segment != expected {
            return None;
        }
    }
    segments.next().is_none().then_some(parameter)
}

/// `%XX` escapes decoded; `None` for a malformed escape or bytes that are not UTF-8.
pub(super) fn percent_decode(segment: &str) -> Option<String> {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' {
            let hex = bytes.get(index + 1..index + 3)?;
            let hex = core::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            index += 3;
        } else {
            out.push(bytes[index]);
            index += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    fn found(method: &str, path: &str) -> (Operation, Option<String>) {
        match find(method, path) {
            Match::Found(route, parameter) => (route.operation, parameter),
            other => panic!("{method} {path}: {other:?}"),
        }
    }

    #[test]
    fn paths_route_to_their_operations_with_the_decoded_parameter() {
        assert_eq!(
            found("GET", "/workspaces/c1:ws1/volumes"),
            (Operation::ListVolumes, Some("c1:ws1".into()))
        );
        assert_eq!(
            found("POST", "/workspaces/c1%3Aws1/volumes"),
            (Operation::CreateVolume, Some("c1:ws1".into()))
        );
        assert_eq!(
            found("GET", "/volumes/tfy-volume%3A%2F%2Fc1%3Aws1%3Adata"),
            (
                Operation::GetVolume,
                Some("tfy-volume://c1:ws1:data".into())
            )
        );
        assert_eq!(
            found("POST", "/volumes/app-1/expand"),
            (Operation::ExpandVolume, Some("app-1".into()))
        );
        assert_eq!(found("GET", "/healthz"), (Operation::Health, None));
    }

    #[test]
    fn a_known_path_with_another_method_lists_the_allowed_ones() {
        assert_eq!(
            find("DELETE", "/workspaces/c1:ws1/volumes"),
            Match::MethodNotAllowed(vec!["GET", "POST"])
        );
        assert_eq!(
            find("PUT", "/volumes/app-1"),
            Match::MethodNotAllowed(vec!["GET", "DELETE"])
        );
        assert_eq!(find("GET", "/plan"), Match::MethodNotAllowed(vec!["POST"]));
        // Methods are case-sensitive (RFC 9110 §9.1).
        assert_eq!(
            find("get", "/healthz"),
            Match::MethodNotAllowed(vec!["GET"])
        );
    }

    #[test]
    fn unknown_and_malformed_paths_are_told_apart() {
        for path in [
            "/",
            "",
            "/volumes",
            "/volumes/",
            "/volumes//status",
            "/healthz/",
            "/workspaces/c1:ws1/volumes/extra",
        ] {
            assert_eq!(find("GET", path), Match::NoSuchPath, "{path}");
        }
        for path in ["/volumes/%zz", "/volumes/%C3", "/volumes/%"] {
            assert_eq!(find("GET", path), Match::Undecodable, "{path}");
        }
    }

    #[test]
    fn route_ids_and_method_path_pairs_are_unique() {
        for (index, route) in ROUTES.iter().enumerate() {
            for other in &ROUTES[index + 1..] {
                assert_ne!(route.operation_id, other.operation_id);
                assert_ne!((route.method, route.path), (other.method, other.path));
            }
        }
    }
}
