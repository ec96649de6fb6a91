//! Storage classes each cloud offers (docs/truefoundry-api.md §10), and Volume Browser hosts from base domains.
//!
//! TrueFoundry has no API that lists a cluster's storage classes (docs/truefoundry-api.md §2.6, UNCONFIRMED),
//! so the catalog is the cloud's usual set keyed by the cluster's `cluster_type`, with the
//! cluster's declared default (`workbench_config.default_storage_class`) first.

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::input::validate;
use crate::model::ClusterFacts;

/// The cloud a cluster runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(
    feature = "json",
    derive(serde::Serialize),
    serde(rename_all = "kebab-case")
)]
pub enum Cloud {
    /// Amazon EKS.
    Aws,
    /// Google GKE.
    Gcp,
    /// Azure AKS.
    Azure,
    /// Anything else.
    Other,
}

/// What a catalog is, for people: the cloud's usual classes, never the cluster's own list.
fn note(cloud: Cloud, default: Option<&str>) -> String {
    const NOT_LISTED: &str = "TrueFoundry's API does not list a cluster's own storage classes; \
                              `kubectl get storageclass` on the cluster tells";
    let usual = match cloud {
        Cloud::Aws => "EKS",
        Cloud::Gcp => "GKE",
        Cloud::Azure => "AKS",
        Cloud::Other => {
            return alloc::format!(
                "No storage classes to suggest: the cluster's cloud is not one this component \
                 knows. {NOT_LISTED}."
            )
        }
    };
    let default = match default {
        Some(class) => alloc::format!(", after the cluster's declared default `{class}`"),
        None => String::new(),
    };
    alloc::format!(
        "These are the storage classes {usual} clusters usually have{default}, not this \
         cluster's own list: others may exist and these may not. {NOT_LISTED}."
    )
}

/// The cloud of a `cluster_type` (docs/truefoundry-api.md §2.6 enum).
pub fn cloud_of(cluster_type: &str) -> Cloud {
    match cluster_type {
        "aws-eks" => Cloud::Aws,
        "gcp-gke-standard" => Cloud::Gcp,
        "azure-aks" => Cloud::Azure,
        _ => Cloud::Other,
    }
}

/// One storage class.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "json",
    derive(serde::Serialize),
    serde(rename_all = "kebab-case")
)]
pub struct StorageClassInfo {
    /// Kubernetes name.
    pub name: String,
    /// CSI driver, or `unknown`.
    pub driver: String,
    /// Performance tier.
    pub tier: String,
    /// Kubernetes access mode.
    pub access_mode: String,
    /// Guidance.
    pub notes: String,
    /// The cluster's default.
    pub is_default: bool,
}

/// Storage facts of a workspace's cluster.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "json",
    derive(serde::Serialize),
    serde(rename_all = "kebab-case")
)]
pub struct ClusterStorage {
    /// Cluster id.
    pub cluster_id: String,
    /// `cluster_type`.
    pub cluster_type: String,
    /// Its cloud.
    pub cloud: Cloud,
    /// Declared default storage class.
    pub default_storage_class: Option<String>,
    /// Offered classes, default first.
    pub storage_classes: Vec<StorageClassInfo>,
    /// Browser hosts.
    pub browser_hosts: Vec<String>,
    /// What `storage_classes` is: the cloud's usual set, not the cluster's own list.
    pub note: String,
}

impl ClusterStorage {
    /// The storage a cluster usually offers, from what the control plane says of it.
    pub fn from_facts(facts: ClusterFacts) -> Self {
        let cloud = cloud_of(&facts.cluster_type);
        ClusterStorage {
            note: note(cloud, facts.default_storage_class.as_deref()),
            cloud,
            storage_classes: catalog(&facts.cluster_type, facts.default_storage_class.as_deref()),
            browser_hosts: browser_hosts(facts.base_domains.iter().map(String::as_str)),
            cluster_id: facts.cluster_id,
            cluster_type: facts.cluster_type,
            default_storage_class: facts.default_storage_class,
        }
    }

