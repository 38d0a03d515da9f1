//! What an [`super::endpoint::Endpoint`] declares for the OpenAPI document (see
//! [`crate::openapi`]) beyond what DRF's view attributes already say: which resource's rows it
//! reads and writes, or what an accounts view answers. The request bodies of accounts views are
//! not written here: they are read from the same OPTIONS `actions` the metadata shows.

/// The shape of an endpoint's bodies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
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
    /// An accounts view (djoser, authtoken, simplejwt): what it answers on success.
    Account(Answer),
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
