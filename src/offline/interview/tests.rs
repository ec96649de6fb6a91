//! The interview as a conversation: start with nothing, answer each question (the user's
//! own answer where there is no default, else the default), and end with a plan whose
//! request `create` accepts.

use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;

use super::*;
use crate::input::manifest;
use crate::offline::storage_class::{ClusterStorage, StorageClassInfo};
use crate::testing::{scripted_answer, DYNAMIC_QUESTIONS};

/// Answers each question as [`scripted_answer`] does; returns the fields asked in order and
/// the plan.
fn converse(own: &[(Field, &str)], facts: &Facts, surface: Surface) -> (Vec<Field>, InterviewPlan) {
    let mut answers = Vec::new();
    for _ in 0..20 {
        match next(&Answers::new(&answers), facts, surface) {
            Step::Confirm(plan) => {
                return (answers.iter().map(|answer| answer.field).collect(), plan)
            }
            Step::Ask(question) => answers.push(scripted_answer(&question, own)),
        }
    }
    panic!("the interview did not end: {answers:?}");
}

fn answer(field: Field, value: &str) -> Answer {
    Answer {
        field,
        value: value.to_string(),
    }
}

fn ask(answers: &[Answer], facts: &Facts) -> Question {
    match next(&Answers::new(answers), facts, Surface::Tools) {
        Step::Ask(question) => question,
        Step::Confirm(plan) => panic!("expected a question, got {plan:?}"),
    }
}

fn aws_cluster() -> ClusterStorage {
    ClusterStorage {
        cluster_id: "c1".into(),
        cluster_type: "aws-eks".into(),
        cloud: crate::offline::storage_class::Cloud::Aws,
        default_storage_class: Some("efs-sc".into()),
        storage_classes: vec![StorageClassInfo {
            name: "efs-sc".into(),
            driver: "efs.csi.aws.com".into(),
            tier: "standard".into(),
            access_mode: "ReadWriteMany".into(),
            notes: "Amazon EFS.".into(),
            is_default: true,
        }],
        browser_hosts: vec!["ml.example.com".into()],
        note: "These are the storage classes EKS clusters usually have.".into(),
    }
}

fn online(name: NameCheck) -> Facts {
    Facts {
        checked_online: true,
        storage: Some(Ok(aws_cluster())),
        name,
        ..Facts::default()
    }
}

#[test]
fn an_empty_interview_asks_for_the_workspace_and_never_picks_one() {
    let question = ask(&[], &Facts::default());
    assert_eq!(
        question,
        Question {
            field: Field::Workspace,
            question: "Which workspace should own the volume? Only applications in that \
                       workspace can mount it."
                .into(),
            accepts: "The workspace FQN `<cluster>:<workspace>` as the TrueFoundry UI shows it \
                      under Workspaces, for example `prod-cluster:ml-team`."
                .into(),
            choices: vec![],
            default_answer: None,
            default_reason: "There is no default: always ask the user which workspace to use."
                .into(),
            problem: None,
        }
    );
}

#[test]
fn a_dynamic_volume_offline_asks_seven_questions_and_ends_in_a_plan_create_accepts() {
    let own = [
        (Field::Workspace, "c1:ws1"),
        (Field::Name, "training-data"),
        (Field::StorageClass, "efs-sc"),
    ];
    let (asked, plan) = converse(&own, &Facts::default(), Surface::Tools);
    assert_eq!(asked, DYNAMIC_QUESTIONS);
    let values: Vec<(Field, &str)> = plan
        .answers
        .iter()
        .map(|answer| (answer.field, answer.value.as_str()))
        .collect();
    assert_eq!(
        values,
        [
            (Field::Workspace, "c1:ws1"),
            (Field::Kind, "dynamic"),
            (Field::Name, "training-data"),
            (Field::SizeGi, "12"),
            (Field::StorageClass, "efs-sc"),
            (Field::Browser, "no"),
            (Field::Wait, "yes"),
        ]
    );
    assert_eq!(
        plan.request,
        CreateRequest {
            workspace_fqn: "c1:ws1".into(),
            name: "training-data".into(),
            kind: VolumeKind::Dynamic,
            size_gi: Some(12),
            storage_class: Some("efs-sc".into()),
            persistent_volume_name: None,
            browser: None,
            wait: Some(WaitOptions::default()),
            replace_failed: false,
        }
    );
    // What create checks, it accepts; the plan is the one `plan` gives for the request.
    let valid = manifest::from_request(&plan.request).unwrap();
    assert_eq!(plan.plan, plan::describe(&valid));
    assert!(!plan.plan.checked_online);
    assert!(plan.plan.summary.ends_with("Reply yes to create it."));
    assert_eq!(
        plan.next_step,
        crate::vocabulary::interview_next_step(Surface::Tools)
    );
    // The answers are the create arguments: they give the same request back.
    assert_eq!(request(&Answers::new(&plan.answers)), Ok(plan.request));
}

