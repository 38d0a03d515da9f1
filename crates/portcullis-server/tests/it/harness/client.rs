//! `Client`: the one way the tests send a request. A client carries its identity (anonymous,
//! a DRF token, a JWT access token, or any `Authorization` value) so that a test says who asks
//! once, and every request of the harness, whatever helper a test calls, is built here.

use axum::body::Body;
use axum::http::{HeaderValue, Method, Request, StatusCode};
use serde_json::Value;

use super::{Response, TestApp};

/// A client of one [`TestApp`], with the `Authorization` value it sends (if any).
pub(crate) struct Client<'a> {
    app: &'a TestApp,
    authorization: Option<String>,
}

impl<'a> Client<'a> {
    /// A client sending `authorization` as given (`None`: anonymous).
    pub(crate) fn new(app: &'a TestApp, authorization: Option<String>) -> Client<'a> {
        Client { app, authorization }
    }

    /// The application this client sends to.
    pub(super) fn app(&self) -> &'a TestApp {
        self.app
    }

    pub(crate) async fn get(&self, path: &str) -> Response {
        self.call("GET", path, None).await
    }

    /// How long until GET `path`'s body satisfies `check`: for a change another process made,
    /// which an instance on PostgreSQL reads once the database announced it. Panics after
    /// three seconds; callers assert the bound they promise.
    pub(crate) async fn seen_within(
        &self,
        path: &str,
        check: impl Fn(&Value) -> bool,
    ) -> std::time::Duration {
        let start = std::time::Instant::now();
        loop {
            let body = self.get(path).await.json;
            if check(&body) {
                return start.elapsed();
            }
            assert!(
                start.elapsed() < std::time::Duration::from_secs(3),
                "never seen: {body}"
            );
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
    }

    pub(crate) async fn delete(&self, path: &str) -> Response {
        self.call("DELETE", path, None).await
    }

    /// A JSON POST.
    pub(crate) async fn post(&self, path: &str, body: Value) -> Response {
        self.call("POST", path, Some(body)).await
    }

    /// A JSON POST that must create (201); the created row.
    pub(crate) async fn create(&self, path: &str, body: Value) -> Value {
        let reply = self.post(path, body).await;
        assert_eq!(reply.status, StatusCode::CREATED, "create: {}", reply.json);
        reply.json
    }

    /// A JSON PUT.
    pub(crate) async fn put(&self, path: &str, body: Value) -> Response {
        self.call("PUT", path, Some(body)).await
    }

    /// A JSON PATCH.
    pub(crate) async fn patch(&self, path: &str, body: Value) -> Response {
        self.call("PATCH", path, Some(body)).await
    }

    /// Any method, with an optional JSON body.
    pub(crate) async fn call(&self, method: &str, path: &str, body: Option<Value>) -> Response {
        self.send(method, path, &[], body).await
    }

    /// A request with text headers and an optional JSON body (sent as `application/json`).
    pub(crate) async fn send(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<Value>,
    ) -> Response {
        let mut raw_headers: Vec<(&str, &[u8])> =
            headers.iter().map(|(k, v)| (*k, v.as_bytes())).collect();
        let bytes = match body {
            Some(value) => {
                raw_headers.push(("content-type", b"application/json"));
                serde_json::to_vec(&value).expect("the body serializes")
            }
            None => Vec::new(),
        };
        self.raw(method, path, &raw_headers, bytes).await
    }

    /// A form-urlencoded request (as an HTML form sends it).
    pub(crate) async fn form(&self, method: &str, path: &str, form: &str) -> Response {
        let headers: &[(&str, &[u8])] = &[("content-type", b"application/x-www-form-urlencoded")];
        self.raw(method, path, headers, form).await
    }

    /// A request with header values as bytes (not necessarily UTF-8) and a raw body.
    /// `Host: localhost` is added unless a `Host` is given, and the client's `Authorization`
    /// unless one is given.
    pub(crate) async fn raw(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &[u8])],
        body: impl Into<Vec<u8>>,
    ) -> Response {
        let given = |name: &str| headers.iter().any(|(k, _)| k.eq_ignore_ascii_case(name));
        let mut builder = Request::builder()
            .method(Method::from_bytes(method.as_bytes()).expect("a method"))
            .uri(path);
        if !given("host") {
            builder = builder.header("host", "localhost");
        }
        if let Some(authorization) = self
            .authorization
            .as_deref()
            .filter(|_| !given("authorization"))
        {
            builder = builder.header("authorization", authorization);
        }
        for (name, value) in headers {
            let value = HeaderValue::from_bytes(value).expect("a header value");
            builder = builder.header(*name, value);
        }
        let request = builder.body(Body::from(body.into())).expect("a request");
        self.app.send(request).await
    }
}
