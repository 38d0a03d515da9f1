//! An endpoint as one declaration: its name, methods, authentication, permission, throttle,
//! parsers, OPTIONS actions and an `async fn` handler. [`super::dispatch::dispatch`] applies the
//! declaration in DRF's order, [`super::routing`] mounts it, and the OPTIONS metadata (and any
//! later description of the API) read the same value, so nothing about an endpoint is written
//! twice.
//!
//! The defaults are DRF's settings as the oracle configures them: the default authentication
//! classes with a `Token` challenge, `IsAuthenticated`, the default throttles, the JSON, form
//! and multipart parsers, and the JSON and browsable renderers.
//!
//! ```text
//! pub fn endpoint() -> Endpoint {
//!     Endpoint::new("Token Create", &[Method::POST], handle)
//!         .permission(Permission::AllowAny)
//!         .throttle(Throttle::Login)
//! }
//! async fn handle(req: ApiRequest) -> Result<Response, ApiError> { ... }
//! ```

use std::borrow::Cow;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use axum::http::Method;
use axum::response::Response;
use serde_json::Value;

use super::endpoint_doc::Doc;
use super::throttle::ScopeOverride;
use super::wire::{DRF_RENDERERS, JSON_ONLY};
use super::{ApiError, ApiRequest};
use crate::auth::classes::AuthenticationClass;
use crate::config::RendererClass;

pub(crate) type HandlerFuture = Pin<Box<dyn Future<Output = Result<Response, ApiError>> + Send>>;
pub(crate) type CheckFuture<'a> = Pin<Box<dyn Future<Output = Result<(), ApiError>> + Send + 'a>>;
pub(crate) type ActionsFuture<'a> = Pin<Box<dyn Future<Output = Option<Value>> + Send + 'a>>;

type Handler = Arc<dyn Fn(ApiRequest) -> HandlerFuture + Send + Sync>;
type Check = Arc<dyn for<'a> Fn(&'a ApiRequest) -> CheckFuture<'a> + Send + Sync>;
type ActionsCheck = Arc<dyn for<'a> Fn(&'a ApiRequest) -> ActionsFuture<'a> + Send + Sync>;

/// Which of DRF's throttles apply to an endpoint (`throttle_classes`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Throttle {
    /// `DEFAULT_THROTTLE_CLASSES`: the anonymous and user rates.
    Default,
    /// A login endpoint: the default throttles, the `login` scope and the per-account limit
    /// of failed logins.
    Login,
}

/// `authentication_classes`, reduced to what is observable: whether credentials are read at all,
/// and the `WWW-Authenticate` challenge of a 401.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Authentication {
    /// `DEFAULT_AUTHENTICATION_CLASSES` as configured; the first class gives the challenge, and
    /// with no class at all a 401 becomes a 403, as DRF does.
    Default,
    /// simplejwt's token views: `authentication_classes = ()` (every request is anonymous,
    /// whatever it carries), but simplejwt's own challenge on their 401s.
    JwtTokenView,
    /// knox's `LogoutView` and `LogoutAllView`: `authentication_classes =
    /// (knox.auth.TokenAuthentication,)`, knox's challenge.
    Knox,
}

impl Authentication {
    /// Whether the request's credentials are read at all.
    pub(crate) fn reads_credentials(self) -> bool {
        self != Authentication::JwtTokenView
    }

    /// The `WWW-Authenticate` value of a 401 (DRF's `get_authenticate_header`); `None` turns a
    /// 401 into a 403.
    pub(crate) fn challenge(self, config: &crate::config::Config) -> Option<String> {
        let jwt = || {
            let keyword = config
                .jwt
                .auth_header_types
                .first()
                .map_or("Bearer", String::as_str);
            format!("{keyword} realm=\"api\"")
        };
        match self {
            Authentication::JwtTokenView => Some(jwt()),
            Authentication::Knox => Some(config.knox.auth_header_prefix.clone()),
            Authentication::Default => match config.authentication_classes.first()? {
                AuthenticationClass::Token => Some("Token".into()),
                AuthenticationClass::Jwt => Some(jwt()),
                AuthenticationClass::Knox => Some(config.knox.auth_header_prefix.clone()),
            },
        }
    }
}

