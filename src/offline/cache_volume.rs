//! The LLM deployment's model cache: `artifacts_download.cache_volume` (docs/truefoundry-api.md §8), not the
//! top-level `cache_volume` older TrueFoundry examples show (docs/truefoundry-api.md §14.5).

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::input::validate;
use crate::model::Snippet;
use crate::offline::advice::amount;
use crate::offline::snippet::yaml_scalar;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(
    feature = "json",
    derive(serde::Deserialize),
    serde(rename_all = "kebab-case")
)]
pub enum ManifestFormat {
    /// JSON.
    Json,
    /// YAML.
    Yaml,
}

/// Inputs to [`render`].
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(
    feature = "json",
    derive(serde::Deserialize),
    serde(rename_all = "kebab-case", deny_unknown_fields)
)]
pub struct CacheVolumeRequest {
    /// Storage class (required by the schema).
    pub storage_class: String,
    /// Cache size in GB (default 200).
    pub cache_size_gi: Option<u32>,
    /// The model's size in GB, for advice.
    pub model_gi: Option<f64>,
    /// Output format.
    pub format: ManifestFormat,
}

/// Cache size when none is given (the schema's default).
pub const DEFAULT_CACHE_SIZE: u32 = 200;
/// Largest cache size the schema accepts (TrueFoundry's Python SDK 0.17.5).
pub const MAX_CACHE_SIZE: u32 = 10_000;

#[derive(Serialize)]
struct Fragment<'a> {
    artifacts_download: ArtifactsDownload<'a>,
}

#[derive(Serialize)]
struct ArtifactsDownload<'a> {
    cache_volume: CacheVolume<'a>,
}

#[derive(Serialize)]
struct CacheVolume<'a> {
    storage_class: &'a str,
    cache_size: u32,
}

/// Renders the cache volume block, with advice when it is under twice the model.
pub fn render(request: &CacheVolumeRequest) -> Result<Snippet> {
    validate::kubernetes_name("storage-class", "storage class", &request.storage_class)?;
    let cache_size = request.cache_size_gi.unwrap_or(DEFAULT_CACHE_SIZE);
    if !(1..=MAX_CACHE_SIZE).contains(&cache_size) {
        return Err(Error::invalid(
            "cache-size-gi",
            format!("{cache_size} is outside 1 to {MAX_CACHE_SIZE}"),
            "Give a cache size from 1 to 10000 GB, at least twice the model's size, or leave it unset for 200.",
        ));
    }
    let mut warnings = Vec::new();
    if let Some(model) = request.model_gi {
        if !model.is_finite() || model <= 0.0 {
            return Err(Error::invalid(
                "model-gi",
                String::from("is not a size in GB (a finite number above 0)"),
                "Give the model's size in GB (above 0), or leave it unset.",
            ));
        }
        if f64::from(cache_size) < 2.0 * model {
            warnings.push(format!(
                "The cache ({cache_size} GB) is smaller than twice the model ({} GB): the \
                 download and its extraction may not fit. Use at least {} GB.",
                amount(model),
                amount((model * 2.0 + 0.5) as u64 as f64)
            ));
        }
    }
    warnings.push(String::from(
        "Merge this into the LLM deployment's manifest: `cache_volume` belongs under \
         `artifacts_download`, next to its `artifacts` list, not at the top level.",
    ));
    let text = match request.format {
        ManifestFormat::Json => {
            let fragment = Fragment {
                artifacts_download: ArtifactsDownload {
                    cache_volume: CacheVolume {
                        storage_class: &request.storage_class,
                        cache_size,
                    },
                },
            };
            let mut text = serde_json::to_string_pretty(&fragment).unwrap_or_default();
            text.push('\n');
            text
        }
        ManifestFormat::Yaml => format!(
            "artifacts_download:\n  cache_volume:\n    storage_class: {}\n    cache_size: {cache_size}\n",
            yaml_scalar(&request.storage_class)
        ),
    };
    Ok(Snippet { text, warnings })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn request(format: ManifestFormat) -> CacheVolumeRequest {
        CacheVolumeRequest {
            storage_class: "azureblob-nfs-premium".into(),
            cache_size_gi: None,
            model_gi: None,
            format,
        }
    }

    #[test]
    fn both_formats_place_the_cache_under_artifacts_download() {
        let expected = json!({"artifacts_download":{"cache_volume":{
            "storage_class":"azureblob-nfs-premium","cache_size":200}}});
        let json_text = render(&request(ManifestFormat::Json)).unwrap();
        assert_eq!(
            serde_json::from_str::<Value>(&json_text.text).unwrap(),
            expected
        );
        let yaml_text = render(&request(ManifestFormat::Yaml)).unwrap();
        assert_eq!(
            serde_yaml_ng::from_str::<Value>(&yaml_text.text).unwrap(),
            expected
        );
        assert_eq!(yaml_text.warnings.len(), 1);
    }

    #[test]
    fn a_cache_under_twice_the_model_is_flagged() {
        let snippet = render(&CacheVolumeRequest {
            cache_size_gi: Some(100),
            model_gi: Some(60.0),
            ..request(ManifestFormat::Yaml)
        })
        .unwrap();
        assert!(
            snippet.warnings[0].contains("at least 120 GB"),
            "{:?}",
            snippet.warnings
        );
        let roomy = render(&CacheVolumeRequest {
            cache_size_gi: Some(150),
            model_gi: Some(60.0),
            ..request(ManifestFormat::Yaml)
        })
        .unwrap();
        assert_eq!(roomy.warnings.len(), 1);
    }

    #[test]
    fn bad_inputs_name_the_field() {
        let cases = [
            (
                CacheVolumeRequest {
                    storage_class: "".into(),
                    ..request(ManifestFormat::Json)
                },
                "storage-class",
            ),
            (
                CacheVolumeRequest {
                    cache_size_gi: Some(0),
                    ..request(ManifestFormat::Json)
                },
                "cache-size-gi",
            ),
            (
                CacheVolumeRequest {
                    cache_size_gi: Some(10_001),
                    ..request(ManifestFormat::Json)
                },
                "cache-size-gi",
            ),
            (
                CacheVolumeRequest {
                    model_gi: Some(-1.0),
                    ..request(ManifestFormat::Json)
                },
                "model-gi",
            ),
        ];
        for (bad, field) in cases {
            match render(&bad) {
                Err(Error::InvalidInput { field: named, .. }) => assert_eq!(named, field),
                other => panic!("{bad:?}: {other:?}"),
            }
        }
    }
}
