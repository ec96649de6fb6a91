//! Storage advice computed from TrueFoundry's volumes agent skill's guidelines: how big a volume should be for
//! a use case, and whether data belongs on a volume or in blob storage.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::error::{Error, Result};
use crate::input::validate::MAX_SIZE_GI;

/// What a volume will hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(
    feature = "json",
    derive(serde::Deserialize),
    serde(rename_all = "kebab-case")
)]
pub enum UseCase {
    /// Downloaded model weights.
    ModelCache,
    /// A shared training dataset.
    TrainingDataset,
    /// Training checkpoints.
    Checkpoints,
    /// General shared storage.
    General,
}

/// Numeric precision of weights on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(
    feature = "json",
    derive(serde::Deserialize),
    serde(rename_all = "kebab-case")
)]
pub enum Precision {
    /// 4 bytes per parameter.
    Fp32,
    /// 2 bytes per parameter.
    Fp16,
    /// 2 bytes per parameter.
    Bf16,
    /// 1 byte per parameter.
    Int8,
    /// Half a byte per parameter.
    Int4,
}

impl Precision {
    fn bytes_per_parameter(self) -> f64 {
        match self {
            Precision::Fp32 => 4.0,
            Precision::Fp16 | Precision::Bf16 => 2.0,
            Precision::Int8 => 1.0,
            Precision::Int4 => 0.5,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Precision::Fp32 => "FP32",
            Precision::Fp16 => "FP16",
            Precision::Bf16 => "BF16",
            Precision::Int8 => "INT8",
            Precision::Int4 => "INT4",
        }
    }
}

/// Inputs to [`recommend_size`].
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(
    feature = "json",
    derive(serde::Deserialize),
    serde(rename_all = "kebab-case", deny_unknown_fields)
)]
pub struct SizingRequest {
    /// What the volume holds.
    pub use_case: UseCase,
    /// Model cache: parameters in billions.
    pub parameters_billions: Option<f64>,
    /// Model cache: precision (default FP16).
    pub precision: Option<Precision>,
    /// Dataset or general: data size in Gi.
    pub data_gi: Option<f64>,
    /// Checkpoints: one checkpoint in Gi.
    pub model_gi: Option<f64>,
    /// Checkpoints: how many are kept (default 3).
    pub kept_checkpoints: Option<u32>,
}

impl SizingRequest {
    /// A request for `use_case` with nothing known yet: each use case's fields are set on
    /// top (see [`recommend_size`]).
    pub fn new(use_case: UseCase) -> Self {
        SizingRequest {
            use_case,
            parameters_billions: None,
            precision: None,
            data_gi: None,
            model_gi: None,
            kept_checkpoints: None,
        }
    }
}

/// A recommended size.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "json",
    derive(serde::Serialize),
    serde(rename_all = "kebab-case")
)]
pub struct SizingAdvice {
    /// Gi to create.
    pub size_gi: u32,
    /// How it was computed.
    pub rationale: String,
    /// Things to consider.
    pub warnings: Vec<String>,
}

/// Headroom added on top of the expected data (TrueFoundry's volumes skill: "always add 20 %").
const HEADROOM: f64 = 1.2;
/// Caches need twice the model's size: the download and its extraction coexist.
const CACHE_FACTOR: f64 = 2.0;
/// Size of general storage when nothing is known (TrueFoundry's volumes skill: 10–50 Gi, start small).
const GENERAL_DEFAULT_GI: f64 = 10.0;
/// Above this much data, blob storage is usually the better home (TrueFoundry's volumes skill: "larger than a
/// few hundred GB").
pub const BLOB_THRESHOLD_GI: f64 = 300.0;
const BYTES_PER_GIB: f64 = 1_073_741_824.0;

/// `value` (finite, not negative) rounded to one decimal, e.g. `13.0`. Written with integer
/// arithmetic: core's float formatting would add kilobytes to the component.
pub(crate) fn one_decimal(value: f64) -> String {
    let tenths = (value * 10.0 + 0.5) as u64;
    format!("{}.{}", tenths / 10, tenths % 10)
}

/// `value` (finite, not negative) as a person would write it: `7`, `0.5`, `1.25`.
pub(crate) fn amount(value: f64) -> String {
    let hundredths = (value * 100.0 + 0.5) as u64;
    let (whole, fraction) = (hundredths / 100, hundredths % 100);
    match fraction {
        0 => format!("{whole}"),
        f if f % 10 == 0 => format!("{whole}.{}", f / 10),
        f => format!("{whole}.{f:02}"),
    }
}