/// `permission_classes`, as a value.
#[derive(Clone)]
pub(crate) enum Permission {
    /// `AllowAny` (and `permission_classes = ()`).
    AllowAny,
    /// `IsAuthenticated`: 401 (or 403 without a challenge) for an anonymous request.
    IsAuthenticated,
    /// `IsAdminUser`: anonymous 401, authenticated non-staff 403.
    IsAdminUser,
    /// `IsAuthenticatedOrReadOnly`: safe methods for anyone, the rest for users.
    IsAuthenticatedOrReadOnly,
    /// A viewset action with `AllowAny` (djoser's email actions): POST for anyone; any other
    /// method reaches the viewset without an action, under its default permission (a user).
    PostForAnyone,
    /// A check of the endpoint's own (it may read the store, and may capture data).
    Custom(Check),
}

impl Permission {
    /// A custom check: `Permission::custom(|req| Box::pin(my_check(req)))`.
    pub(crate) fn custom<F>(check: F) -> Permission
    where
        F: for<'a> Fn(&'a ApiRequest) -> CheckFuture<'a> + Send + Sync + 'static,
    {
        Permission::Custom(Arc::new(check))
    }

    /// DRF's `check_permissions` (before the method is dispatched).
    pub(crate) async fn check(&self, req: &ApiRequest) -> Result<(), ApiError> {
        match self {
            Permission::AllowAny => Ok(()),
            Permission::IsAuthenticated => req.require_user().map(|_| ()),
            Permission::IsAdminUser => match req.user() {
                None => Err(ApiError::NotAuthenticated),
                Some(user) if user.is_staff => Ok(()),
                Some(_) => Err(ApiError::PermissionDenied),
            },
            Permission::IsAuthenticatedOrReadOnly => {
                // HEAD reaches the dispatcher as GET.
                if matches!(req.method, Method::GET | Method::OPTIONS) {
                    Ok(())
                } else {
                    req.require_user().map(|_| ())
                }
            }
            Permission::PostForAnyone => {
                if req.method == Method::POST {
                    Ok(())
                } else {
                    req.require_user().map(|_| ())
                }
            }
            Permission::Custom(check) => check(req).await,
        }
    }
}

impl std::fmt::Debug for Permission {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let name = match self {
            Permission::AllowAny => "AllowAny",
            Permission::IsAuthenticated => "IsAuthenticated",
            Permission::IsAdminUser => "IsAdminUser",
            Permission::IsAuthenticatedOrReadOnly => "IsAuthenticatedOrReadOnly",
            Permission::PostForAnyone => "PostForAnyone",
            Permission::Custom(_) => "Custom",
        };
        f.write_str(name)
    }
}

/// The `actions` of DRF's OPTIONS metadata.
#[derive(Clone)]
pub(crate) enum Actions {
    /// No serializer to describe.
    None,
    /// The same description for every caller.
    Fixed(fn(&crate::config::Config) -> Value),
    /// A description that depends on the caller (DRF checks the permissions of each action,
    /// and for PUT the object's, before listing it); `None` leaves `actions` out.
    Checked(ActionsCheck),
}

impl Actions {
    pub(crate) async fn for_request(&self, req: &ApiRequest) -> Option<Value> {
        match self {
            Actions::None => None,
            Actions::Fixed(describe) => Some(describe(req.state.config())),
            Actions::Checked(check) => check(req).await,
        }
    }
}

/// One endpoint: what DRF knows about a view class before it runs, and its handler.
#[derive(Clone)]
pub(crate) struct Endpoint {
    /// `get_view_name()`, shown by OPTIONS (owned for endpoints named after a resource).
    pub(crate) name: Cow<'static, str>,
    /// `get_view_description()`: the view class's docstring, dedented, as OPTIONS shows it.
    pub(crate) description: Cow<'static, str>,
    /// The handler methods (`GET`, `POST`, ...). `HEAD` follows `GET`, `OPTIONS` is always there.
    pub(crate) methods: &'static [Method],
    /// The view's own `renderer_classes`; `None` for the project's `DEFAULT_RENDERER_CLASSES`.
    pub(crate) renderers: Option<&'static [RendererClass]>,
    pub(crate) authentication: Authentication,
    pub(crate) permission: Permission,
    pub(crate) throttle: Throttle,
    /// A throttle scope of this mount alone (DRF's `throttle_scope` on a view subclass); when
    /// set, it is the only throttle.
    pub(crate) scope: Option<ScopeOverride>,
    /// The view's own `parser_classes`, as media types; `None` for the project's
    /// `DEFAULT_PARSER_CLASSES`.
    pub(crate) parses: Option<&'static [&'static str]>,
    pub(crate) actions: Actions,
    /// What the OpenAPI document says of its bodies.
    pub(crate) doc: Doc,
    handler: Handler,
}

