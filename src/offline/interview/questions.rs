//! Each interview question in plain words: what it accepts, the choices to offer (read from
//! the workspace's cluster where they exist), the default and why.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;

use super::answers::{DYNAMIC, NO, NONE, STATIC, YES};
use super::{Choice, Facts, Field, NameCheck, Question, Surface};
use crate::input::manifest::DEFAULT_BROWSER_USERNAME;
use crate::offline::advice::{self, SizingRequest, UseCase};
use crate::offline::storage_class::{Cloud, ClusterStorage};

/// What a question may depend on.
pub(super) struct Context<'a> {
    /// What the control plane said.
    pub facts: &'a Facts,
    /// Who reads the questions.
    pub surface: Surface,
    /// The volume's name, once answered.
    pub name: Option<&'a str>,
    /// Whether a browser host was answered before the browser question.
    pub browser_host_given: bool,
}

impl Question {
    /// A question without choices or default.
    fn new(field: Field, question: impl Into<String>, accepts: &str) -> Self {
        Question {
            field,
            question: question.into(),
            accepts: accepts.to_string(),
            choices: Vec::new(),
            default_answer: None,
            default_reason: String::new(),
            problem: None,
        }
    }

    fn choices(mut self, choices: Vec<Choice>) -> Self {
        self.choices = choices;
        self
    }

    fn default(mut self, answer: impl Into<String>, reason: impl Into<String>) -> Self {
        self.default_answer = Some(answer.into());
        self.default_reason = reason.into();
        self
    }

    fn no_default(mut self, reason: impl Into<String>) -> Self {
        self.default_reason = reason.into();
        self
    }
}

fn choice(value: &str, meaning: impl Into<String>) -> Choice {
    Choice {
        value: value.to_string(),
        meaning: meaning.into(),
    }
}

fn yes_no(yes: &str, no: &str) -> Vec<Choice> {
    vec![choice(YES, yes), choice(NO, no)]
}

const YES_OR_NO: &str = "`yes` or `no`.";

