//! Waiting you can watch: the component's own `wait` decides the outcome, while a second
//! instance polls `status` so a person sees each change as it happens — on a terminal as a
//! live line with the time ticking, otherwise as one stderr line per change — and a final
//! line either way. Ctrl-C stops the waiting, not the deployment, and says how to resume.

use std::future::Future;
use std::io::IsTerminal;
use std::time::{Duration, Instant};

use tfy_volumes_host::bindings::{Volume, WaitOptions};
use tfy_volumes_host::{report, Grant, Runtime, Volumes};

use crate::failure::Failure;
use crate::output::{self, LiveLine};

/// Follows `volume` until its deployment settles, showing progress on stderr. Returns the
/// running volume, the component's typed error, or [`Failure::Interrupted`] with the
/// command that waits again (`program` is how to invoke this CLI).
pub async fn follow(
    runtime: &Runtime,
    grant: &Grant,
    volumes: &mut Volumes,
    volume: &str,
    options: WaitOptions,
    program: &str,
) -> Result<Volume, Failure> {
    let started = Instant::now();
    let mut watcher = runtime.instantiate(grant).await?;
    let display = Display::new(volume);
    let interval = Duration::from_secs(u64::from(options.interval_seconds.unwrap_or(5).max(1)));
    let outcome = volumes.wait(volume, Some(options));
    let show = async {
        let mut last = String::new();
        loop {
            // A settled status is for the final line, which the wait's own result gives.
            if let Ok(Ok(status)) = watcher.status(volume).await {
                let shown = report::status_text(&status);
                if shown != last && !status.terminal {
                    display.change(started, &shown);
                    last = shown;
                }
            }
            tokio::time::sleep(interval).await;
        }
    };
    let ended = tokio::select! {
        result = outcome => Some(result),
        never = show => never,
        () = interrupted() => None,
    };
    match ended {
        Some(Ok(Ok(settled))) => {
            let status = report::status_text(&settled.status);
            display.finish(started, &format!("{status}; done waiting"));
            Ok(settled)
        }
        Some(Ok(Err(error))) => {
            let case = report::error_case(&error);
            display.finish(started, &format!("stopped waiting ({case})"));
            Err(Failure::Component(error))
        }
        Some(Err(error)) => {
            display.finish(started, "stopped waiting (the host failed)");
            Err(error.into())
        }
        None => {
            display.finish(started, "stopped waiting (Ctrl-C)");
            Err(Failure::Interrupted {
                message: format!(
                    "stopped waiting; the deployment of {volume} goes on without this command"
                ),
                resume: format!("{program} wait {volume}"),
            })
        }
    }
}

/// Runs `work`, or ends with `on_interrupt()` at Ctrl-C.
pub async fn interruptible<T>(
    work: impl Future<Output = T>,
    on_interrupt: impl FnOnce() -> Failure,
) -> Result<T, Failure> {
    tokio::select! {
        value = work => Ok(value),
        () = interrupted() => Err(on_interrupt()),
    }
}

/// Runs `work` under a live line saying `doing` on a terminal (one line otherwise).
pub async fn showing<T>(doing: &str, work: impl Future<Output = T>) -> T {
    let started = Instant::now();
    let display = Display::new(doing);
    display.change(started, "started");
    let value = work.await;
    display.finish(started, "finished");
    value
}

/// Completes at the first Ctrl-C (never, if the signal cannot be watched).
async fn interrupted() {
    if tokio::signal::ctrl_c().await.is_err() {
        std::future::pending::<()>().await;
    }
}

/// Where progress goes: a live line on a terminal, plain lines otherwise.
struct Display {
    subject: String,
    live: Option<LiveLine>,
}

impl Display {
    fn new(subject: &str) -> Display {
        let live = std::io::stderr()
            .is_terminal()
            .then(|| LiveLine::start(subject));
        Display {
            subject: subject.to_string(),
            live,
        }
    }

    /// A new state: kept as a line (above the live line on a terminal).
    fn change(&self, started: Instant, state: &str) {
        let line = self.line(started, state);
        match &self.live {
            Some(live) => {
                live.keep(&line);
                live.set(&format!("{}: {state}", self.subject));
            }
            None => output::warn(line),
        }
    }

    /// The final line; the live line goes.
    fn finish(self, started: Instant, state: &str) {
        let line = self.line(started, state);
        if let Some(live) = self.live {
            live.finish();
        }
        output::warn(line);
    }

    fn line(&self, started: Instant, state: &str) -> String {
        format!(
            "  [{:>4} s] {}: {state}",
            started.elapsed().as_secs(),
            self.subject
        )
    }
}
