//! The names an entry may give its include or its view, as a Django project writes them (the
//! short name or the dotted path), and the refusals of those Portcullis does not have.

/// djoser's URL modules, and knox's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Include {
    /// `djoser.urls`: a `DefaultRouter` with the users viewset.
    Users,
    /// `djoser.urls.authtoken`: `token/login/`, `token/logout/`.
    Authtoken,
    /// `djoser.urls.jwt`: `jwt/create/`, `jwt/refresh/`, `jwt/verify/`.
    Jwt,
    /// `knox.urls`: `login/`, `logout/`, `logoutall/`.
    Knox,
}

/// The views that can be mounted at a path of their own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum View {
    TokenObtainPair,
    TokenRefresh,
    TokenVerify,
    TokenBlacklist,
    ObtainAuthToken,
    /// djoser's `TokenCreateView` (`token/login/`).
    TokenCreate,
    /// djoser's `TokenDestroyView` (`token/logout/`).
    TokenDestroy,
    /// Portcullis's own `logout_all` (no Django counterpart).
    LogoutAll,
}

/// The names an entry may use: the short name and the dotted one a Django user writes.
const INCLUDES: &[(&str, Include)] = &[
    ("djoser.urls", Include::Users),
    ("djoser.urls.base", Include::Users),
    ("djoser.urls.authtoken", Include::Authtoken),
    ("djoser.urls.jwt", Include::Jwt),
    ("knox.urls", Include::Knox),
];

const VIEWS: &[(&str, View)] = &[
    ("TokenObtainPairView", View::TokenObtainPair),
    ("TokenRefreshView", View::TokenRefresh),
    ("TokenVerifyView", View::TokenVerify),
    ("TokenBlacklistView", View::TokenBlacklist),
    ("obtain_auth_token", View::ObtainAuthToken),
    ("ObtainAuthToken", View::ObtainAuthToken),
    ("TokenCreateView", View::TokenCreate),
    ("TokenDestroyView", View::TokenDestroy),
    ("logout_all", View::LogoutAll),
];

/// The modules a view name may be prefixed with (`rest_framework_simplejwt.views.TokenObtainPairView`).
const VIEW_MODULES: &[&str] = &[
    "rest_framework_simplejwt.views.",
    "rest_framework.authtoken.views.",
    "djoser.views.",
];

pub(super) fn resolve_include(name: &str) -> Result<Include, String> {
    if let Some((_, include)) = INCLUDES.iter().find(|(n, _)| *n == name) {
        return Ok(*include);
    }
    let why = match name {
        "rest_framework.urls" => " (DRF's session login pages: Portcullis has no sessions)",
        "djoser.social.urls" | "djoser.urls.social" => " (social login is not supported)",
        _ => "",
    };
    Err(format!(
        "include {name:?} is unknown{why}; one of: djoser.urls, djoser.urls.authtoken, \
         djoser.urls.jwt, knox.urls (a router is router = \"DefaultRouter\")"
    ))
}

pub(super) fn resolve_view(name: &str) -> Result<View, String> {
    let short = VIEW_MODULES
        .iter()
        .find_map(|m| name.strip_prefix(m))
        .unwrap_or(name)
        .trim_end_matches(".as_view()");
    VIEWS
        .iter()
        .find(|(n, _)| *n == short)
        .map(|(_, view)| *view)
        .ok_or_else(|| {
            let names: Vec<&str> = VIEWS.iter().map(|(n, _)| *n).collect();
            format!("view {name:?} is unknown; one of: {}", names.join(", "))
        })
}
