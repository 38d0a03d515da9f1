//! The configuration: every key with its default, and the checks that refuse a bad value at start
//! with the key's name and the reason. Loading (TOML file + `PORTCULLIS_*` environment) is the
//! binary's job; this module only defines and validates the values.

use serde::{Deserialize, Serialize};

mod accounts;
mod audit;
mod cors;
mod email;
pub(crate) mod generic_views;
mod knox;
mod limits;
mod operations;
mod throttle;
pub(crate) mod urls;
mod wire;

pub use crate::auth::classes::AuthenticationClass;
pub(crate) use crate::auth::jwt::JwtConfig;
pub use accounts::{
    DjoserConfig, DjoserSerializers, LoginField, TokenModel, UserField, UserModelConfig,
    UserSerializerConfig,
};
pub use audit::AuditConfig;
pub(crate) use cors::CorsConfig;
pub use email::{EmailBackend, EmailConfig};
pub use knox::KnoxConfig;
pub use limits::LimitsConfig;
pub use operations::{LogFormat, OperationsConfig};
pub use throttle::ThrottleConfig;
pub use urls::UrlPattern;
pub use wire::{CamelCaseConfig, ParserClass, RendererClass};

pub use crate::http::pagination::Style as PaginationStyle;

/// Everything Portcullis can be told. `Config::default()` is a working server on an embedded
/// SQLite file in the working directory.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Address `serve` listens on.
    pub bind: String,
    /// `sqlite://PATH` (created when missing), `sqlite::memory:`, or
    /// `postgres://USER:PASSWORD@HOST:PORT/NAME` (`postgresql://` too).
    pub database_url: String,
    /// The server secret (at least 32 characters). Token digests, sealed token copies and JWT
    /// keys derive from it. When empty it is read from `secret_key_file`, and generated there on
    /// first start.
    pub secret_key: String,
    /// Where the generated secret is kept (mode 0600).
    pub secret_key_file: String,
    /// Django's ALLOWED_HOSTS: exact host names, `.example.com` for a domain and its subdomains,
    /// or `*` for any host.
    pub allowed_hosts: Vec<String>,
    /// Largest request body accepted, in bytes (Django's DATA_UPLOAD_MAX_MEMORY_SIZE).
    pub max_body_bytes: usize,
    /// DRF's DEFAULT_PAGINATION_CLASS: how every list is paginated, unless its resource says
    /// otherwise. The built-in profile (`Config::default()`, `serve` without a file) pages by
    /// number as the reference project does; a configuration file that does not name it gets
    /// Django's default, no pagination (see the binary's loader).
    pub pagination: PaginationStyle,
    /// DRF's PAGE_SIZE for every paginated list.
    pub page_size: u32,
    /// How many password hashes may be computed at once (0 = one less than the CPU cores, at
    /// least one, so that hashing never takes every core).
    pub password_hash_concurrency: usize,
    /// The URL layout, as the project's `urls.py` (see [`urls`]); empty for the reference
    /// project's layout.
    pub urls: Vec<UrlPattern>,
    /// The older spelling of a `[[urls]]` view entry: a built-in endpoint mounted again at an
    /// extra path (added to the layout, whichever it is).
    pub extra_routes: Vec<ExtraRoute>,
    /// The schema file declaring the resources; empty for the built-in `notes` resource.
    pub schema_file: String,
    /// DRF's `DEFAULT_AUTHENTICATION_CLASSES`, in order: `TokenAuthentication` and
    /// `JWTAuthentication` (the reference project's two, in its order, by default).
    pub authentication_classes: Vec<AuthenticationClass>,
    /// DRF's `DEFAULT_RENDERER_CLASSES`, in order (class names or dotted paths): DRF's JSON and
    /// browsable renderers by default, or djangorestframework-camel-case's.
    pub renderer_classes: Vec<RendererClass>,
    /// DRF's `DEFAULT_PARSER_CLASSES`, in order: DRF's JSON, form and multipart parsers by
    /// default, or djangorestframework-camel-case's.
    pub parser_classes: Vec<ParserClass>,
    /// djangorestframework-camel-case's `JSON_CAMEL_CASE["JSON_UNDERSCOREIZE"]` options.
    pub camel_case: CamelCaseConfig,
    /// The user model's `REQUIRED_FIELDS`, as djoser's serializers show them.
    pub user_model: UserModelConfig,
    /// djoser's settings.
    pub djoser: DjoserConfig,
    /// Mail delivery (djoser's activation and reset mails).
    pub email: EmailConfig,
    /// CORS, with django-cors-headers' settings.
    pub cors: CorsConfig,
    /// JSON Web Tokens, with simplejwt's settings.
    pub jwt: JwtConfig,
    /// Throttling, with DRF's settings.
    pub throttle: ThrottleConfig,
    /// Time, size and concurrency limits that keep one client from taking the server.
    pub limits: LimitsConfig,
    /// Health, readiness and metrics endpoints, and the log format.
    pub operations: OperationsConfig,
    /// The audit log of authentication events.
    pub audit: AuditConfig,
    /// django-rest-knox's settings (its views are mounted by `[[urls]]`).
    pub knox: KnoxConfig,
}

