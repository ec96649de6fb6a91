//! Response bodies of the TrueFoundry API (docs/truefoundry-api.md §2–§3), decoded leniently.
//!
//! Only the fields the component reads are declared; unknown fields are ignored and every
//! optional field may be missing or `null`, because the OpenAPI marks most of them optional
//! and servers add extras.
//!
//! Memory is bounded by what is kept, not only by the body's size: every list is read through
//! a counting visitor that refuses more items than the API ever sends, so eight megabytes of
//! `[{},{},…]` cannot become millions of decoded structs.

use alloc::string::String;
use alloc::string::ToString;
use alloc::vec::Vec;
use core::fmt;
use serde::de::{self, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

/// `{ "data": T }`: get-by-id and create responses.
#[derive(Debug, Deserialize)]
pub struct DataEnvelope<T> {
    /// The payload.
    pub data: T,
}

/// Most items one page may hold: the largest `limit` the API accepts
/// (docs/truefoundry-api.md §2.1, §15).
pub const MAX_PAGE_ITEMS: usize = 1000;
/// Most entries of the short lists inside an item (base domains, message parts).
pub const MAX_SHORT_LIST: usize = 100;

/// `{ "data": [T], "pagination": {...} }`: list responses.
#[derive(Debug, Deserialize)]
#[serde(bound(deserialize = "T: Deserialize<'de>"))]
pub struct Page<T> {
    /// This page's items, at most [`MAX_PAGE_ITEMS`].
    #[serde(deserialize_with = "page_items")]
    pub data: Vec<T>,
    /// Paging information; `total` is required by the OpenAPI but tolerated missing.
    #[serde(default)]
    pub pagination: Option<Pagination>,
}

/// `pagination`.
#[derive(Debug, Deserialize)]
pub struct Pagination {
    /// Items across all pages.
    #[serde(default, deserialize_with = "whole_number")]
    pub total: Option<u64>,
}

/// A workspace (only what the component needs).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Workspace {
    /// Internal id, used as `workspaceId`.
    pub id: String,
    /// `<cluster>:<workspace>`.
    #[serde(default)]
    pub fqn: Option<String>,
    /// The cluster it runs on.
    #[serde(default)]
    pub cluster_id: Option<String>,
}

/// A cluster (docs/truefoundry-api.md §2.6), only its storage-related manifest fields.
#[derive(Debug, Deserialize)]
pub struct Cluster {
    /// Cluster id.
    #[serde(default)]
    pub id: Option<String>,
    /// The cluster manifest.
    #[serde(default)]
    pub manifest: Option<ClusterManifest>,
}

/// `cluster.manifest` (snake_case).
#[derive(Debug, Deserialize)]
pub struct ClusterManifest {
    /// `aws-eks`, `gcp-gke-standard`, `azure-aks`, `generic`, `civo-talos`.
    #[serde(default)]
    pub cluster_type: Option<String>,
    /// Domains the cluster serves (wildcards allowed), at most [`MAX_SHORT_LIST`].
    #[serde(default, deserialize_with = "short_list")]
    pub base_domains: Option<Vec<String>>,
    /// Workbench settings, carrying the default storage class.
    #[serde(default)]
    pub workbench_config: Option<WorkbenchConfig>,
}

/// `cluster.manifest.workbench_config`.
#[derive(Debug, Deserialize)]
pub struct WorkbenchConfig {
    /// The cluster's default storage class.
    #[serde(default)]
    pub default_storage_class: Option<String>,
}

/// The nested `workspace` object of an application.
#[derive(Debug, Deserialize)]
pub struct WorkspaceRef {
    /// `<cluster>:<workspace>`.
    #[serde(default)]
    pub fqn: Option<String>,
}

/// An application (docs/truefoundry-api.md §3.1).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Application {
    /// Application id.
    #[serde(default)]
    pub id: Option<String>,
    /// `<cluster>:<workspace>:<name>`.
    #[serde(default)]
    pub fqn: Option<String>,
    /// Name.
    #[serde(default)]
    pub name: Option<String>,
    /// Application type (`volume`, `service`, ...).
    #[serde(default, rename = "type")]
    pub application_type: Option<String>,
    /// Owning workspace FQN.
    #[serde(default)]
    pub workspace_fqn: Option<String>,
    /// Owning workspace id.
    #[serde(default)]
    pub workspace_id: Option<String>,
    /// Owning workspace, nested.
    #[serde(default)]
    pub workspace: Option<WorkspaceRef>,
    /// Latest version number.
    #[serde(default, deserialize_with = "whole_number")]
    pub last_version: Option<u64>,
    /// The version that runs; missing or null when no deployment ever succeeded.
    #[serde(default, deserialize_with = "whole_number")]
    pub active_version: Option<u64>,
    /// The deployment that runs; missing or null when none ever succeeded.
    #[serde(default)]
    pub active_deployment_id: Option<String>,
    /// `active`, `deleting` or `deletion_failed`.
    #[serde(default)]
    pub lifecycle_stage: Option<String>,
    /// Creation time.
    #[serde(default)]
    pub created_at: Option<String>,
    /// Latest deployment.
    #[serde(default)]
    pub deployment: Option<Deployment>,
}