#[test]
fn a_static_volume_with_a_browser_asks_for_its_settings() {
    let own = [
        (Field::Workspace, "c1:ws1"),
        (Field::Kind, "static"),
        (Field::Name, "shared"),
        (Field::PersistentVolume, "shared-pv"),
        (Field::Browser, "yes"),
        (Field::BrowserHost, "ml.example.com"),
        (Field::BrowserPasswordSecret, "tfy-secret://acme:vol:pw"),
        (Field::Wait, "no"),
    ];
    let (asked, plan) = converse(&own, &Facts::default(), Surface::Interface);
    assert_eq!(
        asked,
        [
            Field::Workspace,
            Field::Kind,
            Field::Name,
            Field::PersistentVolume,
            Field::Browser,
            Field::BrowserHost,
            Field::BrowserPath,
            Field::BrowserUsername,
            Field::BrowserPasswordSecret,
            Field::Wait,
        ]
    );
    assert_eq!(
        plan.request.browser,
        Some(BrowserSettings {
            username: Some("admin".into()),
            password_secret_fqn: Some("tfy-secret://acme:vol:pw".into()),
            host: "ml.example.com".into(),
            path: Some("/shared/".into()),
        })
    );
    assert_eq!(plan.request.wait, None);
    assert_eq!(
        plan.request.persistent_volume_name.as_deref(),
        Some("shared-pv")
    );
    assert!(plan.plan.summary.contains("https://ml.example.com/shared/"));
    assert!(plan.next_step.contains("call `create` with `request`"));
}

#[test]
fn a_refused_answer_comes_back_as_its_question_with_the_problem() {
    let answers = [
        answer(Field::Workspace, "c1:ws1"),
        answer(Field::Kind, "dynamic"),
        answer(Field::Name, "Training_Data"),
    ];
    let question = ask(&answers, &Facts::default());
    assert_eq!(question.field, Field::Name);
    assert_eq!(
        question.problem.as_deref(),
        Some("`Training_Data` must start with a lowercase letter")
    );
    // The corrected answer, given later, replaces the refused one.
    let mut corrected = answers.to_vec();
    corrected.push(answer(Field::Name, "training-data"));
    corrected.push(answer(Field::SizeGi, "0"));
    let question = ask(&corrected, &Facts::default());
    assert_eq!(
        (question.field, question.problem.as_deref()),
        (Field::SizeGi, Some("0 Gi is outside 1 to 64000 Gi"))
    );
    assert_eq!(question.default_answer.as_deref(), Some("12"));
}

#[test]
fn the_size_question_proposes_the_sizing_advice() {
    let answers = [
        answer(Field::Workspace, "c1:ws1"),
        answer(Field::Kind, "dynamic"),
        answer(Field::Name, "scratch"),
    ];
    let question = ask(&answers, &Facts::default());
    assert_eq!(question.field, Field::SizeGi);
    assert_eq!(
        question.default_reason,
        "Nothing is known about the data, so start small: 10 Gi with 20 % headroom, 12.0 Gi. \
         Recommended: 12 Gi. A volume can be expanded later but never shrunk, so this starts \
         small; expand when usage passes about 80 %. For a model cache, a dataset or \
         checkpoints, recommend-model-cache-size, recommend-dataset-volume-size or \
         recommend-checkpoint-volume-size size it for that use."
    );
}

#[test]
fn online_the_choices_are_the_clusters_classes_and_hosts() {
    let mut answers = vec![
        answer(Field::Workspace, "c1:ws1"),
        answer(Field::Kind, "dynamic"),
        answer(Field::Name, "training-data"),
        answer(Field::SizeGi, "20"),
    ];
    let facts = online(NameCheck::Free);
    let class = ask(&answers, &facts);
    assert_eq!(class.field, Field::StorageClass);
    assert_eq!(
        class.choices,
        [Choice {
            value: "efs-sc".into(),
            meaning: "Amazon EFS. (ReadWriteMany, standard tier, driver efs.csi.aws.com)".into(),
        }]
    );
    assert_eq!(
        (
            class.default_answer.as_deref(),
            class.default_reason.as_str()
        ),
        (
            Some("efs-sc"),
            "`efs-sc` is the cluster's default storage class. These are the storage classes \
             EKS clusters usually have."
        )
    );
    answers.extend([
        answer(Field::StorageClass, "gp3"),
        answer(Field::Browser, "yes"),
    ]);
    let host = ask(&answers, &facts);
    assert_eq!(host.field, Field::BrowserHost);
    assert_eq!(
        host.choices,
        [Choice {
            value: "ml.example.com".into(),
            meaning: "A domain the cluster serves.".into(),
        }]
    );
    assert_eq!(host.default_answer.as_deref(), Some("ml.example.com"));
    answers.extend([
        answer(Field::BrowserHost, "ml.example.com"),
        answer(Field::BrowserPath, "/data/"),
        answer(Field::BrowserUsername, "reader"),
        answer(Field::BrowserPasswordSecret, "none"),
        answer(Field::Wait, "no"),
    ]);
    let Step::Confirm(plan) = next(&Answers::new(&answers), &facts, Surface::Tools) else {
        panic!("expected the plan");
    };
    // The plan is checked like preflight: a class the cluster is not known to offer and a
    // browser without a password are warnings, not refusals.
    assert!(plan.plan.checked_online);
    assert_eq!(plan.plan.storage_classes, ["efs-sc"]);
    assert_eq!(plan.plan.browser_hosts, ["ml.example.com"]);
    assert_eq!(plan.plan.warnings.len(), 2, "{:?}", plan.plan.warnings);
    assert!(plan.plan.warnings[0].contains("password secret"));
    assert!(plan.plan.warnings[1].starts_with(
        "The storage class `gp3` is not among those aws-eks clusters usually have (efs-sc)."
    ));
}

