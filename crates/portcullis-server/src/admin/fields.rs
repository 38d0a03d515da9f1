//! The admin serializers' field types beyond `CharField`, with DRF's messages: `BooleanField`,
//! a many `PrimaryKeyRelatedField` (a user's groups, by id) and a many `SlugRelatedField`
//! (a group's permissions, by `resource.codename`).

use serde_json::{Map, Value};

use crate::accounts::authority::{self, Privilege};
use crate::serializer::{Errors, python_type};
use crate::store::User;
use crate::store::admin::Permission;

/// Refuse, as field errors, the privileges `actor` may not set on `target` (`None`: an account
/// being created). Only what is asked for is checked: `None` asks nothing.
pub(crate) fn refuse_privileges(
    actor: &User,
    target: Option<&User>,
    asked: &[(&str, Option<Privilege>)],
    errors: &mut Errors,
) {
    for (field, privilege) in asked {
        if let Some(privilege) = privilege
            && let Err(message) = authority::may_set(actor, target, *privilege)
        {
            errors.add(field, vec![message]);
        }
    }
}

/// DRF's `BooleanField` (not nullable): `Ok(None)` when absent.
pub(crate) fn boolean(data: &Map<String, Value>, name: &str) -> Result<Option<bool>, Vec<String>> {
    // DRF 3.15+ compares text lowercased.
    const TRUE: &[&str] = &["t", "y", "yes", "true", "on", "1"];
    const FALSE: &[&str] = &["f", "n", "no", "false", "off", "0"];
    let Some(value) = data.get(name) else {
        return Ok(None);
    };
    let lowered = value.as_str().map(str::to_lowercase);
    match (value, lowered.as_deref()) {
        (Value::Null, _) => Err(vec!["This field may not be null.".into()]),
        (Value::Bool(b), _) => Ok(Some(*b)),
        (Value::Number(n), _) if n.as_f64() == Some(1.0) => Ok(Some(true)),
        (Value::Number(n), _) if n.as_f64() == Some(0.0) => Ok(Some(false)),
        (_, Some(s)) if TRUE.contains(&s) => Ok(Some(true)),
        (_, Some(s)) if FALSE.contains(&s) => Ok(Some(false)),
        _ => Err(vec!["Must be a valid boolean.".into()]),
    }
}

/// The items of a many-related field: DRF's `ManyRelatedField` refuses anything but a list.
fn list<'a>(data: &'a Map<String, Value>, name: &str) -> Result<Option<&'a [Value]>, Vec<String>> {
    match data.get(name) {
        None => Ok(None),
        Some(Value::Null) => Err(vec!["This field may not be null.".into()]),
        Some(Value::Array(items)) => Ok(Some(items)),
        Some(other) => Err(vec![format!(
            "Expected a list of items but got type \"{}\".",
            python_type(other)
        )]),
    }
}

/// A user's `groups` as ids, checked against the groups that exist (`existing` answers for a
/// set of ids). `Ok(None)` when absent. The first bad item decides the message, as in DRF.
pub(crate) async fn group_ids<F, Fut, E>(
    data: &Map<String, Value>,
    existing: F,
) -> Result<Result<Option<Vec<i64>>, Vec<String>>, E>
where
    F: FnOnce(Vec<i64>) -> Fut,
    Fut: std::future::Future<Output = Result<Vec<i64>, E>>,
{
    let items = match list(data, "groups") {
        Ok(Some(items)) => items,
        Ok(None) => return Ok(Ok(None)),
        Err(e) => return Ok(Err(e)),
    };
    let mut ids = Vec::with_capacity(items.len());
    for item in items {
        // PrimaryKeyRelatedField: an integer or its text; a boolean is refused outright.
        let id = match item {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => s.trim().parse::<i64>().ok(),
            _ => None,
        };
        match id {
            Some(id) => ids.push(id),
            None => {
                return Ok(Err(vec![format!(
                    "Incorrect type. Expected pk value, received {}.",
                    python_type(item)
                )]));
            }
        }
    }
    let found = existing(ids.clone()).await?;
    if let Some(missing) = ids.iter().find(|id| !found.contains(id)) {
        return Ok(Err(vec![format!(
            "Invalid pk \"{missing}\" - object does not exist."
        )]));
    }
    ids.sort_unstable();
    ids.dedup();
    Ok(Ok(Some(ids)))
}

/// A group's `permissions` as `resource.codename` keys, resolved to ids against every
/// permission. `Ok(None)` when absent.
pub(crate) fn permission_ids(
    data: &Map<String, Value>,
    all: &[Permission],
) -> Result<Option<Vec<i64>>, Vec<String>> {
    let Some(items) = list(data, "permissions")? else {
        return Ok(None);
    };
    let mut ids = Vec::with_capacity(items.len());
    for item in items {
        // SlugRelatedField takes the slug as text.
        let Value::String(key) = item else {
            return Err(vec!["Invalid value.".into()]);
        };
        match all.iter().find(|p| p.key() == *key) {
            Some(p) => ids.push(p.id),
            None => {
                return Err(vec![format!(
                    "Object with permission={key} does not exist."
                )]);
            }
        }
    }
    ids.sort_unstable();
    ids.dedup();
    Ok(Some(ids))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> Map<String, Value> {
        v.as_object().cloned().expect("an object")
    }

    #[test]
    fn booleans() {
        let data = obj(json!({"a": true, "b": "No", "c": 1, "d": "maybe", "e": null}));
        assert_eq!(boolean(&data, "a"), Ok(Some(true)));
        assert_eq!(boolean(&data, "b"), Ok(Some(false)));
        assert_eq!(boolean(&data, "c"), Ok(Some(true)));
        assert_eq!(
            boolean(&data, "d"),
            Err(vec!["Must be a valid boolean.".into()])
        );
        assert_eq!(
            boolean(&data, "e"),
            Err(vec!["This field may not be null.".into()])
        );
        assert_eq!(boolean(&data, "zz"), Ok(None));
    }

    #[test]
    fn permissions_by_key() {
        let all = vec![Permission {
            id: 3,
            name: "Can add note".into(),
            resource: "notes".into(),
            codename: "add".into(),
        }];
        let ok = obj(json!({"permissions": ["notes.add", "notes.add"]}));
        assert_eq!(permission_ids(&ok, &all), Ok(Some(vec![3])));
        let bad = obj(json!({"permissions": ["notes.fly"]}));
        assert_eq!(
            permission_ids(&bad, &all),
            Err(vec![
                "Object with permission=notes.fly does not exist.".into()
            ])
        );
        let not_list = obj(json!({"permissions": "notes.add"}));
        assert_eq!(
            permission_ids(&not_list, &all),
            Err(vec![
                "Expected a list of items but got type \"str\".".into()
            ])
        );
    }

    #[tokio::test]
    async fn groups_by_id() {
        let existing = |ids: Vec<i64>| async move {
            Ok::<_, ()>(ids.into_iter().filter(|id| *id < 5).collect())
        };
        let data = obj(json!({"groups": [2, "1", 2]}));
        assert_eq!(group_ids(&data, existing).await, Ok(Ok(Some(vec![1, 2]))));
        let data = obj(json!({"groups": [1, 9]}));
        assert_eq!(
            group_ids(&data, existing).await,
            Ok(Err(vec![
                "Invalid pk \"9\" - object does not exist.".into()
            ]))
        );
        let data = obj(json!({"groups": [true]}));
        assert_eq!(
            group_ids(&data, existing).await,
            Ok(Err(vec![
                "Incorrect type. Expected pk value, received bool.".into()
            ]))
        );
    }
}