impl Endpoint {
    /// An endpoint with DRF's defaults; `handler` is an `async fn(ApiRequest)` or a closure
    /// returning such a future (for handlers over captured data).
    pub(crate) fn new<F, Fut>(
        name: impl Into<Cow<'static, str>>,
        methods: &'static [Method],
        handler: F,
    ) -> Self
    where
        F: Fn(ApiRequest) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Response, ApiError>> + Send + 'static,
    {
        Endpoint {
            name: name.into(),
            description: Cow::Borrowed(""),
            methods,
            renderers: None,
            authentication: Authentication::Default,
            permission: Permission::IsAuthenticated,
            throttle: Throttle::Default,
            scope: None,
            parses: None,
            actions: Actions::None,
            doc: Doc::Plain,
            handler: Arc::new(move |req| Box::pin(handler(req))),
        }
    }

    /// The view's docstring (DRF shows it dedented, without its outer blank lines).
    pub(crate) fn describe(mut self, description: impl Into<Cow<'static, str>>) -> Self {
        self.description = description.into();
        self
    }

    /// Another `get_view_name()`, a subclass's (`ThrottledObtainAuthToken`).
    pub(crate) fn named(mut self, name: impl Into<Cow<'static, str>>) -> Self {
        self.name = name.into();
        self
    }

    pub(crate) fn permission(mut self, permission: Permission) -> Self {
        self.permission = permission;
        self
    }

    pub(crate) fn authentication(mut self, authentication: Authentication) -> Self {
        self.authentication = authentication;
        self
    }

    pub(crate) fn throttle(mut self, throttle: Throttle) -> Self {
        self.throttle = throttle;
        self
    }

    /// This mount's own throttle scope (see [`Endpoint::scope`]).
    pub(crate) fn scoped(mut self, scope: Option<String>) -> Self {
        self.scope = scope.map(ScopeOverride);
        self
    }

    pub(crate) fn parses(mut self, parses: &'static [&'static str]) -> Self {
        self.parses = Some(parses);
        self
    }

    /// `renderer_classes = (JSONRenderer,)`.
    pub(crate) fn json_only(mut self) -> Self {
        self.renderers = Some(JSON_ONLY);
        self
    }

    /// DRF's own default renderers whatever the project's settings say (Portcullis's own API,
    /// which its console reads in snake_case).
    pub(crate) fn drf_renderers(mut self) -> Self {
        self.renderers = Some(DRF_RENDERERS);
        self
    }

    /// The renderers this view has under `state`'s settings.
    pub(crate) fn renderers<'a>(&self, state: &'a crate::state::AppState) -> &'a [RendererClass] {
        self.renderers.unwrap_or(&state.wire().renderers)
    }

    /// Whether this view's responses are camelized: it renders with the project's classes, and
    /// they are djangorestframework-camel-case's.
    pub(crate) fn camelizes(&self, state: &crate::state::AppState) -> bool {
        self.renderers.is_none() && state.wire().camel_renderers
    }

    /// What the OpenAPI document says of the endpoint's bodies.
    pub(crate) fn documented(mut self, doc: Doc) -> Self {
        self.doc = doc;
        self
    }

    /// The OPTIONS `actions`, the same for every caller.
    pub(crate) fn actions(mut self, describe: fn(&crate::config::Config) -> Value) -> Self {
        self.actions = Actions::Fixed(describe);
        self
    }

    /// The OPTIONS `actions`, depending on the caller.
    pub(crate) fn checked_actions<F>(mut self, describe: F) -> Self
    where
        F: for<'a> Fn(&'a ApiRequest) -> ActionsFuture<'a> + Send + Sync + 'static,
    {
        self.actions = Actions::Checked(Arc::new(describe));
        self
    }

    /// Run the handler for `req.method` (one of `methods`; HEAD arrives as GET).
    pub(crate) fn handle(&self, req: ApiRequest) -> HandlerFuture {
        (self.handler)(req)
    }

    /// DRF's `allowed_methods`, sorted as the oracle's normalized `Allow` header compares them.
    pub(crate) fn allow_header(&self) -> String {
        let mut methods: Vec<&str> = self.methods.iter().map(|m| m.as_str()).collect();
        if self.methods.contains(&Method::GET) {
            methods.push("HEAD");
        }
        methods.push("OPTIONS");
        methods.sort_unstable();
        methods.dedup();
        methods.join(", ")
    }
}

impl std::fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Endpoint")
            .field("name", &self.name)
            .field("methods", &self.methods)
            .field("permission", &self.permission)
            .field("throttle", &self.throttle)
            .finish_non_exhaustive()
    }
}
