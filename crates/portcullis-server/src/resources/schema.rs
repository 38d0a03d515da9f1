//! The schema file: resources and their fields, as TOML, checked once at start. A broken schema
//! is refused with the resource, the field and the reason; nothing downstream re-checks names,
//! so every identifier that reaches SQL comes from here.

use serde_json::Value;

use super::access::Access;
use super::schema_check::RawSchema;
pub(crate) use crate::store::Storage;
pub(crate) use crate::store::tables::OnDelete;

/// The built-in schema (`notes`).
pub const DEFAULT_SCHEMA: &str = include_str!("default_schema.toml");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FieldKind {
    String,
    Text,
    Integer,
    Float,
    Boolean,
    Date,
    DateTime,
    Json,
    Owner,
    Reference,
    /// Django's `ManyToManyField`: no column, a join table (see `many_to_many.rs`).
    ManyToMany,
}

impl FieldKind {
    pub(super) fn parse(name: &str) -> Option<FieldKind> {
        Some(match name {
            "string" => FieldKind::String,
            "text" => FieldKind::Text,
            "integer" => FieldKind::Integer,
            "float" => FieldKind::Float,
            "boolean" => FieldKind::Boolean,
            "date" => FieldKind::Date,
            "datetime" => FieldKind::DateTime,
            "json" => FieldKind::Json,
            "owner" => FieldKind::Owner,
            "reference" => FieldKind::Reference,
            "many_to_many" => FieldKind::ManyToMany,
            _ => return None,
        })
    }

    /// The type name in the schema file (and in the stored snapshot).
    pub(crate) fn name(self) -> &'static str {
        match self {
            FieldKind::String => "string",
            FieldKind::Text => "text",
            FieldKind::Integer => "integer",
            FieldKind::Float => "float",
            FieldKind::Boolean => "boolean",
            FieldKind::Date => "date",
            FieldKind::DateTime => "datetime",
            FieldKind::Json => "json",
            FieldKind::Owner => "owner",
            FieldKind::Reference => "reference",
            FieldKind::ManyToMany => "many_to_many",
        }
    }

    /// The SQL storage class of the column.
    pub(crate) fn storage(self) -> Storage {
        match self {
            FieldKind::Integer
            | FieldKind::Boolean
            | FieldKind::Owner
            | FieldKind::Reference
            | FieldKind::ManyToMany => Storage::Integer,
            FieldKind::Float => Storage::Real,
            _ => Storage::Text,
        }
    }
}

/// What an owner field renders, as the project's serializer has it: the reference's
/// `ReadOnlyField(source="owner.username")`, `source="owner.email"`, a `ModelSerializer`'s
/// default for a foreign key (the user's id), a nested `UserSerializer(read_only=True)` (the
/// field's `owner_fields`), or a `HyperlinkedRelatedField` to djoser's `user-detail`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OwnerSource {
    Username,
    Email,
    Id,
    Nested,
    Hyperlink,
}

impl OwnerSource {
    /// `source` as a serializer writes it for the field `name`; `None` when it is none of these.
    pub(crate) fn parse(name: &str, source: Option<&str>) -> Option<OwnerSource> {
        let Some(source) = source else {
            return Some(OwnerSource::Username);
        };
        match source.strip_prefix(name) {
            Some(".username") => Some(OwnerSource::Username),
            Some(".email") => Some(OwnerSource::Email),
            Some("" | ".id" | ".pk") => Some(OwnerSource::Id),
            _ => None,
        }
    }

    /// The `auth_user` column read with the row.
    pub(crate) fn column(self) -> &'static str {
        match self {
            OwnerSource::Email => "email",
            // The id, the nested user and the link are rendered from the id, after the row
            // is read (`related::present`): the joined column is not used.
            OwnerSource::Username
            | OwnerSource::Id
            | OwnerSource::Nested
            | OwnerSource::Hyperlink => "username",
        }
    }
}

/// How a foreign key renders and is written, as the project's serializer declares the field:
/// DRF's `PrimaryKeyRelatedField` (a `ModelSerializer`'s default), `SlugRelatedField`,
/// `StringRelatedField`, a nested serializer, or `HyperlinkedRelatedField`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Related {
    Pk,
    /// The target's field (its model name) the slug is read from and looked up by.
    Slug(String),
    /// `str(obj)`: the target's `str` field, else Django's `"Project object (1)"`.
    Str,
    Nested,
    Hyperlink,
}

/// One entry of the serializer's `Meta.fields`, in the order a body renders them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Wire {
    /// The primary key, as `id_field` names it.
    Id,
    /// `HyperlinkedModelSerializer`'s `url`: the row's own detail URL.
    Url,
    /// The declared field at this index of `fields`.
    Field(usize),
}

