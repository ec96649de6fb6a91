//! A gateway host run as a child process on a free loopback port: started with its output in
//! files, waited for until `/healthz` answers, killed (by its own id) when dropped, and its
//! logs checked for the API key.

use std::fs;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use super::scenario::wait_until_serving;
use crate::support::DEMO_KEY;

/// How long a host may take to start serving.
const STARTUP: Duration = Duration::from_secs(60);

/// A free port on 127.0.0.1 (free when asked; the host binds it right after).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .expect("a free loopback port")
}

/// A running host process.
pub struct Served {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    log: PathBuf,
}

impl Served {
    /// Starts `command`, which must serve the gateway on `port`, logging into
    /// `<dir>/host.log`; fails the test with the log when it does not answer in time.
    pub fn start(command: &mut Command, port: u16, dir: &Path) -> Served {
        let served = Served::spawn(command, port, &dir.join("host.log"));
        if let Err(error) = wait_until_serving(&served.base, STARTUP) {
            panic!("{error}\n--- {command:?}\n{}", served.log());
        }
        served
    }

    /// Starts `command`, which will listen on `port`, logging into `log`; does not wait.
    pub fn spawn(command: &mut Command, port: u16, log: &Path) -> Served {
        if let Some(dir) = log.parent() {
            fs::create_dir_all(dir).expect("the log directory");
        }
        let file = fs::File::create(log).expect("the log file");
        let child = command
            .stdin(Stdio::null())
            .stdout(file.try_clone().expect("the log file"))
            .stderr(file)
            .spawn()
            .unwrap_or_else(|error| panic!("could not start {command:?}: {error}"));
        Served {
            child,
            base: format!("http://127.0.0.1:{port}"),
            log: log.to_path_buf(),
        }
    }

    /// Waits until the log shows `pattern`, and returns the rest of that line; fails the
    /// test with the log otherwise.
    pub fn wait_for_log(&self, pattern: &str) -> String {
        let deadline = std::time::Instant::now() + STARTUP;
        while std::time::Instant::now() < deadline {
            let log = self.log();
            if let Some(at) = log.find(pattern) {
                let rest = &log[at + pattern.len()..];
                return rest.lines().next().unwrap_or_default().to_string();
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!(
            "`{pattern}` did not appear within {STARTUP:?}:\n{}",
            self.log()
        );
    }

    /// What the host printed so far.
    pub fn log(&self) -> String {
        fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Stops the host and checks its whole log never shows the demo key.
    pub fn stop_and_check_log(mut self) -> String {
        self.kill();
        let log = self.log();
        assert!(
            !log.contains(DEMO_KEY),
            "the key is in the host's log:\n{log}"
        );
        log
    }

    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        self.kill();
    }
}
