//! `renderer_classes`, `parser_classes` and `[camel_case]`: DRF's `DEFAULT_RENDERER_CLASSES` and
//! `DEFAULT_PARSER_CLASSES` as a project's settings list them, with DRF's own classes and
//! djangorestframework-camel-case's, and that package's `JSON_CAMEL_CASE["JSON_UNDERSCOREIZE"]`
//! options. The classes are named rather than reduced to one `camel_case = true` switch because
//! their order is on the wire too: OPTIONS lists `renders` and `parses` in the settings' order,
//! and a project without the browsable renderer answers `text/html` with a 406.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A class of a settings list: its short and dotted names, and what it does on the wire.
struct ClassName<T> {
    short: &'static str,
    dotted: &'static str,
    class: T,
}

fn parse_class<T: Copy>(names: &[ClassName<T>], text: &str) -> Option<T> {
    names
        .iter()
        .find(|n| text == n.short || text == n.dotted)
        .map(|n| n.class)
}

fn short_name<T: Copy + PartialEq>(names: &[ClassName<T>], class: T) -> &'static str {
    names
        .iter()
        .find(|n| n.class == class)
        .map_or("", |n| n.short)
}

/// One of `DEFAULT_RENDERER_CLASSES`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RendererClass {
    Json,
    BrowsableApi,
    CamelCaseJson,
    CamelCaseBrowsableApi,
}

const RENDERERS: &[ClassName<RendererClass>] = &[
    ClassName {
        short: "JSONRenderer",
        dotted: "rest_framework.renderers.JSONRenderer",
        class: RendererClass::Json,
    },
    ClassName {
        short: "BrowsableAPIRenderer",
        dotted: "rest_framework.renderers.BrowsableAPIRenderer",
        class: RendererClass::BrowsableApi,
    },
    ClassName {
        short: "CamelCaseJSONRenderer",
        dotted: "djangorestframework_camel_case.render.CamelCaseJSONRenderer",
        class: RendererClass::CamelCaseJson,
    },
    ClassName {
        short: "CamelCaseBrowsableAPIRenderer",
        dotted: "djangorestframework_camel_case.render.CamelCaseBrowsableAPIRenderer",
        class: RendererClass::CamelCaseBrowsableApi,
    },
];

impl RendererClass {
    /// DRF's two defaults.
    pub(crate) fn defaults() -> Vec<RendererClass> {
        vec![RendererClass::Json, RendererClass::BrowsableApi]
    }

    pub(crate) fn name(self) -> &'static str {
        short_name(RENDERERS, self)
    }

    /// The renderer's `format` (`?format=`) and `media_type`.
    pub(crate) fn format_and_media_type(self) -> (&'static str, &'static str) {
        match self {
            RendererClass::Json | RendererClass::CamelCaseJson => ("json", "application/json"),
            RendererClass::BrowsableApi | RendererClass::CamelCaseBrowsableApi => {
                ("api", "text/html")
            }
        }
    }

    pub(crate) fn camel_case(self) -> bool {
        matches!(
            self,
            RendererClass::CamelCaseJson | RendererClass::CamelCaseBrowsableApi
        )
    }
}

/// One of `DEFAULT_PARSER_CLASSES`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParserClass {
    Json,
    Form,
    MultiPart,
    CamelCaseJson,
    CamelCaseForm,
    CamelCaseMultiPart,
}

const PARSERS: &[ClassName<ParserClass>] = &[
    ClassName {
        short: "JSONParser",
        dotted: "rest_framework.parsers.JSONParser",
        class: ParserClass::Json,
    },
    ClassName {
        short: "FormParser",
        dotted: "rest_framework.parsers.FormParser",
        class: ParserClass::Form,
    },
    ClassName {
        short: "MultiPartParser",
        dotted: "rest_framework.parsers.MultiPartParser",
        class: ParserClass::MultiPart,
    },
    ClassName {
        short: "CamelCaseJSONParser",
        dotted: "djangorestframework_camel_case.parser.CamelCaseJSONParser",
        class: ParserClass::CamelCaseJson,
    },
    ClassName {
        short: "CamelCaseFormParser",
        dotted: "djangorestframework_camel_case.parser.CamelCaseFormParser",
        class: ParserClass::CamelCaseForm,
    },
    ClassName {
        short: "CamelCaseMultiPartParser",
        dotted: "djangorestframework_camel_case.parser.CamelCaseMultiPartParser",
        class: ParserClass::CamelCaseMultiPart,
    },
];

impl ParserClass {
    /// DRF's three defaults.
    pub(crate) fn defaults() -> Vec<ParserClass> {
        vec![ParserClass::Json, ParserClass::Form, ParserClass::MultiPart]
    }

