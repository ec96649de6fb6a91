//! The volume interview end to end: driven as a conversation in each build against the
//! emulator — start with no answers, answer each question (the user's own answer where
//! there is no default, else the default) — until the plan, which the `tools` build's
//! `create-volume` and the interface's `create` then carry out; the read-only build plans
//! the same volume but cannot create it.

use serde_json::{json, Value};
use tfy_volumes_host::bindings::{InterviewAnswer, InterviewField, InterviewStep, StatusPhase};
use tfy_volumes_host::runtime::{READ_ONLY_TOOLS_WASM, TOOLS_WASM};
use tfy_volumes_host::Grant;
use truefoundry_emulator::Emulator;

use crate::support::{body, seed, Harness, ADMIN_KEY, WS};
use crate::tool_calls::ToolInstance;

/// The user's own answers: the workspace (never guessed) and the name.
const OWN: [(&str, &str); 2] = [("workspace", WS), ("name", "team-notes")];

/// What the interview asks for a dynamic volume without a browser.
const ASKED: [&str; 7] = [
    "workspace",
    "kind",
    "name",
    "size-gi",
    "storage-class",
    "browser",
    "wait",
];

/// Calls `volume-interview` with the answers so far until it answers `confirm`, answering
/// each question from `own` or with its default; the fields asked and the plan.
async fn converse(tools: &mut ToolInstance, own: &[(&str, &str)]) -> (Vec<String>, Value) {
    let mut answers: Vec<Value> = Vec::new();
    let mut asked = Vec::new();
    for _ in 0..20 {
        let step = tools.call("volume-interview", &[json!(answers)]).await;
        let step = &step["ok"];
        if step["tag"] == "confirm" {
            return (asked, step["val"].clone());
        }
        let question = &step["val"];
        assert_eq!(step["tag"], "ask", "{step}");
        assert_eq!(question["problem"], Value::Null, "{question}");
        let field = question["field"].as_str().unwrap().to_string();
        let value = own
            .iter()
            .find(|(own_field, _)| *own_field == field)
            .map(|(_, value)| json!(value))
            .unwrap_or_else(|| question["default-answer"].clone());
        assert!(value.is_string(), "nothing to answer {question}");
        answers.push(json!({"field": field, "value": value}));
        asked.push(field);
    }
    panic!("the interview did not end: {asked:?}");
}

fn summary(closing: &str) -> String {
    format!(
        "Create volume `team-notes`\n\
         \x20 Workspace:        c1:ws1\n\
         \x20 Type:             dynamic (new storage)\n\
         \x20 Size:             12 Gi\n\
         \x20 Storage class:    efs-sc\n\
         \x20 Volume Browser:   none\n\
         \x20 Mount reference:  tfy-volume://c1:ws1:team-notes\n\
         Note: a volume's size can be increased later but never reduced. {closing}"
    )
}

fn planned_answers() -> Value {
    json!([
        {"field": "workspace", "value": "c1:ws1"},
        {"field": "kind", "value": "dynamic"},
        {"field": "name", "value": "team-notes"},
        {"field": "size-gi", "value": "12"},
        {"field": "storage-class", "value": "efs-sc"},
        {"field": "browser", "value": "no"},
        {"field": "wait", "value": "yes"},
    ])
}

