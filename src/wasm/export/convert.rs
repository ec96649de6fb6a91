//! wasm only: the one conversion layer between the core's domain values and their
//! generated WIT twins, shared by every world. Records and enums that mirror each other are
//! declared once each, by their field or case names; only the error variant, whose WIT shape
//! groups fields differently, is written out.

use alloc::string::String;
use alloc::vec::Vec;

use super::{wit, SURFACE};
use crate::error::{Error, ResourceKind};
use crate::model;
use crate::offline::{advice, cache_volume, interview, static_volume, storage_class};
use crate::vocabulary;

/// A value that becomes a `T` on the other side of the WIT boundary.
pub(super) trait Convert<T> {
    /// The value as a `T`.
    fn convert(self) -> T;
}

/// Types that cross unchanged.
macro_rules! same {
    ($($ty:ty),*) => {$(
        impl Convert<$ty> for $ty {
            fn convert(self) -> $ty {
                self
            }
        }
    )*};
}

same!(String, bool, u32, u64, f64);

impl<A: Convert<B>, B> Convert<Option<B>> for Option<A> {
    fn convert(self) -> Option<B> {
        self.map(Convert::convert)
    }
}

impl<A: Convert<B>, B> Convert<Vec<B>> for Vec<A> {
    fn convert(self) -> Vec<B> {
        self.into_iter().map(Convert::convert).collect()
    }
}

/// Records whose fields have the same names on both sides, each converted in turn.
macro_rules! records {
    ($($from:path => $to:path { $($field:ident),* $(,)? })*) => {$(
        impl Convert<$to> for $from {
            fn convert(self) -> $to {
                $to { $($field: self.$field.convert()),* }
            }
        }
    )*};
}

/// Enums whose cases have the same names on both sides.
macro_rules! enums {
    ($($from:path => $to:path { $($case:ident),* $(,)? })*) => {$(
        impl Convert<$to> for $from {
            fn convert(self) -> $to {
                type Target = $to;
                match self {
                    $(Self::$case => Target::$case),*
                }
            }
        }
    )*};
}

// What callers pass in.
records! {
    wit::BrowserSettings => model::BrowserSettings { username, password_secret_fqn, host, path }
    wit::WaitOptions => model::WaitOptions { interval_seconds, timeout_seconds }
    wit::CreateRequest => model::CreateRequest {
        workspace_fqn, name, kind, size_gi, storage_class, persistent_volume_name, browser, wait,
        replace_failed,
    }
    wit::ExpandRequest => model::ExpandRequest { volume, new_size_gi, expected_version, wait }
    wit::MountRequest => model::MountRequest {
        volume_fqn, mount_path, sub_path, format, per_pod_directories,
    }
    wit::SizingRequest => advice::SizingRequest {
        use_case, parameters_billions, precision, data_gi, model_gi, kept_checkpoints,
    }
    wit::StorageNeeds => advice::StorageNeeds {
        data_gi, cross_region_access, concurrent_pod_access, file_system_semantics,
        low_latency_reads, write_once_read_rarely, cost_first,
    }
    wit::StaticVolumeRequest => static_volume::StaticVolumeRequest {
        provider, workspace_fqn, volume_name, persistent_volume_name, capacity_gi,
        file_system_id, access_point_id, bucket, region, service_account, storage_account,
        share_or_container, resource_group,
    }
    wit::CacheVolumeRequest => cache_volume::CacheVolumeRequest {
        storage_class, cache_size_gi, model_gi, format,
    }
    wit::InterviewAnswer => interview::Answer { field, value }
}

enums! {
    wit::VolumeKind => model::VolumeKind { Dynamic, Static }
    wit::SnippetFormat => model::SnippetFormat {
        PythonSdk, JsonMount, ServiceManifest, JobManifest, Yaml,
    }
    wit::UseCase => advice::UseCase { ModelCache, TrainingDataset, Checkpoints, General }
    wit::Precision => advice::Precision { Fp32, Fp16, Bf16, Int8, Int4 }
    wit::PvProvider => static_volume::PvProvider {
        AwsEfs, AwsS3, GcpGcs, AzureFiles, AzureBlob,
    }
    wit::ManifestFormat => cache_volume::ManifestFormat { Json, Yaml }
    wit::InterviewField => interview::Field {
        Workspace, Kind, Name, SizeGi, StorageClass, PersistentVolume, Browser, BrowserHost,
        BrowserPath, BrowserUsername, BrowserPasswordSecret, ReplaceFailed, Wait,
    }
}

