//! The volume interview online: what the control plane says about the answered workspace
//! (does it exist, its cluster's storage classes and browser hosts) and name (free, taken,
//! or a failed volume that may be replaced), read with the same requests `preflight` sends,
//! for the pure [`interview::next`]. Without credentials the interview goes on offline.

use alloc::string::ToString;

use super::clock::Clock;
use super::create;
use super::preflight;
use super::read;
use super::session::Session;
use crate::api::http::Transport;
use crate::error::{Error, Result};
use crate::offline::interview::{self, Answers, Facts, NameCheck, Step, Surface};

/// The next step of the interview for `answers`, phrased for `surface`.
pub(super) fn next<T: Transport, C: Clock>(
    session: &mut Session<T, C>,
    answers: &Answers,
    surface: Surface,
) -> Result<Step> {
    let facts = match facts(session, answers) {
        Ok(facts) => facts,
        Err(error @ Error::MissingConfiguration { .. }) => Facts::offline(error.to_string()),
        Err(error) => return Err(error),
    };
    Ok(interview::next(answers, &facts, surface))
}

/// What the control plane says about the answered workspace and name; nothing before a
/// well-formed workspace is answered.
fn facts<T: Transport, C: Clock>(session: &mut Session<T, C>, answers: &Answers) -> Result<Facts> {
    let Some(workspace) = answers.workspace() else {
        return Ok(Facts::default());
    };
    let found = match read::workspace(session, &workspace) {
        Ok(found) => found,
        Err(error @ Error::NotFound { .. }) => {
            return Ok(Facts {
                checked_online: true,
                workspace_problem: Some(error.to_string()),
                ..Facts::default()
            })
        }
        Err(error) => return Err(error),
    };
    let storage = preflight::readable_storage(session, &found.cluster_id)?;
    let name = match answers.name() {
        None => NameCheck::Unknown,
        Some(name) => match read::holder_of_name(session, &workspace, name)? {
            None => NameCheck::Free,
            Some(holder) => match create::replace_refusal(&holder) {
                None => NameCheck::Replaceable { id: holder.id },
                Some(_) => NameCheck::Taken(read::name_taken(&workspace, name, holder).to_string()),
            },
        },
    };
    Ok(Facts {
        checked_online: true,
        offline_reason: None,
        workspace_problem: None,
        storage: Some(storage),
        name,
    })
}

#[cfg(test)]
mod tests {
    use alloc::string::String;
    use alloc::vec::Vec;
    use alloc::{format, vec};
    use serde_json::{json, Value};

    use crate::api::http::{HttpRequest, HttpResponse, Method, Transport, TransportError};
    use crate::client::Client;
    use crate::error::Error;
    use crate::offline::interview::{Answer, Field, Question, Step, Surface};
    use crate::testing::{
        created, scripted_answer, volume_item, Scripted, VirtualClock, DYNAMIC_QUESTIONS, ENV,
    };

    /// A control plane with the workspace `c1:ws1` on the AWS cluster `c1`, holding the
    /// applications `held`; a created volume runs at once.
    struct Plane {
        held: Vec<Value>,
        sent: Vec<String>,
        puts: Vec<Value>,
    }

    impl Plane {
        fn holding(held: Vec<Value>) -> Self {
            Plane {
                held,
                sent: Vec::new(),
                puts: Vec::new(),
            }
        }
    }

    impl Transport for Plane {
        fn send(&mut self, request: &HttpRequest) -> Result<HttpResponse, TransportError> {
            let path = request.path_and_query.as_str();
            self.sent.push(format!("{:?} {path}", request.method));
            let body = match (request.method, path) {
                (Method::Get, "/api/svc/v1/workspaces?fqn=c1%3Aws1") => json!({
                    "data":[{"id":"ws-123","fqn":"c1:ws1","clusterId":"c1"}],
                    "pagination":{"total":1}}),
                (Method::Get, "/api/svc/v1/clusters/c1") => json!({"data":{"id":"c1",
                    "manifest":{"cluster_type":"aws-eks","base_domains":["*.ml.example.com"],
                    "workbench_config":{"default_storage_class":"efs-sc"}}}}),
                (Method::Get, "/api/svc/v1/apps/app-1") => {
                    json!({"data": volume_item("app-1", "training-data")})
                }
                (Method::Get, _) => {
                    let named: Vec<&Value> = self
                        .held
                        .iter()
                        .filter(|app| {
                            path.contains(&format!(
                                "applicationName={}",
                                app["name"].as_str().unwrap_or_default()
                            ))
                        })
                        .collect();
                    json!({"data": named, "pagination": {"total": named.len()}})
                }
                (Method::Put, "/api/svc/v1/apps") => {
                    let body: Value =
                        serde_json::from_slice(request.body.as_deref().unwrap_or_default())
                            .unwrap();
                    self.puts.push(body.clone());
                    created("training-data", body["manifest"]["config"].clone())
                }
                _ => return Err(TransportError::new("unexpected request")),
            };
            Ok(HttpResponse {
                status: 200,
                body: serde_json::to_vec(&body).unwrap(),
                retry_after_seconds: None,
            })
        }
    }