#[test]
fn a_taken_name_is_asked_again_and_a_failed_one_may_be_replaced() {
    let answers = [
        answer(Field::Workspace, "c1:ws1"),
        answer(Field::Kind, "dynamic"),
        answer(Field::Name, "logs"),
    ];
    let taken = online(NameCheck::Taken(
        "a volume named `logs` already exists in workspace `c1:ws1` (id app-1)".into(),
    ));
    let question = ask(&answers, &taken);
    assert_eq!(
        (question.field, question.problem.as_deref()),
        (
            Field::Name,
            Some("a volume named `logs` already exists in workspace `c1:ws1` (id app-1)")
        )
    );

    let failed = online(NameCheck::Replaceable { id: "app-7".into() });
    let question = ask(&answers, &failed);
    assert_eq!(question.field, Field::ReplaceFailed);
    assert_eq!(
        question.question,
        "A volume named `logs` (id app-7) already exists in this workspace but never ran: its \
         deployment failed. Should it be replaced with these settings?"
    );
    assert_eq!(question.default_answer.as_deref(), Some("no"));

    let mut declined = answers.to_vec();
    declined.push(answer(Field::ReplaceFailed, "no"));
    let question = ask(&declined, &failed);
    assert_eq!(
        (question.field, question.problem.as_deref()),
        (
            Field::Name,
            Some(
                "`logs` is taken by a volume that never ran (id app-7), and it is not to be \
                 replaced: choose another name"
            )
        )
    );

    let mut replacing = answers.to_vec();
    replacing.extend([
        answer(Field::ReplaceFailed, "yes"),
        answer(Field::SizeGi, "20"),
        answer(Field::StorageClass, "efs-sc"),
        answer(Field::Browser, "no"),
        answer(Field::Wait, "yes"),
    ]);
    let Step::Confirm(plan) = next(&Answers::new(&replacing), &failed, Surface::Tools) else {
        panic!("expected the plan");
    };
    assert!(plan.request.replace_failed);
    assert_eq!(plan.answers[3], answer(Field::ReplaceFailed, "yes"));
    assert_eq!(
        plan.plan.warnings,
        [
            "`logs` exists (id app-7) and never ran: `create` will replace its failed deployment \
          with this manifest."
        ]
    );
}

#[test]
fn the_read_only_plan_does_not_offer_to_create() {
    let own = [
        (Field::Workspace, "c1:ws1"),
        (Field::Name, "notes"),
        (Field::StorageClass, "efs-sc"),
    ];
    let (_, plan) = converse(&own, &online(NameCheck::Free), Surface::ReadOnlyTools);
    assert!(
        plan.plan.summary.ends_with(
            "It cannot be created from here (this build only reads): create it with these \
             settings from a build that can write, or in the TrueFoundry UI."
        ),
        "{}",
        plan.plan.summary
    );
    assert!(!plan.plan.summary.contains("Reply yes"));
    assert!(!plan.next_step.contains("On yes"), "{}", plan.next_step);
    let (_, writable) = converse(&own, &online(NameCheck::Free), Surface::Tools);
    assert_eq!(plan.request, writable.request);
    assert_eq!(plan.answers, writable.answers);
}

#[test]
fn a_workspace_the_control_plane_does_not_know_is_asked_again() {
    let facts = Facts {
        checked_online: true,
        workspace_problem: Some("workspace `c1:nope` not found".into()),
        ..Facts::default()
    };
    let question = ask(&[answer(Field::Workspace, "c1:nope")], &facts);
    assert_eq!(
        (question.field, question.problem.as_deref()),
        (Field::Workspace, Some("workspace `c1:nope` not found"))
    );
}