/// A built-in endpoint mounted at a second path, as a Django project mounts `obtain_auth_token`
/// under a URL of its own.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ExtraRoute {
    /// The path, starting and ending with `/`.
    pub path: String,
    /// One of [`ExtraRoute::ENDPOINTS`].
    pub endpoint: String,
    /// A throttle scope for this mount only (applied by the throttling layer).
    #[serde(default)]
    pub throttle_scope: Option<String>,
}

impl ExtraRoute {
    /// The endpoints that can be mounted again.
    pub(crate) const ENDPOINTS: &'static [&'static str] = &["obtain_auth_token", "token_login"];
}

impl Default for Config {
    fn default() -> Self {
        Config {
            bind: "127.0.0.1:8000".into(),
            database_url: "sqlite://portcullis.sqlite3".into(),
            secret_key: String::new(),
            secret_key_file: "portcullis.secret".into(),
            allowed_hosts: vec!["127.0.0.1".into(), "localhost".into(), "[::1]".into()],
            max_body_bytes: 2_621_440,
            pagination: PaginationStyle::PageNumberPagination,
            page_size: 20,
            password_hash_concurrency: 0,
            urls: Vec::new(),
            extra_routes: Vec::new(),
            schema_file: String::new(),
            authentication_classes: AuthenticationClass::defaults(),
            renderer_classes: RendererClass::defaults(),
            parser_classes: ParserClass::defaults(),
            camel_case: CamelCaseConfig::default(),
            user_model: UserModelConfig::default(),
            djoser: DjoserConfig::default(),
            email: EmailConfig::default(),
            cors: CorsConfig::default(),
            jwt: JwtConfig::default(),
            throttle: ThrottleConfig::default(),
            limits: LimitsConfig::default(),
            operations: OperationsConfig::default(),
            audit: AuditConfig::default(),
            knox: KnoxConfig::default(),
        }
    }
}

/// One refused value: the key and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigProblem {
    pub key: String,
    pub reason: String,
}

impl std::fmt::Display for ConfigProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.key, self.reason)
    }
}

impl Config {
    /// The defaults a configuration file starts from: the built-in profile, except that a file
    /// that says nothing about pagination gets what Django gives without
    /// DEFAULT_PAGINATION_CLASS, plain lists.
    pub fn file_defaults() -> Config {
        Config {
            pagination: PaginationStyle::None,
            ..Config::default()
        }
    }

    /// Every problem in the configuration, not only the first.
    pub fn problems(&self) -> Vec<ConfigProblem> {
        let mut out = Vec::new();
        let mut bad = |key: &str, reason: String| {
            out.push(ConfigProblem {
                key: key.into(),
                reason,
            })
        };
        if self.bind.parse::<std::net::SocketAddr>().is_err() {
            bad(
                "bind",
                format!("{:?} is not an address like 127.0.0.1:8000", self.bind),
            );
        }
        if crate::store::Database::of_url(&self.database_url).is_none() {
            bad(
                "database_url",
                format!(
                    "{:?} is not supported: use sqlite://PATH, sqlite::memory: or \
                     postgres://USER:PASSWORD@HOST:PORT/NAME",
                    self.database_url
                ),
            );
        }
        if !self.secret_key.is_empty() && self.secret_key.chars().count() < 32 {
            bad("secret_key", "must be at least 32 characters long".into());
        }
        if self.secret_key.is_empty() && self.secret_key_file.trim().is_empty() {
            bad(
                "secret_key_file",
                "must name a file when secret_key is empty".into(),
            );
        }
        AuthenticationClass::check(&self.authentication_classes, &mut bad);
        wire::check(&self.renderer_classes, &self.parser_classes, &mut bad);
        self.user_model.check(&mut bad);
        self.djoser.check(&self.user_model, &mut bad);
        self.check_token_model(&mut bad);
        self.email.check(&mut bad);
        crate::accounts::user_model_problems(self, &mut bad);
        self.check_hosts(&mut bad);
        if self.max_body_bytes < 1024 {
            bad("max_body_bytes", "must be at least 1024".into());
        }
        if self.page_size == 0 || self.page_size > 1000 {
            bad("page_size", "must be between 1 and 1000".into());
        }
        self.check_extra_routes(&mut bad);
        self.cors.check(&mut bad);
        self.jwt.check(&mut bad);
        self.knox.check(&mut bad);
        let scopes: Vec<String> = self
            .url_patterns()
            .into_iter()
            .filter_map(|(_, p)| p.throttle_scope)
            .collect();
        self.throttle.check(&scopes, &mut bad);
        self.limits.check(&mut bad);
        self.operations.check(&mut bad);
        match self.schema() {
            Err(problems) => {
                for p in problems {
                    bad("schema_file", p);
                }
            }
            Ok(schema) => {
                for (key, reason) in crate::http::layout::problems(self, &schema) {
                    bad(&key, reason);
                }
            }
        }
        out
    }

