//! The session: the credentials, the transport and the clock, and the one way a request goes
//! out and its answer comes back — retried when that is safe, scrubbed of the API key before
//! anything is decoded, and mapped to an [`Error`] when unsuccessful.

use core::time::Duration;

use super::clock::Clock;
use crate::api::credentials::Credentials;
use crate::api::http::{ApiRequest, HttpResponse, Transport};
use crate::api::retry;
use crate::api::status::{from_status, NotFoundMeans};
use crate::error::{Error, Result};
use crate::redact::{scrub_json, Redact, Secret};

/// What every operation runs in. Only the client and its operations see it.
pub(super) struct Session<T, C> {
    credentials: Result<Credentials>,
    transport: T,
    clock: C,
}

impl<T: Transport, C: Clock> Session<T, C> {
    pub(super) fn new(credentials: Result<Credentials>, transport: T, clock: C) -> Self {
        Session {
            credentials,
            transport,
            clock,
        }
    }

    /// Runs `operation` and scrubs the API key from whatever it returns, result or error.
    pub(super) fn run<R: Redact>(
        &mut self,
        operation: impl FnOnce(&mut Self) -> Result<R>,
    ) -> Result<R> {
        let result = operation(self);
        match &self.credentials {
            Ok(credentials) => result.redact(&Secret::new(credentials.api_key.expose())),
            Err(_) => result,
        }
    }

    /// Sends one request, retrying when [`retry::delay_before_retry`] allows. The body that
    /// comes back is scrubbed of the key; a non-2xx answer becomes the matching error, where
    /// `not_found` says what a 404 means.
    pub(super) fn call(
        &mut self,
        request: &ApiRequest,
        not_found: Option<NotFoundMeans<'_>>,
    ) -> Result<HttpResponse> {
        let credentials = self.credentials.as_ref().map_err(Clone::clone)?;
        let secret = Secret::new(credentials.api_key.expose());
        let http = request.to_http(credentials);
        let mut attempt = 1;
        let outcome = loop {
            let outcome = self.transport.send(&http);
            match retry::delay_before_retry(request.method, &outcome, attempt) {
                Some(delay) => {
                    self.clock.sleep(delay);
                    attempt += 1;
                }
                None => break outcome,
            }
        };
        let mut response = outcome.map_err(|failure| Error::Transport {
            message: failure.message.redact(&secret),
        })?;
        // Before any decoding: a key decoded from an escape, or clipped with a message,
        // would no longer be found afterwards.
        response.body = scrub_json(core::mem::take(&mut response.body), &secret);
        if response.is_success() {
            Ok(response)
        } else {
            Err(from_status(response.status, &response.body, not_found))
        }
    }

    /// The clock's time.
    pub(super) fn now(&mut self) -> Duration {
        self.clock.now()
    }

    /// Sleeps on the clock.
    pub(super) fn sleep(&mut self, duration: Duration) {
        self.clock.sleep(duration)
    }
}