/// `x` rounded up to a whole number; `x` is finite and non-negative. Values within a
/// billionth above a whole number count as that number, so `10.0 * 1.2` is 12, not 13.
fn ceil(x: f64) -> u64 {
    // `f64::ceil` lives in std; a truncating cast plus one step up is exact here.
    let truncated = x as u64;
    if (truncated as f64) + 1e-9 < x {
        truncated + 1
    } else {
        truncated
    }
}

/// A finite amount within `(0, max]`, or a refusal naming `field`.
fn positive(field: &str, value: Option<f64>, max: f64, what: &str) -> Result<f64> {
    let Some(value) = value else {
        return Err(Error::invalid(
            field,
            format!("is required for this use case ({what})"),
            format!("Pass {what}."),
        ));
    };
    if !value.is_finite() || value <= 0.0 || value > max {
        return Err(Error::invalid(
            field,
            format!("is not a finite number above 0 and at most {}", amount(max)),
            format!("Pass {what}."),
        ));
    }
    Ok(value)
}

/// Recommends a volume size for `request`.
pub fn recommend_size(request: &SizingRequest) -> Result<SizingAdvice> {
    let mut warnings = Vec::new();
    let (needed, field, rationale) = match request.use_case {
        UseCase::ModelCache => {
            let billions = positive(
                "parameters-billions",
                request.parameters_billions,
                100_000.0,
                "the model's parameter count in billions, for example 7",
            )?;
            let precision = request.precision.unwrap_or(Precision::Fp16);
            let model_gi = billions * 1e9 * precision.bytes_per_parameter() / BYTES_PER_GIB;
            let needed = model_gi * CACHE_FACTOR * HEADROOM;
            if billions >= 7.0 {
                warnings.push(String::from(
                    "Large models are often stored in several formats (for example safetensors \
                     and a quantized copy); size for every copy you will keep.",
                ));
            }
            let rationale = format!(
                "A {}B-parameter model in {} takes about {} Gi on disk. A cache needs twice \
                 that for the download and its extraction ({} Gi), plus 20 % headroom: {} Gi.",
                amount(billions),
                precision.name(),
                one_decimal(model_gi),
                one_decimal(model_gi * CACHE_FACTOR),
                one_decimal(needed),
            );
            (needed, "parameters-billions", rationale)
        }
        UseCase::TrainingDataset => {
            let data = positive(
                "data-gi",
                request.data_gi,
                f64::from(MAX_SIZE_GI),
                "the dataset's size in Gi",
            )?;
            if data > BLOB_THRESHOLD_GI {
                warnings.push(format!(
                    "{} Gi is more than a few hundred GB: blob storage (S3, GCS, Azure \
                     Blob) is usually cheaper for data this large unless pods need file-system \
                     access to all of it at once.",
                    amount(data)
                ));
            }
            let needed = data * HEADROOM;
            let rationale = format!(
                "The dataset is {} Gi; with 20 % headroom for growth and temporary files: {} Gi.",
                amount(data),
                one_decimal(needed)
            );
            (needed, "data-gi", rationale)
        }
        UseCase::Checkpoints => {
            let model = positive(
                "model-gi",
                request.model_gi,
                f64::from(MAX_SIZE_GI),
                "the size of one checkpoint in Gi (about the model's size)",
            )?;
            let kept = request.kept_checkpoints.unwrap_or(3);
            if !(1..=1000).contains(&kept) {
                return Err(Error::invalid(
                    "kept-checkpoints",
                    format!("{kept} is outside 1 to 1000"),
                    "Give how many checkpoints are kept at once, or leave it unset for 3.",
                ));
            }
            let needed = model * f64::from(kept) * HEADROOM;
            let rationale = format!(
                "{kept} checkpoints of {} Gi each take {} Gi; with 20 % headroom (a new \
                 checkpoint is written before the oldest is deleted): {} Gi.",
                amount(model),
                one_decimal(model * f64::from(kept)),
                one_decimal(needed)
            );
            (needed, "model-gi", rationale)
        }
        UseCase::General => {
            let data = match request.data_gi {
                None => GENERAL_DEFAULT_GI,
                Some(_) => positive(
                    "data-gi",
                    request.data_gi,
                    f64::from(MAX_SIZE_GI),
                    "the expected data size in Gi, or leave it unset",
                )?,
            };
            let needed = data * HEADROOM;
            let rationale = match request.data_gi {
                None => format!(
                    "Nothing is known about the data, so start small: {} Gi with 20 % \
                     headroom, {} Gi.",
                    amount(data),
                    one_decimal(needed)
                ),
                Some(_) => format!(
                    "The data is {} Gi; with 20 % headroom: {} Gi.",
                    amount(data),
                    one_decimal(needed)
                ),
            };
            (needed, "data-gi", rationale)
        }
    };
    let size = ceil(needed).max(1);
    if size > u64::from(MAX_SIZE_GI) {
        return Err(Error::invalid(
            field,
            format!("the recommended {size} Gi exceeds the 64000 Gi maximum of one volume"),
            "Use blob storage for data this large, or split it across several volumes.",
        ));
    }
    let size_gi = u32::try_from(size).unwrap_or(MAX_SIZE_GI);
    Ok(SizingAdvice {
        size_gi,
        rationale: format!(
            "{rationale} Recommended: {size_gi} Gi. A volume can be expanded later but never \
             shrunk, so this starts small; expand when usage passes about 80 %."
        ),
        warnings,
    })
}

