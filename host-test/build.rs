//! Builds the truefoundry-volumes component once per host build and tells the host where it is.
//!
//! A nested `cargo build --release --target wasm32-wasip2` of the root package, in its own
//! target directory so it neither fights the outer build's lock nor inherits its native
//! flags. Adds the `wasm32-wasip2` target through rustup first when it is missing, so a fresh
//! machine needs nothing but the Rust toolchain.

use std::env;
use std::path::{Path, PathBuf};
use std::process::Command;

const TARGET: &str = "wasm32-wasip2";

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
    let wasm = build_component(&root, &target_dir);
    println!("cargo:rustc-env=VOLUMES_COMPONENT_WASM={}", wasm.display());
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

fn build_component(root: &Path, target_dir: &Path) -> PathBuf {
    let cargo = env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let mut command = Command::new(cargo);
    command
        .current_dir(root)
        .args([
            "build",
            "--release",
            "--package",
            "truefoundry-volumes",
            "--lib",
        ])
        .args(["--target", TARGET])
        .arg("--target-dir")
        .arg(target_dir);
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
        .join("release")
        .join("truefoundry_volumes.wasm");
    assert!(
        wasm.exists(),
        "the component was not produced at {}",
        wasm.display()
    );
    wasm
}