    pub(crate) fn name(self) -> &'static str {
        short_name(PARSERS, self)
    }

    pub(crate) fn media_type(self) -> &'static str {
        match self {
            ParserClass::Json | ParserClass::CamelCaseJson => "application/json",
            ParserClass::Form | ParserClass::CamelCaseForm => "application/x-www-form-urlencoded",
            ParserClass::MultiPart | ParserClass::CamelCaseMultiPart => "multipart/form-data",
        }
    }

    pub(crate) fn camel_case(self) -> bool {
        matches!(
            self,
            ParserClass::CamelCaseJson
                | ParserClass::CamelCaseForm
                | ParserClass::CamelCaseMultiPart
        )
    }
}

macro_rules! class_serde {
    ($class:ty, $names:expr, $what:literal) => {
        impl<'de> Deserialize<'de> for $class {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = String::deserialize(deserializer)?;
                parse_class($names, &text).ok_or_else(|| {
                    let known: Vec<&str> = $names.iter().map(|n| n.short).collect();
                    serde::de::Error::custom(format!(
                        concat!("unknown ", $what, " class {:?}: Portcullis has {}"),
                        text,
                        known.join(", ")
                    ))
                })
            }
        }

        impl Serialize for $class {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.name())
            }
        }
    };
}

class_serde!(RendererClass, RENDERERS, "renderer");
class_serde!(ParserClass, PARSERS, "parser");

/// `JSON_CAMEL_CASE = {"JSON_UNDERSCOREIZE": {...}}`: how the camel classes rewrite keys.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct CamelCaseConfig {
    /// `no_underscore_before_number`: `field1` stays `field1` on input (else `field_1`).
    pub no_underscore_before_number: bool,
    /// `ignore_fields`: keys (snake or camel) whose value is passed through untouched, the key
    /// itself still rewritten.
    pub ignore_fields: Vec<String>,
    /// `ignore_keys`: keys (snake or camel) kept as they are, their value still rewritten.
    pub ignore_keys: Vec<String>,
    /// `djangorestframework_camel_case.middleware.CamelCaseMiddleWare` is in the project's
    /// `MIDDLEWARE`: query parameter names are underscoreized too (their values are not).
    pub middleware: bool,
}

/// Check both lists: a class listed twice, an empty list, and a mix of camel-case and plain
/// classes in one list (Portcullis rewrites all of a project's bodies or none).
pub(crate) fn check(
    renderers: &[RendererClass],
    parsers: &[ParserClass],
    bad: &mut impl FnMut(&str, String),
) {
    check_list(
        "renderer_classes",
        renderers,
        RendererClass::name,
        RendererClass::camel_case,
        bad,
    );
    check_list(
        "parser_classes",
        parsers,
        ParserClass::name,
        ParserClass::camel_case,
        bad,
    );
}

fn check_list<T: Copy + PartialEq>(
    key: &str,
    classes: &[T],
    name: fn(T) -> &'static str,
    camel: fn(T) -> bool,
    bad: &mut impl FnMut(&str, String),
) {
    if classes.is_empty() {
        bad(
            key,
            "is empty: DRF could not answer (renderers) or read (parsers) any request".into(),
        );
    }
    for (i, class) in classes.iter().enumerate() {
        if classes[..i].contains(class) {
            bad(key, format!("{} is listed twice", name(*class)));
        }
    }
    let camels = classes.iter().filter(|c| camel(**c)).count();
    if camels != 0 && camels != classes.len() {
        bad(
            key,
            "mixes camel-case and plain classes: Portcullis rewrites the keys of all of them \
             or of none, so list only CamelCase* classes or only DRF's"
                .into(),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_and_dotted_names_are_read_and_unknown_refused() {
        let r: Vec<RendererClass> = serde_json::from_str(
            r#"["djangorestframework_camel_case.render.CamelCaseJSONRenderer", "BrowsableAPIRenderer"]"#,
        )
        .unwrap_or_default();
        assert_eq!(
            r,
            [RendererClass::CamelCaseJson, RendererClass::BrowsableApi]
        );
        let err = serde_json::from_str::<Vec<ParserClass>>(r#"["YAMLParser"]"#)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("unknown parser class \"YAMLParser\""), "{err}");
    }

    #[test]
    fn mixed_empty_and_repeated_lists_are_refused() {
        let mut problems = Vec::new();
        check(
            &[RendererClass::CamelCaseJson, RendererClass::BrowsableApi],
            &[],
            &mut |k: &str, why: String| problems.push(format!("{k}: {why}")),
        );
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].starts_with("renderer_classes: mixes camel-case"));
        assert!(problems[1].starts_with("parser_classes: is empty"));
    }
}
