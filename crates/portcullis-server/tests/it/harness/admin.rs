//! The harness of the admin API tests (`routes/api/admin/`), a layer over the harness core
//! ([`TestApp`]): the application with the resources migrated as `serve` migrates them and
//! no login limit in the way. Staff users are created as `createsuperuser` creates them;
//! everyone else registers and logs in over HTTP. `call`, `send`, `token`, `jwt_pair`,
//! `me_bearer` and the rest come from [`TestApp`].
use std::ops::Deref;

use portcullis_server::Config;
use portcullis_server::store::UserUpdate;

use super::{Response, TestApp};

pub(crate) const NOT_PROVIDED: &str = "Authentication credentials were not provided.";
pub(crate) const DENIED: &str = "You do not have permission to perform this action.";

pub(crate) struct AdminApp(TestApp);

impl Deref for AdminApp {
    type Target = TestApp;

    fn deref(&self) -> &TestApp {
        &self.0
    }
}

impl AdminApp {
    pub(crate) async fn new() -> AdminApp {
        AdminApp::with_config(Config::default()).await
    }

    /// `config`, except that every request of a oneshot test comes from one client: no login
    /// limit in the way.
    pub(crate) async fn with_config(config: Config) -> AdminApp {
        AdminApp(TestApp::migrated(super::with_many_logins(config)).await)
    }

    /// `POST /api-token-auth/`.
    pub(crate) async fn login(&self, username: &str, password: &str) -> Response {
        self.0.login("/api-token-auth/", username, password).await
    }

    /// A superuser created as `createsuperuser` creates it: `(id, token)`.
    pub(crate) async fn superuser(&self, username: &str) -> (i64, String) {
        self.superuser_with_token(username).await
    }

    /// A registered user: `(id, token)`.
    pub(crate) async fn user(&self, username: &str) -> (i64, String) {
        self.user_with_token(username).await
    }

    /// A staff user that is not a superuser: `(id, token)`.
    pub(crate) async fn staff(&self, username: &str) -> (i64, String) {
        let (id, token) = self.user(username).await;
        let update = UserUpdate {
            is_staff: Some(true),
            ..UserUpdate::default()
        };
        self.store()
            .update_user(id, &update)
            .await
            .expect("the staff flag is set");
        (id, token)
    }

    /// `GET /auth/users/me/` with a DRF token.
    pub(crate) async fn me(&self, token: &str) -> Response {
        self.me_token(token).await
    }
}
