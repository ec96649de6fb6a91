//! The OpenAPI 3.1 document `GET /openapi.json` serves, kept in one file (`openapi.json`
//! beside this one) and served as is. Tests hold it to the route table both ways, and check
//! its schemas against what the gateway actually sends and accepts.

/// The document.
pub const DOCUMENT: &str = include_str!("openapi.json");

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gateway::routes::ROUTES;
    use alloc::collections::BTreeSet;
    use alloc::string::{String, ToString};
    use alloc::vec::Vec;
    use serde_json::Value;

    fn document() -> Value {
        serde_json::from_str(DOCUMENT).expect("openapi.json is JSON")
    }

    #[test]
    fn every_route_the_texts_name_is_in_the_document() {
        let document = document();
        for term in crate::vocabulary::TERMS {
            let Some(word) = term.word(crate::vocabulary::Surface::Gateway) else {
                continue;
            };
            let Some((method, path)) = word.split_once(' ') else {
                continue; // a body field: the schemas carry the WIT's names
            };
            let operation = &document["paths"][path][method.to_ascii_lowercase()];
            assert!(
                operation.is_object(),
                "`{word}` (for `{}`) is not a route of the gateway",
                term.interface
            );
        }
    }

    #[test]
    fn the_document_describes_exactly_the_routes_served() {
        let document = document();
        assert_eq!(document["openapi"], "3.1.0");
        let mut described = BTreeSet::new();
        for (path, item) in document["paths"].as_object().unwrap() {
            for (method, operation) in item.as_object().unwrap() {
                described.insert((
                    method.to_ascii_uppercase(),
                    path.clone(),
                    operation["operationId"].as_str().unwrap().to_string(),
                ));
            }
        }
        let served: BTreeSet<(String, String, String)> = ROUTES
            .iter()
            .map(|route| {
                (
                    route.method.to_string(),
                    route.path.to_string(),
                    route.operation_id.to_string(),
                )
            })
            .collect();
        assert_eq!(described, served);
    }

    #[test]
    fn every_path_parameter_is_declared_and_every_reference_resolves() {
        let document = document();
        for (path, item) in document["paths"].as_object().unwrap() {
            for operation in item.as_object().unwrap().values() {
                // The path parameters it declares (by reference to the components).
                let declared: Vec<String> = operation["parameters"]
                    .as_array()
                    .map(|list| {
                        list.iter()
                            .map(|p| {
                                let pointer = p["$ref"].as_str().unwrap().trim_start_matches('#');
                                document.pointer(pointer).unwrap()
                            })
                            .filter(|p| p["in"] == "path")
                            .map(|p| p["name"].as_str().unwrap().to_string())
                            .collect()
                    })
                    .unwrap_or_default();
                let in_path: Vec<String> = path
                    .split('/')
                    .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
                    .map(str::to_string)
                    .collect();
                assert_eq!(declared, in_path, "{path}");
            }
        }
        fn walk(value: &Value, document: &Value) {
            match value {
                Value::Object(map) => {
                    if let Some(Value::String(target)) = map.get("$ref") {
                        let pointer = target.strip_prefix('#').expect("local reference");
                        assert!(document.pointer(pointer).is_some(), "{target} resolves");
                    }
                    map.values().for_each(|v| walk(v, document));
                }
                Value::Array(items) => items.iter().for_each(|v| walk(v, document)),
                _ => {}
            }
        }
        walk(&document, &document);
    }

    /// The properties `schema` (a component name) declares, and those it requires.
    fn properties(document: &Value, schema: &str) -> (BTreeSet<String>, BTreeSet<String>) {
        let schema = &document["components"]["schemas"][schema];
        let names = |value: &Value| -> BTreeSet<String> {
            value
                .as_array()
                .map(|list| {
                    list.iter()
                        .map(|v| v.as_str().unwrap().to_string())
                        .collect()
                })
                .unwrap_or_default()
        };
        let declared = schema["properties"]
            .as_object()
            .map(|map| map.keys().cloned().collect())
            .unwrap_or_default();
        (declared, names(&schema["required"]))
    }

    #[test]
    fn response_schemas_match_what_the_gateway_serializes() {
        use crate::model::*;
        use crate::offline::{advice, static_volume, storage_class};
        let document = document();
        let status = VolumeStatus {
            phase: StatusPhase::Running,
            api_status: "DEPLOY_SUCCESS".into(),
            display: "RUNNING".into(),
            terminal: true,
            message: None,
        };
        let volume = Volume {
            id: "app-1".into(),
            name: "v".into(),
            fqn: "c:w:v".into(),
            mount_reference: "tfy-volume://c:w:v".into(),
            workspace_fqn: "c:w".into(),
            kind: VolumeKind::Dynamic,
            size_gi: Some(1),
            storage_class: None,
            persistent_volume_name: None,
            status: status.clone(),
            version: None,
            created_at: None,
            browser_url: None,
            browser_username: None,
            lifecycle: Lifecycle::Active,
        };
        let samples: Vec<(&str, Value)> = alloc::vec![
            ("VolumeStatus", serde_json::to_value(&status).unwrap()),
            ("Volume", serde_json::to_value(&volume).unwrap()),
            (
                "CreatePlan",
                serde_json::to_value(CreatePlan {
                    summary: String::new(),
                    manifest_json: String::new(),
                    warnings: Vec::new(),
                    checked_online: false,
                    storage_classes: Vec::new(),
                    browser_hosts: Vec::new(),
                })
                .unwrap()
            ),
            (
                "Snippet",
                serde_json::to_value(Snippet {
                    text: String::new(),
                    warnings: Vec::new()
                })
                .unwrap()
            ),
            (
                "ClusterStorage",
                serde_json::to_value(storage_class::ClusterStorage::from_facts(ClusterFacts {
                    cluster_id: "c".into(),
                    cluster_type: "aws-eks".into(),
                    default_storage_class: None,
                    base_domains: Vec::new(),
                }))
                .unwrap()
            ),
            (
                "SizingAdvice",
                serde_json::to_value(advice::SizingAdvice {
                    size_gi: 1,
                    rationale: String::new(),
                    warnings: Vec::new()
                })
                .unwrap()
            ),
            (
                "StorageAdvice",
                serde_json::to_value(advice::StorageAdvice {
                    choice: advice::StorageChoice::BlobStorage,
                    reasons: Vec::new(),
                    warnings: Vec::new()
                })
                .unwrap()
            ),
            (
                "StaticVolumeSetup",
                serde_json::to_value(static_volume::StaticVolumeSetup {
                    persistent_volume_yaml: String::new(),
                    volume_manifest_json: String::new(),
                    steps: Vec::new(),
                    notes: Vec::new()
                })
                .unwrap()
            ),
        ];
        // Both interview steps, as the offline interview writes them.
        let mut samples = samples;
        let offline = crate::offline::interview::Facts::default();
        let first = crate::offline::interview::next(
            &crate::offline::interview::Answers::default(),
            &offline,
            crate::vocabulary::Surface::Gateway,
        );
        let answers: Vec<crate::offline::interview::Answer> =
            serde_json::from_value(serde_json::json!([
                {"field": "workspace", "value": "c:w"}, {"field": "kind", "value": "dynamic"},
                {"field": "name", "value": "data"}, {"field": "size-gi", "value": "10"},
                {"field": "storage-class", "value": "efs-sc"}, {"field": "browser", "value": "no"},
                {"field": "wait", "value": "no"}
            ]))
            .unwrap();
        let last = crate::offline::interview::next(
            &crate::offline::interview::Answers::new(&answers),
            &offline,
            crate::vocabulary::Surface::Gateway,
        );
        for (step, case, schema) in [
            (first, "ask", "InterviewQuestion"),
            (last, "confirm", "InterviewPlan"),
        ] {
            let value = serde_json::to_value(&step).unwrap();
            let object = value.as_object().unwrap();
            assert_eq!(object.keys().collect::<Vec<_>>(), [case], "{value}");
            samples.push((schema, object[case].clone()));
        }
        for (schema, sample) in samples {
            let sent: BTreeSet<String> = sample.as_object().unwrap().keys().cloned().collect();
            let (declared, required) = properties(&document, schema);
            assert_eq!(sent, declared, "{schema}: sent vs declared");
            assert_eq!(sent, required, "{schema}: every field is always sent");
        }
        let storage = serde_json::to_value(storage_class::catalog("aws-eks", None)).unwrap();
        let sent: BTreeSet<String> = storage[0].as_object().unwrap().keys().cloned().collect();
        assert_eq!(sent, properties(&document, "StorageClassInfo").0);
    }

    #[test]
    fn request_schemas_accept_exactly_the_fields_the_core_decodes() {
        use crate::gateway::body::decode;
        use crate::model::*;
        use crate::offline::{advice, cache_volume, static_volume};
        let document = document();
        // Each schema's declared properties, all present: the decoder must take them all, and
        // refuse one more.
        fn check<T: serde::de::DeserializeOwned>(document: &Value, schema: &str, sample: Value) {
            let (declared, _) = properties(document, schema);
            let given: BTreeSet<String> = sample.as_object().unwrap().keys().cloned().collect();
            assert_eq!(given, declared, "{schema}: the sample covers the schema");
            assert!(decode::<T>(sample.clone()).is_ok(), "{schema} decodes");
            let mut extra = sample;
            extra["not-in-the-schema"] = Value::Bool(true);
            assert!(
                decode::<T>(extra).is_err(),
                "{schema} refuses unknown fields"
            );
        }
        let browser = serde_json::json!({"username": null, "password-secret-fqn": null,
                                         "host": "h.example.com", "path": null});
        let wait = serde_json::json!({"interval-seconds": 5, "timeout-seconds": 10});
        check::<BrowserSettings>(&document, "BrowserSettings", browser.clone());
        check::<WaitOptions>(&document, "WaitOptions", wait.clone());
        check::<CreateRequest>(
            &document,
            "NewVolume",
            serde_json::json!({"workspace-fqn": "c:w", "name": "n", "kind": "dynamic",
                "size-gi": 1, "storage-class": "s", "persistent-volume-name": null,
                "browser": browser, "wait": wait, "replace-failed": false}),
        );
        check::<ExpandRequest>(
            &document,
            "ExpandRequest",
            serde_json::json!({"volume": "app-1", "new-size-gi": 2, "expected-version": 1,
                               "wait": null}),
        );
        check::<MountRequest>(
            &document,
            "MountRequest",
            serde_json::json!({"volume-fqn": "c:w:v", "mount-path": "/d", "sub-path": null,
                               "format": "yaml", "per-pod-directories": true}),
        );
        check::<advice::SizingRequest>(
            &document,
            "SizingRequest",
            serde_json::json!({"use-case": "model-cache", "parameters-billions": 7.0,
                "precision": "bf16", "data-gi": null, "model-gi": null, "kept-checkpoints": 3}),
        );
        check::<advice::StorageNeeds>(
            &document,
            "StorageNeeds",
            serde_json::json!({"data-gi": 1.5, "cross-region-access": true,
                "concurrent-pod-access": false, "file-system-semantics": false,
                "low-latency-reads": false, "write-once-read-rarely": false, "cost-first": true}),
        );
        check::<static_volume::StaticVolumeRequest>(
            &document,
            "StaticVolumeRequest",
            serde_json::json!({"provider": "aws-efs", "workspace-fqn": "c:w", "volume-name": "v",
                "persistent-volume-name": null, "capacity-gi": null, "file-system-id": "fs-1",
                "access-point-id": "fsap-1", "bucket": null, "region": null,
                "service-account": null, "storage-account": null, "share-or-container": null,
                "resource-group": null}),
        );
        check::<crate::offline::interview::Answer>(
            &document,
            "InterviewAnswer",
            serde_json::json!({"field": "size-gi", "value": "20"}),
        );
        check::<super::super::operations::InterviewBody>(
            &document,
            "InterviewRequest",
            serde_json::json!({"answers": [{"field": "workspace", "value": "c:w"}]}),
        );
        check::<cache_volume::CacheVolumeRequest>(
            &document,
            "CacheVolumeRequest",
            serde_json::json!({"storage-class": "s", "cache-size-gi": 10, "model-gi": 1.0,
                               "format": "json"}),
        );
    }

    #[test]
    fn enums_list_the_values_the_core_spells() {
        use crate::model::{StatusPhase, VolumeKind};
        use crate::offline::{advice, storage_class};
        let document = document();
        let values = |schema: &str| -> Vec<Value> {
            document["components"]["schemas"][schema]["enum"]
                .as_array()
                .unwrap()
                .clone()
        };
        let spelled = |items: Vec<Value>| items;
        assert_eq!(
            values("StatusPhase"),
            spelled(
                [
                    StatusPhase::Deploying,
                    StatusPhase::Running,
                    StatusPhase::Failed,
                    StatusPhase::Paused,
                    StatusPhase::Cancelled,
                    StatusPhase::Unknown
                ]
                .iter()
                .map(|v| serde_json::to_value(v).unwrap())
                .collect()
            )
        );
        assert_eq!(
            values("VolumeKind"),
            [VolumeKind::Dynamic, VolumeKind::Static]
                .iter()
                .map(|v| serde_json::to_value(v).unwrap())
                .collect::<Vec<_>>()
        );
        assert_eq!(
            values("Cloud"),
            [
                storage_class::Cloud::Aws,
                storage_class::Cloud::Gcp,
                storage_class::Cloud::Azure,
                storage_class::Cloud::Other
            ]
            .iter()
            .map(|v| serde_json::to_value(v).unwrap())
            .collect::<Vec<_>>()
        );
        assert_eq!(
            values("StorageChoice"),
            [
                advice::StorageChoice::Volume,
                advice::StorageChoice::BlobStorage
            ]
            .iter()
            .map(|v| serde_json::to_value(v).unwrap())
            .collect::<Vec<_>>()
        );
        // Input enums: every listed value decodes.
        fn decodes<T: serde::de::DeserializeOwned>(values: Vec<Value>) {
            for value in values {
                assert!(
                    serde_json::from_value::<T>(value.clone()).is_ok(),
                    "{value}"
                );
            }
        }
        decodes::<crate::model::SnippetFormat>(values("SnippetFormat"));
        decodes::<advice::UseCase>(values("UseCase"));
        decodes::<advice::Precision>(values("Precision"));
        decodes::<crate::offline::static_volume::PvProvider>(values("PvProvider"));
        decodes::<crate::offline::cache_volume::ManifestFormat>(values("ManifestFormat"));
        // Every interview field, once, in order, spelled as errors name it.
        let fields: Vec<Value> = values("InterviewField");
        let decoded: Vec<crate::offline::interview::Field> = fields
            .iter()
            .map(|value| serde_json::from_value(value.clone()).unwrap())
            .collect();
        assert_eq!(decoded, crate::offline::interview::Field::ALL);
        for (field, value) in decoded.iter().zip(&fields) {
            assert_eq!(Some(field.name()), value.as_str());
        }
        let cases: Vec<Value> = crate::error::every_variant("x")
            .iter()
            .map(|error| crate::gateway::problem::classify(error).1.to_string())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .map(Value::String)
            .collect();
        let mut listed = document["components"]["schemas"]["Problem"]["properties"]["case"]["enum"]
            .as_array()
            .unwrap()
            .clone();
        listed.sort_by_key(|v| v.as_str().unwrap().to_string());
        assert_eq!(listed, cases);
    }
}
