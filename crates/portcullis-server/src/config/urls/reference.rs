//! The reference project's `urls.py` as `[[urls]]` entries, and the older `[[extra_routes]]`
//! spelling as the entries it stands for.

use super::UrlPattern;
use crate::config::ExtraRoute;

/// The reference project's `urls.py`: the layout of a configuration without `[[urls]]`, and
/// Portcullis's `auth/logout_all/` beside djoser's URLs.
pub(crate) fn default_layout() -> Vec<UrlPattern> {
    let view = |path: &str, view: &str| UrlPattern {
        path: path.into(),
        view: Some(view.into()),
        ..UrlPattern::default()
    };
    let include = |path: &str, include: &str| UrlPattern {
        path: path.into(),
        include: Some(include.into()),
        ..UrlPattern::default()
    };
    vec![
        view("api-token-auth/", "obtain_auth_token"),
        view("api/token/", "TokenObtainPairView"),
        view("api/token/refresh/", "TokenRefreshView"),
        view("api/token/verify/", "TokenVerifyView"),
        view("api/token/blacklist/", "TokenBlacklistView"),
        UrlPattern {
            path: "api/".into(),
            router: Some("DefaultRouter".into()),
            ..UrlPattern::default()
        },
        include("auth/", "djoser.urls"),
        include("auth/", "djoser.urls.authtoken"),
        include("auth/", "djoser.urls.jwt"),
        view("auth/logout_all/", "logout_all"),
    ]
}

impl ExtraRoute {
    /// The older spelling as the `[[urls]]` entry it is.
    pub(crate) fn as_pattern(&self) -> UrlPattern {
        let view = match self.endpoint.as_str() {
            "token_login" => "TokenCreateView",
            other => other,
        };
        UrlPattern {
            path: self.path.trim_start_matches('/').into(),
            view: Some(view.into()),
            throttle_scope: self.throttle_scope.clone(),
            ..UrlPattern::default()
        }
    }
}
