//! Recipes for static volumes: the Kubernetes PersistentVolume that wraps existing EFS, S3,
//! GCS, Azure Files or Azure Blob storage, the TrueFoundry manifest that wraps the PV, and
//! the prerequisite steps (docs/truefoundry-api.md §11).
//!
//! No TrueFoundry source states which PV fields its PVC binds with (docs/truefoundry-api.md §11, UNCONFIRMED).
//! The PVs follow each CSI driver's documented static-provisioning form: `storageClassName:
//! ""` (static binding), `ReadWriteMany`, reclaim policy `Retain`; the notes say so.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;

use crate::error::{Error, Result};
use crate::input::fqn::WorkspaceFqn;
use crate::input::manifest::{VolumeConfig, VolumeManifest};
use crate::input::validate::{self, shown};
use crate::offline::snippet::yaml_scalar;

/// Where the storage lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(
    feature = "json",
    derive(serde::Deserialize),
    serde(rename_all = "kebab-case")
)]
pub enum PvProvider {
    /// Amazon EFS.
    AwsEfs,
    /// Amazon S3 (Mountpoint CSI driver).
    AwsS3,
    /// Google Cloud Storage (GCS Fuse CSI driver).
    GcpGcs,
    /// Azure Files.
    AzureFiles,
    /// Azure Blob (BlobFuse).
    AzureBlob,
}

impl PvProvider {
    fn name(self) -> &'static str {
        match self {
            PvProvider::AwsEfs => "aws-efs",
            PvProvider::AwsS3 => "aws-s3",
            PvProvider::GcpGcs => "gcp-gcs",
            PvProvider::AzureFiles => "azure-files",
            PvProvider::AzureBlob => "azure-blob",
        }
    }
}

/// Inputs to [`recipe`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "json",
    derive(serde::Deserialize),
    serde(rename_all = "kebab-case", deny_unknown_fields)
)]
pub struct StaticVolumeRequest {
    /// The provider.
    pub provider: PvProvider,
    /// `<cluster>:<workspace>`.
    pub workspace_fqn: String,
    /// TrueFoundry volume name.
    pub volume_name: String,
    /// PV name (default `<volume-name>-pv`).
    pub persistent_volume_name: Option<String>,
    /// Declared capacity in Gi (default 100).
    pub capacity_gi: Option<u32>,
    /// EFS file system id.
    pub file_system_id: Option<String>,
    /// EFS access point id.
    pub access_point_id: Option<String>,
    /// S3 or GCS bucket.
    pub bucket: Option<String>,
    /// S3 region.
    pub region: Option<String>,
    /// GCS: Kubernetes service account.
    pub service_account: Option<String>,
    /// Azure storage account.
    pub storage_account: Option<String>,
    /// Azure file share or blob container.
    pub share_or_container: Option<String>,
    /// Azure resource group.
    pub resource_group: Option<String>,
}

impl StaticVolumeRequest {
    /// A request for `provider` with the PersistentVolume's name and capacity left to their
    /// defaults and no provider details yet: each provider's are set on top.
    pub fn new(provider: PvProvider, workspace_fqn: String, volume_name: String) -> Self {
        StaticVolumeRequest {
            provider,
            workspace_fqn,
            volume_name,
            persistent_volume_name: None,
            capacity_gi: None,
            file_system_id: None,
            access_point_id: None,
            bucket: None,
            region: None,
            service_account: None,
            storage_account: None,
            share_or_container: None,
            resource_group: None,
        }
    }
}

/// The recipe.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "json",
    derive(serde::Serialize),
    serde(rename_all = "kebab-case")
)]
pub struct StaticVolumeSetup {
    /// PersistentVolume YAML.
    pub persistent_volume_yaml: String,
    /// TrueFoundry manifest JSON.
    pub volume_manifest_json: String,
    /// Checklist.
    pub steps: Vec<String>,
    /// Assumptions.
    pub notes: Vec<String>,
}

const DEFAULT_CAPACITY_GI: u32 = 100;

/// A field's value, required for `provider`.
fn required<'a>(
    field: &str,
    value: &'a Option<String>,
    provider: PvProvider,
    what: &str,
) -> Result<&'a str> {
    value.as_deref().ok_or_else(|| {
        Error::invalid(
            field,
            format!("is required for {}", provider.name()),
            format!("Pass {what}."),
        )
    })
}