#[derive(Debug, Clone)]
pub(crate) struct Field {
    /// The name on the wire (the serializer's field name).
    pub(crate) name: String,
    /// The model field it reads and writes (DRF's `source=`; the name when none is given):
    /// what `ordering_fields`, `search_fields`, `filter_fields` and `str` name.
    pub(crate) attr: String,
    /// DRF's label: "Is public" for `is_public`.
    pub(crate) label: String,
    pub(crate) kind: FieldKind,
    pub(crate) required: bool,
    pub(crate) null: bool,
    pub(crate) blank: bool,
    pub(crate) trim: bool,
    pub(crate) default: Option<Value>,
    pub(crate) read_only: bool,
    pub(crate) write_only: bool,
    pub(crate) unique: bool,
    pub(crate) max_length: Option<usize>,
    pub(crate) min_length: Option<usize>,
    /// Django's `SlugField`: letters, digits, underscores and hyphens only.
    pub(crate) slug: bool,
    pub(crate) choices: Vec<String>,
    pub(crate) min: Option<f64>,
    pub(crate) max: Option<f64>,
    /// For a reference or a many-to-many field: the resource it points to.
    pub(crate) to: Option<String>,
    pub(crate) on_delete: OnDelete,
    /// For an owner: what the serializer renders of the user.
    pub(crate) owner_source: OwnerSource,
    /// For an owner nested as a `UserSerializer`: its `Meta.fields`, user model fields in order.
    pub(crate) owner_fields: Vec<String>,
    /// For a reference: how the serializer renders and reads it.
    pub(crate) related: Related,
    /// Django's `auto_now_add` (set on create) and `auto_now` (set on every save).
    pub(crate) auto_now_add: bool,
    pub(crate) auto_now: bool,
}

impl Field {
    /// The column holding the field: its model field's (`owner_id` for an owner, `<attr>_id`
    /// for a reference, as Django names a foreign key's column).
    pub(crate) fn column(&self) -> String {
        match self.kind {
            FieldKind::Owner | FieldKind::Reference => format!("{}_id", self.attr),
            _ => self.attr.clone(),
        }
    }

    /// Set by the server on create (`auto_now_add` or `auto_now`).
    pub(crate) fn set_on_create(&self) -> bool {
        self.auto_now_add || self.auto_now
    }

    /// Fields a client can write.
    pub(crate) fn writable(&self) -> bool {
        !self.read_only && self.kind != FieldKind::Owner
    }

    /// Whether the field lives in a column of the resource's table (a many-to-many field lives
    /// in its join table).
    pub(crate) fn has_column(&self) -> bool {
        self.kind != FieldKind::ManyToMany
    }
}

/// Which rows a caller may read (staff always read every row).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Visibility {
    Everyone,
    Owner,
    OwnerOrPublic { flag: String },
}

#[derive(Debug, Clone)]
pub struct Resource {
    pub name: String,
    /// The model's name in messages ("No Note matches the given query.").
    pub label: String,
    pub(crate) fields: Vec<Field>,
    /// The serializer's `Meta.fields`: what a body holds, in its order.
    pub(crate) wire: Vec<Wire>,
    /// The model's `__str__`: the field it returns (`StringRelatedField` renders it).
    pub(crate) str_field: Option<String>,
    /// Default ordering: (column, descending).
    pub(crate) ordering: Vec<(String, bool)>,
    pub(crate) search_fields: Vec<String>,
    pub(crate) ordering_fields: Vec<String>,
    pub(crate) filter_fields: Vec<String>,
    pub(crate) visibility: Visibility,
    pub(crate) access: Access,
    pub(crate) page_size: Option<u32>,
    pub(crate) page_size_query_param: Option<String>,
    pub(crate) max_page_size: Option<u32>,
    /// The view's `pagination_class`; `None` follows the configuration's `pagination`.
    pub(crate) pagination: Option<crate::http::pagination::Style>,
    /// The primary key's name in bodies and OPTIONS: `id` or `pk`.
    pub(crate) id_field: String,
    /// `CursorPagination.ordering`; `None` only when no field can be one.
    pub(crate) cursor_ordering: Option<super::schema_pagination::CursorOrdering>,
}

impl Resource {
    pub(crate) fn table(&self) -> &str {
        &self.name
    }

    pub(crate) fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    pub(crate) fn owner_field(&self) -> Option<&Field> {
        self.fields.iter().find(|f| f.kind == FieldKind::Owner)
    }

