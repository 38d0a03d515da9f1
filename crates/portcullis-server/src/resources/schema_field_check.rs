//! One `[[resources.fields]]` table of the schema file, checked: its type and the options
//! that type takes, its default against its own rules, and the choices a Django field would
//! refuse to be declared with.

use serde::Deserialize;

use super::schema::{Field, FieldKind, OnDelete, OwnerSource, Related};
use super::schema_check::{label_of, valid_identifier};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawField {
    name: String,
    #[serde(rename = "type")]
    kind: String,
    label: Option<String>,
    required: Option<bool>,
    #[serde(default)]
    null: bool,
    #[serde(default)]
    blank: bool,
    trim: Option<bool>,
    default: Option<toml::Value>,
    #[serde(default)]
    read_only: bool,
    #[serde(default)]
    write_only: bool,
    #[serde(default)]
    unique: bool,
    max_length: Option<usize>,
    min_length: Option<usize>,
    #[serde(default)]
    slug: bool,
    #[serde(default)]
    choices: Vec<String>,
    min: Option<f64>,
    max: Option<f64>,
    to: Option<String>,
    on_delete: Option<String>,
    source: Option<String>,
    related: Option<String>,
    slug_field: Option<String>,
    owner_fields: Option<Vec<String>>,
    #[serde(default)]
    auto_now_add: bool,
    #[serde(default)]
    auto_now: bool,
}

impl RawField {
    pub(super) fn check(self) -> Result<Field, (String, String)> {
        let name = self.name.clone();
        let fail = |why: String| Err((name.clone(), why));
        let kind = match self.kind_and_options() {
            Ok(kind) => kind,
            Err(why) => return fail(why),
        };
        let on_delete = match self.on_delete() {
            Ok(on_delete) => on_delete,
            Err(why) => return fail(why),
        };
        if self.read_only && self.write_only {
            return fail("a field cannot be both read_only and write_only".into());
        }
        let (owner_source, attr) = match self.owner_source_and_attr() {
            Ok(found) => found,
            Err(why) => return fail(why),
        };
        let owner_fields = match self.owner_fields(owner_source) {
            Ok(fields) => fields,
            Err(why) => return fail(why),
        };
        let related = match self.related() {
            Ok(related) => related,
            Err(why) => return fail(why),
        };
        let forced_read_only = match self.forced_read_only(&related) {
            Ok(forced) => forced,
            Err(why) => return fail(why),
        };
        let default = match self.default {
            None => None,
            Some(v) => {
                Some(serde_json::to_value(v).map_err(|e| (name.clone(), format!("default: {e}")))?)
            }
        };
        if kind == FieldKind::Owner && (default.is_some() || self.null) {
            return fail("an owner is set from the authenticated user: no default, no null".into());
        }
        // DRF's ModelSerializer: a field with a default, blank or null is optional.
        let required = self.required.unwrap_or(
            default.is_none() && !self.blank && !self.null && kind != FieldKind::Boolean,
        );
        let read_only = self.read_only || kind == FieldKind::Owner || forced_read_only;
        let mut field = Field {
            label: self.label.unwrap_or_else(|| label_of(&self.name)),
            name: self.name,
            attr,
            kind,
            required: required && !read_only,
            null: self.null,
            blank: self.blank,
            trim: self.trim.unwrap_or(true),
            default,
            read_only,
            write_only: self.write_only,
            unique: self.unique,
            max_length: self.max_length,
            min_length: self.min_length,
            slug: self.slug,
            choices: self.choices,
            min: self.min,
            max: self.max,
            to: self.to,
            on_delete,
            owner_source,
            owner_fields,
            related,
            auto_now_add: self.auto_now_add,
            auto_now: self.auto_now,
        };
        // A default the field itself would refuse (an integer "many", a date "31/01/2025")
        // would be written as is and break every later read of the row: refuse it here, and
        // keep it in its stored form.
        if let Some(default) = field.default.take() {
            let checked =
                super::values::checked_default(&field, &default).map_err(|why| (name, why))?;
            field.default = Some(checked);
        }
        Ok(field)
    }

