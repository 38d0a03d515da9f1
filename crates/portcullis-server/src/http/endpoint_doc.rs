//! What an [`super::endpoint::Endpoint`] declares for the OpenAPI document (see
//! [`crate::openapi`]) beyond what DRF's view attributes already say: which resource's rows it
//! reads and writes, or what an accounts view takes and answers. An accounts view's request body
//! is read from the OPTIONS `actions` the metadata shows where it declares them; only the views
//! without them describe their serializer here.

use std::sync::Arc;

use serde_json::Value;

use crate::config::Config;

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
    /// One of Portcullis's own account views beside djoser's.
    Own(Own),
}

/// Portcullis's own account views that the document describes (they have no Django
/// counterpart, so their bodies are written down here).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Own {
    /// `GET /auth/sessions/`: the caller's sessions, a plain list.
    Sessions,
    /// `DELETE /auth/sessions/<id>/`: 204; the id is an opaque string.
    Session,
    /// `GET /api/admin/audit/`: the audit log, filtered and paginated by page number.
    AuditLog,
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
    /// A djoser serializer that depends on the settings (`*_RETYPE`, `LOGIN_FIELD`), named as
    /// drf-spectacular names its component.
    Serializer(fn(&Config) -> Serializer),
}

/// A serializer for the document: its class name without `Serializer` (drf-spectacular's
/// component name) and its fields as `SimpleMetadata` describes them.
pub(crate) struct Serializer {
    pub(crate) name: &'static str,
    pub(crate) fields: Value,
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
    /// `resend_activation`: 204, and without `send_activation_email` a 400 without a body
    /// (djoser's bare `Response(status=400)`) besides the 400s of field errors.
    Resend,
    /// djoser's users: the list (GET, paginated as any view) and the registration (POST, 201).
    Users,
    /// One user: GET, PUT and PATCH answer the user, DELETE 204.
    User,
    /// A registration view: 201 with the new user.
    Registered,
}
