//! What an [`super::endpoint::Endpoint`] declares for the OpenAPI document (see
//! [`crate::openapi`]) beyond what DRF's view attributes already say: which resource's rows it
//! reads and writes, or what an accounts view takes and answers. An accounts view's request body
//! is read from the OPTIONS `actions` the metadata shows where it declares them; only the views
//! without them describe their serializer here.

use std::sync::Arc;

use serde_json::Value;

/// The shape of an endpoint's bodies.
#[derive(Clone, Default)]
pub(crate) enum Doc {
    /// Nothing beyond the declaration: a JSON object answers.
    #[default]
    Plain,
    /// `DefaultRouter`'s API root: each registered name and its list URL.
    ApiRoot,
    /// The rows of the schema's resource at `index`: its collection (list and create) or, with
    /// `detail`, one row (retrieve, update, partial update, destroy) — a router's routes and the
    /// generic views alike.
    Resource { index: usize, detail: bool },
    /// An accounts view (djoser, authtoken, simplejwt): what it answers on success, and what it
    /// takes.
    Account(Answer, Takes),
}

impl Doc {
    /// An accounts view whose OPTIONS `actions` describe its request body.
    pub(crate) fn account(answer: Answer) -> Doc {
        Doc::Account(answer, Takes::Actions)
    }
}

/// An accounts view's request body.
#[derive(Clone)]
pub(crate) enum Takes {
    /// The serializer its OPTIONS `actions` describe.
    Actions,
    /// No body (a logout).
    Nothing,
    /// A serializer of its own, described as `SimpleMetadata` describes fields.
    Described(Arc<dyn Fn() -> Value + Send + Sync>),
}

/// What an accounts view answers on success.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Answer {
    /// 200 with these string fields (`{"auth_token": "..."}`).
    Strings(&'static [&'static str]),
    /// 200 with `{}` (simplejwt's verify and blacklist views).
    EmptyObject,
    /// 204 without a body.
    NoContent,
    /// djoser's users: the list (GET, paginated as any view) and the registration (POST, 201).
    Users,
    /// One user: GET, PUT and PATCH answer the user, DELETE 204.
    User,
    /// A registration view: 201 with the new user.
    Registered,
}
