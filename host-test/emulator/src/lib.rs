//! A local emulator of the TrueFoundry control-plane API: the endpoints the volumes component
//! uses (`docs/truefoundry-api.md` §6), served over real HTTP on loopback.
//!
//! Tests and the CLI point the component at [`Emulator::base_url`] instead of a tenant URL.
//! The emulator:
//! - authenticates `Authorization: Bearer <token>` against the seed's keys (401 otherwise),
//!   with read-only and workspace-scoped keys (403);
//! - serves `GET /api/svc/v1/workspaces`, `GET|PUT /api/svc/v1/apps`,
//!   `GET|DELETE /api/svc/v1/apps/{id}`, `GET /api/svc/v1/clusters[/{id}]` in the real API's
//!   shapes (every answer parses with the models of TrueFoundry's Python SDK and CLI),
//!   validating volume manifests as TrueFoundry's SDK does;
//! - moves each new deployment from `INITIALIZED` to a terminal status after a fixed number of
//!   reads ([`Seed::reads_until_ready`]), so tests are deterministic, or after a wall-clock
//!   delay ([`Seed::ready_after_ms`]);
//! - deletes asynchronously: a deleted application is answered once more as `deleting`, then
//!   it is gone;
//! - records every request ([`Emulator::requests`]) and misbehaves on demand
//!   ([`Emulator::inject`]);
//! - optionally keeps its state in a file ([`Emulator::start_with_state`]), so emulators
//!   started one after the other carry on the same world.
//!
//! The server runs on its own thread with its own tokio runtime, so it works the same from
//! synchronous code, from inside `#[tokio::test]`, and from a blocking CLI.
//!
//! ```no_run
//! use truefoundry_emulator::{Emulator, Seed};
//! let emulator = Emulator::start(Seed::demo()).expect("emulator starts");
//! println!("TFY_BASE_URL={}", emulator.base_url());
//! ```

#![deny(missing_docs)]
#![deny(unsafe_code)]

mod body;
mod clock;
mod error;
mod fault;
mod json;
mod persist;
mod request;
mod routes;
mod seed;
mod server;
mod state;
mod validate;

use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

use tokio::sync::watch;

pub use error::{StartError, StateError};
pub use fault::{Fault, FaultRule};
pub use persist::reset_state;
pub use request::{BodyFraming, RecordedRequest};
pub use seed::{Access, Seed, SeedCluster, SeedKey, SeedVolume, SeedWorkspace};

use server::Shared;
use state::Store;

/// A running emulator. Dropping it stops the server and closes every connection.
pub struct Emulator {
    addr: SocketAddr,
    state_file: Option<PathBuf>,
    shared: Arc<Shared>,
    shutdown: watch::Sender<bool>,
    thread: Option<JoinHandle<()>>,
}

/// How to start an [`Emulator`]: its seed, where it listens, and whether it keeps its state
/// in a file. [`Emulator::start`], [`Emulator::start_on`] and [`Emulator::start_with_state`]
/// are the usual shorthands.
#[derive(Debug)]
pub struct EmulatorBuilder {
    seed: Seed,
    addr: SocketAddr,
    state_file: Option<PathBuf>,
}

impl EmulatorBuilder {
    /// Listens on `addr` (port 0 = any free port) instead of `127.0.0.1:0`.
    pub fn listen_on(mut self, addr: SocketAddr) -> EmulatorBuilder {
        self.addr = addr;
        self
    }

    /// Keeps the workspaces, applications and deployments in `path`: loaded from it at start
    /// when it exists (the seed then gives only the tenant, keys, clusters and progress
    /// settings), otherwise seeded and written there; saved again after every change.
    pub fn state_file(mut self, path: impl Into<PathBuf>) -> EmulatorBuilder {
        self.state_file = Some(path.into());
        self
    }

    /// Starts the emulator.
    ///
    /// Fails if the seed is inconsistent ([`StartError::InvalidSeed`]: a volume in an unknown
    /// workspace, an invalid manifest, a duplicate), if the state file exists but cannot be
    /// read or understood, or cannot be written ([`StartError::State`], naming the file), or
    /// if the socket or the server cannot be set up.
    pub fn start(self) -> Result<Emulator, StartError> {
        let store = match &self.state_file {
            Some(path) => persist::open(self.seed, path)?,
            None => {
                Store::from_seed(self.seed).map_err(|error| StartError::InvalidSeed(error.0))?
            }
        };
        let listen_error = |error| StartError::Listen {
            address: self.addr,
            error,
        };
        // Bind synchronously so the caller gets bind errors and the real port right away.
        let std_listener = std::net::TcpListener::bind(self.addr).map_err(listen_error)?;
        std_listener.set_nonblocking(true).map_err(listen_error)?;
        let addr = std_listener.local_addr().map_err(listen_error)?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("tfy-emulator-worker")
            .enable_all()
            .build()
            .map_err(StartError::Server)?;
        let listener = {
            let _entered = runtime.enter();
            tokio::net::TcpListener::from_std(std_listener).map_err(listen_error)?
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
            })
            .map_err(StartError::Server)?;
        Ok(Emulator {
            addr,
            state_file: self.state_file,
            shared,
            shutdown,
            thread: Some(thread),
        })
    }
}

impl Emulator {
    /// How to start an emulator with this seed, for the options the shorthands lack.
    pub fn builder(seed: Seed) -> EmulatorBuilder {
        EmulatorBuilder {
            seed,
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            state_file: None,
        }
    }

    /// Starts an emulator on `127.0.0.1` at a free port, its state in memory only.
    pub fn start(seed: Seed) -> Result<Emulator, StartError> {
        Emulator::builder(seed).start()
    }

    /// Starts an emulator listening on `addr` (port 0 = any free port).
    pub fn start_on(addr: SocketAddr, seed: Seed) -> Result<Emulator, StartError> {
        Emulator::builder(seed).listen_on(addr).start()
    }

    /// Starts an emulator on `127.0.0.1` at a free port that keeps its state in `path` (see
    /// [`EmulatorBuilder::state_file`]). For a world that lives across processes, set
    /// [`Seed::ready_after_ms`]: deployments then progress by wall-clock time, including
    /// while no emulator runs. [`reset_state`] forgets the file's state.
    pub fn start_with_state(seed: Seed, path: impl Into<PathBuf>) -> Result<Emulator, StartError> {
        Emulator::builder(seed).state_file(path).start()
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The file the state is kept in, if any.
    pub fn state_file(&self) -> Option<&Path> {
        self.state_file.as_deref()
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
        let store = self.settled_store();
        let idx = store.app_index(id)?;
        Some(json::application(&store.tenant, &store.apps[idx]))
    }

    /// Every application in the workspace with this FQN, in creation order, without counting
    /// as reads.
    pub fn applications_in(&self, workspace_fqn: &str) -> Vec<serde_json::Value> {
        let store = self.settled_store();
        store
            .apps
            .iter()
            .filter(|app| app.workspace.fqn == workspace_fqn)
            .map(|app| json::application(&store.tenant, app))
            .collect()
    }

    /// The store, caught up with wall-clock time. A failed save is retried, and reported, by
    /// the next request.
    fn settled_store(&self) -> MutexGuard<'_, Store> {
        let mut store = lock(&self.shared.store);
        store.settle(clock::now());
        let _ = store.save_if_changed();
        store
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
    /// Only the address and state file: the state holds API keys and recorded
    /// `Authorization` headers.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Emulator")
            .field("addr", &self.addr)
            .field("state_file", &self.state_file)
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
