//! djoser's `SERIALIZERS["user"]`, `["current_user"]` and `["user_create"]` as the project
//! declares them (`[djoser.serializers.*]`: `Meta.fields` and `Meta.read_only_fields`), or
//! djoser's own when absent, resolved once into the list of fields each renders and accepts.
//!
//! Whatever a project's `read_only_fields` says, djoser never writes `is_staff`,
//! `is_superuser`, `is_active` or `password` here: with them writable a user could make itself
//! staff through `/users/me/`, and Portcullis's one rule is that only a superuser grants those
//! flags. `check` refuses such a serializer with that reason instead of serving it, and
//! likewise a writable `date_joined`/`last_login` (kept by Portcullis) or the email of a model
//! that logs in with it (changed through `set_email`). A writable `username` is served as DRF
//! serves it (see `user_fields::changed_username`).

use crate::config::{Config, LoginField, UserSerializerConfig};

use super::own_fields::OwnFields;

/// A field of the user model a serializer can list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ModelField {
    Id,
    Username,
    Email,
    FirstName,
    LastName,
    IsActive,
    IsStaff,
    IsSuperuser,
    DateJoined,
    LastLogin,
    Password,
    /// A field of the custom model (`[[user_model.fields]]`), by the serializer field's name.
    Own,
}

/// One field of a resolved serializer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SerializerField {
    pub(crate) name: String,
    pub(crate) model: ModelField,
    pub(crate) read_only: bool,
}

/// Which of djoser's serializers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Which {
    User,
    CurrentUser,
    UserCreate,
}

impl Which {
    fn key(self) -> &'static str {
        match self {
            Which::User => "djoser.serializers.user",
            Which::CurrentUser => "djoser.serializers.current_user",
            Which::UserCreate => "djoser.serializers.user_create",
        }
    }

    fn declared(self, config: &Config) -> Option<&UserSerializerConfig> {
        let s = &config.djoser.serializers;
        match self {
            Which::User => s.user.as_ref(),
            Which::CurrentUser => s.current_user.as_ref(),
            Which::UserCreate => s.user_create.as_ref(),
        }
    }
}

/// The model field `name` names on this project's model; `None` when it names none.
fn model_field(config: &Config, own: &OwnFields, name: &str) -> Option<ModelField> {
    let email_login = config.user_model.username_field == LoginField::Email;
    Some(match name {
        "id" | "pk" => ModelField::Id,
        // A model whose USERNAME_FIELD is the email has `username = None`.
        "username" if !email_login => ModelField::Username,
        "email" => ModelField::Email,
        "first_name" => ModelField::FirstName,
        "last_name" => ModelField::LastName,
        "is_active" => ModelField::IsActive,
        "is_staff" => ModelField::IsStaff,
        "is_superuser" => ModelField::IsSuperuser,
        "date_joined" => ModelField::DateJoined,
        "last_login" => ModelField::LastLogin,
        "password" => ModelField::Password,
        _ if own.field(name).is_some() => ModelField::Own,
        _ => return None,
    })
}

/// djoser's own `Meta`: `REQUIRED_FIELDS + (pk, LOGIN_FIELD)` with the login field read-only
/// for the user serializers, `REQUIRED_FIELDS + (LOGIN_FIELD, pk, "password")` for creation.
/// A name listed twice is kept once, in its first place, as DRF builds the fields.
fn djoser_default(config: &Config, which: Which) -> UserSerializerConfig {
    let login = config
        .djoser
        .login_field(&config.user_model)
        .name()
        .to_string();
    let mut fields: Vec<String> = config
        .user_model
        .required_fields
        .iter()
        .map(|f| f.name().to_string())
        .collect();
    let tail = match which {
        Which::UserCreate => vec![login.clone(), "id".into(), "password".into()],
        _ => vec!["id".into(), login.clone()],
    };
    fields.extend(tail);
    let read_only_fields = match which {
        Which::UserCreate => Vec::new(),
        _ => vec![login],
    };
    UserSerializerConfig {
        fields,
        read_only_fields,
    }
}

/// The fields of a serializer, in `Meta.fields` order; names that resolve to nothing are
/// left out (`check` reports them).
pub(crate) fn resolve(config: &Config, own: &OwnFields, which: Which) -> Vec<SerializerField> {
    let meta = which
        .declared(config)
        .cloned()
        .unwrap_or_else(|| djoser_default(config, which));
    let mut out: Vec<SerializerField> = Vec::new();
    for name in &meta.fields {
        if out.iter().any(|f| &f.name == name) {
            continue;
        }
        let Some(model) = model_field(config, own, name) else {
            continue;
        };
        let read_only = model == ModelField::Id || meta.read_only_fields.contains(name);
        out.push(SerializerField {
            name: name.clone(),
            model,
            read_only,
        });
    }
    out
}