/// Refuses fields the provider does not use, so a mistaken provider is caught early.
fn unused(request: &StaticVolumeRequest, used: &[&str]) -> Result<()> {
    let fields: [(&str, bool); 8] = [
        ("file-system-id", request.file_system_id.is_some()),
        ("access-point-id", request.access_point_id.is_some()),
        ("bucket", request.bucket.is_some()),
        ("region", request.region.is_some()),
        ("service-account", request.service_account.is_some()),
        ("storage-account", request.storage_account.is_some()),
        ("share-or-container", request.share_or_container.is_some()),
        ("resource-group", request.resource_group.is_some()),
    ];
    match fields
        .iter()
        .find(|(field, given)| *given && !used.contains(field))
    {
        Some((field, _)) => Err(Error::invalid(
            field,
            format!("is not used by {}", request.provider.name()),
            format!("Leave `{field}` unset, or choose the provider it belongs to."),
        )),
        None => Ok(()),
    }
}

/// `value` must be `prefix` followed by 8 to 40 lowercase hex digits (EFS ids).
fn aws_id(field: &str, value: &str, prefix: &str, example: &str) -> Result<()> {
    let ok = value.strip_prefix(prefix).is_some_and(|hex| {
        (8..=40).contains(&hex.len())
            && hex
                .chars()
                .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
    });
    if ok {
        return Ok(());
    }
    Err(Error::invalid(
        field,
        format!("{} is not of the form {prefix}<hex digits>", shown(value)),
        format!("Copy the id from the AWS console, for example `{example}`."),
    ))
}

/// A bucket, share or container name: `min`–`max` characters of lowercase letters, digits
/// and `extra`, alphanumeric at both ends.
fn storage_name(
    field: &str,
    value: &str,
    min: usize,
    max: usize,
    extra: &[char],
    what: &str,
) -> Result<()> {
    let alnum = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit();
    let ok = (min..=max).contains(&value.len())
        && value.chars().all(|c| alnum(c) || extra.contains(&c))
        && value.chars().next().is_some_and(alnum)
        && value.chars().last().is_some_and(alnum);
    if ok {
        return Ok(());
    }
    Err(Error::invalid(
        field,
        format!("{} is not a valid {what} name", shown(value)),
        format!(
            "Use the {what} name exactly as the cloud console shows it: {min} to {max} lowercase \
             letters, digits{}.",
            if extra.is_empty() {
                String::new()
            } else {
                let list: Vec<String> = extra.iter().map(|c| format!("`{c}`")).collect();
                format!(" and {}", list.join(", "))
            }
        ),
    ))
}

fn aws_region(field: &str, value: &str) -> Result<()> {
    let ok = (4..=25).contains(&value.len())
        && value
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && value.contains('-')
        && value.chars().last().is_some_and(|c| c.is_ascii_digit());
    if ok {
        return Ok(());
    }
    Err(Error::invalid(
        field,
        format!("{} is not an AWS region", shown(value)),
        "Pass the bucket's region, for example `us-east-1` or `eu-west-2`.",
    ))
}

fn resource_group(field: &str, value: &str) -> Result<()> {
    let ok = (1..=90).contains(&value.len())
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '(' | ')'))
        && !value.ends_with('.');
    if ok {
        return Ok(());
    }
    Err(Error::invalid(
        field,
        format!("{} is not an Azure resource group name", shown(value)),
        "Pass the resource group as the Azure portal shows it (letters, digits, `-`, `_`, `.`, `(`, `)`).",
    ))
}

