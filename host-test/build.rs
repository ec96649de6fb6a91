//! Builds the truefoundry-volumes component once per host build, in its four worlds (three
//! of `wit/` and `wasi:http/proxy`), and tells the host where they are.
//!
//! A nested `cargo build --release --target wasm32-wasip2` of the root package, in its own
//! target directory so it neither fights the outer build's lock nor inherits its native
//! flags; it adds the `wasm32-wasip2` target through rustup first when it is missing, so a
//! fresh machine needs nothing but the Rust toolchain. Each artifact then gets its metadata
//! (name, version, description, license, source, homepage) and, for the tool worlds, the WIT
//! documentation as a `package-docs` section, which agent hosts turn into tool descriptions.

use std::env;
use std::path::{Path, PathBuf};
use std::process::Command;

use wasm_encoder::{ComponentSection, CustomSection};
use wasm_metadata::{
    AddMetadata, AddMetadataField, Description, Homepage, Licenses, Source, Version,
};
use wit_parser::{PackageMetadata, Resolve};

const TARGET: &str = "wasm32-wasip2";

/// One component build.
struct Variant {
    /// Cargo feature; none for the default world.
    feature: Option<&'static str>,
    /// The WIT world it targets.
    world: &'static str,
    /// Cargo profile: `release` optimizes for size (a tool is loaded once per call and
    /// shipped to every agent host), `gateway` for speed (a gateway compiles once and runs
    /// every request; opt-level 3 makes it about 260 KB larger, 858 KB, and took our host's
    /// `--bench gateway` from about 1.5× native to 1.15× for `list`).
    profile: &'static str,
    /// File name under `target/component/`.
    file: &'static str,
    /// The variable the host reads the path from.
    variable: &'static str,
}

const VARIANTS: [Variant; 4] = [
    Variant {
        feature: None,
        world: "full-access",
        profile: "release",
        file: "truefoundry-volumes.wasm",
        variable: "VOLUMES_COMPONENT_WASM",
    },
    Variant {
        feature: Some("tools"),
        world: "tools",
        profile: "release",
        file: "truefoundry-volumes-tools.wasm",
        variable: "VOLUMES_TOOLS_WASM",
    },
    Variant {
        feature: Some("read-only-tools"),
        world: "read-only-tools",
        profile: "release",
        file: "truefoundry-volumes-read-only-tools.wasm",
        variable: "VOLUMES_READ_ONLY_TOOLS_WASM",
    },
    // The `wasi:http/proxy` world (from the `wasi` crate, not `wit/`): the HTTP API.
    Variant {
        feature: Some("gateway"),
        world: "gateway",
        profile: "gateway",
        file: "truefoundry-volumes-gateway.wasm",
        variable: "VOLUMES_GATEWAY_WASM",
    },
];

fn main() {
    let manifest_dir = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let root = manifest_dir
        .parent()
        .expect("host-test lives inside the workspace root")
        .to_path_buf();
    for watched in ["src", "wit", "Cargo.toml", "Cargo.lock"] {
        println!("cargo:rerun-if-changed={}", root.join(watched).display());
    }

    ensure_wasm_target();
    let target_dir = component_target_dir(&root);
    for variant in VARIANTS {
        let built = build_component(&root, &target_dir, &variant);
        let bytes = std::fs::read(&built).expect("the component was just built");
        let finished = finish(&root, &bytes, variant.world);
        let out = target_dir.join(variant.file);
        std::fs::write(&out, finished)
            .unwrap_or_else(|error| panic!("cannot write {}: {error}", out.display()));
        println!("cargo:rustc-env={}={}", variant.variable, out.display());
    }
}

/// `<workspace target dir>/component`, shared by debug and release host builds.
fn component_target_dir(root: &Path) -> PathBuf {
    let outer = env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|dir| {
            if dir.is_relative() {
                root.join(dir)
            } else {
                dir
            }
        })
        .unwrap_or_else(|| root.join("target"));
    outer.join("component")
}

fn rustc() -> String {
    env::var("RUSTC").unwrap_or_else(|_| "rustc".to_string())
}

/// Adds the wasm32-wasip2 standard library through rustup when this toolchain lacks it.
fn ensure_wasm_target() {
    let libdir = Command::new(rustc())
        .args(["--print", "target-libdir", "--target", TARGET])
        .output()
        .ok()
        .filter(|output| output.status.success())
        .map(|output| PathBuf::from(String::from_utf8_lossy(&output.stdout).trim()));
    if libdir.as_deref().is_some_and(Path::exists) {
        return;
    }
    println!("cargo:warning=adding the {TARGET} target with rustup (one time)");
    let status = Command::new("rustup")
        .args(["target", "add", TARGET])
        .status()
        .unwrap_or_else(|error| {
            panic!("the {TARGET} target is missing and rustup could not be run ({error}); install it with `rustup target add {TARGET}`")
        });
    assert!(
        status.success(),
        "`rustup target add {TARGET}` failed; run it by hand and build again"
    );
}

