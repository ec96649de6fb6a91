//! The words each surface uses for the same things, in one table.
//!
//! Every text the core writes (problems, fixes, plan summaries, warnings) names functions and
//! fields the way the `volumes` interface does, always between backticks: "call `get`",
//! "`workspace-fqn`", "`replace-failed`". Each edge renders those texts for its own callers
//! with [`translate`]: the tool builds, the gateway and the command line each name their own
//! tools, routes, parameters and flags, and a build that lacks a function says so instead of
//! naming one the caller cannot call. [`field`] does the same for the bare field name an
//! `invalid-input` error carries.

use alloc::format;
use alloc::string::{String, ToString};

/// Where a caller stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Surface {
    /// The `volumes` interface (world `full-access`), and the core used as a library.
    Interface,
    /// The agent tools of world `tools`.
    Tools,
    /// The agent tools of world `read-only-tools`: no function that changes anything.
    ReadOnlyTools,
    /// The `tfy-volumes` command line.
    Cli,
    /// The HTTP API of the gateway build.
    Gateway,
}

/// One thing texts name, in each surface's words. An empty word means the surface has no
/// such thing; texts then say where it is instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Term {
    /// As the `volumes` interface names it: the key texts are written with.
    pub interface: &'static str,
    /// As the agent tools name it.
    pub tools: &'static str,
    /// As the command line names it.
    pub cli: &'static str,
    /// As the gateway's HTTP API names it.
    pub gateway: &'static str,
    /// Whether it changes something (and so is missing from the read-only tools).
    pub writes: bool,
}

impl Term {
    /// The word on `surface`, or `None` when the surface has no such thing.
    pub fn word(&self, surface: Surface) -> Option<&'static str> {
        let word = match surface {
            Surface::Interface => self.interface,
            Surface::Tools => self.tools,
            Surface::ReadOnlyTools if self.writes => "",
            Surface::ReadOnlyTools => self.tools,
            Surface::Cli => self.cli,
            Surface::Gateway => self.gateway,
        };
        (!word.is_empty()).then_some(word)
    }
}

const fn function(
    interface: &'static str,
    tools: &'static str,
    cli: &'static str,
    gateway: &'static str,
    writes: bool,
) -> Term {
    Term {
        interface,
        tools,
        cli,
        gateway,
        writes,
    }
}

const fn field(
    interface: &'static str,
    tools: &'static str,
    cli: &'static str,
    gateway: &'static str,
) -> Term {
    Term {
        interface,
        tools,
        cli,
        gateway,
        writes: false,
    }
}

