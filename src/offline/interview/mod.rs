//! The volume interview: from whatever the user has answered so far, the next question to
//! ask — or, once nothing is missing, the plan to confirm and the exact arguments `create`
//! takes. Pure: what the control plane said about the workspace, its cluster and the name
//! comes in as [`Facts`] (the client gathers them); each answer is checked as it arrives, and
//! a refused one comes back as its question again with the problem.
//!
//! The questions, in order: workspace, kind, name, (replace-failed, only when the name is
//! held by a volume whose only deployment failed), size and storage class for a dynamic
//! volume or the PersistentVolume for a static one, whether to add a Volume Browser (then
//! its host, path, username and password secret), and whether to wait. The workspace never
//! has a default: the user says which.

mod answers;
mod questions;
#[cfg(test)]
mod tests;

use alloc::boxed::Box;
use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::error::Error;
use crate::input::fqn::WorkspaceFqn;
use crate::input::manifest::{self, ValidCreate};
use crate::input::validate;
use crate::model::{BrowserSettings, CreatePlan, CreateRequest, VolumeKind, WaitOptions};
use crate::offline::plan;
use crate::offline::storage_class::ClusterStorage;
use crate::vocabulary;
pub use crate::vocabulary::Surface;

/// A setting the interview asks about, in the order it asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(
    feature = "json",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "kebab-case")
)]
pub enum Field {
    /// `<cluster>:<workspace>`.
    Workspace,
    /// `dynamic` or `static`.
    Kind,
    /// The volume's name.
    Name,
    /// Dynamic: size in GiB.
    SizeGi,
    /// Dynamic: storage class.
    StorageClass,
    /// Static: the PersistentVolume to wrap.
    PersistentVolume,
    /// `yes` for a Volume Browser.
    Browser,
    /// The browser's host.
    BrowserHost,
    /// The browser's path.
    BrowserPath,
    /// The browser's login name.
    BrowserUsername,
    /// The browser's password secret, or `none`.
    BrowserPasswordSecret,
    /// `yes` to replace a failed volume of the same name.
    ReplaceFailed,
    /// `yes` to wait until the volume runs.
    Wait,
}

impl Field {
    /// Every field, in declaration order.
    pub const ALL: [Field; 13] = [
        Field::Workspace,
        Field::Kind,
        Field::Name,
        Field::SizeGi,
        Field::StorageClass,
        Field::PersistentVolume,
        Field::Browser,
        Field::BrowserHost,
        Field::BrowserPath,
        Field::BrowserUsername,
        Field::BrowserPasswordSecret,
        Field::ReplaceFailed,
        Field::Wait,
    ];

    /// The field's name in the WIT (`size-gi`), which errors name too.
    pub fn name(self) -> &'static str {
        match self {
            Field::Workspace => "workspace",
            Field::Kind => "kind",
            Field::Name => "name",
            Field::SizeGi => "size-gi",
            Field::StorageClass => "storage-class",
            Field::PersistentVolume => "persistent-volume",
            Field::Browser => "browser",
            Field::BrowserHost => "browser-host",
            Field::BrowserPath => "browser-path",
            Field::BrowserUsername => "browser-username",
            Field::BrowserPasswordSecret => "browser-password-secret",
            Field::ReplaceFailed => "replace-failed",
            Field::Wait => "wait",
        }
    }
}

/// One answer the user gave.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "json",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "kebab-case", deny_unknown_fields)
)]
pub struct Answer {
    /// The setting answered.
    pub field: Field,
    /// The answer as text.
    pub value: String,
}

/// One answer to offer the user.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "json",
    derive(serde::Serialize),
    serde(rename_all = "kebab-case")
)]
pub struct Choice {
    /// The answer, exactly as it should come back.
    pub value: String,
    /// What choosing it means.
    pub meaning: String,
}

