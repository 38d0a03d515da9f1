//! One file per endpoint of DRF's authtoken, djoser and simplejwt (knox's three views in one).

pub(crate) mod activation;
pub(crate) mod doc_serializers;
pub(crate) mod jwt_blacklist;
pub(crate) mod jwt_create;
pub(crate) mod jwt_refresh;
pub(crate) mod jwt_verify;
pub(crate) mod knox;
pub(crate) mod logout_all;
pub(crate) mod obtain_token;
pub(crate) mod register;
pub(crate) mod reset_confirm;
pub(crate) mod send_link;
pub(crate) mod sessions;
pub(crate) mod set_password;
pub(crate) mod set_username;
pub(crate) mod token_login;
pub(crate) mod token_logout;
pub(crate) mod user_detail;
pub(crate) mod users;

use serde_json::{Map, Value, json};

/// One field of DRF's OPTIONS metadata (`SimpleMetadata.get_field_info`).
pub(crate) fn field_info(
    kind: &str,
    label: &str,
    required: bool,
    read_only: bool,
    extra: Value,
) -> Value {
    let mut info = Map::new();
    info.insert("type".into(), json!(kind));
    info.insert("required".into(), json!(required));
    info.insert("read_only".into(), json!(read_only));
    info.insert("label".into(), json!(label));
    if let Value::Object(extra) = extra {
        info.extend(extra);
    }
    Value::Object(info)
}
