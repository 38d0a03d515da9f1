//! djoser's user serializers as the project shapes them (see `djoser_serializers`): rendering
//! a user as DRF's `ModelSerializer` renders each field, their `OPTIONS` metadata, and the
//! writable fields of a request body. With djoser's own serializers a user is
//! `REQUIRED_FIELDS` (`[user_model] required_fields`), then the id and djoser's `LOGIN_FIELD`
//! (read-only: djoser changes it through `set_username` only).

use std::collections::HashMap;

use serde_json::{Map, Value, json};

use super::djoser_serializers::{ModelField, SerializerField, Which, resolve};
use super::own_fields::{OwnFields, OwnValues};
use super::routes::field_info;
use super::user_fields;
use crate::config::{Config, UserField};
use crate::serializer::{CharField, Errors};
use crate::state::AppState;
use crate::store::timestamp::to_drf;
use crate::store::{StoreError, User, UserUpdate};

/// The user model's own fields and djoser's three user serializers, resolved once.
#[derive(Debug, Clone, Default)]
pub(crate) struct UserShape {
    pub(crate) own: OwnFields,
    /// djoser's `LOGIN_FIELD`: validated by the views themselves, never by `profile_input`.
    login: &'static str,
    user: Vec<SerializerField>,
    current_user: Vec<SerializerField>,
    user_create: Vec<SerializerField>,
}

impl UserShape {
    /// Resolve the configuration (checked by `Config::problems`; a broken `[[user_model.fields]]`
    /// leaves the model without fields of its own, and is logged).
    pub(crate) fn new(config: &Config) -> UserShape {
        let own = OwnFields::parse(&config.user_model).unwrap_or_else(|problems| {
            tracing::error!(?problems, "[[user_model.fields]] is invalid; ignoring it");
            OwnFields::default()
        });
        UserShape {
            user: resolve(config, &own, Which::User),
            current_user: resolve(config, &own, Which::CurrentUser),
            user_create: resolve(config, &own, Which::UserCreate),
            login: config.djoser.login_field(&config.user_model).name(),
            own,
        }
    }

    pub(crate) fn fields(&self, which: Which) -> &[SerializerField] {
        match which {
            Which::User => &self.user,
            Which::CurrentUser => &self.current_user,
            Which::UserCreate => &self.user_create,
        }
    }

    /// Whether the serializer writes `username` (a project's `read_only_fields` without it).
    pub(crate) fn writes_username(&self, which: Which) -> bool {
        which != Which::UserCreate
            && self
                .fields(which)
                .iter()
                .any(|f| f.model == ModelField::Username && !f.read_only)
    }

    /// Whether any serializer shows a field of the model's own (so rows must be read).
    fn reads_own(&self, which: Which) -> bool {
        self.fields(which)
            .iter()
            .any(|f| f.model == ModelField::Own)
    }
}

/// The own-field rows of `users` a serializer needs (none when it shows no such field).
pub(crate) async fn own_rows(
    state: &AppState,
    which: Which,
    users: &[User],
) -> Result<HashMap<i64, Map<String, Value>>, StoreError> {
    let shape = state.users();
    if !shape.reads_own(which) {
        return Ok(HashMap::new());
    }
    let ids: Vec<i64> = users.iter().map(|u| u.id).collect();
    shape.own.load(state.store(), &ids).await
}

/// One user rendered by a serializer, reading its own fields.
pub(crate) async fn user_body(
    state: &AppState,
    which: Which,
    user: &User,
) -> Result<Value, StoreError> {
    let rows = own_rows(state, which, std::slice::from_ref(user)).await?;
    Ok(user_json(state.users(), which, user, rows.get(&user.id)))
}

/// The body of a user, in `Meta.fields` order: `{"email", "id", "username"}` for Django's
/// `User` under djoser's own serializer.
pub(crate) fn user_json(
    shape: &UserShape,
    which: Which,
    user: &User,
    own: Option<&Map<String, Value>>,
) -> Value {
    let mut body = Map::new();
    for field in shape.fields(which) {
        let value = match field.model {
            ModelField::Id => json!(user.id),
            ModelField::Username => json!(user.username),
            ModelField::Email => json!(user.email),
            ModelField::FirstName => json!(user.first_name),
            ModelField::LastName => json!(user.last_name),
            ModelField::IsActive => json!(user.is_active),
            ModelField::IsStaff => json!(user.is_staff),
            ModelField::IsSuperuser => json!(user.is_superuser),
            // DateTimeField: ISO 8601 in UTC with `Z`, as DRF renders with USE_TZ.
            ModelField::DateJoined => json!(to_drf(&user.date_joined)),
            ModelField::LastLogin => json!(user.last_login.as_deref().map(to_drf)),
            // Write-only (djoser's UserCreateSerializer): never rendered.
            ModelField::Password => continue,
            ModelField::Own => shape.own.value_of(own, &field.name),
        };
        body.insert(field.name.clone(), value);
    }
    Value::Object(body)
}

/// The `OPTIONS` metadata of djoser's `user` serializer (what DRF's `SimpleMetadata` describes
/// for every action of the `UserViewSet`, `me` included).
pub(crate) fn user_serializer_info(config: &Config) -> Value {
    let shape = UserShape::new(config);
    let mut info = Map::new();
    for field in shape.fields(Which::User) {
        let shown = match field.model {
            ModelField::Own => match shape.own.field(&field.name) {
                Some(own) => own_field_info(own, field.read_only),
                None => continue,
            },
            ModelField::Password => continue,
            model => model_field_info(model, field.read_only),
        };
        info.insert(field.name.clone(), shown);
    }
    Value::Object(info)
}