/// The next question to ask.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "json",
    derive(serde::Serialize),
    serde(rename_all = "kebab-case")
)]
pub struct Question {
    /// The setting it decides.
    pub field: Field,
    /// The question in plain words.
    pub question: String,
    /// What an answer must look like, with an example.
    pub accepts: String,
    /// Answers to offer; empty for free text.
    pub choices: Vec<Choice>,
    /// The answer to propose, if any.
    pub default_answer: Option<String>,
    /// Why that default, or why there is none.
    pub default_reason: String,
    /// Why the answer already given was refused.
    pub problem: Option<String>,
}

/// The end of the interview: the plan to confirm and what `create` takes.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "json",
    derive(serde::Serialize),
    serde(rename_all = "kebab-case")
)]
pub struct InterviewPlan {
    /// The confirmation plan, checked online when the control plane could be reached.
    pub plan: CreatePlan,
    /// The answers the plan rests on, normalized, in interview order.
    pub answers: Vec<Answer>,
    /// The same settings as a create request.
    pub request: CreateRequest,
    /// What to do next, for the surface that asked.
    pub next_step: String,
}

/// Where the interview stands.
// One step is made per call and handed over at once: boxing the plan would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "json",
    derive(serde::Serialize),
    serde(rename_all = "kebab-case")
)]
pub enum Step {
    /// Ask this question next.
    Ask(Question),
    /// Nothing is missing: confirm this plan.
    Confirm(InterviewPlan),
}

/// What the control plane said about the answers so far. The default knows nothing and
/// was not asked (the interview then works offline).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    /// Whether the workspace was read from the control plane.
    pub checked_online: bool,
    /// Why the control plane could not be asked, when it could not (for example no
    /// credentials were granted).
    pub offline_reason: Option<String>,
    /// Why the answered workspace was refused (for example it does not exist).
    pub workspace_problem: Option<String>,
    /// The workspace cluster's storage, or why it could not be read; `None` when not asked.
    pub storage: Option<Result<ClusterStorage, String>>,
    /// Whether the answered name is free.
    pub name: NameCheck,
}

impl Facts {
    /// Nothing known, because the control plane could not be asked, for `reason` (a
    /// sentence without its end, for example a missing variable or header).
    pub fn offline(reason: String) -> Facts {
        Facts {
            offline_reason: Some(reason),
            ..Facts::default()
        }
    }
}

/// Whether the answered name is free in the answered workspace.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum NameCheck {
    /// Not checked.
    #[default]
    Unknown,
    /// No application has it.
    Free,
    /// Taken, and not replaceable: why, to show with the name question.
    Taken(String),
    /// Held by a volume that never ran and whose latest deployment failed: `create` may
    /// replace it when the user says so.
    Replaceable {
        /// The failed volume's application id.
        id: String,
    },
}

/// The answers given so far, one per field: a later answer replaces an earlier one, and
/// surrounding whitespace does not count.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Answers {
    given: BTreeMap<Field, String>,
}

impl Answers {
    /// The answers of `list`, the last one for each field winning.
    pub fn new(list: &[Answer]) -> Self {
        let given = list
            .iter()
            .map(|answer| (answer.field, answer.value.trim().to_string()))
            .collect();
        Answers { given }
    }

    fn get(&self, field: Field) -> Option<&str> {
        self.given.get(&field).map(String::as_str)
    }

    /// The answered workspace, when it is a well-formed FQN the control plane can be asked
    /// about.
    pub fn workspace(&self) -> Option<WorkspaceFqn> {
        WorkspaceFqn::parse(Field::Workspace.name(), self.get(Field::Workspace)?).ok()
    }

    /// The answered name, when it is a valid volume name.
    pub fn name(&self) -> Option<&str> {
        let name = self.get(Field::Name)?;
        validate::volume_name(Field::Name.name(), name).ok()?;
        Some(name)
    }
}

/// The next step of the interview for `answers`, knowing `facts`, phrased for `surface`.
pub fn next(answers: &Answers, facts: &Facts, surface: Surface) -> Step {
    let mut walk = Walk::new(answers, facts, surface);
    match walk.settle() {
        Ok((request, valid)) => Step::Confirm(walk.finish(request, &valid)),
        Err(question) => Step::Ask(*question),
    }
}

