//! Test doubles shared by the core's unit tests: a scripted transport and a virtual clock.

use alloc::collections::VecDeque;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use serde_json::{json, Value};

use core::time::Duration;

use crate::api::http::{HttpRequest, HttpResponse, Transport, TransportError};
use crate::client::Clock;
use crate::offline::interview::{Answer, Field, Question};

/// Answers from a script and records what it was sent.
#[derive(Default)]
pub struct Scripted {
    answers: VecDeque<Result<HttpResponse, TransportError>>,
    /// Every request sent, in order.
    pub sent: Vec<HttpRequest>,
}

impl Scripted {
    /// Answers each request with the next `(status, JSON body)`.
    pub fn answering(answers: Vec<(u16, Value)>) -> Self {
        Scripted {
            answers: answers
                .into_iter()
                .map(|(status, body)| {
                    Ok(HttpResponse {
                        status,
                        body: serde_json::to_vec(&body).unwrap(),
                        retry_after_seconds: None,
                    })
                })
                .collect(),
            ..Scripted::default()
        }
    }

    /// Queues one more answer, which may be a transport failure.
    pub fn then(mut self, answer: Result<HttpResponse, TransportError>) -> Self {
        self.answers.push_back(answer);
        self
    }

    /// The path and query of every request sent.
    pub fn paths(&self) -> Vec<String> {
        self.sent.iter().map(|r| r.path_and_query.clone()).collect()
    }
}

impl Transport for Scripted {
    fn send(&mut self, request: &HttpRequest) -> Result<HttpResponse, TransportError> {
        self.sent.push(request.clone());
        self.answers
            .pop_front()
            .unwrap_or(Err(TransportError::new("script exhausted")))
    }
}

/// Virtual time: only sleeping advances it, and every sleep is recorded.
#[derive(Default)]
pub struct VirtualClock {
    /// The current virtual time.
    pub now: Duration,
    /// Every sleep, in order.
    pub sleeps: Vec<Duration>,
}

impl Clock for VirtualClock {
    fn now(&mut self) -> Duration {
        self.now
    }

    fn sleep(&mut self, duration: Duration) {
        self.sleeps.push(duration);
        self.now += duration;
    }
}

/// Credentials for scripted clients; the key is a canary that must never leak.
pub const ENV: [(&str, &str); 2] = [
    ("TFY_BASE_URL", "https://tfy.example.com/"),
    ("TFY_API_KEY", "sk-canary-123"),
];

/// A workspace lookup answer for `c1:ws1` (id `ws-123`).
pub fn workspace_page() -> Value {
    json!({"data":[{"id":"ws-123","fqn":"c1:ws1"}],"pagination":{"total":1}})
}

/// An empty list page.
pub fn empty_page() -> Value {
    json!({"data":[],"pagination":{"total":0}})
}

/// A running dynamic volume application `c1:ws1:<name>`.
pub fn volume_item(id: &str, name: &str) -> Value {
    json!({"id":id,"name":name,"fqn":format!("c1:ws1:{name}"),"type":"volume",
           "workspaceFqn":"c1:ws1","deployment":{"version":1,"manifest":{
           "type":"volume","name":name,"workspace_fqn":"c1:ws1",
           "config":{"type":"dynamic","storage_class":"efs-sc","size":10}},
           "currentStatus":{"status":"DEPLOY_SUCCESS","state":{"isTerminalState":true}}}})
}

/// A create answer (`{data: Deployment}`), version 1, INITIALIZED.
pub fn created(name: &str, config: Value) -> Value {
    json!({"data":{"id":"dep-1","version":1,"fqn":format!("c1:ws1:{name}:1"),
           "applicationId":"app-1","manifest":{"type":"volume","name":name,
           "workspace_fqn":"c1:ws1","config":config},
           "currentStatus":{"status":"INITIALIZED","state":{"isTerminalState":false}}}})
}

/// What the interview asks, in order, for a dynamic volume without a Volume Browser.
pub const DYNAMIC_QUESTIONS: [Field; 7] = [
    Field::Workspace,
    Field::Kind,
    Field::Name,
    Field::SizeGi,
    Field::StorageClass,
    Field::Browser,
    Field::Wait,
];

/// A scripted user's answer to `question`: their `own` answer for its field, else the
/// default. Panics when there is neither, or when an earlier answer was refused.
pub fn scripted_answer(question: &Question, own: &[(Field, &str)]) -> Answer {
    assert_eq!(question.problem, None, "{question:?}");
    let value = own
        .iter()
        .find(|(field, _)| *field == question.field)
        .map(|(_, value)| String::from(*value))
        .or_else(|| question.default_answer.clone())
        .unwrap_or_else(|| panic!("no answer for {question:?}"));
    Answer {
        field: question.field,
        value,
    }
}
