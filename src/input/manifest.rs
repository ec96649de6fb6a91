//! The volume manifest as the API takes it (docs/truefoundry-api.md §7), built only from validated requests.

use alloc::format;
use alloc::string::{String, ToString};
use serde::Serialize;

use crate::error::{Error, Result};
use crate::input::fqn::WorkspaceFqn;
use crate::input::validate;
use crate::model::{BrowserSettings, CreateRequest, VolumeKind};

/// Username the Volume Browser gets when none is given (docs/truefoundry-api.md §12).
pub const DEFAULT_BROWSER_USERNAME: &str = "admin";

/// A volume manifest, serialized in the API's snake_case wire form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VolumeManifest {
    /// Always `volume`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// Volume name.
    pub name: String,
    /// Provisioning.
    pub config: VolumeConfig,
    /// Optional browser.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub volume_browser: Option<VolumeBrowser>,
    /// The owning workspace; the official SDK fills it before sending, so do we.
    pub workspace_fqn: String,
}

/// `config`, discriminated by `type`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum VolumeConfig {
    /// New storage from a storage class.
    Dynamic {
        /// Storage class.
        storage_class: String,
        /// Size in Gi.
        size: u32,
    },
    /// An existing PersistentVolume.
    Static {
        /// The PersistentVolume's name.
        persistent_volume_name: String,
    },
}

/// `volume_browser`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VolumeBrowser {
    /// Login name.
    pub username: String,
    /// Password secret.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password_secret_fqn: Option<String>,
    /// Where it is served.
    pub endpoint: Endpoint,
}

/// `volume_browser.endpoint`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Endpoint {
    /// Host.
    pub host: String,
    /// Path, beginning and ending with `/`.
    pub path: String,
}

impl VolumeBrowser {
    /// `https://{host}{path}`.
    pub fn url(&self) -> String {
        format!("https://{}{}", self.endpoint.host, self.endpoint.path)
    }
}

/// A create request that passed every local rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidCreate {
    /// The target workspace.
    pub workspace: WorkspaceFqn,
    /// The manifest to submit.
    pub manifest: VolumeManifest,
    /// Whether a failed volume of the same name may be replaced.
    pub replace_failed: bool,
}

/// Checks every field of `request` and builds the manifest `create` submits.
pub fn from_request(request: &CreateRequest) -> Result<ValidCreate> {
    let workspace = WorkspaceFqn::parse("workspace-fqn", &request.workspace_fqn)?;
    validate::volume_name("name", &request.name)?;
    let config = config_from(request)?;
    let volume_browser = match &request.browser {
        Some(settings) => Some(browser_from(settings, &request.name)?),
        None => None,
    };
    Ok(ValidCreate {
        manifest: VolumeManifest {
            kind: "volume",
            name: request.name.clone(),
            config,
            volume_browser,
            workspace_fqn: workspace.to_string(),
        },
        workspace,
        replace_failed: request.replace_failed,
    })
}

fn config_from(request: &CreateRequest) -> Result<VolumeConfig> {
    let only_for = |field: &str, kind: &str, other: &str| {
        Error::invalid(
            field,
            format!("applies to {kind} volumes only, and this one is {other}"),
            format!("Leave `{field}` unset, or change `kind`."),
        )
    };
    match request.kind {
        VolumeKind::Dynamic => {
            if request.persistent_volume_name.is_some() {
                return Err(only_for("persistent-volume-name", "static", "dynamic"));
            }
            let size = request.size_gi.ok_or_else(|| {
                Error::invalid(
                    "size-gi",
                    "is required for a dynamic volume",
                    "Give the size in Gi (1 to 64000); start small, a volume can grow later \
                     but never shrink.",
                )
            })?;
            validate::size_gi("size-gi", size)?;
            let storage_class = request.storage_class.as_deref().ok_or_else(|| {
                Error::invalid(
                    "storage-class",
                    "is required for a dynamic volume",
                    "Ask the user for the storage class, for example `efs-sc` on AWS, \
                     `standard-rwx` on GCP or `azurefile` on Azure.",
                )
            })?;
            validate::kubernetes_name("storage-class", "storage class", storage_class)?;
            Ok(VolumeConfig::Dynamic {
                storage_class: storage_class.to_string(),
                size,
            })
        }
        VolumeKind::Static => {
            if request.size_gi.is_some() {
                return Err(only_for("size-gi", "dynamic", "static"));
            }
            if request.storage_class.is_some() {
                return Err(only_for("storage-class", "dynamic", "static"));
            }
            let persistent_volume = request.persistent_volume_name.as_deref().ok_or_else(|| {
                Error::invalid(
                    "persistent-volume-name",
                    "is required for a static volume",
                    "Give the name of the existing PersistentVolume (`kubectl get pv` lists \
                     them); a cluster admin must create it first.",
                )
            })?;
            validate::kubernetes_name(
                "persistent-volume-name",
                "PersistentVolume",
                persistent_volume,
            )?;
            Ok(VolumeConfig::Static {
                persistent_volume_name: persistent_volume.to_string(),
            })
        }
    }
}