/// Every function and field a text may name. The tools take the create settings as
/// interview answers, so their words for the create fields are the answers' fields.
pub const TERMS: &[Term] = &[
    // Functions.
    function(
        "plan",
        "volume-interview",
        "tfy-volumes plan",
        "POST /plan",
        false,
    ),
    function(
        "preflight",
        "volume-interview",
        "tfy-volumes preflight",
        "POST /preflight",
        false,
    ),
    function(
        "interview",
        "volume-interview",
        "",
        "POST /interview",
        false,
    ),
    function(
        "create",
        "create-volume",
        "tfy-volumes create",
        "POST /workspaces/{workspace}/volumes",
        true,
    ),
    function(
        "list-volumes",
        "list-volumes",
        "tfy-volumes list",
        "GET /workspaces/{workspace}/volumes",
        false,
    ),
    function(
        "get",
        "get-volume",
        "tfy-volumes get",
        "GET /volumes/{volume}",
        false,
    ),
    function(
        "status",
        "volume-status",
        "tfy-volumes status",
        "GET /volumes/{volume}/status",
        false,
    ),
    function(
        "wait",
        "wait-for-volume",
        "tfy-volumes wait",
        "POST /volumes/{volume}/wait",
        false,
    ),
    function(
        "expand",
        "expand-volume",
        "tfy-volumes expand",
        "POST /volumes/{volume}/expand",
        true,
    ),
    function(
        "delete",
        "delete-volume",
        "tfy-volumes delete",
        "DELETE /volumes/{volume}",
        true,
    ),
    function(
        "storage-classes",
        "list-storage-classes",
        "tfy-volumes storage-classes",
        "GET /workspaces/{workspace}/storage-classes",
        false,
    ),
    function(
        "mount-snippet",
        "volume-mount-snippet",
        "tfy-volumes mount-snippet",
        "POST /mount-snippets",
        false,
    ),
    function(
        "recommend-size",
        "recommend-model-cache-size",
        "tfy-volumes recommend-size",
        "POST /sizing",
        false,
    ),
    function(
        "static-volume-recipe",
        "aws-efs-volume-recipe",
        "tfy-volumes static-volume",
        "POST /static-volume-recipes",
        false,
    ),
    // Fields of the requests.
    field(
        "workspace-fqn",
        "workspace-fqn",
        "--workspace",
        "workspace-fqn",
    ),
    field("name", "name", "--name", "name"),
    field("kind", "kind", "--persistent-volume", "kind"),
    field("size-gi", "size-gi", "--size-gi", "size-gi"),
    field(
        "storage-class",
        "storage-class",
        "--storage-class",
        "storage-class",
    ),
    field(
        "persistent-volume-name",
        "persistent-volume",
        "--persistent-volume",
        "persistent-volume-name",
    ),
    field(
        "browser.host",
        "browser-host",
        "--browser-host",
        "browser.host",
    ),
    field(
        "browser.path",
        "browser-path",
        "--browser-path",
        "browser.path",
    ),
    field(
        "browser.username",
        "browser-username",
        "--browser-username",
        "browser.username",
    ),
    field(
        "browser.password-secret-fqn",
        "browser-password-secret",
        "--browser-password-secret",
        "browser.password-secret-fqn",
    ),
    field(
        "wait.interval-seconds",
        "",
        "--interval",
        "wait.interval-seconds",
    ),
    field(
        "wait.timeout-seconds",
        "",
        "--timeout",
        "wait.timeout-seconds",
    ),
    field(
        "replace-failed",
        "replace-failed",
        "--replace-failed",
        "replace-failed",
    ),
    Term {
        writes: true,
        ..field("new-size-gi", "new-size-gi", "--size-gi", "new-size-gi")
    },
    field(
        "expected-version",
        "",
        "--expected-version",
        "expected-version",
    ),
    Term {
        writes: true,
        ..field("confirm-name", "confirm-name", "", "confirm-name")
    },
    field("volume", "volume", "<volume>", "volume"),
    field("volume-fqn", "volume-fqn", "<volume>", "volume-fqn"),
    field("mount-path", "mount-path", "--mount-path", "mount-path"),
    field("sub-path", "", "--sub-path", "sub-path"),
    field("answers", "answers", "", "answers"),
];

/// The term whose interface word is `word`.
pub fn term(word: &str) -> Option<&'static Term> {
    TERMS.iter().find(|term| term.interface == word)
}

/// `text`, written in the interface's words, in the words of `surface`: each backticked
/// interface name becomes the surface's name; a function the surface lacks (a write, in the
/// read-only tools) is named with where it lives.
pub fn translate(text: &str, surface: Surface) -> String {
    if surface == Surface::Interface {
        return text.to_string();
    }
    // Whole sentences first: the plan's closing one says something else on each surface.
    let closing = text.replace(plan_closing(Surface::Interface), plan_closing(surface));
    let mut out = String::with_capacity(closing.len());
    let mut rest = closing.as_str();
    while let Some(open) = rest.find('`') {
        let Some(length) = rest[open + 1..].find('`') else {
            break;
        };
        let inside = &rest[open + 1..open + 1 + length];
        out.push_str(&rest[..open]);
        match term(inside) {
            Some(term) => out.push_str(&rendered(term, surface)),
            None => {
                out.push('`');
                out.push_str(inside);
                out.push('`');
            }
        }
        rest = &rest[open + length + 2..];
    }
    out.push_str(rest);
    out
}

