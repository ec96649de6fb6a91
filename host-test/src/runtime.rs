//! Loads the component into wasmtime once, and runs sandboxed instances of it: WASI limited
//! to two environment variables, wasi:http limited to one origin, memory capped, and every
//! call bounded in time — even a guest spinning in pure wasm is stopped, through epochs.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use wasmtime::component::{Component, Linker, ResourceTable};
use wasmtime::{Config, Engine, Store, UpdateDeadline};
use wasmtime_wasi::p2::pipe::MemoryOutputPipe;
use wasmtime_wasi::{WasiCtx, WasiCtxView, WasiView};
use wasmtime_wasi_http::{WasiHttpCtx, WasiHttpCtxView, WasiHttpView};

use crate::allowlist::{AllowOnly, Origin};
use crate::bindings::{self as b, FullAccess, FullAccessPre};
use crate::grant::Grant;
use crate::limits::{CallDeadline, Limits, MemoryLimiter};
use crate::outbound::Outbound;

/// Path of the component built by `build.rs` (release, wasm32-wasip2, world `full-access`)
/// in the build tree; a binary that must run anywhere uses [`crate::components`] instead.
pub const COMPONENT_WASM: &str = env!("VOLUMES_COMPONENT_WASM");
/// Path of the `tools` build: every function as a top-level export.
pub const TOOLS_WASM: &str = env!("VOLUMES_TOOLS_WASM");
/// Path of the `read-only-tools` build: the tools that cannot change anything.
pub const READ_ONLY_TOOLS_WASM: &str = env!("VOLUMES_READ_ONLY_TOOLS_WASM");
/// Path of the `gateway` build: the HTTP API as `wasi:http/incoming-handler`.
pub const GATEWAY_WASM: &str = env!("VOLUMES_GATEWAY_WASM");

/// Most bytes of guest stderr kept for diagnostics.
const STDERR_CAPACITY: usize = 64 * 1024;
/// How often the epoch advances: the granularity at which a running guest yields to the
/// executor and its deadline is checked.
pub const EPOCH_TICK: Duration = Duration::from_millis(10);

/// A compiled component, ready to instantiate many times. Cheap to clone.
#[derive(Clone)]
pub struct Runtime {
    engine: Engine,
    pre: FullAccessPre<HostState>,
    linker: Linker<HostState>,
    limits: Limits,
    outbound: Outbound,
}

impl Runtime {
    /// Compiles the component that `build.rs` built, read from the build tree, with the
    /// default [`Limits`] and the build tree's code cache.
    pub fn new() -> wasmtime::Result<Runtime> {
        Self::from_file(Path::new(COMPONENT_WASM), Limits::default())
    }

    /// Compiles the component that `build.rs` built, with `limits`.
    pub fn with_limits(limits: Limits) -> wasmtime::Result<Runtime> {
        Self::from_file(Path::new(COMPONENT_WASM), limits)
    }

    /// Compiles the component at `path`, with the build tree's code cache.
    pub fn from_file(path: &Path, limits: Limits) -> wasmtime::Result<Runtime> {
        let bytes = std::fs::read(path).map_err(|error| {
            wasmtime::Error::msg(format!("cannot read {}: {error}", path.display()))
        })?;
        Self::from_bytes(&bytes, limits)
    }

    /// Compiles a component from its bytes, with the build tree's code cache (compiled code
    /// then survives between test binaries and runs).
    pub fn from_bytes(bytes: &[u8], limits: Limits) -> wasmtime::Result<Runtime> {
        Self::compile(bytes, limits, build_tree_cache())
    }

    /// Compiles a component from its bytes, keeping the machine code in `cache` (see
    /// [`code_cache`]) or, with `None`, compiling on every run.
    pub fn compile(
        bytes: &[u8],
        limits: Limits,
        cache: Option<wasmtime::Cache>,
    ) -> wasmtime::Result<Runtime> {
        let engine = engine(&limits, cache)?;
        let component = Component::new(&engine, bytes)?;
        let linker = linker(&engine)?;
        let pre = FullAccessPre::new(linker.instantiate_pre(&component)?)?;
        Ok(Runtime {
            engine,
            pre,
            linker,
            outbound: Outbound::new(&limits),
            limits,
        })
    }

    /// The limits every instance gets.
    pub fn limits(&self) -> Limits {
        self.limits
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
        let mut store = self.sandbox(grant, allowed);
        let denied = store.data().hooks.denied();
        let stderr = store.data().stderr.clone();
        let bindings = self.pre.instantiate_async(&mut store).await?;
        Ok(Volumes {
            store,
            bindings,
            denied,
            stderr,
            limits: self.limits,
        })
    }