/// The question that decides `field`.
pub(super) fn question(field: Field, context: &Context) -> Question {
    match field {
        Field::Workspace => Question::new(
            field,
            "Which workspace should own the volume? Only applications in that workspace can \
             mount it.",
            "The workspace FQN `<cluster>:<workspace>` as the TrueFoundry UI shows it under \
             Workspaces, for example `prod-cluster:ml-team`.",
        )
        .no_default("There is no default: always ask the user which workspace to use."),
        Field::Kind => Question::new(
            field,
            "Should TrueFoundry provision new storage for the volume (dynamic), or wrap an \
             existing Kubernetes PersistentVolume that a cluster admin created (static)?",
            "`dynamic` or `static`.",
        )
        .choices(vec![
            choice(
                DYNAMIC,
                "New storage of a size you choose, from one of the cluster's storage classes.",
            ),
            choice(
                STATIC,
                "An existing PersistentVolume, for example over an EFS file system or an S3, \
                 GCS or Azure bucket, that a cluster admin created beforehand.",
            ),
        ])
        .default(
            DYNAMIC,
            "Most volumes are new storage; static is only for storage that already exists.",
        ),
        Field::Name => Question::new(
            field,
            "What should the volume be called? The name must be unique in the workspace.",
            "3 to 32 characters: lowercase letters, digits and single hyphens, starting with a \
             letter and ending with a letter or digit, for example `training-data`.",
        )
        .no_default("There is no default: applications refer to the volume by its name."),
        Field::ReplaceFailed => replace_failed(context),
        Field::SizeGi => size(context),
        Field::StorageClass => storage_class(context),
        Field::PersistentVolume => Question::new(
            field,
            "Which existing Kubernetes PersistentVolume should the volume wrap? A cluster admin \
             must have created it (`kubectl get pv` lists them).",
            "The PersistentVolume's name exactly as Kubernetes shows it, for example \
             `shared-datasets-pv`.",
        )
        .no_default(format!(
            "There is no default: TrueFoundry cannot list a cluster's PersistentVolumes. For \
             existing EFS, S3, GCS or Azure storage, {} write one.",
            crate::vocabulary::recipe_functions(context.surface)
        )),
        Field::Browser => browser(context),
        Field::BrowserHost => browser_host(context),
        Field::BrowserPath => {
            let question = Question::new(
                field,
                "Under which URL path should the Volume Browser be served?",
                "A path beginning and ending with `/`, for example `/training-data/`.",
            );
            match context.name {
                Some(name) => question.default(
                    format!("/{name}/"),
                    "The volume's own path keeps several volumes' browsers on one host apart.",
                ),
                None => question.no_default("The default is the volume's name as a path."),
            }
        }
        Field::BrowserUsername => Question::new(
            field,
            "Which username should log in to the Volume Browser?",
            "3 to 10 lowercase letters or digits, starting with a letter, for example `admin`.",
        )
        .default(
            DEFAULT_BROWSER_USERNAME,
            "TrueFoundry's default Volume Browser username.",
        ),
        Field::BrowserPasswordSecret => Question::new(
            field,
            "Which TrueFoundry secret holds the Volume Browser's login password?",
            "The secret's FQN `tfy-secret://<tenant>:<secret-group>:<secret-key>`, for example \
             `tfy-secret://acme:volume-secrets:browser-password`, or `none` for a browser \
             without a password (not recommended).",
        )
        .no_default(format!(
            "There is no default: the password guards the volume's files. Create the secret \
             first (TrueFoundry UI > Secrets) and give its FQN; `{NONE}` leaves the browser \
             without one."
        )),
        Field::Wait => Question::new(
            field,
            "Should creating the volume wait until it is running (checking every 5 seconds, \
             for up to 600 seconds) before it returns?",
            YES_OR_NO,
        )
        .choices(yes_no(
            "Return once the volume runs, or with the reason its deployment failed.",
            "Return as soon as the control plane accepted the volume; check its status later.",
        ))
        .default(
            YES,
            "Then the volume is ready to mount when creation returns, and a failed \
             deployment (for example a storage class the cluster lacks) is reported at once.",
        ),
    }
}

fn replace_failed(context: &Context) -> Question {
    let name = context.name.unwrap_or("the volume");
    let held = match &context.facts.name {
        NameCheck::Replaceable { id } => format!(" (id {id})"),
        _ => String::new(),
    };
    Question::new(
        Field::ReplaceFailed,
        format!(
            "A volume named `{name}`{held} already exists in this workspace but never ran: its \
             deployment failed. Should it be replaced with these settings?"
        ),
        YES_OR_NO,
    )
    .choices(yes_no(
        "Submit these settings to the failed volume, repairing it in place.",
        "Keep it and choose another name.",
    ))
    .default(
        NO,
        "Replacing changes an existing volume: only do it when the user says so.",
    )
}

fn size(context: &Context) -> Question {
    let question = Question::new(
        Field::SizeGi,
        "How big should the volume be, in GiB? It can be expanded later but never shrunk, so \
         start with what is needed now.",
        "A whole number of GiB from 1 to 64000, for example `20`.",
    );
    let general = SizingRequest::new(UseCase::General);
    let for_a_use = format!(
        "For a model cache, a dataset or checkpoints, {} size it for that use.",
        crate::vocabulary::sizing_functions(context.surface)
    );
    match advice::recommend_size(&general) {
        Ok(advice) => question.default(
            advice.size_gi.to_string(),
            format!("{} {for_a_use}", advice.rationale),
        ),
        Err(_) => question.no_default(for_a_use),
    }
}