    fn check_hosts(&self, bad: &mut impl FnMut(&str, String)) {
        if self.allowed_hosts.is_empty() {
            bad(
                "allowed_hosts",
                "is empty, so every request would be refused".into(),
            );
        }
        for host in &self.allowed_hosts {
            if host.trim().is_empty() || host.contains('/') || host.contains(char::is_whitespace) {
                bad("allowed_hosts", format!("{host:?} is not a host name"));
            }
        }
    }

    /// djoser's token views need `TOKEN_MODEL`: with `None`, its `login_user` fails on every
    /// login (`None.objects`), so a layout that mounts them is refused.
    fn check_token_model(&self, bad: &mut impl FnMut(&str, String)) {
        use urls::{Include, Mount, View};
        if self.djoser.token_model != TokenModel::None {
            return;
        }
        for (key, pattern) in self.url_patterns() {
            let token_views = match pattern.resolve() {
                Ok(Mount::Include { include, .. }) => include == Include::Authtoken,
                Ok(Mount::View { view, .. }) => {
                    matches!(view, View::TokenCreate | View::TokenDestroy)
                }
                _ => false,
            };
            if token_views {
                bad(
                    &key,
                    "djoser's token views need a token model: djoser.token_model is \"none\""
                        .into(),
                );
            }
        }
    }

    fn check_extra_routes(&self, bad: &mut impl FnMut(&str, String)) {
        for (i, route) in self.extra_routes.iter().enumerate() {
            let key = format!("extra_routes[{i}]");
            if !route.path.starts_with('/') || !route.path.ends_with('/') || route.path.len() < 3 {
                bad(
                    &key,
                    format!("path {:?} must start and end with '/'", route.path),
                );
            }
            if !ExtraRoute::ENDPOINTS.contains(&route.endpoint.as_str()) {
                bad(
                    &key,
                    format!(
                        "endpoint {:?} is unknown; one of: {}",
                        route.endpoint,
                        ExtraRoute::ENDPOINTS.join(", ")
                    ),
                );
            }
        }
    }

    /// The layout's entries with the key each one is reported under: `[[urls]]` (or the
    /// reference project's layout when there is none), then `[[extra_routes]]`.
    pub(crate) fn url_patterns(&self) -> Vec<(String, UrlPattern)> {
        let layout: Vec<(String, UrlPattern)> = if self.urls.is_empty() {
            urls::default_layout()
                .into_iter()
                .map(|p| (format!("the built-in {:?}", p.path), p))
                .collect()
        } else {
            self.urls
                .iter()
                .enumerate()
                .map(|(i, p)| (format!("urls[{i}]"), p.clone()))
                .collect()
        };
        let extra = self
            .extra_routes
            .iter()
            .enumerate()
            .map(|(i, r)| (format!("extra_routes[{i}]"), r.as_pattern()));
        layout.into_iter().chain(extra).collect()
    }

    /// The resources: the schema file's, or the built-in `notes` resource.
    pub fn schema(&self) -> Result<crate::resources::Schema, Vec<String>> {
        if self.schema_file.is_empty() {
            return crate::resources::Schema::parse(crate::resources::schema::DEFAULT_SCHEMA);
        }
        let text = std::fs::read_to_string(&self.schema_file)
            .map_err(|e| vec![format!("cannot read {}: {e}", self.schema_file)])?;
        crate::resources::Schema::parse(&text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Running `serve` in a checkout writes the secret there: `git add -A` must not take it.
    #[test]
    fn the_default_secret_file_is_ignored_by_git() {
        let ignored: Vec<&str> = include_str!("../../../../.gitignore").lines().collect();
        let file = Config::default().secret_key_file;
        assert!(
            ignored.contains(&file.as_str()),
            ".gitignore does not name {file}"
        );
    }

    #[test]
    fn defaults_are_valid() {
        assert_eq!(Config::default().problems(), vec![]);
    }

    #[test]
    fn every_problem_names_its_key() {
        let config = Config {
            bind: "nowhere".into(),
            database_url: "mysql://x".into(),
            secret_key: "short".into(),
            page_size: 0,
            extra_routes: vec![ExtraRoute {
                path: "login".into(),
                endpoint: "nope".into(),
                throttle_scope: None,
            }],
            ..Config::default()
        };
        let keys: Vec<String> = config.problems().into_iter().map(|p| p.key).collect();
        assert_eq!(
            keys,
            [
                "bind",
                "database_url",
                "secret_key",
                "page_size",
                "extra_routes[0]",
                "extra_routes[0]"
            ]
        );
    }
}