/// The problems of the declared serializers, as `(key, reason)`.
pub(crate) fn problems(config: &Config, own: &OwnFields, bad: &mut impl FnMut(&str, String)) {
    for which in [Which::User, Which::CurrentUser, Which::UserCreate] {
        let Some(meta) = which.declared(config) else {
            continue;
        };
        let key = which.key();
        check_names(config, own, meta, key, bad);
        for field in resolve(config, own, which) {
            if let Some(why) = refused_writable(config, which, &field) {
                bad(key, format!("{}: {why}", field.name));
            }
        }
        if which == Which::UserCreate {
            check_create(config, meta, key, bad);
        }
    }
}

fn check_names(
    config: &Config,
    own: &OwnFields,
    meta: &UserSerializerConfig,
    key: &str,
    bad: &mut impl FnMut(&str, String),
) {
    if meta.fields.is_empty() {
        bad(
            key,
            "fields is empty: list the fields the serializer shows".into(),
        );
    }
    for (i, name) in meta.fields.iter().enumerate() {
        if meta.fields[..i].contains(name) {
            bad(key, format!("{name} is listed twice in fields"));
        } else if model_field(config, own, name).is_none()
            && !OwnFields::declares(&config.user_model, name)
        {
            bad(
                key,
                format!(
                    "{name:?} names no field of the user model (the fields of AbstractUser and [[user_model.fields]])"
                ),
            );
        }
    }
    for name in &meta.read_only_fields {
        if !meta.fields.contains(name) {
            bad(key, format!("read_only_fields: {name:?} is not in fields"));
        }
    }
}

/// Why a field may not be writable in this serializer, if it may not.
fn refused_writable(config: &Config, which: Which, field: &SerializerField) -> Option<String> {
    if field.read_only {
        return None;
    }
    let login = config.djoser.login_field(&config.user_model).name();
    match field.model {
        ModelField::IsStaff | ModelField::IsSuperuser | ModelField::IsActive => Some(
            "must be in read_only_fields: a user could grant itself this flag, and in Portcullis only a superuser grants it (through the admin API or the command line)".into(),
        ),
        ModelField::Password if which != Which::UserCreate => Some(
            "must not be in fields: the password changes through set_password only".into(),
        ),
        ModelField::DateJoined | ModelField::LastLogin => Some(
            "must be in read_only_fields: Portcullis keeps it (writing it is not supported)".into(),
        ),
        // The email of a model that logs in with it is its identity (kept in the username
        // column too): it changes through set_email only.
        ModelField::Email if field.name == login && which != Which::UserCreate => {
            Some(format!(
                "must be in read_only_fields: the login field changes through set_{} only (djoser's own UserSerializer makes it read-only)",
                config.user_model.username_field.name()
            ))
        }
        _ => None,
    }
}

/// `UserCreateSerializer` needs the login field and the write-only password.
fn check_create(
    config: &Config,
    meta: &UserSerializerConfig,
    key: &str,
    bad: &mut impl FnMut(&str, String),
) {
    let login = config.djoser.login_field(&config.user_model).name();
    if !meta.fields.iter().any(|f| f == login) || meta.read_only_fields.iter().any(|f| f == login) {
        bad(
            key,
            format!("fields must list {login:?}, writable: a user is created with it"),
        );
    }
    if !meta.fields.iter().any(|f| f == "password")
        || meta.read_only_fields.iter().any(|f| f == "password")
    {
        bad(
            key,
            "fields must list \"password\", writable: djoser's UserCreateSerializer declares it (DRF refuses a declared field missing from fields)".into(),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::UserField;

    fn names(config: &Config, which: Which) -> Vec<(String, bool)> {
        resolve(config, &OwnFields::default(), which)
            .into_iter()
            .map(|f| (f.name, f.read_only))
            .collect()
    }

    fn owned(list: &[(&str, bool)]) -> Vec<(String, bool)> {
        list.iter().map(|(n, r)| (n.to_string(), *r)).collect()
    }

    #[test]
    fn djoser_defaults_follow_required_fields_and_the_login_field() {
        let config = Config::default();
        assert_eq!(
            names(&config, Which::User),
            owned(&[("email", false), ("id", true), ("username", true)])
        );
        assert_eq!(
            names(&config, Which::UserCreate),
            owned(&[
                ("email", false),
                ("username", false),
                ("id", true),
                ("password", false)
            ])
        );
    }

    #[test]
    fn a_login_field_in_required_fields_is_kept_once_in_its_first_place() {
        let mut config = Config::default();
        config.djoser.login_field = Some(LoginField::Email);
        config.user_model.required_fields = vec![UserField::Email, UserField::FirstName];
        assert_eq!(
            names(&config, Which::CurrentUser),
            owned(&[("email", true), ("first_name", false), ("id", true)])
        );
    }

    #[test]
    fn a_declared_meta_replaces_djosers_and_id_is_always_read_only() {
        let mut config = Config::default();
        config.djoser.serializers.user = Some(UserSerializerConfig {
            fields: vec!["pk".into(), "is_staff".into(), "last_name".into()],
            read_only_fields: vec!["is_staff".into()],
        });
        assert_eq!(
            names(&config, Which::User),
            owned(&[("pk", true), ("is_staff", true), ("last_name", false)])
        );
        // `current_user` stays djoser's own: SERIALIZERS are set one by one.
        assert_eq!(names(&config, Which::CurrentUser).len(), 3);
    }
}
