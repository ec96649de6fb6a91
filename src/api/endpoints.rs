//! One function per TrueFoundry endpoint the component calls, each building an [`ApiRequest`]
//! as plain data: method, path, query and JSON body, nothing sent.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;
use serde::Serialize;

use super::http::{ApiRequest, Method};
use crate::input::fqn::{VolumeFqn, WorkspaceFqn};
use crate::input::manifest::VolumeManifest;

const APPS: &str = "/api/svc/v1/apps";
const WORKSPACES: &str = "/api/svc/v1/workspaces";
const CLUSTERS: &str = "/api/svc/v1/clusters";

fn get(path: String, query: Vec<(&'static str, String)>) -> ApiRequest {
    ApiRequest {
        method: Method::Get,
        path,
        query,
        body: None,
    }
}

/// `GET /api/svc/v1/workspaces?fqn=<fqn>` — the workspace's internal id (docs/truefoundry-api.md §2.1).
pub fn lookup_workspace(workspace: &WorkspaceFqn) -> ApiRequest {
    get(WORKSPACES.to_string(), vec![("fqn", workspace.to_string())])
}

/// `GET /api/svc/v1/apps?workspaceFqn=..&applicationName=..&offset=..&limit=..` — one page
/// of the applications of that name in the workspace, whatever their type (names are unique
/// per workspace). A server may ignore the filters, so callers match names themselves.
pub fn find_application(
    workspace: &WorkspaceFqn,
    name: &str,
    offset: u64,
    limit: u32,
) -> ApiRequest {
    get(
        APPS.to_string(),
        vec![
            ("workspaceFqn", workspace.to_string()),
            ("applicationName", name.to_string()),
            ("offset", offset.to_string()),
            ("limit", limit.to_string()),
        ],
    )
}

/// `GET /api/svc/v1/apps?workspaceFqn=..&applicationName=..&applicationType=volume&offset=..
/// &limit=..` — one volume by FQN, a page at a time (docs/truefoundry-api.md §2.4: the SDK
/// also gets by FQN through the list endpoint).
pub fn find_volume(volume: &VolumeFqn, offset: u64, limit: u32) -> ApiRequest {
    let mut request = find_application(volume.workspace(), volume.name(), offset, limit);
    request
        .query
        .insert(2, ("applicationType", "volume".to_string()));
    request
}

/// `GET /api/svc/v1/apps?workspaceFqn=..&applicationType=volume&offset=..&limit=..` — one page
/// of a workspace's volumes (docs/truefoundry-api.md §2.3).
pub fn list_volumes_page(workspace: &WorkspaceFqn, offset: u64, limit: u32) -> ApiRequest {
    get(
        APPS.to_string(),
        vec![
            ("workspaceFqn", workspace.to_string()),
            ("applicationType", "volume".to_string()),
            ("offset", offset.to_string()),
            ("limit", limit.to_string()),
        ],
    )
}

/// `GET /api/svc/v1/apps/{id}` (docs/truefoundry-api.md §2.4). `id` should have passed
/// [`crate::input::validate::application_id`]; it is percent-encoded all the same.
pub fn get_application(id: &str) -> ApiRequest {
    get(format!("{APPS}/{}", segment(id)), Vec::new())
}

/// `DELETE /api/svc/v1/apps/{id}` (docs/truefoundry-api.md §2.5): deletion starts; the
/// application is answered as `deleting` for a while, then no more.
pub fn delete_application(id: &str) -> ApiRequest {
    ApiRequest {
        method: Method::Delete,
        path: format!("{APPS}/{}", segment(id)),
        query: Vec::new(),
        body: None,
    }
}

/// `text` as one path segment: everything outside RFC 3986's unreserved set percent-encoded,
/// so no id, whatever a server sent, can add segments, a query or `..` to a path.
fn segment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    super::http::percent_encode_into(text, &mut out);
    if out == "." || out == ".." {
        // Unreserved, yet special in paths: spell the dots out.
        out = out.replace('.', "%2E");
    }
    out
}

/// The body of `PUT /api/svc/v1/apps` (docs/truefoundry-api.md §2.2).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CreateOrUpdateBody<'a> {
    manifest: &'a VolumeManifest,
    workspace_id: &'a str,
}

