//! `/api/notes/…`: the built-in `notes` resource beyond the oracle's recorded scenarios. What
//! both of its URLs answer alike (HEAD, OPTIONS with DRF's metadata, `.json` suffixes and
//! `?format=`) is in `views.rs`; one note's URL (odd ids, other users' public notes, ignored
//! input) in `detail.rs`; rows another program wrote into its table in Django's layout in
//! `stored_rows.rs`. Its lists (page size cap, search, indexes) are in resources/lists.rs.

mod detail;
mod stored_rows;
mod views;

use serde_json::{Value, json};

pub(super) const DENIED: &str = "You do not have permission to perform this action.";
pub(super) const NO_NOTE: &str = "No Note matches the given query.";

/// DRF's OPTIONS body for the notes serializer, as the reference Django app answers it.
pub(super) fn note_fields() -> Value {
    json!({
        "id": {"type": "integer", "required": false, "read_only": true, "label": "ID"},
        "title": {"type": "string", "required": true, "read_only": false, "label": "Title", "max_length": 200},
        "body": {"type": "string", "required": false, "read_only": false, "label": "Body"},
        "is_public": {"type": "boolean", "required": false, "read_only": false, "label": "Is public"},
        "owner": {"type": "field", "required": false, "read_only": true, "label": "Owner"},
        "created_at": {"type": "datetime", "required": false, "read_only": true, "label": "Created at"},
        "updated_at": {"type": "datetime", "required": false, "read_only": true, "label": "Updated at"}
    })
}

pub(super) fn metadata(name: &str, actions: Option<Value>) -> Value {
    let mut body = json!({
        "name": name,
        "description": "",
        "renders": ["application/json", "text/html"],
        "parses": ["application/json", "application/x-www-form-urlencoded", "multipart/form-data"],
    });
    if let Some(actions) = actions {
        body["actions"] = actions;
    }
    body
}