    /// A store with this runtime's sandbox (two environment variables, one origin, the
    /// limits), for running other components, such as the tool-world builds, with
    /// [`Runtime::linker`].
    pub fn sandbox(&self, grant: &Grant, allowed: Option<Origin>) -> Store<HostState> {
        sandbox(
            &self.engine,
            &grant.environment(),
            allowed,
            self.limits,
            &self.outbound,
        )
    }

    /// The linker with WASI and wasi:http, for [`Runtime::sandbox`] stores.
    pub fn linker(&self) -> &Linker<HostState> {
        &self.linker
    }
}

/// A linker with WASI and wasi:http, for stores made by [`sandbox`].
pub(crate) fn linker(engine: &Engine) -> wasmtime::Result<Linker<HostState>> {
    let mut linker = Linker::<HostState>::new(engine);
    wasmtime_wasi::p2::add_to_linker_async(&mut linker)?;
    wasmtime_wasi_http::p2::add_only_http_to_linker_async(&mut linker)?;
    Ok(linker)
}

/// A store whose instance sees exactly `environment`, may reach only `allowed` (nothing
/// when `None`) through `outbound`, and is held to `limits`' memory and to the deadline set
/// on its [`HostState`].
pub(crate) fn sandbox(
    engine: &Engine,
    environment: &[(&str, &str)],
    allowed: Option<Origin>,
    limits: Limits,
    outbound: &Outbound,
) -> Store<HostState> {
    let stderr = MemoryOutputPipe::new(STDERR_CAPACITY);
    let wasi = WasiCtx::builder()
        .envs(environment)
        .stderr(stderr.clone())
        .allow_tcp(false)
        .allow_udp(false)
        .allow_ip_name_lookup(false)
        .build();
    let state = HostState {
        wasi,
        http: WasiHttpCtx::new(),
        table: ResourceTable::new(),
        hooks: AllowOnly::new(
            allowed,
            Arc::new(Mutex::new(Vec::new())),
            limits,
            outbound.clone(),
        ),
        memory: MemoryLimiter::new(limits.memory_bytes),
        deadline: None,
        stderr,
    };
    let mut store = Store::new(engine, state);
    store.limiter(|state| &mut state.memory);
    stop_at_deadline(&mut store, |state| state.deadline);
    store
}

/// The store's data: WASI and wasi:http contexts plus the sandbox's policy.
pub struct HostState {
    wasi: WasiCtx,
    http: WasiHttpCtx,
    table: ResourceTable,
    hooks: AllowOnly,
    memory: MemoryLimiter,
    /// When the current call must end.
    deadline: Option<Instant>,
    stderr: MemoryOutputPipe,
}

impl HostState {
    /// Destinations the outbound policy refused, in order.
    pub fn denied_requests(&self) -> Vec<String> {
        self.hooks
            .denied()
            .lock()
            .map(|d| d.clone())
            .unwrap_or_default()
    }

    /// Whatever the guest wrote to stderr (normally nothing).
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.stderr.contents()).into_owned()
    }

    /// Sets when the current call must end; a guest running past it is interrupted.
    pub fn set_deadline(&mut self, deadline: Option<Instant>) {
        self.deadline = deadline;
    }
}

/// Every epoch tick, a running guest yields to the executor (so timers and other tasks run),
/// and it is interrupted with a trap once the deadline `deadline_of` reads has passed.
fn stop_at_deadline<T: Send + 'static>(
    store: &mut Store<T>,
    deadline_of: fn(&T) -> Option<Instant>,
) {
    store.set_epoch_deadline(1);
    store.epoch_deadline_callback(move |store| match deadline_of(store.data()) {
        Some(deadline) if Instant::now() >= deadline => Ok(UpdateDeadline::Interrupt),
        _ => Ok(UpdateDeadline::Yield(1)),
    });
}

/// A cache of compiled machine code in `directory`, created if missing. Compiling the
/// component takes about a second in a debug host; loading it from the cache milliseconds.
pub fn code_cache(directory: &Path) -> wasmtime::Result<wasmtime::Cache> {
    let mut config = wasmtime::CacheConfig::new();
    config.with_directory(directory);
    wasmtime::Cache::new(config)
}

/// The cache next to the built components, for tests and benchmarks run from the build tree;
/// none when it cannot be used (everything still works, only slower).
pub(crate) fn build_tree_cache() -> Option<wasmtime::Cache> {
    let directory = Path::new(COMPONENT_WASM).parent()?.join("wasmtime-cache");
    code_cache(&directory).ok()
}

/// Bytes of each pooled linear memory zeroed in place rather than returned to the kernel:
/// well above the components' initial 1.1 MiB (18 pages) and what one call adds to it.
const KEEP_RESIDENT_BYTES: usize = 4 << 20;

