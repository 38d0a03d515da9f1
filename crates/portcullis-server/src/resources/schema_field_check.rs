//! One `[[resources.fields]]` table of the schema file, checked: its type and the options
//! that type takes, its default against its own rules, and the choices a Django field would
//! refuse to be declared with.

use serde::Deserialize;

use super::schema::{Field, FieldKind, OnDelete, OwnerSource};
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
}

impl RawField {
    pub(super) fn check(self) -> Result<Field, (String, String)> {
        let name = self.name.clone();
        let fail = |why: String| Err((name.clone(), why));
        let kind = match self.kind_and_options() {
            Ok(kind) => kind,
            Err(why) => return fail(why),
        };
        let on_delete = match self.on_delete.as_deref() {
            None | Some("cascade") => OnDelete::Cascade,
            Some("set_null") if self.null => OnDelete::SetNull,
            Some("set_null") => return fail("on_delete = \"set_null\" needs null = true".into()),
            Some("restrict") => OnDelete::Restrict,
            Some(other) => {
                return fail(format!(
                    "on_delete {other:?} is not cascade, set_null or restrict"
                ));
            }
        };
        if self.read_only && self.write_only {
            return fail("a field cannot be both read_only and write_only".into());
        }
        let owner_source = match (kind, self.source.as_deref()) {
            (FieldKind::Owner, source) => match OwnerSource::parse(&self.name, source) {
                Some(source) => source,
                None => {
                    return fail(format!(
                        "source {:?} is not one of \"{n}.username\", \"{n}.email\" or \"{n}\" (its id)",
                        source.unwrap_or_default(),
                        n = self.name
                    ));
                }
            },
            (_, None) => OwnerSource::Username,
            (_, Some(_)) => return fail("source is only for an owner field".into()),
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
        let mut field = Field {
            label: self.label.unwrap_or_else(|| label_of(&self.name)),
            name: self.name,
            kind,
            required: required && !self.read_only && kind != FieldKind::Owner,
            null: self.null,
            blank: self.blank,
            trim: self.trim.unwrap_or(true),
            default,
            read_only: self.read_only || kind == FieldKind::Owner,
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