#[tokio::test]
async fn an_interview_in_the_tools_build_ends_in_the_volume_it_planned() {
    let emulator = Emulator::start(seed()).unwrap();
    let grant = Grant::new(emulator.base_url(), ADMIN_KEY);
    let mut tools = ToolInstance::new(TOOLS_WASM, &grant).await;

    let (asked, plan) = converse(&mut tools, &OWN).await;
    assert_eq!(asked, ASKED);
    assert_eq!(plan["plan"]["summary"], summary("Reply yes to create it."));
    assert_eq!(plan["plan"]["checked-online"], true);
    assert_eq!(plan["plan"]["storage-classes"], json!(["efs-sc"]));
    assert_eq!(plan["plan"]["browser-hosts"], json!(["ml.example.com"]));
    assert_eq!(plan["plan"]["warnings"], json!([]));
    assert_eq!(plan["answers"], planned_answers());
    assert!(
        plan["next-step"]
            .as_str()
            .unwrap()
            .contains("On yes, call create-volume with `answers`"),
        "{}",
        plan["next-step"]
    );
    let reads = emulator.requests();
    assert!(reads.iter().all(|request| request.method == "GET"));

    // The user said yes: create exactly what was planned.
    emulator.clear_requests();
    let created = tools
        .call("create-volume", &[plan["answers"].clone()])
        .await;
    let volume = &created["ok"];
    assert_eq!(
        (
            &volume["fqn"],
            &volume["size-gi"],
            &volume["storage-class"],
            &volume["status"]["phase"]
        ),
        (
            &json!("c1:ws1:team-notes"),
            &json!(12),
            &json!("efs-sc"),
            &json!("running")
        ),
        "{created}"
    );
    let puts: Vec<_> = emulator
        .requests()
        .into_iter()
        .filter(|request| request.method == "PUT")
        .collect();
    assert_eq!(puts.len(), 1);
    let planned: Value =
        serde_json::from_str(plan["plan"]["manifest-json"].as_str().unwrap()).unwrap();
    assert_eq!(body(&puts[0])["manifest"], planned);
    assert_eq!(emulator.applications_in(WS).len(), 1);

    // Answers that leave a question open are refused before anything is sent.
    emulator.clear_requests();
    let refused = tools
        .call(
            "create-volume",
            &[json!([{"field": "workspace", "value": WS}])],
        )
        .await;
    assert_eq!(refused["err"]["tag"], "invalid-input");
    assert_eq!(refused["err"]["val"]["field"], "kind");
    assert!(
        refused["err"]["val"]["problem"]
            .as_str()
            .unwrap()
            .starts_with(
                "has no answer; the question is: Should TrueFoundry provision new storage"
            ),
        "{refused}"
    );
    assert_eq!(emulator.requests().len(), 0);
}

#[tokio::test]
async fn the_read_only_build_plans_the_same_volume_but_cannot_create_it() {
    let emulator = Emulator::start(seed()).unwrap();
    let grant = Grant::new(emulator.base_url(), ADMIN_KEY);
    let mut read_only = ToolInstance::new(READ_ONLY_TOOLS_WASM, &grant).await;

    let (asked, plan) = converse(&mut read_only, &OWN).await;
    assert_eq!(asked, ASKED);
    assert_eq!(
        plan["plan"]["summary"],
        summary(
            "It cannot be created from here (this build only reads): create it with these \
             settings from a build that can write, or in the TrueFoundry UI."
        )
    );
    assert_eq!(plan["answers"], planned_answers());
    assert!(!plan["next-step"].as_str().unwrap().contains("On yes"));
    assert!(!read_only.has("create-volume"));
    let writes: Vec<_> = emulator
        .requests()
        .into_iter()
        .filter(|request| request.method != "GET")
        .collect();
    assert!(writes.is_empty(), "{writes:?}");
}

#[tokio::test]
async fn the_volumes_interface_interviews_too_and_create_takes_its_request() {
    let mut h = Harness::new().await;
    let mut answers: Vec<InterviewAnswer> = Vec::new();
    let own = |field: InterviewField| match field {
        InterviewField::Workspace => Some(WS),
        InterviewField::Name => Some("team-notes"),
        InterviewField::Wait => Some("no"),
        _ => None,
    };
    let plan = loop {
        match h.volumes.interview(&answers).await.unwrap().unwrap() {
            InterviewStep::Confirm(plan) => break plan,
            InterviewStep::Ask(question) => {
                assert_eq!(question.problem, None, "{question:?}");
                let value = own(question.field)
                    .map(String::from)
                    .or(question.default_answer)
                    .unwrap();
                answers.push(InterviewAnswer {
                    field: question.field,
                    value,
                });
                assert!(answers.len() < 20, "the interview did not end");
            }
        }
    };
    assert!(
        plan.next_step.contains("call `create` with `request`"),
        "{}",
        plan.next_step
    );
    assert_eq!(plan.request.size_gi, Some(12));
    assert_eq!(plan.request.wait, None);
    let volume = h.volumes.create(&plan.request).await.unwrap().unwrap();
    assert_eq!(volume.fqn, "c1:ws1:team-notes");
    assert_eq!(volume.status.phase, StatusPhase::Deploying);
}
