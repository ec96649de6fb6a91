//! The confirmation summary shown before `create` (no network), and what the control
//! plane's answers add to it.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write;

use crate::error::Result;
use crate::input::manifest::{self, ValidCreate, VolumeConfig, VolumeManifest};
use crate::model::{CreatePlan, CreateRequest};
use crate::offline::storage_class::{Cloud, ClusterStorage};
use crate::vocabulary::{self, Surface};

/// Checks `request` like `create` does and describes what `create` would do.
pub fn plan(request: &CreateRequest) -> Result<CreatePlan> {
    Ok(describe(&manifest::from_request(request)?))
}

/// The plan of a request that already passed every local rule, closing with what the
/// `volumes` interface's caller does next (each edge renders it for its own callers).
pub fn describe(valid: &ValidCreate) -> CreatePlan {
    describe_closing(valid, vocabulary::plan_closing(Surface::Interface))
}

/// The plan of a request that already passed every local rule, its summary ending with
/// `closing` (what the reader can do next where the plan is shown).
pub fn describe_closing(valid: &ValidCreate, closing: &str) -> CreatePlan {
    let manifest = &valid.manifest;
    let mut summary = String::new();
    let mut warnings = Vec::new();
    // Writing to a String cannot fail.
    let _ = writeln!(summary, "Create volume `{}`", manifest.name);
    let _ = writeln!(summary, "  Workspace:        {}", valid.workspace);
    match &manifest.config {
        VolumeConfig::Dynamic {
            storage_class,
            size,
        } => {
            let _ = writeln!(summary, "  Type:             dynamic (new storage)");
            let _ = writeln!(summary, "  Size:             {size} Gi");
            let _ = writeln!(summary, "  Storage class:    {storage_class}");
        }
        VolumeConfig::Static {
            persistent_volume_name,
        } => {
            let _ = writeln!(
                summary,
                "  Type:             static (existing PersistentVolume)"
            );
            let _ = writeln!(summary, "  PersistentVolume: {persistent_volume_name}");
            warnings.push(format!(
                "The PersistentVolume `{persistent_volume_name}` must already exist in the \
                 cluster (`kubectl get pv {persistent_volume_name}`); otherwise the deployment \
                 fails."
            ));
        }
    }
    match &manifest.volume_browser {
        Some(browser) => {
            let _ = writeln!(summary, "  Volume Browser:   {}", browser.url());
            let _ = writeln!(summary, "  Browser username: {}", browser.username);
            match &browser.password_secret_fqn {
                Some(secret) => {
                    let _ = writeln!(summary, "  Browser password: from secret {secret}");
                }
                None => warnings.push(String::from(
                    "The Volume Browser has no password secret: create one (TrueFoundry UI > \
                     Secrets) and pass it as `browser.password-secret-fqn`.",
                )),
            }
        }
        None => {
            let _ = writeln!(summary, "  Volume Browser:   none");
        }
    }
    let _ = writeln!(
        summary,
        "  Mount reference:  tfy-volume://{}:{}",
        valid.workspace, manifest.name
    );
    let note = match &manifest.config {
        VolumeConfig::Dynamic { .. } => {
            "Note: a volume's size can be increased later but never reduced."
        }
        VolumeConfig::Static { .. } => {
            "Note: a static volume's size is its PersistentVolume's; grow the storage behind it \
             to get more room."
        }
    };
    let _ = write!(summary, "{note} {closing}");
    // Serializing the manifest (strings and integers) cannot fail.
    let manifest_json = serde_json::to_string_pretty(manifest).unwrap_or_default();
    CreatePlan {
        summary,
        manifest_json,
        warnings,
        checked_online: false,
        storage_classes: Vec::new(),
        browser_hosts: Vec::new(),
    }
}

/// `plan` checked against what the control plane said: `replacing` is the id of a failed
/// volume of the same name that `create` will replace, `storage` the workspace cluster's
/// storage, or why it could not be read. Storage classes and browser hosts the cluster does
/// not list are warnings, never refusals: the catalog is a guess (docs/truefoundry-api.md
/// §2.6).
pub fn checked_online(
    mut plan: CreatePlan,
    manifest: &VolumeManifest,
    replacing: Option<&str>,
    storage: core::result::Result<&ClusterStorage, &str>,
) -> CreatePlan {
    if let Some(id) = replacing {
        plan.warnings.push(format!(
            "`{}` exists (id {id}) and never ran: `create` will replace its failed deployment \
             with this manifest.",
            manifest.name
        ));
    }
    plan.checked_online = true;
    match storage {
        Ok(storage) => {
            plan.warnings.extend(cluster_warnings(manifest, storage));
            plan.storage_classes = storage.class_names();
            plan.browser_hosts = storage.browser_hosts.clone();
        }
        Err(note) => plan.warnings.push(String::from(note)),
    }
    plan
}