/// What the data needs.
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(
    feature = "json",
    derive(serde::Deserialize),
    serde(rename_all = "kebab-case", deny_unknown_fields)
)]
pub struct StorageNeeds {
    /// Expected size in Gi.
    pub data_gi: Option<f64>,
    /// Access from other regions.
    /// Absent means false.
    #[cfg_attr(feature = "json", serde(default))]
    pub cross_region_access: bool,
    /// Several pods at once.
    /// Absent means false.
    #[cfg_attr(feature = "json", serde(default))]
    pub concurrent_pod_access: bool,
    /// File-system behaviour needed.
    /// Absent means false.
    #[cfg_attr(feature = "json", serde(default))]
    pub file_system_semantics: bool,
    /// Fast, frequent reads.
    /// Absent means false.
    #[cfg_attr(feature = "json", serde(default))]
    pub low_latency_reads: bool,
    /// Written once, read rarely.
    /// Absent means false.
    #[cfg_attr(feature = "json", serde(default))]
    pub write_once_read_rarely: bool,
    /// Cost matters most.
    /// Absent means false.
    #[cfg_attr(feature = "json", serde(default))]
    pub cost_first: bool,
}

/// Where data should live.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(
    feature = "json",
    derive(serde::Serialize),
    serde(rename_all = "kebab-case")
)]
pub enum StorageChoice {
    /// A TrueFoundry volume.
    Volume,
    /// Blob storage.
    BlobStorage,
}

/// A storage recommendation.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "json",
    derive(serde::Serialize),
    serde(rename_all = "kebab-case")
)]
pub struct StorageAdvice {
    /// The recommendation.
    pub choice: StorageChoice,
    /// Why.
    pub reasons: Vec<String>,
    /// Caveats.
    pub warnings: Vec<String>,
}

/// The volumes skill's warning about concurrent writers.
pub const CONCURRENT_WRITERS_WARNING: &str = "Do not write to the same file from several pods \
     at once: it can corrupt data. Coordinate writes, or give each pod its own directory \
     (for example <mount path>/<pod name>).";

