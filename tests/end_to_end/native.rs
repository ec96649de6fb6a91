//! The same core as a native Rust library (feature `native`): it talks to the emulator the
//! way the component does and decodes the same answers.

use truefoundry_volumes::model as core;
use truefoundry_volumes::native::{Native, SystemClock};
use truefoundry_volumes::{Client, Error};

use crate::support::{dynamic_volume, seed, Harness, ADMIN_KEY, WS};

fn native_client(base_url: &str) -> Client<Native, SystemClock> {
    Client::from_env(
        [("TFY_BASE_URL", base_url), ("TFY_API_KEY", ADMIN_KEY)],
        Native::new(),
        SystemClock::default(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_native_library_and_the_component_agree() {
    let mut seeded = seed();
    seeded.volumes.push(dynamic_volume(WS, "alpha", 10));
    seeded.volumes.push(dynamic_volume(WS, "beta", 20));
    let mut h = Harness::with(seeded, ADMIN_KEY).await;
    let base = h.emulator.base_url();

    let native = tokio::task::spawn_blocking({
        let base = base.clone();
        move || {
            let mut client = native_client(&base);
            let listed = client.list(WS).unwrap();
            let created = client
                .create(&core::CreateRequest {
                    workspace_fqn: WS.into(),
                    name: "gamma".into(),
                    kind: core::VolumeKind::Dynamic,
                    size_gi: Some(30),
                    storage_class: Some("efs-sc".into()),
                    persistent_volume_name: None,
                    browser: None,
                    wait: Some(core::WaitOptions {
                        interval_seconds: Some(1),
                        timeout_seconds: Some(30),
                    }),
                    replace_failed: false,
                })
                .unwrap();
            let missing = client.list("c1:nowhere").unwrap_err();
            (listed, created, missing)
        }
    })
    .await
    .unwrap();
    let (listed, created, missing) = native;

    let from_component = h.volumes.list(WS).await.unwrap().unwrap();
    let names: Vec<&str> = listed.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["alpha", "beta"]);
    for (native, component) in listed.iter().zip(&from_component) {
        assert_eq!(
            (native.id.as_str(), native.fqn.as_str()),
            (component.id.as_str(), component.fqn.as_str())
        );
        assert_eq!(native.size_gi, component.size_gi);
        assert_eq!(native.status.display, component.status.display);
    }
    assert_eq!(created.name, "gamma");
    assert_eq!(created.status.display, "RUNNING", "the native clock waited");
    let seen = h.volumes.get(&created.id).await.unwrap().unwrap();
    assert_eq!(seen.size_gi, Some(30));
    assert_eq!(
        missing,
        Error::NotFound {
            kind: truefoundry_volumes::error::ResourceKind::Workspace,
            name: "c1:nowhere".into()
        }
    );
}