/// Warnings (never refusals: the catalog is a guess, docs/truefoundry-api.md §2.6) for a
/// storage class the cluster's cloud does not usually have and a browser host that is not
/// one of its domains.
fn cluster_warnings(manifest: &VolumeManifest, storage: &ClusterStorage) -> Vec<String> {
    let mut warnings = Vec::new();
    if let VolumeConfig::Dynamic { storage_class, .. } = &manifest.config {
        let known_cloud = storage.cloud != Cloud::Other || !storage.storage_classes.is_empty();
        if known_cloud && !storage.offers(storage_class) {
            // Never worded as a missing class: the API cannot say what the cluster has.
            warnings.push(format!(
                "The storage class `{storage_class}` is not among those {} clusters usually \
                 have ({}). The cluster may well have it (TrueFoundry's API does not list a \
                 cluster's classes; `kubectl get storageclass` does); if it does not, the \
                 deployment fails with storage-class-unavailable, and `create` again with \
                 `replace-failed` set repairs it.",
                storage.cluster_type,
                storage.class_names().join(", ")
            ));
        }
    }
    if let Some(browser) = &manifest.volume_browser {
        let host = &browser.endpoint.host;
        if !storage.browser_hosts.is_empty() && !storage.browser_hosts.contains(host) {
            warnings.push(format!(
                "The browser host `{host}` is not one of the cluster's domains ({}); the \
                 Volume Browser will not be reachable unless DNS and ingress serve it.",
                storage.browser_hosts.join(", ")
            ));
        }
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;
    use crate::input::manifest::tests::{dynamic_request, static_request};
    use crate::model::BrowserSettings;
    use serde_json::{json, Value};

    #[test]
    fn dynamic_plan_states_every_fact_and_the_shrink_note() {
        let request = CreateRequest {
            browser: Some(BrowserSettings {
                host: "ml.example.com".into(),
                password_secret_fqn: Some("tfy-secret://acme:vol:pw".into()),
                ..Default::default()
            }),
            ..dynamic_request()
        };
        let plan = plan(&request).unwrap();
        assert_eq!(
            plan.summary,
            "Create volume `training-data`\n\
             \x20 Workspace:        c1:ws1\n\
             \x20 Type:             dynamic (new storage)\n\
             \x20 Size:             100 Gi\n\
             \x20 Storage class:    efs-sc\n\
             \x20 Volume Browser:   https://ml.example.com/training-data/\n\
             \x20 Browser username: admin\n\
             \x20 Browser password: from secret tfy-secret://acme:vol:pw\n\
             \x20 Mount reference:  tfy-volume://c1:ws1:training-data\n\
             Note: a volume's size can be increased later but never reduced. Reply yes to create it."
        );
        assert_eq!(plan.warnings, Vec::<String>::new());
        let manifest: Value = serde_json::from_str(&plan.manifest_json).unwrap();
        assert_eq!(
            manifest["volume_browser"]["endpoint"],
            json!({"host":"ml.example.com","path":"/training-data/"})
        );
    }

    #[test]
    fn static_plan_warns_about_the_persistent_volume_and_missing_password() {
        let request = CreateRequest {
            browser: Some(BrowserSettings {
                host: "ml.example.com".into(),
                path: Some("/".into()),
                ..Default::default()
            }),
            ..static_request()
        };
        let plan = plan(&request).unwrap();
        assert!(plan
            .summary
            .contains("PersistentVolume: shared-datasets-pv"));
        assert!(plan.summary.contains("https://ml.example.com/\n"));
        assert!(
            plan.summary
                .contains("a static volume's size is its PersistentVolume's"),
            "{}",
            plan.summary
        );
        assert!(!plan.summary.contains("never reduced"));
        assert_eq!(plan.warnings.len(), 2);
        assert!(plan.warnings[0].contains("kubectl get pv shared-datasets-pv"));
        assert!(plan.warnings[1].contains("password secret"));
    }

    #[test]
    fn plan_refuses_what_create_refuses() {
        let request = CreateRequest {
            name: "x".into(),
            ..dynamic_request()
        };
        assert!(
            matches!(plan(&request), Err(Error::InvalidInput { field, .. }) if field == "name")
        );
    }
}
