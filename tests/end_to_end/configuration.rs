//! The environment the host grants: missing or malformed variables are typed errors.

use tfy_volumes_host::bindings::VolumeError;
use tfy_volumes_host::Grant;

use crate::support::{runtime, WS};

async fn list_with(grant: Grant) -> VolumeError {
    let mut volumes = runtime().instantiate(&grant).await.unwrap();
    match volumes.list(WS).await.unwrap() {
        Err(error) => error,
        Ok(list) => panic!("expected an error, got {list:?}"),
    }
}

#[tokio::test]
async fn missing_or_malformed_variables_are_named() {
    let cases = [
        (Grant::new("", "sk-x"), "TFY_BASE_URL"),
        (Grant::new("http://127.0.0.1:9", ""), "TFY_API_KEY"),
        (Grant::new("127.0.0.1:9", "sk-x"), "TFY_BASE_URL"),
        (Grant::new("http://127.0.0.1:9", "sk x"), "TFY_API_KEY"),
    ];
    for (grant, variable) in cases {
        let error = list_with(grant.clone()).await;
        let VolumeError::MissingConfiguration(problem) = error else {
            panic!("{grant:?}: got {error:?}")
        };
        assert_eq!(problem.field, variable, "{grant:?}");
        assert!(problem.fix.contains("TFY_BASE_URL") && problem.fix.contains("TFY_API_KEY"));
    }
}

#[tokio::test]
async fn an_unreachable_control_plane_is_a_transport_error() {
    // Port 9 (discard) on loopback: nothing listens there in the test sandbox.
    let error = list_with(Grant::new("http://127.0.0.1:9", "sk-x")).await;
    let VolumeError::Transport(failure) = error else {
        panic!("got {error:?}")
    };
    assert_eq!(failure.message, "connection refused");
    assert!(failure.fix.contains("TFY_BASE_URL"));
}
