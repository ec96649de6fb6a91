//! Test only: the layers the crate documents are the layers the code has. Reads every source
//! file, takes the `crate::…` and `super::…` paths in its code (not its comments or test
//! module), and checks that
//! each top-level module uses only the modules below it and that no module (file) depends,
//! directly or through others, on itself.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::string::{String, ToString};
use std::vec::Vec;
use std::{format, fs};

/// Top-level modules from the bottom up; each may use only those before it.
const LAYERS: [&str; 12] = [
    "vocabulary",
    "error",
    "model",
    "input",
    "api",
    "offline",
    "redact",
    "client",
    "gateway",
    "native",
    "testing",
    "wasm",
];

/// Module path (`client::read`) → source text without its test module.
fn modules() -> BTreeMap<String, String> {
    fn walk(dir: &Path, prefix: &[String], out: &mut BTreeMap<String, String>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let stem = path.file_stem().unwrap().to_str().unwrap().to_string();
            if path.is_dir() {
                let mut inner = prefix.to_vec();
                inner.push(stem);
                walk(&path, &inner, out);
                continue;
            }
            let mut name = prefix.to_vec();
            if !matches!(stem.as_str(), "mod" | "lib") {
                name.push(stem.clone());
            }
            // Unit tests may reach anything; they are not part of the layering.
            if stem == "tests" || stem == "layering" {
                continue;
            }
            let text = fs::read_to_string(&path).unwrap();
            let code = match text.find("#[cfg(test)]\nmod tests") {
                Some(at) => &text[..at],
                None => &text,
            };
            // Comments (doc links included) are not dependencies.
            let code: String = code
                .lines()
                .filter(|line| !line.trim_start().starts_with("//"))
                .map(|line| format!("{line}\n"))
                .collect();
            out.insert(name.join("::"), code);
        }
    }
    let mut out = BTreeMap::new();
    walk(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &[],
        &mut out,
    );
    out
}

/// The modules `code` (of module `name`) refers to, resolved to the deepest module that
/// exists.
fn references(name: &str, code: &str, known: &BTreeSet<String>) -> BTreeSet<String> {
    let mut parent: Vec<String> = name
        .split("::")
        .filter(|part| !part.is_empty())
        .map(str::to_string)
        .collect();
    parent.pop();
    let mut found = BTreeSet::new();
    for (anchor, base) in [("crate::", Vec::new()), ("super::", parent)] {
        for (at, _) in code.match_indices(anchor) {
            let mut path = base.clone();
            // Follow `a::b::c` while the segments are module-like names.
            for segment in code[at + anchor.len()..].split("::") {
                let ident: String = segment
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_')
                    .collect();
                if ident.is_empty() {
                    break;
                }
                let whole = ident.len() == segment.len();
                path.push(ident);
                if !whole {
                    break;
                }
            }
            while !path.is_empty() {
                let candidate = path.join("::");
                if known.contains(&candidate) {
                    if candidate != name {
                        found.insert(candidate);
                    }
                    break;
                }
                path.pop();
            }
        }
    }
    found
}

fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let modules = modules();
    let known: BTreeSet<String> = modules.keys().cloned().collect();
    modules
        .iter()
        .map(|(name, code)| (name.clone(), references(name, code, &known)))
        .collect()
}

fn layer(module: &str) -> usize {
    let top = module.split("::").next().unwrap();
    LAYERS
        .iter()
        .position(|layer| *layer == top)
        .unwrap_or_else(|| panic!("module `{module}` is in no layer; add it to LAYERS"))
}

#[test]
fn each_layer_uses_only_the_layers_below_it() {
    let mut violations = Vec::new();
    for (module, uses) in graph() {
        if module.is_empty() {
            continue; // lib.rs re-exports the public surface.
        }
        for used in uses {
            if layer(&used) > layer(&module) {
                violations.push(format!("{module} -> {used}"));
            }
        }
    }
    assert!(violations.is_empty(), "upward uses: {violations:#?}");
}

#[test]
fn no_module_depends_on_itself_through_others() {
    let graph = graph();
    // Depth-first search with colours: a grey node reached again closes a cycle.
    fn visit<'a>(
        node: &'a str,
        graph: &'a BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<&'a str, bool>,
        stack: &mut Vec<&'a str>,
    ) -> Option<Vec<String>> {
        match state.get(node) {
            Some(true) => return None,
            Some(false) => {
                let from = stack.iter().position(|n| *n == node).unwrap();
                let mut cycle: Vec<String> = stack[from..].iter().map(|n| n.to_string()).collect();
                cycle.push(node.to_string());
                return Some(cycle);
            }
            None => {}
        }
        state.insert(node, false);
        stack.push(node);
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, state, stack) {
                return Some(cycle);
            }
        }
        stack.pop();
        state.insert(node, true);
        None
    }
    let mut state = BTreeMap::new();
    for node in graph.keys() {
        if node.is_empty() {
            continue;
        }
        let mut stack = Vec::new();
        if let Some(cycle) = visit(node, &graph, &mut state, &mut stack) {
            panic!("module cycle: {}", cycle.join(" -> "));
        }
    }
}

#[test]
fn the_graph_sees_the_uses_it_checks() {
    // The checks above pass vacuously if parsing finds nothing: pin known edges.
    let graph = graph();
    assert!(graph["client::session"].contains("api::retry"));
    assert!(graph["client::create"].contains("client::read"));
    assert!(graph["api::decode"].contains("api::wire"));
    assert!(graph["offline::cache_volume"].contains("offline::advice"));
    assert!(graph["wasm::export::interface"].contains("wasm::export::convert"));
}