fn browser_from(settings: &BrowserSettings, volume_name: &str) -> Result<VolumeBrowser> {
    let username = settings
        .username
        .as_deref()
        .unwrap_or(DEFAULT_BROWSER_USERNAME);
    validate::browser_username("browser.username", username)?;
    if let Some(secret) = &settings.password_secret_fqn {
        validate::secret_fqn("browser.password-secret-fqn", secret)?;
    }
    validate::endpoint_host("browser.host", &settings.host)?;
    let path = match &settings.path {
        Some(path) => path.clone(),
        // TrueFoundry's volumes skill proposes `/<volume-name>/`; it keeps several browsers on one host apart.
        None => format!("/{volume_name}/"),
    };
    validate::endpoint_path("browser.path", &path)?;
    Ok(VolumeBrowser {
        username: username.to_string(),
        password_secret_fqn: settings.password_secret_fqn.clone(),
        endpoint: Endpoint {
            host: settings.host.clone(),
            path,
        },
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use serde_json::json;

    pub(crate) fn dynamic_request() -> CreateRequest {
        CreateRequest {
            workspace_fqn: "c1:ws1".into(),
            name: "training-data".into(),
            kind: VolumeKind::Dynamic,
            size_gi: Some(100),
            storage_class: Some("efs-sc".into()),
            persistent_volume_name: None,
            browser: None,
            wait: None,
            replace_failed: false,
        }
    }

    pub(crate) fn static_request() -> CreateRequest {
        CreateRequest {
            kind: VolumeKind::Static,
            name: "shared-datasets".into(),
            size_gi: None,
            storage_class: None,
            persistent_volume_name: Some("shared-datasets-pv".into()),
            ..dynamic_request()
        }
    }

    fn field_of(request: &CreateRequest) -> String {
        match from_request(request) {
            Err(Error::InvalidInput { field, .. }) => field,
            other => panic!("expected invalid input, got {other:?}"),
        }
    }

    #[test]
    fn dynamic_manifest_has_the_wire_shape() {
        let valid = from_request(&dynamic_request()).unwrap();
        assert_eq!(
            serde_json::to_value(&valid.manifest).unwrap(),
            json!({"type":"volume","name":"training-data","workspace_fqn":"c1:ws1",
                   "config":{"type":"dynamic","storage_class":"efs-sc","size":100}})
        );
    }

    #[test]
    fn static_manifest_has_the_wire_shape() {
        let valid = from_request(&static_request()).unwrap();
        assert_eq!(
            serde_json::to_value(&valid.manifest).unwrap(),
            json!({"type":"volume","name":"shared-datasets","workspace_fqn":"c1:ws1",
                   "config":{"type":"static","persistent_volume_name":"shared-datasets-pv"}})
        );
    }

    #[test]
    fn browser_defaults_username_and_path() {
        let request = CreateRequest {
            browser: Some(BrowserSettings {
                host: "ml.example.com".into(),
                password_secret_fqn: Some("tfy-secret://acme:vol-sg:pw".into()),
                ..Default::default()
            }),
            ..dynamic_request()
        };
        let manifest = from_request(&request).unwrap().manifest;
        assert_eq!(
            serde_json::to_value(&manifest).unwrap()["volume_browser"],
            json!({"username":"admin","password_secret_fqn":"tfy-secret://acme:vol-sg:pw",
                   "endpoint":{"host":"ml.example.com","path":"/training-data/"}})
        );
        assert_eq!(
            manifest.volume_browser.unwrap().url(),
            "https://ml.example.com/training-data/"
        );
    }

    #[test]
    fn each_bad_field_is_named() {
        let browser = |edit: fn(&mut BrowserSettings)| {
            let mut settings = BrowserSettings {
                host: "ml.example.com".into(),
                ..Default::default()
            };
            edit(&mut settings);
            CreateRequest {
                browser: Some(settings),
                ..dynamic_request()
            }
        };
        let cases: &[(CreateRequest, &str)] = &[
            (
                CreateRequest {
                    workspace_fqn: "ws1".into(),
                    ..dynamic_request()
                },
                "workspace-fqn",
            ),
            (
                CreateRequest {
                    name: "Bad_Name".into(),
                    ..dynamic_request()
                },
                "name",
            ),
            (
                CreateRequest {
                    size_gi: None,
                    ..dynamic_request()
                },
                "size-gi",
            ),
            (
                CreateRequest {
                    size_gi: Some(0),
                    ..dynamic_request()
                },
                "size-gi",
            ),
            (
                CreateRequest {
                    size_gi: Some(64_001),
                    ..dynamic_request()
                },
                "size-gi",
            ),
            (
                CreateRequest {
                    storage_class: None,
                    ..dynamic_request()
                },
                "storage-class",
            ),
            (
                CreateRequest {
                    storage_class: Some("EFS SC".into()),
                    ..dynamic_request()
                },
                "storage-class",
            ),
            (
                CreateRequest {
                    persistent_volume_name: Some("pv".into()),
                    ..dynamic_request()
                },
                "persistent-volume-name",
            ),
            (
                CreateRequest {
                    size_gi: Some(5),
                    ..static_request()
                },
                "size-gi",
            ),
            (
                CreateRequest {
                    storage_class: Some("sc".into()),
                    ..static_request()
                },
                "storage-class",
            ),
            (
                CreateRequest {
                    persistent_volume_name: None,
                    ..static_request()
                },
                "persistent-volume-name",
            ),
            (
                CreateRequest {
                    persistent_volume_name: Some("PV!".into()),
                    ..static_request()
                },
                "persistent-volume-name",
            ),
            (
                browser(|b| b.username = Some("Admin".into())),
                "browser.username",
            ),
            (
                browser(|b| b.password_secret_fqn = Some("c:w:pw".into())),
                "browser.password-secret-fqn",
            ),
            (browser(|b| b.host = "localhost".into()), "browser.host"),
            (
                browser(|b| b.path = Some("/no-trailing".into())),
                "browser.path",
            ),
        ];
        for (request, field) in cases {
            assert_eq!(field_of(request), *field, "{request:?}");
        }
    }
}
