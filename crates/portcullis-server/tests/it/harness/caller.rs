//! Callers: registered users that carry their identity, so that a test says who asks once
//! (`let ann = app.user("ann").await; ann.get(path).await`). A [`Caller`] sends its DRF token,
//! a [`JwtCaller`] its JWT access token; both dereference to the [`Client`] that does it.
//! They are made by [`TestApp::user`], [`TestApp::staff`], [`TestApp::superuser`],
//! [`TestApp::jwt_user`] and [`Caller::jwt`].

use std::ops::Deref;

use super::{Client, PASSWORD, TestApp};

/// A registered user signed in with DRF's token authentication: every request it sends
/// carries `Authorization: Token <token>`.
pub(crate) struct Caller<'a> {
    pub(crate) id: i64,
    pub(crate) username: String,
    /// The DRF key, for the tests that send it some other way (a malformed header, a body).
    pub(crate) token: String,
    client: Client<'a>,
}

impl<'a> Caller<'a> {
    /// `username` (the user `id`) signed in with `token`.
    pub(crate) fn new(app: &'a TestApp, id: i64, username: &str, token: String) -> Caller<'a> {
        Caller {
            id,
            username: username.to_string(),
            client: app.with_key(&token),
            token,
        }
    }

    /// The same user signed in with simplejwt (`POST /auth/jwt/create/` with [`PASSWORD`]).
    pub(crate) async fn jwt(&self) -> JwtCaller<'a> {
        JwtCaller::sign_in(self.client.app(), self.id, &self.username).await
    }
}

impl<'a> Deref for Caller<'a> {
    type Target = Client<'a>;

    fn deref(&self) -> &Client<'a> {
        &self.client
    }
}

/// A registered user signed in with simplejwt: every request it sends carries
/// `Authorization: Bearer <access>`.
pub(crate) struct JwtCaller<'a> {
    pub(crate) id: i64,
    username: String,
    pub(crate) refresh: String,
    pub(crate) access: String,
    client: Client<'a>,
}

impl<'a> JwtCaller<'a> {
    /// `POST /auth/jwt/create/` for `username` (the user `id`) with [`PASSWORD`], which must
    /// succeed.
    pub(crate) async fn sign_in(app: &'a TestApp, id: i64, username: &str) -> JwtCaller<'a> {
        let (refresh, access) = app.jwt_pair(username, PASSWORD).await;
        JwtCaller {
            id,
            username: username.to_string(),
            client: app.bearer(&access),
            refresh,
            access,
        }
    }

    /// The same user with another pair (another `POST /auth/jwt/create/`).
    pub(crate) async fn jwt(&self) -> JwtCaller<'a> {
        JwtCaller::sign_in(self.client.app(), self.id, &self.username).await
    }
}

impl<'a> Deref for JwtCaller<'a> {
    type Target = Client<'a>;

    fn deref(&self) -> &Client<'a> {
        &self.client
    }
}