/// The same for each pooled table.
const KEEP_RESIDENT_TABLE_BYTES: usize = 64 << 10;

/// An engine with epoch interruption and `cache`, and a thread advancing its epoch for as
/// long as the engine lives.
pub(crate) fn engine(limits: &Limits, cache: Option<wasmtime::Cache>) -> wasmtime::Result<Engine> {
    let mut config = Config::new();
    config.epoch_interruption(true);
    // `TFY_VOLUMES_PERFMAP=1` writes /tmp/perf-<pid>.map so `perf report` names guest code.
    if std::env::var_os("TFY_VOLUMES_PERFMAP").is_some() {
        config.profiler(wasmtime::ProfilingStrategy::PerfMap);
    }
    if let Some(slots) = limits.pooled_instances {
        let mut pool = wasmtime::PoolingAllocationConfig::new();
        // The component is one component instance of a few core instances and one memory.
        pool.total_component_instances(slots)
            .total_core_instances(slots * 4)
            .total_memories(slots)
            .total_tables(slots * 2)
            .total_stacks(slots)
            .max_memory_size(limits.memory_bytes);
        // A fresh instance per request would otherwise return each slot's pages with
        // `madvise`, and the TLB shootdowns that follow cost about a third of a gateway
        // request's time in `--bench gateway`. Zeroing the first pages in place (only those
        // touched, where the kernel can scan them) keeps them mapped for the next instance.
        pool.linear_memory_keep_resident(KEEP_RESIDENT_BYTES)
            .table_keep_resident(KEEP_RESIDENT_TABLE_BYTES)
            .pagemap_scan(wasmtime::Enabled::Auto);
        config.allocation_strategy(wasmtime::InstanceAllocationStrategy::Pooling(pool));
    }
    config.cache(cache);
    let engine = Engine::new(&config)?;
    let weak = engine.weak();
    std::thread::Builder::new()
        .name("wasmtime-epoch".into())
        .spawn(move || {
            while let Some(engine) = weak.upgrade() {
                engine.increment_epoch();
                drop(engine);
                std::thread::sleep(EPOCH_TICK);
            }
        })
        .map_err(|error| wasmtime::Error::msg(format!("cannot start the epoch thread: {error}")))?;
    Ok(engine)
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
    limits: Limits,
}

/// What an export returns: the component's result, inside the host's.
pub type Outcome<T> = wasmtime::Result<Result<T, crate::bindings::VolumeError>>;

/// How long `delete` follows a deletion (the component's own bound), for the call budget.
const DELETE_WAIT: b::WaitOptions = b::WaitOptions {
    interval_seconds: None,
    timeout_seconds: Some(120),
};

/// Seconds a call may spend waiting for a deployment, from its wait options.
fn waiting(options: Option<&b::WaitOptions>) -> Duration {
    options.map_or(Duration::ZERO, |options| {
        Duration::from_secs(u64::from(options.timeout_seconds.unwrap_or(600)))
    })
}

/// The WIT name of an export from its generated method: `call_list_volumes` is
/// `list-volumes`.
fn wit_name(method: &str) -> String {
    method.trim_start_matches("call_").replace('_', "-")
}

/// Whether `error` is the epoch interrupt that [`stop_at_deadline`] raises.
fn interrupted(error: &wasmtime::Error) -> bool {
    error.downcast_ref::<wasmtime::Trap>() == Some(&wasmtime::Trap::Interrupt)
}