/// What differs between providers in the PV.
struct Csi {
    driver: &'static str,
    volume_handle: String,
    attributes: Vec<(&'static str, String)>,
    mount_options: Vec<String>,
    secret: Option<String>,
}

/// Builds the recipe for `request`.
pub fn recipe(request: &StaticVolumeRequest) -> Result<StaticVolumeSetup> {
    let workspace = WorkspaceFqn::parse("workspace-fqn", &request.workspace_fqn)?;
    validate::volume_name("volume-name", &request.volume_name)?;
    let pv_name = request
        .persistent_volume_name
        .clone()
        .unwrap_or_else(|| format!("{}-pv", request.volume_name));
    validate::kubernetes_name("persistent-volume-name", "PersistentVolume", &pv_name)?;
    let capacity = request.capacity_gi.unwrap_or(DEFAULT_CAPACITY_GI);
    validate::size_gi("capacity-gi", capacity)?;
    // TrueFoundry runs a workspace's applications in the Kubernetes namespace named after it
    // (UNCONFIRMED; stated in the notes).
    let namespace = workspace.workspace().to_string();
    let provider = request.provider;

    let (csi, mut steps, mut notes) = match provider {
        PvProvider::AwsEfs => {
            unused(request, &["file-system-id", "access-point-id"])?;
            let fs = required(
                "file-system-id",
                &request.file_system_id,
                provider,
                "the EFS file system id, `fs-...`",
            )?;
            let ap = required(
                "access-point-id",
                &request.access_point_id,
                provider,
                "the EFS access point id, `fsap-...`",
            )?;
            aws_id("file-system-id", fs, "fs-", "fs-0123456789abcdef0")?;
            aws_id("access-point-id", ap, "fsap-", "fsap-0123456789abcdef0")?;
            (
                Csi {
                    driver: "efs.csi.aws.com",
                    volume_handle: format!("{fs}::{ap}"),
                    attributes: Vec::new(),
                    mount_options: Vec::new(),
                    secret: None,
                },
                vec![
                    "Install the Amazon EFS CSI driver on the cluster (EKS add-on `aws-efs-csi-driver`).".to_string(),
                    format!("Create an access point on `{fs}` whose POSIX user and root-directory owner are uid 1000, gid 1000; its id is `{ap}`."),
                    "Allow NFS (TCP 2049) from the cluster's nodes in the security group of the file system's mount targets.".to_string(),
                ],
                vec!["EFS ignores the declared capacity; Kubernetes requires one.".to_string()],
            )
        }
        PvProvider::AwsS3 => {
            unused(request, &["bucket", "region"])?;
            let bucket = required("bucket", &request.bucket, provider, "the S3 bucket name")?;
            let region = required(
                "region",
                &request.region,
                provider,
                "the bucket's region, for example `us-east-1`",
            )?;
            storage_name("bucket", bucket, 3, 63, &['-', '.'], "S3 bucket")?;
            aws_region("region", region)?;
            (
                Csi {
                    driver: "s3.csi.aws.com",
                    // The handle only has to be unique among the cluster's PVs.
                    volume_handle: pv_name.clone(),
                    attributes: vec![("bucketName", bucket.to_string())],
                    mount_options: vec!["allow-delete".to_string(), format!("region {region}")],
                    secret: None,
                },
                vec![
                    "Install the Mountpoint for Amazon S3 CSI driver (EKS add-on `aws-mountpoint-s3-csi-driver`).".to_string(),
                    format!("Give the driver's IAM role (IRSA or EKS Pod Identity) `s3:ListBucket` on `arn:aws:s3:::{bucket}` and `s3:GetObject`, `s3:PutObject`, `s3:AbortMultipartUpload`, `s3:DeleteObject` on `arn:aws:s3:::{bucket}/*`."),
                ],
                vec![
                    "The S3 driver supports static provisioning only and ignores the capacity.".to_string(),
                    "S3 through Mountpoint is not a full file system: files are written sequentially, existing files cannot be modified in place, and directories cannot be renamed.".to_string(),
                ],
            )
        }
        PvProvider::GcpGcs => {
            unused(request, &["bucket", "service-account"])?;
            let bucket = required("bucket", &request.bucket, provider, "the GCS bucket name")?;
            let account = required(
                "service-account",
                &request.service_account,
                provider,
                "the Kubernetes service account bound to the Google service account",
            )?;
            storage_name("bucket", bucket, 3, 63, &['-', '_', '.'], "GCS bucket")?;
            validate::kubernetes_name("service-account", "service account", account)?;
            (
                Csi {
                    driver: "gcsfuse.csi.storage.gke.io",
                    volume_handle: bucket.to_string(),
                    attributes: Vec::new(),
                    mount_options: vec!["implicit-dirs".to_string()],
                    secret: None,
                },
                vec![
                    "Enable the Cloud Storage FUSE CSI driver on the GKE cluster (`gcloud container clusters update <cluster> --update-addons GcsFuseCsiDriver=ENABLED`); the cluster needs Workload Identity Federation.".to_string(),
                    format!("Use a single-region bucket `{bucket}` in the cluster's region."),
                    format!("Grant a Google service account `roles/storage.objectAdmin` on `gs://{bucket}`."),
                    format!("Create the Kubernetes ServiceAccount `{account}` in namespace `{namespace}`, annotated `iam.gke.io/gcp-service-account=<google-service-account-email>`, and let it impersonate the Google service account (`roles/iam.workloadIdentityUser`). The name must match the IAM binding exactly."),
                    format!("Applications that mount the volume must run as `{account}` with the pod annotation `gke-gcsfuse/volumes: \"true\"`."),
                ],
                vec!["GCS Fuse ignores the capacity; Kubernetes requires one.".to_string()],
            )
        }
        PvProvider::AzureFiles | PvProvider::AzureBlob => {
            unused(
                request,
                &["storage-account", "share-or-container", "resource-group"],
            )?;
            let account = required(
                "storage-account",
                &request.storage_account,
                provider,
                "the storage account name",
            )?;
            let share = required(
                "share-or-container",
                &request.share_or_container,
                provider,
                "the file share or blob container name",
            )?;
            let group = required(
                "resource-group",
                &request.resource_group,
                provider,
                "the storage account's resource group",
            )?;
            storage_name(
                "storage-account",
                account,
                3,
                24,
                &[],
                "Azure storage account",
            )?;
            storage_name(
                "share-or-container",
                share,
                3,
                63,
                &['-'],
                "Azure share or container",
            )?;
            resource_group("resource-group", group)?;
            let secret = format!("azure-storage-{account}");
            let files = provider == PvProvider::AzureFiles;
            let (driver, attributes, mount_options, thing, enable) = if files {
                (
                    "file.csi.azure.com",
                    vec![
                        ("resourceGroup", group.to_string()),
                        ("storageAccount", account.to_string()),
                        ("shareName", share.to_string()),
                    ],
                    ["dir_mode=0777", "file_mode=0777", "uid=1000", "gid=1000", "mfsymlinks", "cache=strict", "nosharesock"]
                        .iter()
                        .map(ToString::to_string)
                        .collect(),
                    "file share",
                    "The Azure Files CSI driver (`file.csi.azure.com`) ships with AKS; check with `kubectl get csidriver`.",
                )
            } else {
                (
                    "blob.csi.azure.com",
                    vec![
                        ("resourceGroup", group.to_string()),
                        ("storageAccount", account.to_string()),
                        ("containerName", share.to_string()),
                        ("protocol", "fuse".to_string()),
                    ],
                    ["-o allow_other", "--file-cache-timeout-in-seconds=120"]
                        .iter()
                        .map(ToString::to_string)
                        .collect(),
                    "blob container",
                    "Enable the Azure Blob CSI driver on the AKS cluster (`az aks update --enable-blob-driver`).",
                )
            };
            (
                Csi {
                    driver,
                    volume_handle: format!("{group}#{account}#{share}"),
                    attributes,
                    mount_options,
                    secret: Some(secret.clone()),
                },
                vec![
                    enable.to_string(),
                    format!("Create the {thing} `{share}` in storage account `{account}` (resource group `{group}`)."),
                    format!("Create the secret `{secret}` in namespace `{namespace}`: `kubectl create secret generic {secret} -n {namespace} --from-literal=azurestorageaccountname={account} --from-literal=azurestorageaccountkey=<key>`."),
                ],
                Vec::new(),
            )
        }
    };

    steps.push(format!(
        "Apply the PersistentVolume below as a cluster admin: `kubectl apply -f {pv_name}.yaml`, then check that `kubectl get pv {pv_name}` shows it `Available`."
    ));
    steps.push(format!(
        "Create the TrueFoundry volume `{}` in `{workspace}` as a static volume wrapping `{pv_name}` (the manifest below).",
        request.volume_name
    ));
    notes.push(
        "The PersistentVolume uses `storageClassName: \"\"` (static binding), `ReadWriteMany` and reclaim policy `Retain`, as the CSI driver documents for static provisioning; no TrueFoundry source states which of these its claim binds with.".to_string(),
    );
    if csi.secret.is_some() || provider == PvProvider::GcpGcs {
        notes.push(format!(
            "Namespace `{namespace}` assumes TrueFoundry runs the workspace in a namespace of the same name; check with `kubectl get namespace {namespace}`."
        ));
    }

    let manifest = VolumeManifest {
        kind: "volume",
        name: request.volume_name.clone(),
        config: VolumeConfig::Static {
            persistent_volume_name: pv_name.clone(),
        },
        volume_browser: None,
        workspace_fqn: workspace.to_string(),
    };
    Ok(StaticVolumeSetup {
        persistent_volume_yaml: persistent_volume_yaml(&pv_name, capacity, &csi, &namespace),
        volume_manifest_json: serde_json::to_string_pretty(&manifest).unwrap_or_default(),
        steps,
        notes,
    })
}

fn persistent_volume_yaml(name: &str, capacity_gi: u32, csi: &Csi, namespace: &str) -> String {
    let mut yaml = String::new();
    let mut line = |text: String| {
        yaml.push_str(&text);
        yaml.push('\n');
    };
    line("apiVersion: v1".into());
    line("kind: PersistentVolume".into());
    line("metadata:".into());
    line(format!("  name: {}", yaml_scalar(name)));
    line("spec:".into());
    line("  capacity:".into());
    line(format!("    storage: {capacity_gi}Gi"));
    line("  volumeMode: Filesystem".into());
    line("  accessModes:".into());
    line("    - ReadWriteMany".into());
    line("  persistentVolumeReclaimPolicy: Retain".into());
    line("  storageClassName: \"\"".into());
    if !csi.mount_options.is_empty() {
        line("  mountOptions:".into());
        for option in &csi.mount_options {
            line(format!("    - {}", yaml_scalar(option)));
        }
    }
    line("  csi:".into());
    line(format!("    driver: {}", csi.driver));
    line(format!(
        "    volumeHandle: {}",
        yaml_scalar(&csi.volume_handle)
    ));
    if !csi.attributes.is_empty() {
        line("    volumeAttributes:".into());
        for (key, value) in &csi.attributes {
            line(format!("      {key}: {}", yaml_scalar(value)));
        }
    }
    if let Some(secret) = &csi.secret {
        line("    nodeStageSecretRef:".into());
        line(format!("      name: {}", yaml_scalar(secret)));
        line(format!("      namespace: {}", yaml_scalar(namespace)));
    }
    yaml
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn request(provider: PvProvider) -> StaticVolumeRequest {
        StaticVolumeRequest::new(provider, "c1:ml-team".into(), "shared-data".into())
    }

    fn yaml(plan: &StaticVolumeSetup) -> Value {
        serde_yaml_ng::from_str(&plan.persistent_volume_yaml).unwrap()
    }

    #[test]
    fn efs_matches_its_golden() {
        let plan = recipe(&StaticVolumeRequest {
            file_system_id: Some("fs-0123456789abcdef0".into()),
            access_point_id: Some("fsap-0fedcba9876543210".into()),
            ..request(PvProvider::AwsEfs)
        })
        .unwrap();
        let golden: Value =
            serde_yaml_ng::from_str(include_str!("../../tests/fixtures/static/efs-pv.yaml"))
                .unwrap();
        assert_eq!(yaml(&plan), golden);
        let manifest: Value = serde_json::from_str(&plan.volume_manifest_json).unwrap();
        assert_eq!(
            manifest,
            json!({"type":"volume","name":"shared-data","workspace_fqn":"c1:ml-team",
                   "config":{"type":"static","persistent_volume_name":"shared-data-pv"}})
        );
        assert!(plan.steps[0].contains("aws-efs-csi-driver"));
        assert!(plan.steps.last().unwrap().contains("static"));
    }

    #[test]
    fn azure_blob_matches_its_golden() {
        let plan = recipe(&StaticVolumeRequest {
            persistent_volume_name: Some("datasets-pv".into()),
            capacity_gi: Some(500),
            storage_account: Some("acmedata".into()),
            share_or_container: Some("datasets".into()),
            resource_group: Some("ml-rg".into()),
            ..request(PvProvider::AzureBlob)
        })
        .unwrap();
        let golden: Value = serde_yaml_ng::from_str(include_str!(
            "../../tests/fixtures/static/azure-blob-pv.yaml"
        ))
        .unwrap();
        assert_eq!(yaml(&plan), golden);
        assert!(plan
            .steps
            .iter()
            .any(|step| step
                .contains("kubectl create secret generic azure-storage-acmedata -n ml-team")));
        assert!(plan
            .notes
            .iter()
            .any(|note| note.contains("namespace of the same name")));
    }

    #[test]
    fn s3_gcs_and_azure_files_carry_their_driver_fields() {
        let s3 = yaml(
            &recipe(&StaticVolumeRequest {
                bucket: Some("acme-datasets".into()),
                region: Some("us-east-1".into()),
                ..request(PvProvider::AwsS3)
            })
            .unwrap(),
        );
        assert_eq!(s3["spec"]["csi"]["driver"], "s3.csi.aws.com");
        assert_eq!(
            s3["spec"]["csi"]["volumeAttributes"],
            json!({"bucketName":"acme-datasets"})
        );
        assert_eq!(
            s3["spec"]["mountOptions"],
            json!(["allow-delete", "region us-east-1"])
        );
        assert_eq!(s3["spec"]["storageClassName"], "");

        let gcs = yaml(
            &recipe(&StaticVolumeRequest {
                bucket: Some("acme_models".into()),
                service_account: Some("gcs-reader".into()),
                ..request(PvProvider::GcpGcs)
            })
            .unwrap(),
        );
        assert_eq!(gcs["spec"]["csi"]["driver"], "gcsfuse.csi.storage.gke.io");
        assert_eq!(gcs["spec"]["csi"]["volumeHandle"], "acme_models");

        let files = yaml(
            &recipe(&StaticVolumeRequest {
                storage_account: Some("acmefiles".into()),
                share_or_container: Some("team-share".into()),
                resource_group: Some("rg".into()),
                ..request(PvProvider::AzureFiles)
            })
            .unwrap(),
        );
        assert_eq!(files["spec"]["csi"]["driver"], "file.csi.azure.com");
        assert_eq!(
            files["spec"]["csi"]["volumeHandle"],
            "rg#acmefiles#team-share"
        );
        assert_eq!(
            files["spec"]["csi"]["volumeAttributes"]["shareName"],
            "team-share"
        );
        assert_eq!(files["spec"]["persistentVolumeReclaimPolicy"], "Retain");
        assert_eq!(files["spec"]["accessModes"], json!(["ReadWriteMany"]));
    }

    #[test]
    fn bad_or_misplaced_fields_are_named() {
        let efs = |fs: &str, ap: &str| StaticVolumeRequest {
            file_system_id: Some(fs.into()),
            access_point_id: Some(ap.into()),
            ..request(PvProvider::AwsEfs)
        };
        let cases = [
            (request(PvProvider::AwsEfs), "file-system-id"),
            (efs("fs-xyz", "fsap-0123456789abcdef0"), "file-system-id"),
            (efs("fs-0123456789abcdef0", "ap-0123"), "access-point-id"),
            (
                StaticVolumeRequest {
                    bucket: Some("b".into()),
                    ..efs("fs-0123456789abcdef0", "fsap-0123456789abcdef0")
                },
                "bucket",
            ),
            (
                StaticVolumeRequest {
                    bucket: Some("Bad_Bucket".into()),
                    region: Some("us-east-1".into()),
                    ..request(PvProvider::AwsS3)
                },
                "bucket",
            ),
            (
                StaticVolumeRequest {
                    bucket: Some("good-bucket".into()),
                    region: Some("mars".into()),
                    ..request(PvProvider::AwsS3)
                },
                "region",
            ),
            (
                StaticVolumeRequest {
                    bucket: Some("good-bucket".into()),
                    ..request(PvProvider::GcpGcs)
                },
                "service-account",
            ),
            (
                StaticVolumeRequest {
                    storage_account: Some("Acme!".into()),
                    share_or_container: Some("s1x".into()),
                    resource_group: Some("rg".into()),
                    ..request(PvProvider::AzureFiles)
                },
                "storage-account",
            ),
            (
                StaticVolumeRequest {
                    volume_name: "Bad".into(),
                    ..request(PvProvider::AwsEfs)
                },
                "volume-name",
            ),
            (
                StaticVolumeRequest {
                    workspace_fqn: "nope".into(),
                    ..request(PvProvider::AwsEfs)
                },
                "workspace-fqn",
            ),
            (
                StaticVolumeRequest {
                    capacity_gi: Some(0),
                    ..efs("fs-0123456789abcdef0", "fsap-0123456789abcdef0")
                },
                "capacity-gi",
            ),
        ];
        for (bad, field) in cases {
            match recipe(&bad) {
                Err(Error::InvalidInput { field: named, .. }) => {
                    assert_eq!(named, field, "{bad:?}")
                }
                other => panic!("{bad:?}: {other:?}"),
            }
        }
    }
}