#[test]
fn offline_the_plan_says_it_was_not_checked() {
    let facts = Facts::offline("environment variable TFY_API_KEY: is not set".into());
    let own = [
        (Field::Workspace, "c1:ws1"),
        (Field::Name, "notes"),
        (Field::StorageClass, "efs-sc"),
    ];
    let question = ask(
        &[
            answer(Field::Workspace, "c1:ws1"),
            answer(Field::Kind, "dynamic"),
            answer(Field::Name, "notes"),
            answer(Field::SizeGi, "5"),
        ],
        &facts,
    );
    assert_eq!(question.field, Field::StorageClass);
    assert_eq!(question.default_answer, None);
    assert_eq!(
        question.default_reason,
        "The control plane could not be asked about the cluster (environment variable \
         TFY_API_KEY: is not set): ask the user or a cluster admin (`kubectl get \
         storageclass` lists them)."
    );
    let (_, plan) = converse(&own, &facts, Surface::Tools);
    assert_eq!(
        plan.plan.warnings,
        [
            "Not checked against the control plane (environment variable TFY_API_KEY: is not \
          set): the workspace, the name and the cluster's storage classes are checked when the \
          volume is created."
        ]
    );
}

#[test]
fn answers_that_do_not_apply_are_left_out_with_a_warning() {
    let answers = [
        answer(Field::Workspace, "c1:ws1"),
        answer(Field::Kind, "static"),
        answer(Field::Name, "shared"),
        answer(Field::SizeGi, "20"),
        answer(Field::StorageClass, "efs-sc"),
        answer(Field::PersistentVolume, "shared-pv"),
        answer(Field::Browser, "no"),
        answer(Field::BrowserHost, "ml.example.com"),
        answer(Field::Wait, "no"),
    ];
    let Step::Confirm(plan) = next(&Answers::new(&answers), &Facts::default(), Surface::Tools)
    else {
        panic!("expected the plan");
    };
    let fields: Vec<Field> = plan.answers.iter().map(|a| a.field).collect();
    assert_eq!(
        fields,
        [
            Field::Workspace,
            Field::Kind,
            Field::Name,
            Field::PersistentVolume,
            Field::Browser,
            Field::Wait
        ]
    );
    assert_eq!(
        plan.plan.warnings.last().map(String::as_str),
        Some(
            "Answers that do not apply to this volume were left out: size-gi, storage-class, \
             browser-host."
        )
    );
}

#[test]
fn create_refuses_incomplete_answers_naming_the_first_missing_one_and_its_question() {
    let answers = Answers::new(&[
        answer(Field::Workspace, "c1:ws1"),
        answer(Field::Kind, "dynamic"),
        answer(Field::Name, "training-data"),
        answer(Field::StorageClass, "efs-sc"),
    ]);
    assert_eq!(
        request(&answers),
        Err(Error::InvalidInput {
            field: "size-gi".into(),
            problem: "has no answer; the question is: How big should the volume be, in GiB? It \
                      can be expanded later but never shrunk, so start with what is needed now."
                .into(),
            fix: "Ask the user: How big should the volume be, in GiB? It can be expanded later \
                  but never shrunk, so start with what is needed now. It accepts a whole number \
                  of GiB from 1 to 64000, for example `20`. The default is `12`: Nothing is \
                  known about the data, so start small: 10 Gi with 20 % headroom, 12.0 Gi. \
                  Recommended: 12 Gi. A volume can be expanded later but never shrunk, so this \
                  starts small; expand when usage passes about 80 %. For a model cache, a \
                  dataset or checkpoints, recommend-model-cache-size, \
                  recommend-dataset-volume-size or recommend-checkpoint-volume-size size it for \
                  that use. Then call create-volume again with the answer added \
                  (volume-interview asks what is still missing, one question at a time)."
                .into(),
        })
    );
    let refused = Answers::new(&[answer(Field::Workspace, "nope")]);
    let Err(Error::InvalidInput { field, problem, .. }) = request(&refused) else {
        panic!("expected a refusal");
    };
    assert_eq!(
        (field.as_str(), problem.as_str()),
        (
            "workspace",
            "`nope` is not a workspace FQN of the form <cluster>:<workspace>; the question is: \
             Which workspace should own the volume? Only applications in that workspace can \
             mount it."
        )
    );
}

#[test]
fn a_browser_host_given_early_makes_yes_the_browser_default() {
    let answers = [
        answer(Field::Workspace, "c1:ws1"),
        answer(Field::Kind, "static"),
        answer(Field::Name, "shared"),
        answer(Field::PersistentVolume, "shared-pv"),
        answer(Field::BrowserHost, "ml.example.com"),
    ];
    let question = ask(&answers, &Facts::default());
    assert_eq!(
        (question.field, question.default_answer.as_deref()),
        (Field::Browser, Some("yes"))
    );
}