/// The create request a complete set of answers describes, checked offline; otherwise the
/// [`Error::InvalidInput`] naming the first missing or refused answer and its question.
pub fn request(answers: &Answers) -> crate::Result<CreateRequest> {
    let facts = Facts::default();
    Walk::new(answers, &facts, Surface::Tools)
        .settle()
        .map(|(request, _)| request)
        .map_err(|question| question.into_refusal())
}

impl Question {
    /// The refusal of a create whose answers leave this question open.
    fn into_refusal(self) -> Error {
        let problem = match &self.problem {
            Some(problem) => format!("{problem}; the question is: {}", self.question),
            None => format!("has no answer; the question is: {}", self.question),
        };
        let default = match &self.default_answer {
            Some(default) => format!(" The default is `{default}`: {}", self.default_reason),
            None => String::new(),
        };
        Error::invalid(
            self.field.name(),
            problem,
            format!(
                "Ask the user: {} It accepts {}{default} Then call create-volume again with \
                 the answer added (volume-interview asks what is still missing, one question \
                 at a time).",
                self.question,
                lowercase_first(&self.accepts)
            ),
        )
    }
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A question left open: what the walk stops at (boxed, as it travels through every step).
type Open = Box<Question>;

/// One pass through the questions: takes each answer in turn, checks it, and stops at the
/// first question left open.
struct Walk<'a> {
    given: &'a Answers,
    facts: &'a Facts,
    surface: Surface,
    /// The answers taken so far, normalized, in interview order.
    accepted: Vec<Answer>,
    /// The volume's name, once accepted (the browser path's default depends on it).
    name: Option<String>,
}

impl<'a> Walk<'a> {
    fn new(given: &'a Answers, facts: &'a Facts, surface: Surface) -> Self {
        Walk {
            given,
            facts,
            surface,
            accepted: Vec::new(),
            name: None,
        }
    }

    /// `field`'s question, with `problem` when its answer was refused.
    fn ask(&self, field: Field, problem: Option<String>) -> Open {
        let context = questions::Context {
            facts: self.facts,
            surface: self.surface,
            name: self.name.as_deref(),
            browser_host_given: self.given.get(Field::BrowserHost).is_some(),
        };
        Box::new(Question {
            problem,
            ..questions::question(field, &context)
        })
    }

    /// The accepted, normalized answer to `field`, or its question.
    fn answer(&mut self, field: Field) -> Result<String, Open> {
        let Some(given) = self.given.get(field) else {
            return Err(self.ask(field, None));
        };
        match answers::check(field, given) {
            Ok(value) => {
                self.accepted.push(Answer {
                    field,
                    value: value.clone(),
                });
                Ok(value)
            }
            Err(problem) => Err(self.ask(field, Some(problem))),
        }
    }

    /// The answer to a yes/no question.
    fn yes(&mut self, field: Field) -> Result<bool, Open> {
        Ok(self.answer(field)? == answers::YES)
    }

    /// Every question in turn; the request and its manifest once none is left open.
    fn settle(&mut self) -> Result<(CreateRequest, ValidCreate), Open> {
        let workspace_fqn = self.answer(Field::Workspace)?;
        if let Some(problem) = &self.facts.workspace_problem {
            return Err(self.ask(Field::Workspace, Some(problem.clone())));
        }
        let kind = match self.answer(Field::Kind)?.as_str() {
            answers::DYNAMIC => VolumeKind::Dynamic,
            _ => VolumeKind::Static,
        };
        let name = self.answer(Field::Name)?;
        self.name = Some(name.clone());
        let replace_failed = self.replace_failed(&name)?;
        let (size_gi, storage_class, persistent_volume_name) = match kind {
            VolumeKind::Dynamic => {
                // Checked as a whole number of GiB: it parses.
                let size = self.answer(Field::SizeGi)?.parse().ok();
                (size, Some(self.answer(Field::StorageClass)?), None)
            }
            VolumeKind::Static => (None, None, Some(self.answer(Field::PersistentVolume)?)),
        };
        let browser = match self.yes(Field::Browser)? {
            true => Some(BrowserSettings {
                host: self.answer(Field::BrowserHost)?,
                path: Some(self.answer(Field::BrowserPath)?),
                username: Some(self.answer(Field::BrowserUsername)?),
                password_secret_fqn: Some(self.answer(Field::BrowserPasswordSecret)?)
                    .filter(|secret| secret != answers::NONE),
            }),
            false => None,
        };
        let wait = self.yes(Field::Wait)?.then(WaitOptions::default);
        let request = CreateRequest {
            workspace_fqn,
            name,
            kind,
            size_gi,
            storage_class,
            persistent_volume_name,
            browser,
            wait,
            replace_failed,
        };
        // Each answer met its own rule; the request's rules are checked once more as a whole.
        match manifest::from_request(&request) {
            Ok(valid) => Ok((request, valid)),
            Err(error) => Err(self.refused(error)),
        }
    }

