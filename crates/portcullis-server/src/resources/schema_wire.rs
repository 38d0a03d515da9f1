//! The checks of a resource's serializer shape: `timestamps = true` as the two model fields it
//! stands for, the serializer's `Meta.fields` (`serializer_fields`, with `url`), two serializer
//! fields over one model field (`source=`), the model's `__str__` (`str`), and what a foreign
//! key's rendering needs of its target (a unique slug field, no nesting cycle).

use super::schema::{Field, FieldKind, OnDelete, OwnerSource, Related, Resource, Wire};
use super::schema_check::label_of;

/// `created_at` (`auto_now_add`) and `updated_at` (`auto_now`), what `timestamps = true` declares.
fn timestamp_fields() -> Vec<Field> {
    [("created_at", true), ("updated_at", false)]
        .into_iter()
        .map(|(name, on_add)| Field {
            name: name.into(),
            attr: name.into(),
            label: label_of(name),
            kind: FieldKind::DateTime,
            required: false,
            null: false,
            blank: false,
            trim: true,
            default: None,
            read_only: true,
            write_only: false,
            unique: false,
            max_length: None,
            min_length: None,
            slug: false,
            choices: Vec::new(),
            min: None,
            max: None,
            to: None,
            on_delete: OnDelete::Cascade,
            owner_source: OwnerSource::Username,
            owner_fields: Vec::new(),
            related: Related::Pk,
            auto_now_add: on_add,
            auto_now: !on_add,
        })
        .collect()
}

/// `timestamps = true`: its two fields after the declared ones, unless a name is taken.
pub(super) fn add_timestamps(fields: &mut Vec<Field>, bad: &mut impl FnMut(String)) {
    for field in timestamp_fields() {
        if fields
            .iter()
            .any(|f| f.name == field.name || f.attr == field.attr)
        {
            bad(format!(
                "field {}: the name is already taken (timestamps = true declares created_at and updated_at)",
                field.name
            ));
        } else {
            fields.push(field);
        }
    }
}

/// Whether `field` may live in the column of `other`, declared before it: two serializer fields
/// over one model field (a nested read and a write-only pk over one foreign key). `Err` holds
/// the reason, appended to the problem.
pub(super) fn share_column(other: &Field, field: &Field) -> Result<(), String> {
    if other.attr != field.attr {
        return Err(String::new());
    }
    if other.kind != field.kind || other.to != field.to {
        return Err(": fields over one model field must have the same type (and `to`)".into());
    }
    if other.null != field.null || other.on_delete != field.on_delete {
        return Err(": fields over one model field must agree on null and on_delete".into());
    }
    if other.writable() && field.writable() {
        return Err(": only one field over a model field may be written (make the other read_only, or related = \"string\"/\"nested\")".into());
    }
    if other.unique || field.unique {
        return Err(": a unique model field cannot be shared".into());
    }
    Ok(())
}

/// The body's entries in order: `serializer_fields` when given (each field once, the id
/// optional, `url` for the row's own link), else the id then the fields as declared.
pub(super) fn check_wire(
    order: Option<Vec<String>>,
    id_field: &str,
    fields: &[Field],
    bad: &mut impl FnMut(String),
) -> Vec<Wire> {
    let Some(order) = order else {
        let mut wire = vec![Wire::Id];
        wire.extend((0..fields.len()).map(Wire::Field));
        return wire;
    };
    let mut wire = Vec::new();
    for name in &order {
        let entry = match fields.iter().position(|f| &f.name == name) {
            Some(i) => Wire::Field(i),
            None if name == id_field => Wire::Id,
            None if name == "url" => Wire::Url,
            None => {
                bad(format!(
                    "serializer_fields: {name:?} is not a field (nor {id_field:?} or \"url\")"
                ));
                continue;
            }
        };
        if wire.contains(&entry) {
            bad(format!("serializer_fields: {name:?} is listed twice"));
        }
        wire.push(entry);
    }
    for (i, field) in fields.iter().enumerate() {
        if !wire.contains(&Wire::Field(i)) {
            bad(format!(
                "serializer_fields: field {} is missing (a model field the serializer leaves out has no place in the schema file)",
                field.name
            ));
        }
    }
    wire
}

/// `str`: the model field `__str__` returns, a plain value of the resource.
pub(super) fn check_str(
    resource: &Resource,
    name: Option<String>,
    bad: &mut impl FnMut(String),
) -> Option<String> {
    let name = name?;
    match resource.model_field(&name).map(|f| f.kind) {
        Some(FieldKind::String | FieldKind::Text | FieldKind::Integer | FieldKind::Date) => {
            Some(name)
        }
        _ => {
            bad(format!(
                "str: {name:?} is not a string, text, integer or date field of the model"
            ));
            None
        }
    }
}

/// What a reference's rendering needs of its target, across resources: a written slug field
/// that is a unique string of the target (DRF's lookup fails with a server error on two
/// matches), a read one that is a plain field, and nested serializers that end.
pub(super) fn cross_checks(resources: &[Resource], problems: &mut Vec<String>) {
    let find = |name: &str| resources.iter().find(|r| r.name == name);
    for r in resources {
        for f in r.fields.iter().filter(|f| f.kind == FieldKind::Reference) {
            let Some(target) = f.to.as_deref().and_then(find) else {
                continue;
            };
            if let Related::Slug(slug) = &f.related {
                // Read-only, it is `ReadOnlyField(source="project.name")`: any plain field.
                let ok = target.model_field(slug).is_some_and(|s| {
                    if f.writable() {
                        s.kind == FieldKind::String && s.unique && !s.null
                    } else {
                        !matches!(s.kind, FieldKind::Reference | FieldKind::Owner)
                    }
                });
                if !ok {
                    problems.push(format!(
                        "resource {}, field {}: slug_field {slug:?} is not a unique, non-null string field of {} (read-only: a field of {} that is not a reference)",
                        r.name, f.name, target.name, target.name
                    ));
                }
            }
            if f.related == Related::Nested && nests(resources, target, &r.name, 0) {
                problems.push(format!(
                    "resource {}, field {}: nested serializers that nest {} again never end",
                    r.name, f.name, r.name
                ));
            }
        }
    }
}

/// Whether rendering `resource` nests `name` at some depth.
fn nests(resources: &[Resource], resource: &Resource, name: &str, depth: usize) -> bool {
    if resource.name == name {
        return true;
    }
    if depth > resources.len() {
        return true;
    }
    resource
        .fields
        .iter()
        .filter(|f| f.related == Related::Nested)
        .filter_map(|f| f.to.as_deref())
        .filter_map(|to| resources.iter().find(|r| r.name == to))
        .any(|target| nests(resources, target, name, depth + 1))
}