    /// Whether `name` is among the offered classes.
    pub fn offers(&self, name: &str) -> bool {
        self.storage_classes.iter().any(|class| class.name == name)
    }

    /// The offered class names, default first.
    pub fn class_names(&self) -> Vec<String> {
        self.storage_classes
            .iter()
            .map(|class| class.name.clone())
            .collect()
    }
}

const READ_WRITE_MANY: &str = "ReadWriteMany";

/// (name, driver, tier, notes) per cloud, as TrueFoundry's volumes agent skill's storage-class reference lists
/// them. Every class here is ReadWriteMany: many pods can mount it at once.
const AWS: &[(&str, &str, &str, &str)] = &[(
    "efs-sc",
    "efs.csi.aws.com",
    "standard",
    "Amazon EFS: shared NFS that grows and shrinks automatically; the usual choice on AWS.",
)];

const GCP: &[(&str, &str, &str, &str)] = &[
    (
        "standard-rwx",
        "filestore.csi.storage.gke.io",
        "basic HDD",
        "Filestore basic HDD: cheapest shared storage on GKE; Filestore instances start at 1 TiB.",
    ),
    (
        "premium-rwx",
        "filestore.csi.storage.gke.io",
        "premium SSD",
        "Filestore basic SSD: higher IOPS and throughput, for model weights and checkpoints.",
    ),
    (
        "enterprise-rwx",
        "filestore.csi.storage.gke.io",
        "enterprise",
        "Filestore enterprise: regional availability for critical data.",
    ),
];

const AZURE: &[(&str, &str, &str, &str)] = &[
    (
        "azurefile",
        "file.csi.azure.com",
        "standard",
        "Azure Files standard (SMB). Some clusters name the CSI class `azurefile-csi`.",
    ),
    (
        "azurefile-premium",
        "file.csi.azure.com",
        "premium SSD",
        "Azure Files premium SSD: lower latency. Some clusters name it `azurefile-csi-premium`.",
    ),
    (
        "azureblob-nfs-premium",
        "blob.csi.azure.com",
        "premium",
        "Azure Blob over NFS 3.0: large, mostly-read data such as model caches.",
    ),
    (
        "azureblob-fuse-premium",
        "blob.csi.azure.com",
        "premium",
        "Azure Blob through BlobFuse: large data; weaker file-system semantics than NFS.",
    ),
];

fn table(cloud: Cloud) -> &'static [(&'static str, &'static str, &'static str, &'static str)] {
    match cloud {
        Cloud::Aws => AWS,
        Cloud::Gcp => GCP,
        Cloud::Azure => AZURE,
        Cloud::Other => &[],
    }
}

/// The classes a cluster of `cluster_type` offers, `default` first (added when the cloud's
/// catalog lacks it).
pub fn catalog(cluster_type: &str, default: Option<&str>) -> Vec<StorageClassInfo> {
    let cloud = cloud_of(cluster_type);
    let mut classes: Vec<StorageClassInfo> = table(cloud)
        .iter()
        .map(|(name, driver, tier, notes)| StorageClassInfo {
            name: name.to_string(),
            driver: driver.to_string(),
            tier: tier.to_string(),
            access_mode: READ_WRITE_MANY.to_string(),
            notes: notes.to_string(),
            is_default: default == Some(*name),
        })
        .collect();
    if let Some(default) = default.filter(|name| !name.is_empty()) {
        match classes.iter().position(|class| class.name == default) {
            Some(index) => {
                let class = classes.remove(index);
                classes.insert(0, class);
            }
            None => classes.insert(
                0,
                StorageClassInfo {
                    name: default.to_string(),
                    driver: "unknown".to_string(),
                    tier: "cluster default".to_string(),
                    access_mode: "unknown".to_string(),
                    notes: "The cluster's declared default storage class \
                            (workbench_config.default_storage_class)."
                        .to_string(),
                    is_default: true,
                },
            ),
        }
    }
    classes
}