    /// The field of a model field name, as DRF's filters and lookups name fields (a readable
    /// one first where two serializer fields share it).
    pub(crate) fn model_field(&self, attr: &str) -> Option<&Field> {
        let mut over = self.fields.iter().filter(|f| f.attr == attr);
        let first = over.next()?;
        if first.write_only {
            return over.find(|f| !f.write_only).or(Some(first));
        }
        Some(first)
    }

    /// The column an ordering, search, filter or lookup name refers to: `id`, or a model field
    /// (none for a many-to-many field).
    pub(crate) fn column_of(&self, name: &str) -> Option<String> {
        if name == "id" {
            return Some(name.to_string());
        }
        self.model_field(name)
            .filter(|f| f.has_column())
            .map(Field::column)
    }

    /// The fields stored in the resource's table, in declaration order.
    pub(crate) fn column_fields(&self) -> impl Iterator<Item = &Field> {
        self.fields.iter().filter(|f| f.has_column())
    }

    /// Whether bodies carry the row's own `url` (`HyperlinkedIdentityField`).
    pub(crate) fn has_url(&self) -> bool {
        self.wire.contains(&Wire::Url)
    }
}

#[derive(Debug, Clone)]
pub struct Schema {
    pub resources: Vec<Resource>,
}

impl Schema {
    pub fn resource(&self, name: &str) -> Option<&Resource> {
        self.resources.iter().find(|r| r.name == name)
    }

    /// Parse and check a schema file's text. Every problem is reported, each naming the
    /// resource and the field.
    pub fn parse(text: &str) -> Result<Schema, Vec<String>> {
        let raw: RawSchema = toml::from_str(text).map_err(|e| vec![format!("schema: {e}")])?;
        let mut problems = Vec::new();
        let resources: Vec<Resource> = raw
            .resources
            .into_iter()
            .filter_map(|r| r.check(&mut problems))
            .collect();
        let mut names: Vec<&str> = Vec::new();
        for r in &resources {
            if names.contains(&r.name.as_str()) {
                problems.push(format!("resource {}: declared twice", r.name));
            }
            names.push(&r.name);
        }
        for r in &resources {
            for f in r
                .fields
                .iter()
                .filter(|f| matches!(f.kind, FieldKind::Reference | FieldKind::ManyToMany))
            {
                let target = f.to.as_deref().unwrap_or("");
                if !names.contains(&target) {
                    problems.push(format!(
                        "resource {}, field {}: `to = \"{target}\"` names no declared resource",
                        r.name, f.name
                    ));
                }
            }
        }
        super::many_to_many::check_join_tables(&resources, &mut problems);
        super::schema_wire::cross_checks(&resources, &mut problems);
        if problems.is_empty() {
            Ok(Schema { resources })
        } else {
            Err(problems)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_schema_is_the_notes_resource() {
        let schema = Schema::parse(DEFAULT_SCHEMA).expect("valid");
        let notes = schema.resource("notes").expect("notes");
        assert_eq!(notes.label, "Note");
        assert_eq!(
            notes.ordering,
            vec![("created_at".into(), true), ("id".into(), true)]
        );
        let title = notes.field("title").expect("title");
        assert!(title.required && title.trim && title.max_length == Some(200));
        assert!(!notes.field("body").expect("body").required);
        assert_eq!(notes.field("is_public").expect("flag").label, "Is public");
    }

    #[test]
    fn problems_name_resource_field_and_reason() {
        let text = r#"
            [[resources]]
            name = "tasks"
            ordering = ["nope"]
            [[resources.fields]]
            name = "title"
            type = "string"
            [[resources.fields]]
            name = "project"
            type = "reference"
            to = "projects"
            [[resources.fields]]
            name = "Bad"
            type = "integer"
        "#;
        let problems = Schema::parse(text).expect_err("broken");
        assert!(
            problems
                .iter()
                .any(|p| p.starts_with("resource tasks: field title: a string needs max_length")),
            "{problems:?}"
        );
        assert!(
            problems.iter().any(|p| p.contains("field Bad: the name")),
            "{problems:?}"
        );
        assert!(
            problems.iter().any(|p| p.contains("ordering: \"nope\"")),
            "{problems:?}"
        );
    }

    #[test]
    fn builtin_api_names_are_reserved() {
        let text = "[[resources]]\nname = \"token\"\n[[resources.fields]]\nname = \"n\"\ntype = \"text\"\n";
        let problems = Schema::parse(text).expect_err("reserved");
        assert!(
            problems
                .iter()
                .any(|p| p.contains("taken by a built-in URL")),
            "{problems:?}"
        );
    }
}