/// A deployment (docs/truefoundry-api.md §3.2).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Deployment {
    /// Version number.
    #[serde(default, deserialize_with = "whole_number")]
    pub version: Option<u64>,
    /// `<cluster>:<workspace>:<name>:<version>`.
    #[serde(default)]
    pub fqn: Option<String>,
    /// The application it belongs to.
    #[serde(default)]
    pub application_id: Option<String>,
    /// The submitted manifest.
    #[serde(default)]
    pub manifest: Option<ManifestView>,
    /// Current status.
    #[serde(default)]
    pub current_status: Option<DeploymentStatus>,
    /// Creation time.
    #[serde(default)]
    pub created_at: Option<String>,
}

/// `currentStatus` (docs/truefoundry-api.md §3.3).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeploymentStatus {
    /// Status enum value.
    #[serde(default)]
    pub status: Option<String>,
    /// Terminal flag and display text.
    #[serde(default)]
    pub state: Option<StatusState>,
    /// Explanation.
    #[serde(default)]
    pub message: Option<String>,
}

/// `currentStatus.state`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusState {
    /// Whether the status is final.
    #[serde(default)]
    pub is_terminal_state: Option<bool>,
}

/// The volume manifest inside a deployment (snake_case).
#[derive(Debug, Deserialize)]
pub struct ManifestView {
    /// Name.
    #[serde(default)]
    pub name: Option<String>,
    /// Provisioning.
    #[serde(default)]
    pub config: Option<ConfigView>,
    /// Browser.
    #[serde(default)]
    pub volume_browser: Option<BrowserView>,
    /// Owning workspace.
    #[serde(default)]
    pub workspace_fqn: Option<String>,
}

/// `manifest.config`.
#[derive(Debug, Deserialize)]
pub struct ConfigView {
    /// `dynamic` or `static`.
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    /// Dynamic: storage class.
    #[serde(default)]
    pub storage_class: Option<String>,
    /// Dynamic: size in Gi.
    #[serde(default, deserialize_with = "whole_number")]
    pub size: Option<u64>,
    /// Static: PersistentVolume.
    #[serde(default)]
    pub persistent_volume_name: Option<String>,
}

/// `manifest.volume_browser`.
#[derive(Debug, Deserialize)]
pub struct BrowserView {
    /// Login name.
    #[serde(default)]
    pub username: Option<String>,
    /// Where it is served.
    #[serde(default)]
    pub endpoint: Option<EndpointView>,
}

/// `manifest.volume_browser.endpoint`.
#[derive(Debug, Deserialize)]
pub struct EndpointView {
    /// Host.
    #[serde(default)]
    pub host: Option<String>,
    /// Path; `/` when missing.
    #[serde(default)]
    pub path: Option<String>,
}

/// What `expand` reads of a get-by-id answer besides the volume: the owning workspace's id
/// and the deployed manifest as raw JSON, so the manifest can be resubmitted exactly (unknown
/// keys kept) without building a tree of the whole answer.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeployedApplication<'a> {
    /// `workspaceId`.
    #[serde(default)]
    pub workspace_id: Option<String>,
    /// The latest deployment.
    #[serde(default, borrow)]
    pub deployment: Option<DeployedManifest<'a>>,
}

/// The manifest of the latest deployment, raw.
#[derive(Debug, Deserialize)]
pub struct DeployedManifest<'a> {
    /// `manifest`, as sent.
    #[serde(default, borrow)]
    pub manifest: Option<&'a serde_json::value::RawValue>,
}