macro_rules! export_call {
    ($(#[$doc:meta])* $name:ident => $call:ident($($arg:ident: $ty:ty),*) -> $out:ty $(, waits $wait:expr)?) => {
        $(#[$doc])*
        pub async fn $name(&mut self, $($arg: $ty),*) -> Outcome<$out> {
            #[allow(unused_mut)]
            let mut budget = self.limits.call_timeout;
            $( budget += waiting($wait); )?
            self.store.data_mut().deadline = Some(Instant::now() + budget);
            let exports = self.bindings.truefoundry_volumes_volumes();
            let call = exports.$call(&mut self.store, $($arg),*);
            // The epoch callback stops a guest that computes past the deadline (an interrupt
            // trap); the timeout stops one that waits on the host past it. Either way the
            // caller gets the one typed failure.
            let deadline = || wasmtime::Error::new(CallDeadline {
                function: wit_name(stringify!($call)),
                seconds: budget.as_secs(),
            });
            let result = match tokio::time::timeout(budget, call).await {
                Ok(Err(error)) if interrupted(&error) => Err(deadline()),
                Ok(result) => result,
                Err(_) => Err(deadline()),
            };
            self.store.data_mut().deadline = None;
            result
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
        /// `interview`: the volume interview's next question, or the plan to confirm
        /// (read-only).
        interview => call_interview(answers: &[b::InterviewAnswer]) -> b::InterviewStep
    );
    export_call!(
        /// `create`: creates a volume.
        create => call_create(request: &b::CreateRequest) -> b::Volume,
        waits request.wait.as_ref()
    );
    export_call!(
        /// `list-volumes`: every volume of a workspace.
        list => call_list_volumes(workspace_fqn: &str) -> Vec<b::Volume>
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
        wait => call_wait(volume: &str, options: Option<b::WaitOptions>) -> b::Volume,
        waits Some(&options.unwrap_or(b::WaitOptions { interval_seconds: None, timeout_seconds: None }))
    );
    export_call!(
        /// `expand`: grows a dynamic volume.
        expand => call_expand(request: &b::ExpandRequest) -> b::Volume,
        waits request.wait.as_ref()
    );
    export_call!(
        /// `delete`: deletes a volume whose name the caller repeats, and waits until it is
        /// gone.
        delete => call_delete(volume: &str, confirm_name: &str) -> b::Volume,
        waits Some(&DELETE_WAIT)
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
        static_volume_recipe => call_static_volume_recipe(request: &b::StaticVolumeRequest) -> b::StaticVolumeSetup
    );
    export_call!(
        /// `cache-volume-snippet`: the LLM cache volume block (no network).
        cache_volume_snippet => call_cache_volume_snippet(request: &b::CacheVolumeRequest) -> b::Snippet
    );

    /// Destinations the outbound policy refused, in order.
    pub fn denied_requests(&self) -> Vec<String> {
        self.denied.lock().map(|d| d.clone()).unwrap_or_default()
    }

    /// The largest linear memory this instance reached, in bytes.
    pub fn peak_memory_bytes(&self) -> usize {
        self.store.data().memory.peak()
    }

    /// Whatever the guest wrote to stderr (normally nothing).
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.stderr.contents()).into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_encoder::{
        BlockType, CodeSection, ComponentBuilder, ComponentExportKind, ExportKind, ExportSection,
        Function, FunctionSection, Instruction, Module, TypeSection,
    };

    /// A component exporting `spin: func()`, which loops forever in pure wasm.
    fn spinning_component() -> Vec<u8> {
        let mut module = Module::new();
        let mut types = TypeSection::new();
        types.ty().function([], []);
        module.section(&types);
        let mut functions = FunctionSection::new();
        functions.function(0);
        module.section(&functions);
        let mut exports = ExportSection::new();
        exports.export("spin", ExportKind::Func, 0);
        module.section(&exports);
        let mut code = CodeSection::new();
        let mut body = Function::new([]);
        body.instruction(&Instruction::Loop(BlockType::Empty));
        body.instruction(&Instruction::Br(0));
        body.instruction(&Instruction::End);
        body.instruction(&Instruction::End);
        code.function(&body);
        module.section(&code);

        let mut component = ComponentBuilder::default();
        let core = component.core_module(None, &module);
        let instance = component.core_instantiate(None, core, []);
        let spin = component.core_alias_export(None, instance, "spin", ExportKind::Func);
        let (ty, encoder) = component.type_function(None);
        let mut encoder = encoder;
        encoder
            .params(std::iter::empty::<(&str, wasm_encoder::ComponentValType)>())
            .result(None);
        let lifted = component.lift_func(None, spin, ty, []);
        component.export("spin", ComponentExportKind::Func, lifted, None);
        component.finish()
    }

    #[tokio::test]
    async fn a_spinning_guest_is_stopped_at_its_deadline() {
        let engine = engine(&Limits::default(), None).unwrap();
        let component = Component::new(&engine, spinning_component()).unwrap();
        let linker = Linker::<Option<Instant>>::new(&engine);
        let started = Instant::now();
        let mut store = Store::new(&engine, Some(started + Duration::from_millis(200)));
        stop_at_deadline(&mut store, |deadline| *deadline);
        let instance = linker
            .instantiate_async(&mut store, &component)
            .await
            .unwrap();
        let spin = instance
            .get_typed_func::<(), ()>(&mut store, "spin")
            .unwrap();
        let error = spin.call_async(&mut store, ()).await.unwrap_err();
        let elapsed = started.elapsed();
        assert_eq!(
            error.downcast_ref::<wasmtime::Trap>(),
            Some(&wasmtime::Trap::Interrupt),
            "{error:?}"
        );
        assert!(elapsed >= Duration::from_millis(200), "{elapsed:?}");
        assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
    }
}
