//! The harness of the admin API tests (`routes/api/admin/`), a layer over the harness core
//! ([`TestApp`]): the application with the resources migrated as `serve` migrates them and
//! no login limit in the way. Callers (`user`, `staff`, `superuser`), `send`, `token`,
//! `jwt_pair` and the rest come from [`TestApp`].
use std::ops::Deref;

use portcullis_server::Config;

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
}
