//! What `portcullis check` refuses of a many-to-many field: the DRF idioms a list of ids
//! cannot express.

#[test]
fn check_refuses_what_a_list_of_ids_cannot_do() {
    let with = |extra_resource: &str, extra_field: &str| {
        format!(
            "[[resources]]\nname = \"tags\"\n[[resources.fields]]\nname = \"n\"\ntype = \"text\"\n\
             [[resources]]\nname = \"posts\"\n{extra_resource}\n\
             [[resources.fields]]\nname = \"tags\"\ntype = \"many_to_many\"\nto = \"tags\"\n{extra_field}\n"
        )
    };
    let refused =
        |text: String| portcullis_server::resources::Schema::parse(&text).expect_err("refused");
    assert_eq!(
        refused(with("ordering_fields = [\"tags\"]", "")),
        [
            "resource posts: ordering_fields: \"tags\" is a many-to-many field: it holds a list of ids, which rows cannot be ordered by"
        ]
    );
    assert_eq!(
        refused(with("ordering = [\"tags\"]", "")),
        [
            "resource posts: ordering: \"tags\" is a many-to-many field: it holds a list of ids, which rows cannot be ordered by"
        ]
    );
    assert_eq!(
        refused(with("search_fields = [\"tags\"]", "")),
        [
            "resource posts: search_fields: \"tags\" is a many-to-many field: it holds a list of ids, which rows cannot be searched in (search looks in string and text fields)"
        ]
    );
    assert_eq!(
        refused(with("", "null = true")),
        [
            "resource posts: field tags: null has no effect on a many-to-many field (Django's fields.W340); use blank = true for an optional, possibly empty list"
        ]
    );
    assert_eq!(
        refused(with("", "unique = true")),
        [
            "resource posts: field tags: a many-to-many field cannot be unique (Django's fields.E330)"
        ]
    );
    let no_target = "[[resources]]\nname = \"posts\"\n[[resources.fields]]\nname = \"tags\"\ntype = \"many_to_many\"\n";
    assert_eq!(
        refused(no_target.to_string()),
        ["resource posts: field tags: a many_to_many needs `to = \"<resource>\"`"]
    );
    // The join table `posts_tags` would be another resource's table.
    let clash = with("", "")
        + "[[resources]]\nname = \"posts_tags\"\n[[resources.fields]]\nname = \"n\"\ntype = \"text\"\n";
    assert_eq!(
        refused(clash),
        [
            "resource posts, field tags: its join table \"posts_tags\" would be the table of resource posts_tags; rename the field or the resource"
        ]
    );
    assert!(
        portcullis_server::resources::Schema::parse(&with(
            "filter_fields = [\"tags\"]",
            "blank = true"
        ))
        .is_ok()
    );
}