/// A term, backticked, in the words of `surface`.
fn rendered(term: &Term, surface: Surface) -> String {
    match term.word(surface) {
        Some(word) => format!("`{word}`"),
        None if surface == Surface::ReadOnlyTools => {
            format!(
                "`{}` (in the tools build; this read-only build cannot)",
                term.tools
            )
        }
        None => format!("`{}`", term.interface),
    }
}

/// The name of an `invalid-input` field on `surface` (fields are not backticked).
pub fn field_name(name: &str, surface: Surface) -> String {
    match term(name).and_then(|term| term.word(surface)) {
        Some(word) => word.to_string(),
        None => name.to_string(),
    }
}

/// The sentence that closes a plan's summary, which the user reads: what happens once they
/// agree. A build that cannot create says so instead of offering to.
pub fn plan_closing(surface: Surface) -> &'static str {
    match surface {
        Surface::Interface | Surface::Tools => "Reply yes to create it.",
        Surface::ReadOnlyTools => {
            "It cannot be created from here (this build only reads): create it with these \
             settings from a build that can write, or in the TrueFoundry UI."
        }
        Surface::Cli => "Run `tfy-volumes create` with the same flags to create it.",
        Surface::Gateway => {
            "POST the same request to `/workspaces/{workspace}/volumes` to create it."
        }
    }
}

/// What the agent does with the interview's finished plan.
pub fn interview_next_step(surface: Surface) -> &'static str {
    match surface {
        Surface::Interface | Surface::Cli => {
            "Show `plan.summary` to the user verbatim and ask them to confirm. On yes, call \
             `create` with `request`. To change a setting, add the corrected answer and call \
             `interview` again."
        }
        Surface::Tools => {
            "Show `plan.summary` to the user verbatim and ask them to confirm. On yes, call \
             create-volume with `answers` exactly as they are here. To change a setting, add \
             the corrected answer and call volume-interview again."
        }
        Surface::ReadOnlyTools => {
            "Show `plan.summary` to the user. This build only reads: it cannot create the \
             volume. Whoever creates it (the `tools` build's create-volume takes `answers`, or \
             the TrueFoundry UI) should use exactly these settings. To change a setting, add \
             the corrected answer and call volume-interview again."
        }
        Surface::Gateway => {
            "Show `plan.summary` to the user verbatim and ask them to confirm. On yes, POST \
             `request` to /workspaces/{workspace}/volumes. To change a setting, add the \
             corrected answer and POST /interview again."
        }
    }
}

/// The functions that size a volume for a known use, for the interview's size question.
pub fn sizing_functions(surface: Surface) -> &'static str {
    match surface {
        Surface::Tools | Surface::ReadOnlyTools => {
            "recommend-model-cache-size, recommend-dataset-volume-size or \
             recommend-checkpoint-volume-size"
        }
        Surface::Cli => "`tfy-volumes recommend-size`",
        Surface::Interface | Surface::Gateway => "`recommend-size`",
    }
}

