//! `[[urls]]` entries that are DRF generic views: `view = "ListCreateAPIView"` (and the other
//! eight) over a declared resource, and `view = "CreateAPIView"` with `model = "User"`, the
//! tutorials' registration. This module reads such an entry into a [`GenericView`] or a
//! [`RegisterView`]; whether its names exist in the schema is [`crate::http::layout`]'s check.

use serde_json::Value;

use super::urls::UrlPattern;
use crate::http::converters::RoutePattern;

/// DRF's concrete generic views, by what they answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum GenericKind {
    ListCreate,
    List,
    Create,
    Retrieve,
    Update,
    Destroy,
    RetrieveUpdateDestroy,
    RetrieveUpdate,
    RetrieveDestroy,
}

const KINDS: &[(&str, GenericKind)] = &[
    ("ListCreateAPIView", GenericKind::ListCreate),
    ("ListAPIView", GenericKind::List),
    ("CreateAPIView", GenericKind::Create),
    ("RetrieveAPIView", GenericKind::Retrieve),
    ("UpdateAPIView", GenericKind::Update),
    ("DestroyAPIView", GenericKind::Destroy),
    (
        "RetrieveUpdateDestroyAPIView",
        GenericKind::RetrieveUpdateDestroy,
    ),
    ("RetrieveUpdateAPIView", GenericKind::RetrieveUpdate),
    ("RetrieveDestroyAPIView", GenericKind::RetrieveDestroy),
];

impl GenericKind {
    /// `generics.ListCreateAPIView` or `rest_framework.generics.ListCreateAPIView` too.
    pub(crate) fn parse(name: &str) -> Option<GenericKind> {
        let short = name
            .trim_start_matches("rest_framework.")
            .trim_start_matches("generics.");
        KINDS.iter().find(|(n, _)| *n == short).map(|(_, k)| *k)
    }

    /// Whether the view works on one object, found by its lookup field in the URL.
    pub(crate) fn is_detail(self) -> bool {
        !matches!(
            self,
            GenericKind::ListCreate | GenericKind::List | GenericKind::Create
        )
    }

    /// The words of a default view name: `Note List Create` for `ListCreateAPIView` on notes.
    pub(crate) fn words(self) -> &'static str {
        match self {
            GenericKind::ListCreate => "List Create",
            GenericKind::List => "List",
            GenericKind::Create => "Create",
            GenericKind::Retrieve => "Retrieve",
            GenericKind::Update => "Update",
            GenericKind::Destroy => "Destroy",
            GenericKind::RetrieveUpdateDestroy => "Retrieve Update Destroy",
            GenericKind::RetrieveUpdate => "Retrieve Update",
            GenericKind::RetrieveDestroy => "Retrieve Destroy",
        }
    }
}

/// DRF's permission classes a generic view may name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PermissionClass {
    AllowAny,
    IsAuthenticated,
    IsAdminUser,
    IsAuthenticatedOrReadOnly,
}

fn permission_class(name: &str) -> Result<PermissionClass, String> {
    Ok(
        match name
            .trim_start_matches("rest_framework.")
            .trim_start_matches("permissions.")
        {
            "AllowAny" => PermissionClass::AllowAny,
            "IsAuthenticated" => PermissionClass::IsAuthenticated,
            "IsAdminUser" => PermissionClass::IsAdminUser,
            "IsAuthenticatedOrReadOnly" => PermissionClass::IsAuthenticatedOrReadOnly,
            other => {
                return Err(format!(
                    "permission class {other:?} is not supported on a generic view; one of \
                     AllowAny, IsAuthenticated, IsAdminUser, IsAuthenticatedOrReadOnly (an \
                     object-level rule such as IsOwner is a queryset rule or the resource's \
                     access)"
                ));
            }
        },
    )
}

/// The right-hand side of one `filter(...)` term of `get_queryset()`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum QueryValue {
    /// `owner=self.request.user`
    User,
    /// `project_id=self.kwargs["project_id"]`, written `"<project_id>"`.
    Kwarg(String),
    /// `published=True`, `status="open"`, `priority=2`.
    Literal(Value),
}

/// One `filter(...)` term: a field of the resource (`owner`), or a field of the row a reference
/// points to (`project__owner`), and its value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct QueryTerm {
    pub(crate) field: String,
    /// The field across the reference: `owner` in `project__owner`.
    pub(crate) through: Option<String>,
    pub(crate) value: QueryValue,
}

/// A generic view over a resource.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct GenericView {
    pub(crate) kind: GenericKind,
    pub(crate) route: RoutePattern,
    pub(crate) resource: String,
    /// `None`: the project's default permission (IsAuthenticated, the reference's setting).
    pub(crate) permissions: Option<Vec<PermissionClass>>,
    /// `get_queryset()`: every term must hold (empty: `Model.objects.all()`).
    pub(crate) queryset: Vec<QueryTerm>,
    /// `lookup_field` (`pk` by default); the URL keyword of the same name holds its value.
    pub(crate) lookup_field: String,
    pub(crate) name: Option<String>,
    pub(crate) description: Option<String>,
}

