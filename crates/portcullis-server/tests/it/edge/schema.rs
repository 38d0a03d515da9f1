//! A broken schema file is refused when the configuration is checked (before `serve` starts),
//! every problem naming the resource, the field and the reason; a good one is accepted whole.

use crate::harness::resources::projects_schema;
use portcullis_server::Config;
use portcullis_server::resources::Schema;

/// The problems `portcullis serve` would print for this schema file, as `key: reason` lines.
fn problems(schema: &str) -> Vec<String> {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("schema.toml");
    std::fs::write(&path, schema).expect("write the schema file");
    let config = Config {
        schema_file: path.display().to_string(),
        ..Config::default()
    };
    config.problems().iter().map(ToString::to_string).collect()
}

/// One resource `things` with the given field table(s) and resource keys.
fn things(resource_keys: &str, fields: &str) -> String {
    format!("[[resources]]\nname = \"things\"\n{resource_keys}\n{fields}")
}

fn field(body: &str) -> String {
    format!("[[resources.fields]]\n{body}\n")
}

fn assert_refused(schema: &str, expected: &str) {
    let found = problems(schema);
    assert!(
        found
            .iter()
            .any(|p| p == &format!("schema_file: {expected}")),
        "expected {expected:?} among {found:?}"
    );
}

#[test]
fn the_example_schema_is_valid() {
    assert_eq!(
        problems(&std::fs::read_to_string(projects_schema()).unwrap()),
        Vec::<String>::new()
    );
    let schema = Schema::parse(&std::fs::read_to_string(projects_schema()).unwrap()).unwrap();
    let names: Vec<&str> = schema.resources.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["projects", "tasks"]);
    assert_eq!(
        schema.resources[0].label, "Project",
        "from the name, singular"
    );
    assert_eq!(schema.resources[1].label, "Task");
}

#[test]
fn an_unreadable_or_malformed_file_is_refused() {
    let config = Config {
        schema_file: "/nonexistent/schema.toml".into(),
        ..Config::default()
    };
    let found: Vec<String> = config.problems().iter().map(ToString::to_string).collect();
    assert_eq!(found.len(), 1);
    assert!(
        found[0].starts_with("schema_file: cannot read /nonexistent/schema.toml"),
        "{found:?}"
    );

    let found = problems("[[resources]\nname = ");
    assert!(found[0].starts_with("schema_file: schema: "), "{found:?}");
    // Unknown keys are refused, not ignored: a typo must not silently drop a constraint.
    let found = problems(&things(
        "",
        &field("name = \"a\"\ntype = \"text\"\nmax_lenght = 3"),
    ));
    assert!(found.iter().any(|p| p.contains("max_lenght")), "{found:?}");
}

#[test]
fn field_problems_name_the_resource_and_the_field() {
    let cases = [
        (
            field("name = \"a\"\ntype = \"money\""),
            "resource things: field a: type \"money\" is unknown (string, text, integer, float, boolean, date, datetime, json, owner, reference, many_to_many)",
        ),
        (
            field("name = \"a\"\ntype = \"string\""),
            "resource things: field a: a string needs max_length (use type \"text\" for unlimited text)",
        ),
        (
            field("name = \"Title\"\ntype = \"text\""),
            "resource things: field Title: the name must be lowercase letters, digits and _, starting with a letter",
        ),
        (
            field("name = \"id\"\ntype = \"text\""),
            "resource things: field id: the name is already taken",
        ),
        (
            field("name = \"n\"\ntype = \"integer\"\nmin = 5\nmax = 1"),
            "resource things: field n: min is greater than max",
        ),
        (
            field("name = \"n\"\ntype = \"integer\"\nmax_length = 3"),
            "resource things: field n: max_length, min_length and blank apply to string and text fields only",
        ),
        (
            field("name = \"s\"\ntype = \"text\"\nmin = 1"),
            "resource things: field s: min and max apply to integer and float fields only",
        ),
        (
            field("name = \"r\"\ntype = \"reference\""),
            "resource things: field r: a reference needs `to = \"<resource>\"`",
        ),
        (
            field("name = \"r\"\ntype = \"reference\"\nto = \"things\"\non_delete = \"set_null\""),
            "resource things: field r: on_delete = \"set_null\" needs null = true",
        ),
        (
            field("name = \"o\"\ntype = \"owner\"\nnull = true"),
            "resource things: field o: an owner is set from the authenticated user: no default, no null",
        ),
        (
            field("name = \"w\"\ntype = \"text\"\nread_only = true\nwrite_only = true"),
            "resource things: field w: a field cannot be both read_only and write_only",
        ),
        (
            field("name = \"r\"\ntype = \"reference\"\nto = \"nowhere\""),
            "resource things, field r: `to = \"nowhere\"` names no declared resource",
        ),
        // A default must be a value the field itself would accept.
        (
            field("name = \"n\"\ntype = \"integer\"\ndefault = \"many\""),
            "resource things: field n: default \"many\": A valid integer is required.",
        ),
        (
            field("name = \"n\"\ntype = \"integer\"\nmax = 3\ndefault = 4"),
            "resource things: field n: default 4: Ensure this value is less than or equal to 3.",
        ),
        (
            field("name = \"s\"\ntype = \"string\"\nchoices = [\"a\", \"b\"]\ndefault = \"c\""),
            "resource things: field s: default \"c\": \"c\" is not a valid choice.",
        ),
        (
            field("name = \"d\"\ntype = \"date\"\ndefault = \"31/01/2025\""),
            "resource things: field d: default \"31/01/2025\": Date has wrong format. Use one of these formats instead: YYYY-MM-DD.",
        ),
        (
            field("name = \"b\"\ntype = \"boolean\"\ndefault = \"perhaps\""),
            "resource things: field b: default \"perhaps\": Must be a valid boolean.",
        ),
        (
            field("name = \"n\"\ntype = \"integer\"\nchoices = [\"1\"]"),
            "resource things: field n: choices apply to string and text fields only",
        ),
        // Two fields may not share a column: a reference `parent` is stored in `parent_id`.
        (
            field("name = \"parent\"\ntype = \"reference\"\nto = \"things\"")
                + &field("name = \"parent_id\"\ntype = \"integer\""),
            "resource things: field parent_id: its column \"parent_id\" is already the column of field parent",
        ),
    ];
    for (fields, expected) in cases {
        assert_refused(&things("", &fields), expected);
    }
}

