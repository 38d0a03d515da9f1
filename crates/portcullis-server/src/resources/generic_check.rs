//! What `portcullis check` refuses in a generic view's declaration, against the schema: an
//! undeclared resource, a lookup field or a queryset term naming no field, a term across a
//! field that is no reference.

use super::schema::{FieldKind, Resource, Schema};
use crate::config::generic_views::{GenericView, QueryValue};

pub(crate) fn problems(view: &GenericView, schema: &Schema) -> Vec<String> {
    let Some(resource) = schema.resource(&view.resource) else {
        return vec![format!("resource {:?} is not in the schema", view.resource)];
    };
    let mut out = Vec::new();
    let lookup = view.lookup_field.as_str();
    if view.kind.is_detail() && lookup != "pk" && lookup_kind(resource, lookup).is_none() {
        out.push(format!(
            "lookup_field {lookup:?} is not a field of {} (pk, id or a string, text or integer \
             field)",
            resource.name
        ));
    }
    for term in &view.queryset {
        let Some(field) = known(resource, &term.field) else {
            out.push(format!(
                "queryset {:?}: {} has no such field",
                term.field, resource.name
            ));
            continue;
        };
        if field == Some(FieldKind::ManyToMany) {
            out.push(format!(
                "queryset {:?}: a many-to-many field holds a list of ids, not one value a term can compare",
                term.field
            ));
            continue;
        }
        let across = match &term.through {
            None => {
                if term.value == QueryValue::User && field != Some(FieldKind::Owner) {
                    out.push(format!(
                        "queryset {:?} = \"request.user\": only an owner field holds a user",
                        term.field
                    ));
                }
                continue;
            }
            Some(through) => through,
        };
        let target = resource
            .model_field(&term.field)
            .filter(|f| f.kind == FieldKind::Reference)
            .and_then(|f| f.to.as_deref())
            .and_then(|to| schema.resource(to));
        let Some(target) = target else {
            out.push(format!(
                "queryset \"{}__{across}\": {} is not a reference",
                term.field, term.field
            ));
            continue;
        };
        match known(target, across) {
            None => out.push(format!(
                "queryset \"{}__{across}\": {} has no such field",
                term.field, target.name
            )),
            Some(kind) if term.value == QueryValue::User && kind != Some(FieldKind::Owner) => out
                .push(format!(
                    "queryset \"{}__{across}\" = \"request.user\": only an owner field holds a user",
                    term.field
                )),
            Some(_) => {}
        }
    }
    out
}

/// `Some(kind)` for a declared field, `Some(None)` for an implicit column (`id`, the
/// timestamps), `None` for no such name.
fn known(resource: &Resource, name: &str) -> Option<Option<FieldKind>> {
    match name {
        "pk" | "id" => Some(None),
        _ => match resource.model_field(name) {
            Some(field) => Some(Some(field.kind)),
            None => resource.column_of(name).map(|_| None),
        },
    }
}

fn lookup_kind(resource: &Resource, name: &str) -> Option<FieldKind> {
    if name == "id" {
        return Some(FieldKind::Integer);
    }
    resource
        .model_field(name)
        .map(|f| f.kind)
        .filter(|k| matches!(k, FieldKind::String | FieldKind::Text | FieldKind::Integer))
}
