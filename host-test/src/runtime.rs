//! Loads the component into wasmtime once, and runs sandboxed instances of it: WASI limited
//! to two environment variables, wasi:http limited to one origin, memory capped.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use wasmtime::component::{Component, Linker, ResourceTable};
use wasmtime::{Config, Engine, Store, StoreLimits, StoreLimitsBuilder};
use wasmtime_wasi::p2::pipe::MemoryOutputPipe;
use wasmtime_wasi::{WasiCtx, WasiCtxView, WasiView};
use wasmtime_wasi_http::{WasiHttpCtx, WasiHttpCtxView, WasiHttpView};

use crate::allowlist::{AllowOnly, Origin};
use crate::bindings::{self as b, FullAccess, FullAccessPre};
use crate::grant::Grant;

/// Path of the component built by `build.rs` (release, wasm32-wasip2).
pub const COMPONENT_WASM: &str = env!("VOLUMES_COMPONENT_WASM");

/// Most linear memory one instance may use.
pub const MEMORY_LIMIT_BYTES: usize = 64 * 1024 * 1024;
/// Longest a single exported call may run, network waits included.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(300);
/// Most bytes of guest stderr kept for diagnostics.
const STDERR_CAPACITY: usize = 64 * 1024;

/// A compiled component, ready to instantiate many times. Cheap to clone.
#[derive(Clone)]
pub struct Runtime {
    engine: Engine,
    pre: FullAccessPre<HostState>,
}

impl Runtime {
    /// Compiles the component that `build.rs` built.
    pub fn new() -> wasmtime::Result<Runtime> {
        Self::from_file(Path::new(COMPONENT_WASM))
    }

    /// Compiles the component at `path`.
    pub fn from_file(path: &Path) -> wasmtime::Result<Runtime> {
        let bytes = std::fs::read(path).map_err(|error| {
            wasmtime::Error::msg(format!("cannot read {}: {error}", path.display()))
        })?;
        Self::from_bytes(&bytes)
    }

    /// Compiles a component from its bytes.
    pub fn from_bytes(bytes: &[u8]) -> wasmtime::Result<Runtime> {
        let engine = Engine::new(&Config::new())?;
        let component = Component::new(&engine, bytes)?;
        let mut linker = Linker::<HostState>::new(&engine);
        wasmtime_wasi::p2::add_to_linker_async(&mut linker)?;
        wasmtime_wasi_http::p2::add_only_http_to_linker_async(&mut linker)?;
        let pre = FullAccessPre::new(linker.instantiate_pre(&component)?)?;
        Ok(Runtime { engine, pre })
    }

    /// The engine, for callers that want to precompile or inspect.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// A fresh, sandboxed instance that may reach only `grant`'s control plane.
    pub async fn instantiate(&self, grant: &Grant) -> wasmtime::Result<Volumes> {
        self.instantiate_allowing(grant, grant.origin()).await
    }

    /// A fresh instance that sees `grant`'s environment but may reach only `allowed` (nothing
    /// when `None`). Lets tests prove the outbound policy holds even when the environment
    /// names another address.
    pub async fn instantiate_allowing(
        &self,
        grant: &Grant,
        allowed: Option<Origin>,
    ) -> wasmtime::Result<Volumes> {
        let denied = Arc::new(Mutex::new(Vec::new()));
        let stderr = MemoryOutputPipe::new(STDERR_CAPACITY);
        let wasi = WasiCtx::builder()
            .envs(&grant.environment())
            .stderr(stderr.clone())
            .allow_tcp(false)
            .allow_udp(false)
            .allow_ip_name_lookup(false)
            .build();
        let state = HostState {
            wasi,
            http: WasiHttpCtx::new(),
            table: ResourceTable::new(),
            hooks: AllowOnly::new(allowed, denied.clone()),
            limits: StoreLimitsBuilder::new()
                .memory_size(MEMORY_LIMIT_BYTES)
                .trap_on_grow_failure(true)
                .build(),
        };
        let mut store = Store::new(&self.engine, state);
        store.limiter(|state| &mut state.limits);
        let bindings = self.pre.instantiate_async(&mut store).await?;
        Ok(Volumes {
            store,
            bindings,
            denied,
            stderr,
        })
    }
}

/// The store's data: WASI and wasi:http contexts plus the sandbox's policy.
pub struct HostState {
    wasi: WasiCtx,
    http: WasiHttpCtx,
    table: ResourceTable,
    hooks: AllowOnly,
    limits: StoreLimits,
}