/// The tutorials' registration: a `CreateAPIView` over Django's `User` with a serializer of
/// the project's own.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct RegisterView {
    pub(crate) path: String,
    /// `Meta.fields`, in order: `id`, `username`, `password`, and any of `email`,
    /// `first_name`, `last_name`.
    pub(crate) fields: Vec<String>,
    /// `password = serializers.CharField(write_only=True, ...)` declared on the serializer
    /// (no max_length) rather than the model's field made write-only in `extra_kwargs`
    /// (`max_length=128`).
    pub(crate) declared_password: bool,
    /// `validators=[validate_password]` on the password field.
    pub(crate) password_validators: bool,
    /// The answer is `{"user": ..., "token": ...}` with the new user's DRF token.
    pub(crate) with_token: bool,
    pub(crate) permissions: Option<Vec<PermissionClass>>,
    pub(crate) name: Option<String>,
    pub(crate) description: Option<String>,
}

/// The user fields a registration serializer may list.
pub(crate) const USER_FIELDS: &[&str] = &[
    "id",
    "username",
    "password",
    "email",
    "first_name",
    "last_name",
];

impl UrlPattern {
    pub(crate) fn permission_classes(&self) -> Result<Option<Vec<PermissionClass>>, String> {
        self.permission_classes
            .as_ref()
            .map(|names| names.iter().map(|n| permission_class(n)).collect())
            .transpose()
    }

    /// A generic view over `resource`.
    pub(crate) fn generic_view(&self, kind: GenericKind) -> Result<GenericView, String> {
        let route = RoutePattern::parse(&self.path)?;
        let resource = self.resource.clone().ok_or_else(|| {
            "a generic view needs resource = \"<name>\" (its queryset's model), or \
             model = \"User\" for a registration CreateAPIView"
                .to_string()
        })?;
        let lookup_field = self.lookup_field.clone().unwrap_or_else(|| "pk".into());
        if kind.is_detail() && !route.has_kwarg(&lookup_field) {
            // DRF's get_object asserts the URL keyword is there.
            return Err(format!(
                "a {} finds its object by the URL keyword {lookup_field:?} (lookup_field), \
                 which the path does not capture",
                kind_name(kind)
            ));
        }
        let queryset = self
            .queryset
            .iter()
            .flatten()
            .map(|(key, value)| query_term(key, value, &route))
            .collect::<Result<_, _>>()?;
        Ok(GenericView {
            kind,
            route,
            resource,
            permissions: self.permission_classes()?,
            queryset,
            lookup_field,
            name: self.name.clone(),
            description: self.description.clone(),
        })
    }

    /// A registration view over Django's user model.
    pub(crate) fn register_view(&self) -> Result<RegisterView, String> {
        let fields = self.fields.clone().ok_or_else(|| {
            "a CreateAPIView on User needs fields = [...] (its serializer's Meta.fields)"
                .to_string()
        })?;
        if let Some(bad) = fields.iter().find(|f| !USER_FIELDS.contains(&f.as_str())) {
            return Err(format!(
                "field {bad:?} is not one of {}",
                USER_FIELDS.join(", ")
            ));
        }
        for needed in ["username", "password"] {
            if !fields.iter().any(|f| f == needed) {
                return Err(format!(
                    "fields must include {needed:?}: create_user() needs it"
                ));
            }
        }
        let write_only = self.write_only.clone().unwrap_or_default();
        if !write_only.iter().any(|f| f == "password") {
            // Without it Django answers the password hash; Portcullis refuses to.
            return Err(
                "password must be in write_only (extra_kwargs = {\"password\": \
                        {\"write_only\": True}}): otherwise DRF answers the stored hash"
                    .into(),
            );
        }
        if let Some(other) = write_only.iter().find(|f| *f != "password") {
            return Err(format!(
                "write_only {other:?}: only the password can be write-only"
            ));
        }
        let declared_password = match self.password_field.as_deref() {
            None | Some("model") => false,
            Some("CharField") => true,
            Some(other) => {
                return Err(format!(
                    "password_field {other:?} is not \"model\" (the model's field, \
                     max_length 128) or \"CharField\" (serializers.CharField declared on the \
                     serializer)"
                ));
            }
        };
        let with_token = match self.response.as_deref() {
            None | Some("user") => false,
            Some("user_and_token") => true,
            Some(other) => {
                return Err(format!(
                    "response {other:?} is not \"user\" (serializer.data) or \
                     \"user_and_token\" ({{\"user\": ..., \"token\": ...}})"
                ));
            }
        };
        Ok(RegisterView {
            path: self.path.clone(),
            fields,
            declared_password,
            password_validators: self.password_validators.unwrap_or(false),
            with_token,
            permissions: self.permission_classes()?,
            name: self.name.clone(),
            description: self.description.clone(),
        })
    }
}