    /// Whether to replace the application that holds `name`: asked only when it is a failed
    /// volume `create` may replace; a taken name is asked again.
    fn replace_failed(&mut self, name: &str) -> Result<bool, Open> {
        match &self.facts.name {
            NameCheck::Free => Ok(false),
            NameCheck::Taken(problem) => Err(self.ask(Field::Name, Some(problem.clone()))),
            NameCheck::Replaceable { id } => match self.yes(Field::ReplaceFailed)? {
                true => Ok(true),
                false => {
                    let problem = format!(
                        "`{name}` is taken by a volume that never ran (id {id}), and it is not \
                         to be replaced: choose another name"
                    );
                    Err(self.ask(Field::Name, Some(problem)))
                }
            },
            // Offline, an answer given is taken; none means no.
            NameCheck::Unknown if self.given.get(Field::ReplaceFailed).is_some() => {
                self.yes(Field::ReplaceFailed)
            }
            NameCheck::Unknown => Ok(false),
        }
    }

    /// The question of the field a whole-request rule refused.
    fn refused(&self, error: Error) -> Open {
        let (field, problem) = match error {
            Error::InvalidInput { field, problem, .. } => (field, problem),
            other => (String::new(), other.to_string()),
        };
        let field = match field.as_str() {
            "workspace-fqn" => Field::Workspace,
            "size-gi" => Field::SizeGi,
            "storage-class" => Field::StorageClass,
            "persistent-volume-name" => Field::PersistentVolume,
            "browser.host" => Field::BrowserHost,
            "browser.path" => Field::BrowserPath,
            "browser.username" => Field::BrowserUsername,
            "browser.password-secret-fqn" => Field::BrowserPasswordSecret,
            _ => Field::Name,
        };
        self.ask(field, Some(problem))
    }

    /// The plan for a request whose every answer is in.
    fn finish(&self, request: CreateRequest, valid: &ValidCreate) -> InterviewPlan {
        let offline = plan::describe_closing(valid, vocabulary::plan_closing(self.surface));
        let mut plan = match &self.facts.storage {
            Some(storage) if self.facts.checked_online => {
                let replacing = match &self.facts.name {
                    NameCheck::Replaceable { id } if request.replace_failed => Some(id.as_str()),
                    _ => None,
                };
                plan::checked_online(
                    offline,
                    &valid.manifest,
                    replacing,
                    storage.as_ref().map_err(String::as_str),
                )
            }
            _ => offline,
        };
        if let Some(reason) = &self.facts.offline_reason {
            plan.warnings.push(format!(
                "Not checked against the control plane ({reason}): the workspace, the name \
                 and the cluster's storage classes are checked when the volume is created."
            ));
        }
        let left_out: Vec<&str> = self
            .given
            .given
            .keys()
            .filter(|field| **field != Field::ReplaceFailed)
            .filter(|field| !self.accepted.iter().any(|taken| taken.field == **field))
            .map(|field| field.name())
            .collect();
        if !left_out.is_empty() {
            plan.warnings.push(format!(
                "Answers that do not apply to this volume were left out: {}.",
                left_out.join(", ")
            ));
        }
        InterviewPlan {
            plan,
            answers: self.accepted.clone(),
            request,
            next_step: vocabulary::interview_next_step(self.surface).to_string(),
        }
    }
}