impl WasiView for HostState {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

impl WasiHttpView for HostState {
    fn http(&mut self) -> WasiHttpCtxView<'_> {
        WasiHttpCtxView {
            ctx: &mut self.http,
            table: &mut self.table,
            hooks: &mut self.hooks,
        }
    }
}

/// One instance of the component, with typed calls to its exports.
///
/// Each call returns `Ok(result)` with the component's own typed result, or `Err` when the
/// host failed (trap, timeout, memory limit): the two never mix.
pub struct Volumes {
    store: Store<HostState>,
    bindings: FullAccess,
    denied: Arc<Mutex<Vec<String>>>,
    stderr: MemoryOutputPipe,
}

/// What an export returns: the component's result, inside the host's.
pub type Outcome<T> = wasmtime::Result<Result<T, crate::bindings::VolumeError>>;

macro_rules! export_call {
    ($(#[$doc:meta])* $name:ident => $call:ident($($arg:ident: $ty:ty),*) -> $out:ty) => {
        $(#[$doc])*
        pub async fn $name(&mut self, $($arg: $ty),*) -> Outcome<$out> {
            let exports = self.bindings.truefoundry_volumes_volumes();
            let call = exports.$call(&mut self.store, $($arg),*);
            match tokio::time::timeout(CALL_TIMEOUT, call).await {
                Ok(result) => result,
                Err(_) => Err(wasmtime::Error::msg(format!(
                    "`{}` did not finish within {} s", stringify!($name), CALL_TIMEOUT.as_secs()
                ))),
            }
        }
    };
}

impl Volumes {
    export_call!(
        /// `plan`: the confirmation summary for a create request (no network).
        plan => call_plan(request: &b::CreateRequest) -> b::CreatePlan
    );
    export_call!(
        /// `preflight`: `plan` checked against the control plane (read-only).
        preflight => call_preflight(request: &b::CreateRequest) -> b::CreatePlan
    );
    export_call!(
        /// `create`: creates a volume.
        create => call_create(request: &b::CreateRequest) -> b::Volume
    );
    export_call!(
        /// `list`: every volume of a workspace.
        list => call_list(workspace_fqn: &str) -> Vec<b::Volume>
    );
    export_call!(
        /// `get`: one volume by id or FQN.
        get => call_get(volume: &str) -> b::Volume
    );
    export_call!(
        /// `status`: the latest deployment's status.
        status => call_status(volume: &str) -> b::VolumeStatus
    );
    export_call!(
        /// `wait`: follows the deployment until it settles.
        wait => call_wait(volume: &str, options: Option<b::WaitOptions>) -> b::Volume
    );
    export_call!(
        /// `expand`: grows a dynamic volume.
        expand => call_expand(request: &b::ExpandRequest) -> b::Volume
    );
    export_call!(
        /// `storage-classes`: the cluster's storage classes and browser hosts.
        storage_classes => call_storage_classes(workspace_fqn: &str) -> b::ClusterStorage
    );
    export_call!(
        /// `mount-snippet`: text that mounts a volume (no network).
        mount_snippet => call_mount_snippet(request: &b::MountRequest) -> b::Snippet
    );
    export_call!(
        /// `recommend-size`: a size for a use case (no network).
        recommend_size => call_recommend_size(request: b::SizingRequest) -> b::SizingAdvice
    );
    export_call!(
        /// `recommend-storage`: volume or blob storage (no network).
        recommend_storage => call_recommend_storage(needs: b::StorageNeeds) -> b::StorageAdvice
    );
    export_call!(
        /// `static-volume-recipe`: PV YAML, manifest and steps (no network).
        static_volume_recipe => call_static_volume_recipe(request: &b::StaticVolumeRequest) -> b::StaticVolumePlan
    );
    export_call!(
        /// `cache-volume-snippet`: the LLM cache volume block (no network).
        cache_volume_snippet => call_cache_volume_snippet(request: &b::CacheVolumeRequest) -> b::Snippet
    );

    /// Destinations the outbound policy refused, in order.
    pub fn denied_requests(&self) -> Vec<String> {
        self.denied.lock().map(|d| d.clone()).unwrap_or_default()
    }

    /// Whatever the guest wrote to stderr (normally nothing).
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.stderr.contents()).into_owned()
    }
}