/// A text the core wrote, in the words of this build's callers.
fn words(text: String) -> String {
    vocabulary::translate(&text, SURFACE)
}

/// Texts the core wrote, in the words of this build's callers.
fn all_words(texts: Vec<String>) -> Vec<String> {
    texts.into_iter().map(words).collect()
}

// What comes back. Records whose texts name functions or fields are written out below.
records! {
    model::VolumeStatus => wit::VolumeStatus { phase, api_status, display, terminal, message }
    model::Volume => wit::Volume {
        id, name, fqn, mount_reference, workspace_fqn, kind, size_gi, storage_class,
        persistent_volume_name, status, version, created_at, browser_url, browser_username,
        lifecycle,
    }
    storage_class::StorageClassInfo => wit::StorageClassInfo {
        name, driver, tier, access_mode, notes, is_default,
    }
    storage_class::ClusterStorage => wit::ClusterStorage {
        cluster_id, cluster_type, cloud, default_storage_class, storage_classes, browser_hosts,
        note,
    }
    model::BrowserSettings => wit::BrowserSettings { username, password_secret_fqn, host, path }
    model::WaitOptions => wit::WaitOptions { interval_seconds, timeout_seconds }
    model::CreateRequest => wit::CreateRequest {
        workspace_fqn, name, kind, size_gi, storage_class, persistent_volume_name, browser, wait,
        replace_failed,
    }
    interview::Answer => wit::InterviewAnswer { field, value }
    interview::Choice => wit::InterviewChoice { value, meaning }
    interview::Question => wit::InterviewQuestion {
        field, question, accepts, choices, default_answer, default_reason, problem,
    }
    interview::InterviewPlan => wit::InterviewPlan { plan, answers, request, next_step }
}

enums! {
    model::VolumeKind => wit::VolumeKind { Dynamic, Static }
    model::Lifecycle => wit::VolumeLifecycle { Active, Deleting, DeletionFailed }
    model::StatusPhase => wit::StatusPhase {
        Deploying, Running, Failed, Paused, Cancelled, Unknown,
    }
    storage_class::Cloud => wit::Cloud { Aws, Gcp, Azure, Other }
    advice::StorageChoice => wit::StorageChoice { Volume, BlobStorage }
    ResourceKind => wit::ResourceKind { Cluster, Workspace, Volume }
    interview::Field => wit::InterviewField {
        Workspace, Kind, Name, SizeGi, StorageClass, PersistentVolume, Browser, BrowserHost,
        BrowserPath, BrowserUsername, BrowserPasswordSecret, ReplaceFailed, Wait,
    }
}

impl Convert<wit::CreatePlan> for model::CreatePlan {
    fn convert(self) -> wit::CreatePlan {
        wit::CreatePlan {
            summary: words(self.summary),
            manifest_json: self.manifest_json,
            warnings: all_words(self.warnings),
            checked_online: self.checked_online,
            storage_classes: self.storage_classes,
            browser_hosts: self.browser_hosts,
        }
    }
}

impl Convert<wit::Snippet> for model::Snippet {
    fn convert(self) -> wit::Snippet {
        wit::Snippet {
            text: self.text,
            warnings: all_words(self.warnings),
        }
    }
}

impl Convert<wit::SizingAdvice> for advice::SizingAdvice {
    fn convert(self) -> wit::SizingAdvice {
        wit::SizingAdvice {
            size_gi: self.size_gi,
            rationale: words(self.rationale),
            warnings: all_words(self.warnings),
        }
    }
}

impl Convert<wit::StorageAdvice> for advice::StorageAdvice {
    fn convert(self) -> wit::StorageAdvice {
        wit::StorageAdvice {
            choice: self.choice.convert(),
            reasons: all_words(self.reasons),
            warnings: all_words(self.warnings),
        }
    }
}

impl Convert<wit::StaticVolumeSetup> for static_volume::StaticVolumeSetup {
    fn convert(self) -> wit::StaticVolumeSetup {
        wit::StaticVolumeSetup {
            persistent_volume_yaml: self.persistent_volume_yaml,
            volume_manifest_json: self.volume_manifest_json,
            steps: all_words(self.steps),
            notes: all_words(self.notes),
        }
    }
}