/// The functions that write a PersistentVolume for existing storage, for the interview's
/// PersistentVolume question.
pub fn recipe_functions(surface: Surface) -> &'static str {
    match surface {
        Surface::Tools | Surface::ReadOnlyTools => {
            "aws-efs-volume-recipe, aws-s3-volume-recipe, gcs-volume-recipe, \
             azure-files-volume-recipe or azure-blob-volume-recipe"
        }
        Surface::Cli => "`tfy-volumes static-volume`",
        Surface::Interface | Surface::Gateway => "`static-volume-recipe`",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backticked_interface_names_become_the_surface_names() {
        let text = "Use `get` on `c1:w:data`, or `create` it with `replace-failed` set.";
        assert_eq!(translate(text, Surface::Interface), text);
        assert_eq!(
            translate(text, Surface::Tools),
            "Use `get-volume` on `c1:w:data`, or `create-volume` it with `replace-failed` set."
        );
        assert_eq!(
            translate(text, Surface::Cli),
            "Use `tfy-volumes get` on `c1:w:data`, or `tfy-volumes create` it with \
             `--replace-failed` set."
        );
        assert_eq!(
            translate(text, Surface::ReadOnlyTools),
            "Use `get-volume` on `c1:w:data`, or `create-volume` (in the tools build; this \
             read-only build cannot) it with `replace-failed` set."
        );
    }

    #[test]
    fn the_plans_closing_sentence_fits_the_surface() {
        let summary = format!("Create x.\n{}", plan_closing(Surface::Interface));
        let read_only = translate(&summary, Surface::ReadOnlyTools);
        assert_eq!(
            read_only,
            format!("Create x.\n{}", plan_closing(Surface::ReadOnlyTools))
        );
        assert!(!read_only.contains("create-volume"));
    }

    #[test]
    fn unmatched_backticks_and_values_pass_through() {
        assert_eq!(translate("a `b` c `d", Surface::Cli), "a `b` c `d");
        assert_eq!(field_name("browser.host", Surface::Cli), "--browser-host");
        assert_eq!(field_name("no-such-field", Surface::Tools), "no-such-field");
    }

    #[test]
    fn every_term_is_named_once_by_the_interface() {
        let interface: alloc::vec::Vec<&str> = TERMS.iter().map(|term| term.interface).collect();
        for (index, word) in interface.iter().enumerate() {
            assert!(!interface[..index].contains(word), "`{word}` twice");
        }
    }

    /// The names a world or interface of `wit/` offers: its functions, their parameters, and
    /// the fields of the records they take (`browser.` and `wait.` fields prefixed, as the
    /// validators name them).
    fn wit_names(world_or_interface: &str) -> std::collections::BTreeSet<String> {
        names_in_wit(world_or_interface, false)
    }

    /// [`wit_names`], with the cases of the enums the functions take (the tools take the
    /// create settings as answers named by an enum).
    fn names_in_wit(
        world_or_interface: &str,
        enum_cases: bool,
    ) -> std::collections::BTreeSet<String> {
        use wit_parser::{Resolve, Type, TypeDefKind, WorldItem};
        let mut resolve = Resolve::default();
        let (package, _) = resolve
            .push_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/wit"))
            .unwrap();
        let package = &resolve.packages[package];
        let functions: Vec<wit_parser::Function> = match package.interfaces.get(world_or_interface)
        {
            Some(id) => resolve.interfaces[*id]
                .functions
                .values()
                .cloned()
                .collect(),
            None => {
                let world = &resolve.worlds[package.worlds[world_or_interface]];
                world
                    .exports
                    .values()
                    .filter_map(|item| match item {
                        WorldItem::Function(function) => Some(function.clone()),
                        _ => None,
                    })
                    .collect()
            }
        };
        let mut names = std::collections::BTreeSet::new();
        fn record_fields(
            resolve: &Resolve,
            ty: &Type,
            prefix: &str,
            names: &mut std::collections::BTreeSet<String>,
            enum_cases: bool,
        ) {
            let Type::Id(id) = ty else { return };
            match &resolve.types[*id].kind {
                TypeDefKind::Enum(cases) if enum_cases => {
                    for case in &cases.cases {
                        names.insert(format!("{prefix}{}", case.name));
                    }
                }
                TypeDefKind::List(inner) => {
                    record_fields(resolve, inner, prefix, names, enum_cases)
                }
                TypeDefKind::Record(record) => {
                    for field in &record.fields {
                        names.insert(format!("{prefix}{}", field.name));
                        let nested = match field.name.as_str() {
                            "browser" => "browser.",
                            "wait" => "wait.",
                            _ => prefix,
                        };
                        record_fields(resolve, &field.ty, nested, names, enum_cases);
                    }
                }
                TypeDefKind::Option(inner) | TypeDefKind::Type(inner) => {
                    record_fields(resolve, inner, prefix, names, enum_cases)
                }
                _ => {}
            }
        }
        for function in functions {
            names.insert(function.name.clone());
            for param in &function.params {
                names.insert(param.name.clone());
                record_fields(&resolve, &param.ty, "", &mut names, enum_cases);
            }
        }
        names
    }

    #[test]
    fn the_interface_words_are_the_interfaces_names() {
        let interface = wit_names("volumes");
        for term in TERMS {
            assert!(
                interface.contains(term.interface),
                "`{}` is not a function or field of the volumes interface",
                term.interface
            );
        }
    }

    #[test]
    fn the_tool_words_are_the_tool_worlds_names() {
        let tools = names_in_wit("tools", true);
        let read_only = names_in_wit("read-only-tools", true);
        for term in TERMS {
            for (surface, names) in [
                (Surface::Tools, &tools),
                (Surface::ReadOnlyTools, &read_only),
            ] {
                if let Some(word) = term.word(surface) {
                    assert!(names.contains(word), "`{word}` is not in {surface:?}");
                }
            }
        }
    }

    /// Every backticked token of the core's code (string literals, not comments or tests).
    fn backticked_tokens_in_the_core() -> Vec<(String, String)> {
        fn walk(dir: &std::path::Path, out: &mut Vec<(String, String)>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    // The wasm edges render texts; they do not write any.
                    if !path.ends_with("wasm") {
                        walk(&path, out);
                    }
                    continue;
                }
                let name = path.file_name().unwrap().to_string_lossy().to_string();
                if matches!(
                    name.as_str(),
                    "vocabulary.rs" | "layering.rs" | "tests.rs" | "testing.rs"
                ) {
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                let code = text.split("#[cfg(test)]\nmod tests").next().unwrap();
                for line in code
                    .lines()
                    .filter(|line| !line.trim_start().starts_with("//"))
                {
                    let mut parts = line.split('`');
                    parts.next();
                    while let (Some(inside), Some(_)) = (parts.next(), parts.next()) {
                        out.push((name.clone(), inside.to_string()));
                    }
                }
            }
        }
        let mut out = Vec::new();
        walk(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut out,
        );
        out
    }

    #[test]
    fn every_interface_name_the_core_writes_is_in_the_table() {
        let interface = wit_names("volumes");
        let tokens = backticked_tokens_in_the_core();
        assert!(
            tokens.len() > 50,
            "the scan finds the texts: {}",
            tokens.len()
        );
        let missing: Vec<String> = tokens
            .iter()
            .filter(|(_, token)| interface.contains(token.as_str()) && term(token).is_none())
            .map(|(file, token)| format!("{file}: `{token}`"))
            .collect();
        assert!(missing.is_empty(), "not in TERMS: {missing:#?}");
    }

    #[test]
    fn every_fix_names_only_what_its_surface_has() {
        let interface = wit_names("volumes");
        let mut errors = crate::error::every_variant("what the server said");
        errors.push(crate::Error::TimedOut {
            volume_fqn: "c:w:v".into(),
            last_status: "DELETING".into(),
            waited_seconds: 120,
        });
        for surface in [
            Surface::Tools,
            Surface::ReadOnlyTools,
            Surface::Cli,
            Surface::Gateway,
        ] {
            for error in &errors {
                let fix = translate(&error.fix(), surface);
                let mut parts = fix.split('`');
                parts.next();
                while let (Some(inside), Some(_)) = (parts.next(), parts.next()) {
                    let foreign = interface.contains(inside)
                        && TERMS
                            .iter()
                            .all(|term| term.word(surface) != Some(inside) && term.tools != inside);
                    assert!(!foreign, "{surface:?}: `{inside}` in {fix:?}");
                }
            }
        }
    }
}