/// Accepts a non-negative integer, also when written as a whole float (`1.0`), or null.
///
/// A hand-written visitor rather than an untagged enum: untagged enums buffer the value in
/// serde's generic content tree, which costs kilobytes in the component.
fn whole_number<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<u64>, D::Error> {
    struct WholeNumber;

    impl<'de> Visitor<'de> for WholeNumber {
        type Value = Option<u64>;

        fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
            formatter.write_str("a whole non-negative number or null")
        }

        fn visit_u64<E: de::Error>(self, value: u64) -> Result<Self::Value, E> {
            Ok(Some(value))
        }

        fn visit_i64<E: de::Error>(self, value: i64) -> Result<Self::Value, E> {
            u64::try_from(value)
                .map(Some)
                .map_err(|_| E::custom("expected a whole non-negative number, got a negative one"))
        }

        fn visit_f64<E: de::Error>(self, value: f64) -> Result<Self::Value, E> {
            if value >= 0.0 && value <= u64::MAX as f64 && value == (value as u64) as f64 {
                Ok(Some(value as u64))
            } else {
                Err(E::custom(
                    "expected a whole non-negative number, got a fraction",
                ))
            }
        }

        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_some<D: Deserializer<'de>>(self, inner: D) -> Result<Self::Value, D::Error> {
            inner.deserialize_any(WholeNumber)
        }
    }

    deserializer.deserialize_option(WholeNumber)
}
/// `data` of a page: at most [`MAX_PAGE_ITEMS`] items.
fn page_items<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    deserializer.deserialize_seq(AtMost::new(MAX_PAGE_ITEMS, "items on one page"))
}

/// A short list (or null): at most [`MAX_SHORT_LIST`] entries.
fn short_list<'de, D, T>(deserializer: D) -> Result<Option<Vec<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    deserializer.deserialize_option(OptionalList(AtMost::new(MAX_SHORT_LIST, "entries")))
}

/// A sequence visitor that refuses more than `max` elements, before decoding the one too
/// many.
struct AtMost<T> {
    max: usize,
    what: &'static str,
    element: core::marker::PhantomData<T>,
}

impl<T> AtMost<T> {
    fn new(max: usize, what: &'static str) -> Self {
        AtMost {
            max,
            what,
            element: core::marker::PhantomData,
        }
    }
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for AtMost<T> {
    type Value = Vec<T>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "a list of at most {} {}", self.max, self.what)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<Self::Value, A::Error> {
        // The size hint comes from the server: trust it only up to the bound.
        let mut out = Vec::with_capacity(items.size_hint().unwrap_or(0).min(self.max));
        while let Some(item) = items.next_element()? {
            if out.len() == self.max {
                return Err(de::Error::custom(format_args!(
                    "more than {} {}",
                    self.max, self.what
                )));
            }
            out.push(item);
        }
        Ok(out)
    }
}

/// [`AtMost`] behind an `Option`: null is `None`.
struct OptionalList<T>(AtMost<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for OptionalList<T> {
    type Value = Option<Vec<T>>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.expecting(formatter)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, inner: D) -> Result<Self::Value, D::Error> {
        inner.deserialize_seq(self.0).map(Some)
    }
}

/// The error body the control plane sends (`{statusCode, message, code?, details?}`).
/// `message` is a string, or a list of strings in NestJS validation errors.
#[derive(Deserialize)]
pub struct ErrorBody {
    /// `message`, joined with `; ` when it is a list.
    #[serde(default, deserialize_with = "message_text")]
    pub message: Option<String>,
    /// `error`, which some proxies and mocks send instead.
    #[serde(default)]
    pub error: Option<String>,
}

/// A `message` that is a string, or a list of strings joined with `; `, or null.
fn message_text<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> core::result::Result<Option<String>, D::Error> {
    struct MessageText;

    impl<'de> Visitor<'de> for MessageText {
        type Value = Option<String>;

        fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
            formatter.write_str("a message string or a list of them")
        }

        fn visit_str<E: de::Error>(self, text: &str) -> core::result::Result<Self::Value, E> {
            Ok(Some(text.to_string()))
        }

        fn visit_seq<A: SeqAccess<'de>>(
            self,
            mut items: A,
        ) -> core::result::Result<Self::Value, A::Error> {
            let mut parts: Vec<String> = Vec::new();
            while let Some(part) = items.next_element::<String>()? {
                if parts.len() == MAX_SHORT_LIST {
                    return Err(de::Error::custom("more than 100 message parts"));
                }
                parts.push(part);
            }
            Ok(Some(parts.join("; ")))
        }

        fn visit_unit<E: de::Error>(self) -> core::result::Result<Self::Value, E> {
            Ok(None)
        }
    }

    deserializer.deserialize_any(MessageText)
}