    /// Answers each question as [`scripted_answer`] does, over `plane`; the fields asked and
    /// the plan's answers.
    fn converse(plane: &mut Plane, own: &[(Field, &str)]) -> (Vec<Field>, Vec<Answer>) {
        let mut answers = Vec::new();
        let mut client = Client::from_env(ENV, &mut *plane, VirtualClock::default());
        for _ in 0..20 {
            match client.interview(&answers, Surface::Tools).unwrap() {
                Step::Confirm(plan) => {
                    assert!(plan.plan.checked_online);
                    assert_eq!(plan.plan.storage_classes, ["efs-sc"]);
                    return (answers.iter().map(|a| a.field).collect(), plan.answers);
                }
                Step::Ask(question) => answers.push(scripted_answer(&question, own)),
            }
        }
        panic!("the interview did not end: {answers:?}");
    }

    /// The question the interview asks next over `transport`.
    fn next_question(transport: impl Transport, answers: &[Answer]) -> Question {
        let step = Client::from_env(ENV, transport, VirtualClock::default())
            .interview(answers, Surface::Tools)
            .unwrap();
        match step {
            Step::Ask(question) => question,
            Step::Confirm(plan) => panic!("expected a question, got {plan:?}"),
        }
    }

    #[test]
    fn an_interview_online_ends_in_answers_that_create_accepts() {
        let mut plane = Plane::holding(vec![]);
        let own = [(Field::Workspace, "c1:ws1"), (Field::Name, "training-data")];
        let (asked, answers) = converse(&mut plane, &own);
        assert_eq!(asked, DYNAMIC_QUESTIONS);
        // Nothing is read before the workspace is answered; then the workspace and its
        // cluster each time, and the name once it is answered: preflight's requests.
        let workspace = "Get /api/svc/v1/workspaces?fqn=c1%3Aws1";
        let cluster = "Get /api/svc/v1/clusters/c1";
        let name = "Get /api/svc/v1/apps?workspaceFqn=c1%3Aws1&applicationName=training-data&offset=0&limit=200";
        let mut expected = vec![workspace, cluster, workspace, cluster];
        for _ in 0..5 {
            expected.extend([workspace, cluster, name]);
        }
        assert_eq!(plane.sent, expected);

        plane.sent.clear();
        let volume = Client::from_env(ENV, &mut plane, VirtualClock::default())
            .create_from_answers(&answers)
            .unwrap();
        assert_eq!(
            volume.status.display, "RUNNING",
            "the interview said to wait"
        );
        assert_eq!(
            plane.puts,
            [
                json!({"workspaceId": "ws-123", "manifest": {"type": "volume",
                "name": "training-data", "config": {"type": "dynamic",
                "storage_class": "efs-sc", "size": 12}, "workspace_fqn": "c1:ws1"}})
            ]
        );
        assert_eq!(
            plane.sent,
            [
                workspace,
                name,
                "Put /api/svc/v1/apps",
                "Get /api/svc/v1/apps/app-1"
            ]
        );
    }

    #[test]
    fn a_name_held_by_a_failed_volume_brings_the_replace_question() {
        let mut failed = volume_item("app-7", "training-data");
        failed["deployment"]["currentStatus"] =
            json!({"status":"DEPLOY_FAILED","state":{"isTerminalState":true}});
        let mut plane = Plane::holding(vec![failed]);
        let answers = [
            Answer {
                field: Field::Workspace,
                value: "c1:ws1".into(),
            },
            Answer {
                field: Field::Kind,
                value: "dynamic".into(),
            },
            Answer {
                field: Field::Name,
                value: "training-data".into(),
            },
        ];
        let question = next_question(&mut plane, &answers);
        assert_eq!(question.field, Field::ReplaceFailed);
        assert!(
            question.question.contains("(id app-7)"),
            "{}",
            question.question
        );

        // A volume that ran is never offered for replacing: the name is asked again.
        let mut plane = Plane::holding(vec![volume_item("app-5", "training-data")]);
        let question = next_question(&mut plane, &answers);
        assert_eq!(
            (question.field, question.problem.as_deref()),
            (
                Field::Name,
                Some("a volume named `training-data` already exists in workspace `c1:ws1` (id app-5)")
            )
        );
    }

    #[test]
    fn an_unknown_workspace_is_asked_again_and_other_failures_are_errors() {
        let answers = [Answer {
            field: Field::Workspace,
            value: "c1:other".into(),
        }];
        let mut plane = Plane::holding(vec![]);
        let question = next_question(&mut plane, &answers);
        assert_eq!(
            (question.field, question.problem.as_deref()),
            (Field::Workspace, Some("workspace `c1:other` not found"))
        );
        assert_eq!(plane.sent, ["Get /api/svc/v1/workspaces?fqn=c1%3Aother"]);

        // A key the control plane refuses is no answer to correct: it is the error.
        let mut transport = Scripted::answering(vec![(
            401,
            json!({"statusCode": 401, "message": "bad key"}),
        )]);
        let step = Client::from_env(ENV, &mut transport, VirtualClock::default())
            .interview(&answers, Surface::Tools);
        assert_eq!(
            step,
            Err(Error::Unauthorized {
                status: 401,
                message: "bad key".into()
            })
        );
    }

    #[test]
    fn without_credentials_the_interview_goes_on_offline() {
        let answers = [Answer {
            field: Field::Workspace,
            value: "c1:ws1".into(),
        }];
        let mut plane = Plane::holding(vec![]);
        let step = Client::from_env(
            [("TFY_BASE_URL", "https://tfy.example.com")],
            &mut plane,
            VirtualClock::default(),
        )
        .interview(&answers, Surface::Tools)
        .unwrap();
        let Step::Ask(question) = step else {
            panic!("expected a question, got {step:?}");
        };
        assert_eq!(question.field, Field::Kind);
        assert_eq!(plane.sent, Vec::<String>::new());
    }
}