/// Builds `variant` and returns where cargo put it (the same path for
/// every feature: copy it before the next build).
fn build_component(root: &Path, target_dir: &Path, variant: &Variant) -> PathBuf {
    let cargo = env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let mut command = Command::new(cargo);
    command
        .current_dir(root)
        .args(["build", "--profile", variant.profile, "--package"])
        .args(["truefoundry-volumes", "--lib"])
        .args(["--target", TARGET])
        .arg("--target-dir")
        .arg(target_dir);
    if let Some(feature) = variant.feature {
        command.args(["--features", feature]);
    }
    // The outer build's flags and wrappers target the native host, not wasm.
    for variable in [
        "CARGO_ENCODED_RUSTFLAGS",
        "RUSTFLAGS",
        "CARGO_BUILD_RUSTFLAGS",
        "RUSTC_WORKSPACE_WRAPPER",
        "RUSTC_WRAPPER",
        "CARGO_BUILD_TARGET",
        "CARGO_TARGET_DIR",
        "CARGO_PRIMARY_PACKAGE",
    ] {
        command.env_remove(variable);
    }
    let status = command
        .status()
        .unwrap_or_else(|error| panic!("could not run cargo to build the component: {error}"));
    assert!(
        status.success(),
        "building the component failed (see above)"
    );
    let wasm = target_dir
        .join(TARGET)
        .join(variant.profile)
        .join("truefoundry_volumes.wasm");
    assert!(
        wasm.exists(),
        "the component was not produced at {}",
        wasm.display()
    );
    wasm
}

/// The component's description in registries and `wasm-tools metadata show`.
const DESCRIPTION: &str =
    "Manage TrueFoundry persistent volumes (plan, create, list, inspect, expand, \
     follow deployments, mount snippets, storage advice) through wasi:http. Needs TFY_BASE_URL \
     and TFY_API_KEY and outbound HTTPS to that control plane only.";
/// The gateway build's description: the same operations, as an HTTP API.
const GATEWAY_DESCRIPTION: &str =
    "The TrueFoundry volume API over HTTP (wasi:http/proxy): list, create, get, wait, expand, \
     delete, plan, storage advice and snippets as JSON, each caller with its own Bearer key. \
     Needs TFY_BASE_URL and outbound HTTPS to that control plane only.";
/// Where the source lives; also its home page.
const REPOSITORY: &str = "https://github.com/truefoundry-volumes/truefoundry-volumes";

/// Adds the name, the OCI-style metadata sections and, for worlds whose exports are
/// top-level functions, the WIT documentation.
fn finish(root: &Path, component: &[u8], world: &str) -> Vec<u8> {
    let mut bytes = component_metadata(world)
        .to_wasm(component)
        .unwrap_or_else(|error| panic!("cannot add metadata to the {world} component: {error:#}"));
    // The gateway's world is `wasi:http/proxy`, whose docs are WASI's, not ours.
    if !matches!(world, "full-access" | "gateway") {
        let docs = tool_docs(root, world);
        CustomSection {
            name: PackageMetadata::SECTION_NAME.into(),
            data: docs.into(),
        }
        .append_to_component(&mut bytes);
    }
    bytes
}

/// The name, producer and OCI annotations (version, description, licenses, source, homepage)
/// of the `world` build; `wasm-metadata` checks the license is SPDX and the URLs parse.
fn component_metadata(world: &str) -> AddMetadata {
    // `AddMetadata` is non-exhaustive: start from the default and set what we add.
    let mut add = AddMetadata::default();
    add.name = AddMetadataField::Set(format!("truefoundry-volumes-{world}"));
    add.processed_by = vec![(
        "truefoundry-volumes-build".to_string(),
        env!("CARGO_PKG_VERSION").to_string(),
    )];
    add.version = AddMetadataField::Set(Version::new(env!("CARGO_PKG_VERSION")));
    let description = match world {
        "gateway" => GATEWAY_DESCRIPTION,
        _ => DESCRIPTION,
    };
    add.description = AddMetadataField::Set(Description::new(description));
    let license = env!("CARGO_PKG_LICENSE");
    add.licenses = AddMetadataField::Set(
        Licenses::new(license)
            .unwrap_or_else(|error| panic!("{license:?} is not an SPDX expression: {error:#}")),
    );
    add.source = AddMetadataField::Set(
        Source::new(REPOSITORY)
            .unwrap_or_else(|error| panic!("{REPOSITORY:?} is not a URL: {error:#}")),
    );
    add.homepage = AddMetadataField::Set(
        Homepage::new(REPOSITORY)
            .unwrap_or_else(|error| panic!("{REPOSITORY:?} is not a URL: {error:#}")),
    );
    add
}

/// The `package-docs` section for a component whose root world is `world`: decoders name a
/// component's world `root` in package `root:component`, so the docs are those of a world
/// `root` that includes ours.
fn tool_docs(root: &Path, world: &str) -> Vec<u8> {
    let mut resolve = Resolve::default();
    let (package, _) = resolve
        .push_dir(root.join("wit"))
        .unwrap_or_else(|error| panic!("cannot parse wit/: {error:#}"));
    let name = resolve.packages[package].name.clone();
    let version = name.version.map(|v| format!("@{v}")).unwrap_or_default();
    let wrapper = format!(
        "package root:component;\nworld root {{\n    include {}:{}/{world}{version};\n}}\n",
        name.namespace, name.name
    );
    let wrapper = resolve
        .push_str("root.wit", &wrapper)
        .unwrap_or_else(|error| panic!("cannot wrap world {world}: {error:#}"));
    PackageMetadata::extract(&resolve, wrapper)
        .encode()
        .unwrap_or_else(|error| panic!("cannot encode the docs of {world}: {error:#}"))
}