    /// What an owner renders (its `source`, or `related`), and the model field any other field
    /// reads (`source`, DRF's `source=`; the name without one).
    fn owner_source_and_attr(&self) -> Result<(OwnerSource, String), String> {
        if self.kind == "owner" {
            // str(user) is the username; a PrimaryKeyRelatedField renders the id.
            let source = match (self.related.as_deref(), self.source.as_deref()) {
                (None, source) => OwnerSource::parse(&self.name, source).ok_or_else(|| {
                    format!(
                        "source {:?} is not one of \"{n}.username\", \"{n}.email\" or \"{n}\" (its id)",
                        source.unwrap_or_default(),
                        n = self.name
                    )
                })?,
                (Some(_), Some(_)) => return Err("give an owner source or related, not both".into()),
                (Some("string"), None) => OwnerSource::Username,
                (Some("pk"), None) => OwnerSource::Id,
                (Some("nested"), None) => OwnerSource::Nested,
                (Some("hyperlink"), None) => OwnerSource::Hyperlink,
                (Some(other), None) => {
                    return Err(format!(
                        "related {other:?}: an owner renders as \"string\" (str(user), the username), \"pk\" (its id), \"nested\" (a UserSerializer, with owner_fields) or \"hyperlink\" (djoser's user-detail)"
                    ));
                }
            };
            return Ok((source, self.name.clone()));
        }
        match self.source.as_deref() {
            None => Ok((OwnerSource::Username, self.name.clone())),
            // DRF asserts: "It is redundant to specify `source='x'` on field 'x'".
            Some(source) if source == self.name => Err(format!(
                "source {source:?} is the field's own name: DRF refuses a redundant source"
            )),
            Some(source) if valid_identifier(source) => Ok((OwnerSource::Username, source.into())),
            Some(source) => Err(format!(
                "source {source:?} must name a model field of this resource (lowercase letters, digits and _; no dotted paths)"
            )),
        }
    }

    /// The user serializer's `Meta.fields` of an owner nested as one (`owner_fields`, required
    /// there and nowhere else).
    fn owner_fields(&self, source: OwnerSource) -> Result<Vec<String>, String> {
        match (&self.owner_fields, source) {
            (Some(fields), OwnerSource::Nested) if self.kind == "owner" => {
                super::owner_user::check_fields(fields)?;
                Ok(fields.clone())
            }
            (None, OwnerSource::Nested) if self.kind == "owner" => Err(
                "related = \"nested\" needs owner_fields = [...], the user serializer's Meta.fields (e.g. [\"id\", \"username\"])".into(),
            ),
            (Some(_), _) => Err("owner_fields applies to an owner with related = \"nested\" only".into()),
            (None, _) => Ok(Vec::new()),
        }
    }

    /// What happens to the row when the one it points at is deleted.
    fn on_delete(&self) -> Result<OnDelete, String> {
        match self.on_delete.as_deref() {
            None | Some("cascade") => Ok(OnDelete::Cascade),
            Some("set_null") if self.null => Ok(OnDelete::SetNull),
            Some("set_null") => Err("on_delete = \"set_null\" needs null = true".into()),
            Some("restrict") => Ok(OnDelete::Restrict),
            Some(other) => Err(format!(
                "on_delete {other:?} is not cascade, set_null or restrict"
            )),
        }
    }

    /// Whether the field is read-only whatever `read_only` says: DRF's StringRelatedField and
    /// a nested serializer are, and so is a model field with auto_now or auto_now_add
    /// (editable=False).
    fn forced_read_only(&self, related: &Related) -> Result<bool, String> {
        let server_set = self.auto_now || self.auto_now_add;
        let forced = matches!(related, Related::Str | Related::Nested) || server_set;
        if forced && self.write_only {
            return Err("a field rendered as a string or nested object, or set by the server (auto_now, auto_now_add), cannot be write_only".into());
        }
        if server_set && (self.default.is_some() || self.null) {
            return Err("auto_now and auto_now_add set the value: no default, no null".into());
        }
        Ok(forced)
    }