/// Recommends a volume or blob storage for `needs` (the volumes skill's "Volumes vs Blob Storage").
pub fn recommend_storage(needs: &StorageNeeds) -> Result<StorageAdvice> {
    if let Some(data) = needs.data_gi {
        if !data.is_finite() || data < 0.0 {
            return Err(Error::invalid(
                "data-gi",
                String::from("is not a size in Gi (a finite number, 0 or more)"),
                "Give the expected data size in Gi (0 or more), or leave it unset when unknown.",
            ));
        }
    }
    let large = needs.data_gi.is_some_and(|data| data > BLOB_THRESHOLD_GI);
    let mut for_volume = Vec::new();
    let mut for_blob = Vec::new();
    if needs.concurrent_pod_access {
        for_volume.push("several pods need file access to the same data at once, and volumes are ReadWriteMany file systems");
    }
    if needs.file_system_semantics {
        for_volume.push("the code needs file-system behaviour (open, seek, rename, locks, directory listing), which blob storage lacks");
    }
    if needs.low_latency_reads {
        for_volume.push("reads must be fast and frequent: volumes have local-disk latency, blob storage a network round-trip per request");
    }
    if needs.cross_region_access {
        for_blob.push("the data must be reachable across regions: a volume is limited to its cluster's region, blob storage is global");
    }
    if large {
        for_blob.push(
            "the data is larger than a few hundred GB, where blob storage costs much less per GB",
        );
    }
    if needs.write_once_read_rarely {
        for_blob.push("the data is written once and read occasionally, which suits blob storage");
    }
    if needs.cost_first {
        for_blob.push("cost comes first, and blob storage is cheaper per GB");
    }
    // Cross-region access is a hard requirement a volume cannot meet.
    let choice = if needs.cross_region_access || for_blob.len() > for_volume.len() {
        StorageChoice::BlobStorage
    } else {
        StorageChoice::Volume
    };
    let mut reasons: Vec<String> = match choice {
        StorageChoice::Volume => for_volume.iter().map(|r| capitalized(r)).collect(),
        StorageChoice::BlobStorage => for_blob.iter().map(|r| capitalized(r)).collect(),
    };
    if reasons.is_empty() {
        reasons.push(String::from(
            "Nothing calls for blob storage, and a small volume is the simplest shared storage: \
             start small and expand when needed.",
        ));
    }
    let mut warnings = Vec::new();
    match choice {
        StorageChoice::Volume => {
            if needs.concurrent_pod_access {
                warnings.push(String::from(CONCURRENT_WRITERS_WARNING));
            }
            for against in &for_blob {
                warnings.push(format!("Against a volume: {against}."));
            }
        }
        StorageChoice::BlobStorage => {
            if !for_volume.is_empty() {
                warnings.push(String::from(
                    "Pods that need file access can still mount the bucket as a static volume \
                     through a CSI driver (S3 Mountpoint, GCS Fuse, BlobFuse; see \
                     `static-volume-recipe`), with weaker file-system semantics.",
                ));
            }
            for against in &for_volume {
                warnings.push(format!("Against blob storage: {against}."));
            }
        }
    }
    Ok(StorageAdvice {
        choice,
        reasons,
        warnings,
    })
}

