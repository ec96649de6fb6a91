//! The host's outbound policy: only the granted control plane is reachable.

use tfy_volumes_host::allowlist::Origin;
use tfy_volumes_host::bindings::VolumeError;
use tfy_volumes_host::Grant;
use truefoundry_emulator::Emulator;

use crate::support::{runtime, seed, ADMIN_KEY, WS};

#[tokio::test]
async fn requests_to_any_other_origin_are_refused_by_the_host() {
    let allowed = Emulator::start(seed()).unwrap();
    let elsewhere = Emulator::start(seed()).unwrap();
    // The environment names `elsewhere`, but the host only allows `allowed`.
    let grant = Grant::new(elsewhere.base_url(), ADMIN_KEY);
    let policy = Origin::of_url(&allowed.base_url());
    let mut volumes = runtime()
        .instantiate_allowing(&grant, policy)
        .await
        .unwrap();

    let error = match volumes.list(WS).await.unwrap() {
        Err(error) => error,
        Ok(list) => panic!("the request went through: {list:?}"),
    };
    let VolumeError::Transport(failure) = error else {
        panic!("got {error:?}")
    };
    assert!(failure.message.contains("denied"), "{}", failure.message);
    let elsewhere_origin = Origin::of_url(&elsewhere.base_url()).unwrap().to_string();
    assert_eq!(volumes.denied_requests(), [elsewhere_origin]);
    assert!(
        elsewhere.requests().is_empty(),
        "the other server saw nothing"
    );
    assert!(allowed.requests().is_empty());
}

#[tokio::test]
async fn the_granted_origin_is_reachable_and_the_guest_writes_no_stderr() {
    let emulator = Emulator::start(seed()).unwrap();
    let grant = Grant::new(emulator.base_url(), ADMIN_KEY);
    let mut volumes = runtime().instantiate(&grant).await.unwrap();
    assert_eq!(volumes.list("c1:ws2").await.unwrap().unwrap(), vec![]);
    assert!(volumes.denied_requests().is_empty());
    assert_eq!(volumes.stderr(), "");
}