    /// How a reference renders (`related`, with `slug_field` for a slug).
    fn related(&self) -> Result<Related, String> {
        let is_reference = self.kind == "reference";
        if !is_reference && self.slug_field.is_some() {
            return Err("slug_field applies to a reference with related = \"slug\"".into());
        }
        if self.kind == "owner" || (!is_reference && self.related.is_none()) {
            return Ok(Related::Pk);
        }
        if !is_reference {
            return Err("related applies to reference and owner fields only".into());
        }
        let related = match (self.related.as_deref(), &self.slug_field) {
            (None | Some("pk"), None) => Related::Pk,
            (Some("slug"), Some(slug)) => Related::Slug(slug.clone()),
            (Some("slug"), None) => {
                return Err(
                    "related = \"slug\" needs slug_field = \"<field of the target>\"".into(),
                );
            }
            (Some("string"), None) => Related::Str,
            (Some("nested"), None) => Related::Nested,
            (Some("hyperlink"), None) => Related::Hyperlink,
            (Some(_) | None, Some(_)) => {
                return Err("slug_field applies to related = \"slug\" only".into());
            }
            (Some(other), None) => {
                return Err(format!(
                    "related {other:?} is not one of pk, slug, string, nested, hyperlink"
                ));
            }
        };
        Ok(related)
    }

    /// The field's type, once every option is checked to apply to it and to agree with the
    /// others; the reason otherwise.
    fn kind_and_options(&self) -> Result<FieldKind, String> {
        if !valid_identifier(&self.name) {
            return Err(
                "the name must be lowercase letters, digits and _, starting with a letter".into(),
            );
        }
        let Some(kind) = FieldKind::parse(&self.kind) else {
            return Err(format!(
                "type {:?} is unknown (string, text, integer, float, boolean, date, datetime, json, owner, reference, many_to_many)",
                self.kind
            ));
        };
        let textual = matches!(kind, FieldKind::String | FieldKind::Text);
        if kind == FieldKind::ManyToMany {
            self.many_to_many_options()?;
        }
        if kind == FieldKind::String && self.max_length.is_none() && self.choices.is_empty() {
            return Err("a string needs max_length (use type \"text\" for unlimited text)".into());
        }
        // A many-to-many field takes `blank` too (Django's `blank=True`: optional, may be empty).
        let blank_misplaced = self.blank && kind != FieldKind::ManyToMany;
        if (self.max_length.is_some() || self.min_length.is_some() || blank_misplaced) && !textual {
            return Err(
                "max_length, min_length and blank apply to string and text fields only".into(),
            );
        }
        if self.slug && kind != FieldKind::String {
            return Err("slug applies to string fields only (Django's SlugField)".into());
        }
        // Validation reads choices for text only; elsewhere they would be shown, not enforced.
        if !self.choices.is_empty() && !textual {
            return Err("choices apply to string and text fields only".into());
        }
        if (self.min.is_some() || self.max.is_some())
            && !matches!(kind, FieldKind::Integer | FieldKind::Float)
        {
            return Err("min and max apply to integer and float fields only".into());
        }
        if let (Some(min), Some(max)) = (self.min, self.max)
            && min > max
        {
            return Err("min is greater than max".into());
        }
        if let (Some(min), Some(max)) = (self.min_length, self.max_length)
            && min > max
        {
            return Err("min_length is greater than max_length".into());
        }
        if self.max_length == Some(0) {
            return Err("max_length must be at least 1".into());
        }
        let related = matches!(kind, FieldKind::Reference | FieldKind::ManyToMany);
        if related && self.to.is_none() {
            return Err(format!("a {} needs `to = \"<resource>\"`", self.kind));
        }
        if (self.auto_now || self.auto_now_add) && kind != FieldKind::DateTime {
            return Err("auto_now and auto_now_add apply to datetime fields only".into());
        }
        if !related && self.to.is_some() {
            return Err("`to` applies to reference and many_to_many fields only".into());
        }
        Ok(kind)
    }

    /// The options Django's `ManyToManyField` has no use for, refused with the reason: it has no
    /// column, so no null, default or uniqueness, and its links go with either row.
    fn many_to_many_options(&self) -> Result<(), String> {
        if self.null {
            return Err("null has no effect on a many-to-many field (Django's fields.W340); use blank = true for an optional, possibly empty list".into());
        }
        if self.default.is_some() {
            return Err("a many-to-many field has no default (its links are written after the row); use blank = true".into());
        }
        if self.unique {
            return Err("a many-to-many field cannot be unique (Django's fields.E330)".into());
        }
        if self.on_delete.is_some() {
            return Err("on_delete does not apply to a many-to-many field: a link is deleted with either of its rows".into());
        }
        Ok(())
    }
}