fn capitalized(reason: &str) -> String {
    let mut chars = reason.chars();
    match chars.next() {
        Some(first) => {
            let mut out: String = first.to_uppercase().collect();
            out.push_str(chars.as_str());
            out.push('.');
            out
        }
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sizing(use_case: UseCase) -> SizingRequest {
        SizingRequest::new(use_case)
    }

    #[test]
    fn no_data_size_and_zero_give_the_same_storage_advice() {
        // The tool worlds pass 0 for an unknown size (they have no optional parameters).
        let needs = StorageNeeds {
            concurrent_pod_access: true,
            cost_first: true,
            ..StorageNeeds::default()
        };
        let zero = StorageNeeds {
            data_gi: Some(0.0),
            ..needs.clone()
        };
        assert_eq!(recommend_storage(&zero), recommend_storage(&needs));
    }

    #[test]
    fn model_caches_get_twice_the_model_plus_headroom() {
        // 7e9 × 2 B = 13.04 Gi; × 2 × 1.2 = 31.3 → 32 Gi.
        let cases = [
            (7.0, None, 32),
            (7.0, Some(Precision::Fp32), 63),
            (7.0, Some(Precision::Int4), 8),
            (70.0, Some(Precision::Bf16), 313),
            (0.5, None, 3),
        ];
        for (billions, precision, expected) in cases {
            let advice = recommend_size(&SizingRequest {
                parameters_billions: Some(billions),
                precision,
                ..sizing(UseCase::ModelCache)
            })
            .unwrap();
            assert_eq!(advice.size_gi, expected, "{billions}B {precision:?}");
            assert!(advice.rationale.contains("never"), "{}", advice.rationale);
        }
    }

    #[test]
    fn datasets_checkpoints_and_general_add_headroom() {
        let dataset = recommend_size(&SizingRequest {
            data_gi: Some(100.0),
            ..sizing(UseCase::TrainingDataset)
        })
        .unwrap();
        assert_eq!((dataset.size_gi, dataset.warnings.len()), (120, 0));
        let big = recommend_size(&SizingRequest {
            data_gi: Some(1000.0),
            ..sizing(UseCase::TrainingDataset)
        })
        .unwrap();
        assert_eq!(big.size_gi, 1200);
        assert!(big.warnings[0].contains("blob storage"));
        let checkpoints = recommend_size(&SizingRequest {
            model_gi: Some(14.0),
            ..sizing(UseCase::Checkpoints)
        })
        .unwrap();
        assert_eq!(checkpoints.size_gi, 51); // 14 × 3 × 1.2 = 50.4
        let kept = recommend_size(&SizingRequest {
            model_gi: Some(10.0),
            kept_checkpoints: Some(5),
            ..sizing(UseCase::Checkpoints)
        })
        .unwrap();
        assert_eq!(kept.size_gi, 60);
        assert_eq!(
            recommend_size(&sizing(UseCase::General)).unwrap().size_gi,
            12
        );
        let general = recommend_size(&SizingRequest {
            data_gi: Some(0.1),
            ..sizing(UseCase::General)
        })
        .unwrap();
        assert_eq!(general.size_gi, 1);
    }

    #[test]
    fn missing_or_impossible_inputs_name_the_field() {
        let cases = [
            (sizing(UseCase::ModelCache), "parameters-billions"),
            (
                SizingRequest {
                    parameters_billions: Some(-1.0),
                    ..sizing(UseCase::ModelCache)
                },
                "parameters-billions",
            ),
            (
                SizingRequest {
                    parameters_billions: Some(f64::NAN),
                    ..sizing(UseCase::ModelCache)
                },
                "parameters-billions",
            ),
            (
                SizingRequest {
                    parameters_billions: Some(50_000.0),
                    ..sizing(UseCase::ModelCache)
                },
                "parameters-billions",
            ),
            (sizing(UseCase::TrainingDataset), "data-gi"),
            (
                SizingRequest {
                    data_gi: Some(60_000.0),
                    ..sizing(UseCase::TrainingDataset)
                },
                "data-gi",
            ),
            (sizing(UseCase::Checkpoints), "model-gi"),
            (
                SizingRequest {
                    model_gi: Some(1.0),
                    kept_checkpoints: Some(0),
                    ..sizing(UseCase::Checkpoints)
                },
                "kept-checkpoints",
            ),
            (
                SizingRequest {
                    data_gi: Some(f64::INFINITY),
                    ..sizing(UseCase::General)
                },
                "data-gi",
            ),
        ];
        for (request, field) in cases {
            match recommend_size(&request) {
                Err(Error::InvalidInput { field: named, .. }) => {
                    assert_eq!(named, field, "{request:?}")
                }
                other => panic!("{request:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn numbers_are_written_without_float_formatting() {
        let cases = [
            (13.038, "13.0"),
            (26.076, "26.1"),
            (0.04, "0.0"),
            (31.29, "31.3"),
        ];
        for (value, text) in cases {
            assert_eq!(one_decimal(value), text);
        }
        let cases = [
            (7.0, "7"),
            (0.5, "0.5"),
            (1.25, "1.25"),
            (70.0, "70"),
            (100000.0, "100000"),
        ];
        for (value, text) in cases {
            assert_eq!(amount(value), text);
        }
    }

    #[test]
    fn storage_follows_the_volumes_skill_table() {
        let volume = recommend_storage(&StorageNeeds {
            concurrent_pod_access: true,
            file_system_semantics: true,
            ..Default::default()
        })
        .unwrap();
        assert_eq!(volume.choice, StorageChoice::Volume);
        assert_eq!(volume.reasons.len(), 2);
        assert_eq!(volume.warnings, [CONCURRENT_WRITERS_WARNING]);

        let archive = recommend_storage(&StorageNeeds {
            data_gi: Some(2000.0),
            write_once_read_rarely: true,
            cost_first: true,
            low_latency_reads: true,
            ..Default::default()
        })
        .unwrap();
        assert_eq!(archive.choice, StorageChoice::BlobStorage);
        assert_eq!(archive.reasons.len(), 3);
        assert!(archive
            .warnings
            .iter()
            .any(|w| w.starts_with("Against blob storage: reads must be fast")));

        let global = recommend_storage(&StorageNeeds {
            cross_region_access: true,
            concurrent_pod_access: true,
            file_system_semantics: true,
            ..Default::default()
        })
        .unwrap();
        assert_eq!(global.choice, StorageChoice::BlobStorage);
        assert!(global.warnings[0].contains("static volume"));

        let nothing = recommend_storage(&StorageNeeds::default()).unwrap();
        assert_eq!(nothing.choice, StorageChoice::Volume);
        assert!(nothing.reasons[0].starts_with("Nothing calls for blob storage"));
    }

    #[test]
    fn storage_refuses_a_negative_size() {
        let error = recommend_storage(&StorageNeeds {
            data_gi: Some(-5.0),
            ..Default::default()
        })
        .unwrap_err();
        assert!(matches!(error, Error::InvalidInput { ref field, .. } if field == "data-gi"));
    }
}