fn storage_class(context: &Context) -> Question {
    let question = Question::new(
        Field::StorageClass,
        "Which storage class should the volume's storage come from?",
        "A Kubernetes storage class name, for example `efs-sc` (AWS), `standard-rwx` (GCP) or \
         `azurefile` (Azure); a class the cluster is not known to offer is accepted with a \
         warning.",
    );
    let ask_admin = "ask the user or a cluster admin (`kubectl get storageclass` lists them)";
    let storage = match cluster(context) {
        Ok(storage) => storage,
        Err(why) => return question.no_default(format!("{why}: {ask_admin}.")),
    };
    let Some(first) = storage.storage_classes.first() else {
        return question.no_default(format!(
            "The cluster `{}` ({}) has no usual storage classes to offer: {ask_admin}.",
            storage.cluster_id, storage.cluster_type
        ));
    };
    let why = if first.is_default {
        format!("`{}` is the cluster's default storage class.", first.name)
    } else {
        format!(
            "`{}` is the usual class on {}: {}",
            first.name,
            cloud_name(storage.cloud),
            first.notes
        )
    };
    // The choices are a guess: say so, as the cluster's storage does.
    let reason = format!("{why} {}", storage.note);
    let choices = storage
        .storage_classes
        .iter()
        .map(|class| {
            choice(
                &class.name,
                format!(
                    "{} ({}, {} tier, driver {})",
                    class.notes, class.access_mode, class.tier, class.driver
                ),
            )
        })
        .collect();
    question
        .choices(choices)
        .default(first.name.clone(), reason)
}

fn browser(context: &Context) -> Question {
    let question = Question::new(
        Field::Browser,
        "Should a Volume Browser be deployed with the volume: a small web page, on one of the \
         cluster's domains, to browse, upload and download its files?",
        YES_OR_NO,
    )
    .choices(yes_no(
        "Deploy a Volume Browser; its host, path, username and password come next.",
        "No browser: applications mount the volume all the same.",
    ));
    if context.browser_host_given {
        question.default(YES, "A Volume Browser host was already given.")
    } else {
        question.default(
            NO,
            "Applications mount the volume without one; add a browser when people need to \
             look at the files by hand.",
        )
    }
}

fn browser_host(context: &Context) -> Question {
    let question = Question::new(
        Field::BrowserHost,
        "On which host should the Volume Browser be served?",
        "A host name of two or more labels, one of the cluster's domains without a leading \
         `*.`, for example `ml.example.com`.",
    );
    let storage = match cluster(context) {
        Ok(storage) => storage,
        Err(why) => {
            return question.no_default(format!(
                "{why}: ask the user or a cluster admin which domain the cluster's ingress \
                 serves."
            ))
        }
    };
    let Some(first) = storage.browser_hosts.first() else {
        return question.no_default(format!(
            "The cluster `{}` declares no domains: ask the user or a cluster admin which \
             domain its ingress serves.",
            storage.cluster_id
        ));
    };
    let choices = storage
        .browser_hosts
        .iter()
        .map(|host| choice(host, "A domain the cluster serves."))
        .collect();
    question.choices(choices).default(
        first.clone(),
        format!("`{first}` is the first of the cluster's domains."),
    )
}

/// The workspace cluster's storage, or why it is not known (a sentence without its end).
fn cluster<'a>(context: &Context<'a>) -> Result<&'a ClusterStorage, String> {
    match (&context.facts.storage, &context.facts.offline_reason) {
        (Some(Ok(storage)), _) => Ok(storage),
        (Some(Err(note)), _) => Err(String::from(note.trim_end_matches('.'))),
        (None, Some(reason)) => Err(format!(
            "The control plane could not be asked about the cluster ({reason})"
        )),
        (None, None) => Err(String::from("The workspace's cluster is not known yet")),
    }
}

fn cloud_name(cloud: Cloud) -> &'static str {
    match cloud {
        Cloud::Aws => "AWS",
        Cloud::Gcp => "GCP",
        Cloud::Azure => "Azure",
        Cloud::Other => "this cluster",
    }
}