/// Browser hosts from base domains: `*.` removed, invalid names and duplicates dropped.
pub fn browser_hosts<'a>(base_domains: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut hosts: Vec<String> = Vec::new();
    for domain in base_domains {
        let host = domain.trim().trim_start_matches("*.").to_ascii_lowercase();
        if validate::endpoint_host("host", &host).is_ok() && !hosts.contains(&host) {
            hosts.push(host);
        }
    }
    hosts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(classes: &[StorageClassInfo]) -> Vec<&str> {
        classes.iter().map(|class| class.name.as_str()).collect()
    }

    #[test]
    fn cluster_facts_become_the_usual_classes_default_first_and_browser_hosts() {
        let storage = ClusterStorage::from_facts(ClusterFacts {
            cluster_id: "c1".into(),
            cluster_type: "azure-aks".into(),
            default_storage_class: Some("azureblob-nfs-premium".into()),
            base_domains: alloc::vec![
                "*.ml.acme.example.com".into(),
                "apps.acme.example.com".into()
            ],
        });
        assert_eq!(storage.cloud, Cloud::Azure);
        assert_eq!(storage.class_names()[0], "azureblob-nfs-premium");
        assert!(
            storage.note.starts_with(
                "These are the storage classes AKS clusters usually have, after the cluster's \
                 declared default `azureblob-nfs-premium`, not this cluster's own list"
            ),
            "{}",
            storage.note
        );
        assert_eq!(
            storage.browser_hosts,
            ["ml.acme.example.com", "apps.acme.example.com"]
        );
        let bare = ClusterStorage::from_facts(ClusterFacts {
            cluster_id: "c9".into(),
            cluster_type: String::new(),
            default_storage_class: None,
            base_domains: Vec::new(),
        });
        assert_eq!((bare.cloud, bare.storage_classes.len()), (Cloud::Other, 0));
    }

    #[test]
    fn each_cloud_has_its_classes() {
        assert_eq!(names(&catalog("aws-eks", None)), ["efs-sc"]);
        assert_eq!(
            names(&catalog("gcp-gke-standard", None)),
            ["standard-rwx", "premium-rwx", "enterprise-rwx"]
        );
        assert_eq!(
            names(&catalog("azure-aks", None)),
            [
                "azurefile",
                "azurefile-premium",
                "azureblob-nfs-premium",
                "azureblob-fuse-premium"
            ]
        );
        assert_eq!(names(&catalog("generic", None)), Vec::<&str>::new());
        assert!(catalog("azure-aks", None)
            .iter()
            .all(|class| class.access_mode == "ReadWriteMany" && !class.is_default));
    }

    #[test]
    fn the_default_comes_first() {
        let classes = catalog("gcp-gke-standard", Some("premium-rwx"));
        assert_eq!(
            names(&classes),
            ["premium-rwx", "standard-rwx", "enterprise-rwx"]
        );
        assert!(classes[0].is_default && !classes[1].is_default);
        let custom = catalog("aws-eks", Some("gp3-shared"));
        assert_eq!(names(&custom), ["gp3-shared", "efs-sc"]);
        assert_eq!(
            (custom[0].driver.as_str(), custom[0].is_default),
            ("unknown", true)
        );
        assert_eq!(
            names(&catalog("civo-talos", Some("longhorn"))),
            ["longhorn"]
        );
    }

    #[test]
    fn browser_hosts_strip_wildcards_and_drop_junk() {
        assert_eq!(
            browser_hosts([
                "*.ml.example.com",
                "ml.example.com",
                "apps.Example.io",
                "localhost",
                ""
            ]),
            ["ml.example.com", "apps.example.io"]
        );
    }

    #[test]
    fn clouds_come_from_cluster_types() {
        let cases = [
            ("aws-eks", Cloud::Aws),
            ("gcp-gke-standard", Cloud::Gcp),
            ("azure-aks", Cloud::Azure),
            ("generic", Cloud::Other),
            ("civo-talos", Cloud::Other),
        ];
        for (cluster_type, cloud) in cases {
            assert_eq!(cloud_of(cluster_type), cloud);
        }
    }
}
