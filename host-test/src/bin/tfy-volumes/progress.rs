//! Waiting with progress: the component's own `wait` decides the outcome, while a second
//! instance polls `status` so a person sees each change as it happens.

use std::time::{Duration, Instant};

use tfy_volumes_host::bindings::Volume;
use tfy_volumes_host::{report, Grant, Runtime, Volumes};

use crate::args::WaitTiming;
use crate::{ok, output, Failure};

/// Follows `volume` until its deployment settles; prints status changes to stderr unless
/// `json`. Returns the running volume, or the component's typed error.
pub async fn follow(
    runtime: &Runtime,
    grant: &Grant,
    volumes: &mut Volumes,
    volume: &str,
    timing: WaitTiming,
    json: bool,
) -> Result<Volume, Failure> {
    let outcome = volumes.wait(volume, Some(timing.options()));
    if json {
        return ok(outcome.await?);
    }
    let mut watcher = runtime.instantiate(grant).await?;
    let interval = Duration::from_secs(u64::from(timing.interval.max(1)));
    let started = Instant::now();
    let show = async {
        let mut last = String::new();
        loop {
            if let Ok(Ok(status)) = watcher.status(volume).await {
                let line = report::status_text(&status);
                if line != last {
                    output::warn(format!("  [{:>4} s] {line}", started.elapsed().as_secs()));
                    last = line;
                }
            }
            tokio::time::sleep(interval).await;
        }
    };
    tokio::select! {
        result = outcome => ok(result?),
        never = show => never,
    }
}