/// A field of the model's own; DRF drops the length and bounds of a read-only field.
fn own_field_info(field: &crate::resources::schema::Field, read_only: bool) -> Value {
    let mut shown = crate::resources::routes::metadata::field_info(field, read_only);
    if let (true, Value::Object(m)) = (read_only, &mut shown) {
        for key in ["max_length", "min_length", "min_value", "max_value"] {
            m.remove(key);
        }
    }
    shown
}

/// djoser's `user_create` serializer as `SimpleMetadata` would describe it (djoser's OPTIONS
/// never does: its metadata action gets the `user` serializer), for the OpenAPI document:
/// `UserCreateSerializer`'s fields, and `re_password` of `UserCreatePasswordRetypeSerializer`
/// with `USER_CREATE_PASSWORD_RETYPE`.
pub(crate) fn user_create_info(config: &Config) -> Value {
    let shape = UserShape::new(config);
    let mut info = Map::new();
    let password = || field_info("string", "Password", true, false, Value::Null);
    for field in shape.fields(Which::UserCreate) {
        let shown = match field.model {
            ModelField::Own => match shape.own.field(&field.name) {
                Some(own) => own_field_info(own, field.read_only),
                None => continue,
            },
            ModelField::Password => password(),
            model => model_field_info(model, field.read_only),
        };
        info.insert(field.name.clone(), shown);
    }
    if config.djoser.user_create_password_retype {
        info.insert("re_password".into(), password());
    }
    Value::Object(info)
}

/// `AbstractUser`'s fields as `SimpleMetadata` describes them.
fn model_field_info(model: ModelField, read_only: bool) -> Value {
    let limited = |max: u32| {
        if read_only {
            Value::Null
        } else {
            json!({ "max_length": max })
        }
    };
    let flag = |label: &str, help: &str| {
        field_info(
            "boolean",
            label,
            false,
            read_only,
            json!({ "help_text": help }),
        )
    };
    match model {
        ModelField::Id => field_info("integer", "ID", false, true, Value::Null),
        ModelField::Username => {
            let help = "Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only.";
            let extra = if read_only {
                json!({ "help_text": help })
            } else {
                // SimpleMetadata's attribute order: help_text before max_length.
                json!({ "help_text": help, "max_length": 150 })
            };
            field_info("string", "Username", !read_only, read_only, extra)
        }
        ModelField::Email => field_info("email", "Email address", false, read_only, limited(254)),
        ModelField::FirstName => field_info("string", "First name", false, read_only, limited(150)),
        ModelField::LastName => field_info("string", "Last name", false, read_only, limited(150)),
        ModelField::IsActive => flag(
            "Active",
            "Designates whether this user should be treated as active. Unselect this instead of deleting accounts.",
        ),
        ModelField::IsStaff => flag(
            "Staff status",
            "Designates whether the user can log into this admin site.",
        ),
        ModelField::IsSuperuser => flag(
            "Superuser status",
            "Designates that this user has all permissions without explicitly assigning them.",
        ),
        ModelField::DateJoined => {
            field_info("datetime", "Date joined", false, read_only, Value::Null)
        }
        ModelField::LastLogin => {
            field_info("datetime", "Last login", false, read_only, Value::Null)
        }
        ModelField::Password | ModelField::Own => Value::Null,
    }
}

/// The OPTIONS metadata of one of `AbstractUser`'s profile fields (blank allowed, optional).
pub(crate) fn profile_field_info(field: UserField) -> Value {
    let model = match field {
        UserField::Email => ModelField::Email,
        UserField::FirstName => ModelField::FirstName,
        UserField::LastName => ModelField::LastName,
        UserField::Own(_) => return Value::Null,
    };
    model_field_info(model, false)
}

/// A request body's writable fields of a serializer, validated: the change to `auth_user`
/// (`None` for a field absent from the body) and the values of the model's own fields.
/// Read-only fields are ignored, as DRF ignores them; the login field, the password and the
/// flags are never among the writable ones (see `djoser_serializers`). Errors go to `errors`
/// under the field's name.
pub(crate) fn profile_input(
    shape: &UserShape,
    which: Which,
    data: &Map<String, Value>,
    is_form: bool,
    partial: bool,
    errors: &mut Errors,
) -> (UserUpdate, OwnValues) {
    let mut update = UserUpdate::default();
    let mut own = Vec::new();
    // In `Meta.fields` order, as DRF validates them and lists their errors.
    let writable = |f: &&SerializerField| !f.read_only && f.name != shape.login;
    for field in shape.fields(which).iter().filter(writable) {
        let key = field.name.as_str();
        match field.model {
            ModelField::Email => {
                update.email = errors
                    .take(key, user_fields::email(data, partial))
                    .flatten();
            }
            ModelField::FirstName => {
                update.first_name = errors.take(key, name(data, key, partial)).flatten()
            }
            ModelField::LastName => {
                update.last_name = errors.take(key, name(data, key, partial)).flatten()
            }
            ModelField::Own => {
                let names = std::iter::once(key);
                own.extend(shape.own.input(names, data, is_form, partial, errors));
            }
            _ => {}
        }
    }
    (update, own)
}

/// `first_name` or `last_name`: `CharField(max_length=150, blank=True)`; `None` when absent.
pub(crate) fn name(
    data: &Map<String, Value>,
    key: &str,
    partial: bool,
) -> Result<Option<String>, Vec<String>> {
    let field = CharField {
        allow_blank: true,
        max_length: Some(150),
        ..CharField::optional()
    };
    field
        .validate(data, key, partial)
        .map(|present| present.into_option())
}