fn kind_name(kind: GenericKind) -> &'static str {
    KINDS
        .iter()
        .find(|(_, k)| *k == kind)
        .map_or("generic view", |(n, _)| *n)
}

/// `owner = "request.user"`, `project = "<project_id>"`, `published = true`.
fn query_term(key: &str, value: &Value, route: &RoutePattern) -> Result<QueryTerm, String> {
    let (field, through) = match key.split_once("__") {
        Some((field, through)) if !through.contains("__") => {
            (field.to_string(), Some(through.to_string()))
        }
        Some(_) => {
            return Err(format!(
                "queryset key {key:?}: Portcullis follows one reference (field__other), \
                 not more"
            ));
        }
        None => (key.to_string(), None),
    };
    let value = match value {
        Value::String(s) if s == "request.user" => QueryValue::User,
        Value::String(s) if s.starts_with('<') && s.ends_with('>') => {
            let name = &s[1..s.len() - 1];
            if !route.has_kwarg(name) {
                return Err(format!(
                    "queryset {key:?} = {s:?}: the path captures no {name:?}"
                ));
            }
            QueryValue::Kwarg(name.to_string())
        }
        Value::String(_) | Value::Bool(_) | Value::Number(_) => QueryValue::Literal(value.clone()),
        other => {
            return Err(format!(
                "queryset {key:?} = {other}: a value is \"request.user\", \"<url keyword>\", \
                 or a string, number or boolean"
            ));
        }
    };
    Ok(QueryTerm {
        field,
        through,
        value,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::urls::Mount;

    fn entry(path: &str, view: &str) -> UrlPattern {
        UrlPattern {
            path: path.into(),
            view: Some(view.into()),
            ..UrlPattern::default()
        }
    }

    #[test]
    fn a_nested_list_reads_like_its_get_queryset() {
        let pattern = UrlPattern {
            resource: Some("tasks".into()),
            queryset: Some(
                [
                    ("project".to_string(), json_str("<project_id>")),
                    ("project__owner".to_string(), json_str("request.user")),
                ]
                .into(),
            ),
            ..entry("api/projects/<int:project_id>/tasks/", "ListCreateAPIView")
        };
        let Ok(Mount::Generic(view)) = pattern.resolve() else {
            panic!("{:?}", pattern.resolve());
        };
        assert_eq!(view.route.route, "api/projects/{project_id}/tasks/");
        assert_eq!(view.queryset.len(), 2);
        assert_eq!(view.queryset[1].through.as_deref(), Some("owner"));
        assert_eq!(view.queryset[1].value, QueryValue::User);
    }

    fn json_str(s: &str) -> Value {
        Value::String(s.into())
    }

    #[test]
    fn each_refusal_says_why() {
        let register = |fields: &[&str], write_only: &[&str]| UrlPattern {
            model: Some("User".into()),
            fields: Some(fields.iter().map(|f| f.to_string()).collect()),
            write_only: Some(write_only.iter().map(|f| f.to_string()).collect()),
            ..entry("api/register/", "CreateAPIView")
        };
        let cases = [
            (
                UrlPattern {
                    resource: Some("notes".into()),
                    ..entry("api/notes/<int:id>/", "DestroyAPIView")
                },
                "does not capture",
            ),
            (
                entry("api/notes/<int:pk>/", "RetrieveAPIView"),
                "needs resource",
            ),
            (
                UrlPattern {
                    resource: Some("notes".into()),
                    permission_classes: Some(vec!["IsOwner".into()]),
                    ..entry("api/notes/", "ListAPIView")
                },
                "not supported on a generic view",
            ),
            (
                UrlPattern {
                    resource: Some("notes".into()),
                    queryset: Some([("owner".to_string(), json_str("<user_id>"))].into()),
                    ..entry("api/notes/", "ListAPIView")
                },
                "captures no",
            ),
            (
                register(&["id", "username", "password"], &[]),
                "stored hash",
            ),
            (
                register(&["id", "username"], &[]),
                "must include \"password\"",
            ),
            (
                register(&["id", "username", "password", "is_staff"], &["password"]),
                "not one of",
            ),
            (
                UrlPattern {
                    model: Some("User".into()),
                    ..entry("api/users/<int:pk>/", "RetrieveAPIView")
                },
                "CreateAPIView only",
            ),
            (
                UrlPattern {
                    throttle_scope: Some("x".into()),
                    ..register(&["id", "username", "password"], &["password"])
                },
                "throttle_scope does not apply",
            ),
        ];
        for (pattern, why) in cases {
            let err = pattern.resolve().expect_err(why);
            assert!(err.contains(why), "{err} lacks {why}");
        }
    }
}