impl Convert<wit::InterviewStep> for interview::Step {
    fn convert(self) -> wit::InterviewStep {
        match self {
            interview::Step::Ask(question) => wit::InterviewStep::Ask(question.convert()),
            interview::Step::Confirm(plan) => wit::InterviewStep::Confirm(plan.convert()),
        }
    }
}

impl Convert<wit::VolumeError> for Error {
    fn convert(self) -> wit::VolumeError {
        use wit::VolumeError as E;
        let fix = words(self.fix());
        let reply = |status: u16, message: String| wit::ServerReply {
            status,
            message,
            fix: fix.clone(),
        };
        let failure =
            |volume_fqn: String, missing_name: String, message: String| wit::DeploymentFailure {
                volume_fqn,
                missing_name,
                message,
                fix: fix.clone(),
            };
        match self {
            Error::InvalidInput { field, problem, .. } => E::InvalidInput(wit::FieldProblem {
                field: vocabulary::field_name(&field, SURFACE),
                problem: words(problem),
                fix,
            }),
            Error::MissingConfiguration { variable, problem } => {
                E::MissingConfiguration(wit::FieldProblem {
                    field: variable,
                    problem,
                    fix: fix.clone(),
                })
            }
            Error::Unauthorized { status, message } => E::Unauthorized(reply(status, message)),
            Error::PermissionDenied { status, message } => {
                E::PermissionDenied(reply(status, message))
            }
            Error::NotFound { kind, name } => E::NotFound(wit::MissingResource {
                kind: kind.convert(),
                name,
                fix: fix.clone(),
            }),
            Error::AlreadyExists {
                name,
                workspace_fqn,
                id,
            } => E::AlreadyExists(wit::ExistingVolume {
                name,
                workspace_fqn,
                id,
                fix: fix.clone(),
            }),
            Error::SizeCannotBeReduced {
                current_gi,
                requested_gi,
            } => E::SizeCannotBeReduced(wit::SizeChange {
                current_gi,
                requested_gi,
                fix: fix.clone(),
            }),
            Error::StorageClassUnavailable {
                volume_fqn,
                storage_class,
                message,
            } => E::StorageClassUnavailable(failure(volume_fqn, storage_class, message)),
            Error::PersistentVolumeNotFound {
                volume_fqn,
                persistent_volume,
                message,
            } => E::PersistentVolumeNotFound(failure(volume_fqn, persistent_volume, message)),
            Error::WorkspaceMismatch {
                volume_workspace,
                requested_workspace,
            } => E::WorkspaceMismatch(wit::WorkspaceConflict {
                volume_workspace,
                requested_workspace,
                fix: fix.clone(),
            }),
            Error::DeploymentFailed {
                volume_fqn,
                api_status,
                message,
            } => E::DeploymentFailed(wit::FailedDeployment {
                volume_fqn,
                api_status,
                message,
                fix: fix.clone(),
            }),
            Error::DeletionFailed { volume_fqn } => E::DeletionFailed(wit::DeletionFailure {
                volume_fqn,
                fix: fix.clone(),
            }),
            Error::TimedOut {
                volume_fqn,
                last_status,
                waited_seconds,
            } => E::TimedOut(wit::WaitTimeout {
                volume_fqn,
                last_status,
                waited_seconds,
                fix: fix.clone(),
            }),
            Error::ChangedMeanwhile {
                volume_fqn,
                expected_version,
                found_version,
            } => E::ChangedMeanwhile(wit::VersionConflict {
                volume_fqn,
                expected_version,
                found_version,
                fix: fix.clone(),
            }),
            Error::Rejected { status, message } => E::Rejected(reply(status, message)),
            Error::Conflict { status, message } => E::Conflict(reply(status, message)),
            Error::HttpStatus { status, message } => E::HttpStatus(reply(status, message)),
            Error::Transport { message } => E::Transport(wit::FailureDetail {
                message,
                fix: fix.clone(),
            }),
            Error::UndecodableResponse { status, detail } => {
                E::UndecodableResponse(wit::BadResponse {
                    status,
                    detail: words(detail),
                    fix: fix.clone(),
                })
            }
        }
    }
}

/// A core result as the WIT result every export returns.
pub(super) fn respond<A: Convert<B>, B>(result: crate::Result<A>) -> Result<B, wit::VolumeError> {
    result.map(Convert::convert).map_err(Convert::convert)
}