#[test]
fn resource_problems_name_the_resource_and_the_reason() {
    let title = field("name = \"title\"\ntype = \"string\"\nmax_length = 9");
    let flag = field("name = \"flag\"\ntype = \"text\"");
    let cases = [
        (
            things("ordering = [\"-nope\"]", &title),
            "resource things: ordering: \"nope\" is not a field",
        ),
        (
            things("filter_fields = [\"size\"]", &title),
            "resource things: filter_fields: \"size\" is not a field",
        ),
        (
            things(
                "search_fields = [\"size\"]",
                &(title.clone() + &field("name = \"size\"\ntype = \"integer\"")),
            ),
            "resource things: search_fields: \"size\" is not a string or text field",
        ),
        (
            things("visible_to = \"owner\"", &title),
            "resource things: visible_to needs a field of type \"owner\"",
        ),
        (
            things("visible_to = \"friends\"", &title),
            "resource things: visible_to: \"friends\" is not one of everyone, owner, owner_or_public",
        ),
        (
            things(
                "visible_to = \"owner_or_public\"\npublic_flag = \"flag\"",
                &(title.clone() + &flag),
            ),
            "resource things: public_flag: \"flag\" is not a boolean field",
        ),
        (
            things("page_size = 0", &title),
            "resource things: page_size must be at least 1",
        ),
        (
            things("[resources.access]\nlist = \"everybody\"", &title),
            "resource things: access.list: \"everybody\" is not anyone, authenticated, staff, owner or things.add|change|delete|view",
        ),
        (
            things("[resources.access]\ncreate = \"notes.add\"", &title),
            "resource things: access.create: \"notes.add\": a permission rule names its own resource (things.add)",
        ),
        (
            things("[resources.access]\nupdate = \"owner\"", &title),
            "resource things: access.update: \"owner\" needs a field of type \"owner\"",
        ),
        (
            things("[resources.access]\ndestroy = []", &title),
            "resource things: access.destroy: an empty list allows nobody; use \"anyone\" or a rule",
        ),
        (
            things("", &title).replace("\"things\"", "\"auth_things\""),
            "resource auth_things: the name must be lowercase letters, digits and _, start with a letter, and not start with auth_, authtoken_, portcullis_, sqlite_ or pg_",
        ),
        (
            things("", &title) + &things("", &title),
            "resource things: declared twice",
        ),
    ];
    for (schema, expected) in cases {
        assert_refused(&schema, expected);
    }
}

#[test]
fn every_problem_is_reported_at_once() {
    let schema = things(
        "ordering = [\"nope\"]",
        &(field("name = \"a\"\ntype = \"money\"") + &field("name = \"b\"\ntype = \"string\"")),
    );
    let found = problems(&schema);
    assert_eq!(found.len(), 3, "{found:?}");
}
