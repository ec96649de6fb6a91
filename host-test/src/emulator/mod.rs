//! A local emulator of the TrueFoundry control-plane API (the endpoints the volumes component
//! uses; `shared/spec/truefoundry-api.md` §6), served over real HTTP on loopback.
//!
//! Tests and the CLI point the component at [`Emulator::base_url`] instead of a tenant URL.
//! The emulator:
//! - authenticates `Authorization: Bearer <token>` against the seed's keys (401 otherwise),
//!   with read-only and workspace-scoped keys (403);
//! - serves `GET /api/svc/v1/workspaces`, `GET|PUT /api/svc/v1/apps`,
//!   `GET|DELETE /api/svc/v1/apps/{id}`, `GET /api/svc/v1/clusters[/{id}]` in the real API's
//!   shapes, validating volume manifests as TrueFoundry's SDK does;
//! - moves each new deployment from `INITIALIZED` to a terminal status after a fixed number of
//!   reads ([`Seed::reads_until_ready`]), so tests are deterministic;
//! - records every request ([`Emulator::requests`]) and misbehaves on demand
//!   ([`Emulator::inject`]).
//!
//! The server runs on its own thread with its own tokio runtime, so it works the same from
//! synchronous code, from inside `#[tokio::test]`, and from a blocking CLI.
//!
//! ```no_run
//! use tfy_volumes_host::emulator::{Emulator, Seed};
//! let emulator = Emulator::start(Seed::demo()).expect("emulator starts");
//! println!("TFY_BASE_URL={}", emulator.base_url());
//! ```

mod body;
mod clock;
mod fault;
mod json;
mod request;
mod routes;
mod seed;
mod server;
mod state;
mod validate;

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

use tokio::sync::watch;

pub use fault::{Fault, FaultRule};
pub use request::RecordedRequest;
pub use seed::{Access, Seed, SeedCluster, SeedKey, SeedVolume, SeedWorkspace};

use server::Shared;
use state::Store;

/// A running emulator. Dropping it stops the server and closes every connection.
pub struct Emulator {
    addr: SocketAddr,
    shared: Arc<Shared>,
    shutdown: watch::Sender<bool>,
    thread: Option<JoinHandle<()>>,
}

impl Emulator {
    /// Starts an emulator on `127.0.0.1` at a free port.
    ///
    /// Fails if the seed is inconsistent (`InvalidInput`: a volume in an unknown workspace, an
    /// invalid manifest, a duplicate) or if the socket or runtime cannot be created.
    pub fn start(seed: Seed) -> std::io::Result<Emulator> {
        Emulator::start_on(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)), seed)
    }

    /// Starts an emulator listening on `addr` (port 0 = any free port).
    pub fn start_on(addr: SocketAddr, seed: Seed) -> std::io::Result<Emulator> {
        let store = Store::from_seed(seed)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
        // Bind synchronously so the caller gets bind errors and the real port right away.
        let std_listener = std::net::TcpListener::bind(addr)?;
        std_listener.set_nonblocking(true)?;
        let addr = std_listener.local_addr()?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("tfy-emulator-worker")
            .enable_all()
            .build()?;
        let listener = {
            let _entered = runtime.enter();
            tokio::net::TcpListener::from_std(std_listener)?
        };
        let shared = Arc::new(Shared {
            store: Mutex::new(store),
            log: Mutex::new(Vec::new()),
            faults: Mutex::new(fault::FaultBook::default()),
        });
        let (shutdown, shutdown_rx) = watch::channel(false);
        let server_shared = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name("tfy-emulator".to_string())
            .spawn(move || {
                runtime.block_on(server::serve(listener, server_shared, shutdown_rx));
                // Drops every connection task, including ones parked by a `Hang` fault.
                runtime.shutdown_timeout(Duration::from_secs(2));
            })?;
        Ok(Emulator {
            addr,
            shared,
            shutdown,
            thread: Some(thread),
        })
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Every request received so far, in arrival order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.shared.log).clone()
    }

    /// Forgets the recorded requests.
    pub fn clear_requests(&self) {
        lock(&self.shared.log).clear();
    }

    /// Adds a fault rule after the existing ones.
    pub fn inject(&self, rule: FaultRule) {
        lock(&self.shared.faults).push(rule);
    }

    /// Removes every fault rule.
    pub fn clear_faults(&self) {
        lock(&self.shared.faults).clear();
    }

    /// The application with this id as `GET /apps/{id}` would show it (`data` unwrapped),
    /// without counting as a read.
    pub fn application(&self, id: &str) -> Option<serde_json::Value> {
        let store = lock(&self.shared.store);
        let idx = store.app_index(id)?;
        Some(json::application(&store.tenant, &store.apps[idx]))
    }

    /// Every application in the workspace with this FQN, in creation order, without counting
    /// as reads.
    pub fn applications_in(&self, workspace_fqn: &str) -> Vec<serde_json::Value> {
        let store = lock(&self.shared.store);
        store
            .apps
            .iter()
            .filter(|app| app.workspace.fqn == workspace_fqn)
            .map(|app| json::application(&store.tenant, app))
            .collect()
    }

    /// Blocks the calling thread until the server stops, which, since this keeps the
    /// emulator alive, is when the process ends (for the CLI's `emulator` subcommand).
    pub fn wait(mut self) {
        if let Some(thread) = self.thread.take() {
            // A panicked server thread has stopped serving; there is nothing left to wait for.
            let _ = thread.join();
        }
    }
}

impl std::fmt::Debug for Emulator {
    /// Only the address: the state holds API keys and recorded `Authorization` headers.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Emulator")
            .field("addr", &self.addr)
            .finish()
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        // The receiver may already be gone if the server thread died; either way it stops.
        let _ = self.shutdown.send(true);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Locks a mutex, recovering from poisoning: a panic in one request handler must not turn
/// every later request into a failure. The store's invariants are per-field and each update
/// is a single assignment or push, so the data is still usable.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