/// `PUT /api/svc/v1/apps` with `{manifest, workspaceId}` — creates the volume, or adds a
/// version to an existing one of the same name (it is an upsert).
pub fn create_or_update(manifest: &VolumeManifest, workspace_id: &str) -> ApiRequest {
    let body = CreateOrUpdateBody {
        manifest,
        workspace_id,
    };
    ApiRequest {
        method: Method::Put,
        path: APPS.to_string(),
        query: Vec::new(),
        // Serializing plain structs of strings and integers cannot fail.
        body: Some(serde_json::to_vec(&body).unwrap_or_default()),
    }
}

/// `GET /api/svc/v1/clusters/{id}` (docs/truefoundry-api.md §2.6), `id` percent-encoded.
pub fn get_cluster(id: &str) -> ApiRequest {
    get(format!("{CLUSTERS}/{}", segment(id)), Vec::new())
}

/// `PUT /api/svc/v1/apps` with an already-deployed manifest (kept as is) and a new size.
pub fn resubmit_with_size(
    manifest: &serde_json::Value,
    new_size_gi: u32,
    workspace_id: &str,
) -> ApiRequest {
    let mut manifest = manifest.clone();
    if let Some(config) = manifest
        .get_mut("config")
        .and_then(serde_json::Value::as_object_mut)
    {
        config.insert("size".to_string(), serde_json::Value::from(new_size_gi));
    }
    let body = serde_json::json!({ "manifest": manifest, "workspaceId": workspace_id });
    ApiRequest {
        method: Method::Put,
        path: APPS.to_string(),
        query: Vec::new(),
        body: Some(serde_json::to_vec(&body).unwrap_or_default()),
    }
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::manifest::{from_request, tests::dynamic_request};
    use serde_json::{json, Value};

    fn workspace() -> WorkspaceFqn {
        WorkspaceFqn::parse("w", "c1:ws1").unwrap()
    }

    #[test]
    fn requests_have_the_documented_shape() {
        let workspace = workspace();
        let volume = VolumeFqn::parse("v", "c1:ws1:data").unwrap();
        let cases = [
            (lookup_workspace(&workspace), "/api/svc/v1/workspaces?fqn=c1%3Aws1"),
            (
                list_volumes_page(&workspace, 400, 200),
                "/api/svc/v1/apps?workspaceFqn=c1%3Aws1&applicationType=volume&offset=400&limit=200",
            ),
            (
                find_application(&workspace, "data", 200, 200),
                "/api/svc/v1/apps?workspaceFqn=c1%3Aws1&applicationName=data&offset=200&limit=200",
            ),
            (
                find_volume(&volume, 0, 200),
                "/api/svc/v1/apps?workspaceFqn=c1%3Aws1&applicationName=data&applicationType=volume&offset=0&limit=200",
            ),
            (get_application("app-1"), "/api/svc/v1/apps/app-1"),
            (
                get_application("x/../../admin/users?delete=1&"),
                "/api/svc/v1/apps/x%2F..%2F..%2Fadmin%2Fusers%3Fdelete%3D1%26",
            ),
            (get_application(".."), "/api/svc/v1/apps/%2E%2E"),
            (get_cluster("c 1/x"), "/api/svc/v1/clusters/c%201%2Fx"),
        ];
        for (request, expected) in cases {
            assert_eq!(request.method, Method::Get, "{expected}");
            assert_eq!(request.body, None);
            assert_eq!(request.path_and_query(""), expected);
        }
    }

    #[test]
    fn create_body_is_manifest_and_workspace_id() {
        let manifest = from_request(&dynamic_request()).unwrap().manifest;
        let request = create_or_update(&manifest, "ws-123");
        assert_eq!(
            (request.method, request.path.as_str()),
            (Method::Put, "/api/svc/v1/apps")
        );
        let body: Value = serde_json::from_slice(request.body.as_deref().unwrap()).unwrap();
        assert_eq!(
            body,
            json!({"workspaceId":"ws-123","manifest":{"type":"volume","name":"training-data",
                   "workspace_fqn":"c1:ws1",
                   "config":{"type":"dynamic","storage_class":"efs-sc","size":100}}})
        );
    }
}
