//! Django's path converters (`<int:pk>`, `<slug:slug>`, `<str:name>`, `<uuid:id>`,
//! `<path:rest>`) in a route of a generic view: the route as the router's pattern, and the
//! check each captured value must pass. A value its converter refuses means Django's pattern
//! does not match, so the URL is answered as any unknown URL is.

/// One of Django's five default converters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Converter {
    /// `[0-9]+`
    Int,
    /// `[-a-zA-Z0-9_]+`
    Slug,
    /// `[^/]+`
    Str,
    /// `[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}` (lowercase only)
    Uuid,
    /// `.+`
    Path,
}

impl Converter {
    fn parse(name: &str) -> Option<Converter> {
        Some(match name {
            "int" => Converter::Int,
            "slug" => Converter::Slug,
            "str" => Converter::Str,
            "uuid" => Converter::Uuid,
            "path" => Converter::Path,
            _ => return None,
        })
    }

    /// Whether Django's regex for the converter matches the whole value.
    pub(crate) fn accepts(self, value: &str) -> bool {
        !value.is_empty()
            && match self {
                Converter::Int => value.bytes().all(|b| b.is_ascii_digit()),
                Converter::Slug => value
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
                Converter::Str => !value.contains('/'),
                Converter::Uuid => is_uuid(value),
                Converter::Path => true,
            }
    }
}

fn is_uuid(value: &str) -> bool {
    let groups: Vec<&str> = value.split('-').collect();
    groups.len() == 5
        && groups.iter().zip([8, 4, 4, 4, 12]).all(|(g, n)| {
            g.len() == n
                && g.bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        })
}

/// A Django route with converters, as the router's pattern (`api/notes/{pk}/`) and the
/// converter of each keyword argument, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct RoutePattern {
    pub(crate) route: String,
    pub(crate) kwargs: Vec<(String, Converter)>,
}

impl RoutePattern {
    /// Read `route` (without its leading slash). Each converter must be a whole path segment
    /// (Portcullis's router captures segments), and `<path:...>` the last one.
    pub(crate) fn parse(route: &str) -> Result<RoutePattern, String> {
        let mut kwargs: Vec<(String, Converter)> = Vec::new();
        let segments: Vec<&str> = route.split('/').collect();
        let mut out = Vec::with_capacity(segments.len());
        for (i, segment) in segments.iter().enumerate() {
            if !segment.contains(['<', '>']) {
                out.push((*segment).to_string());
                continue;
            }
            let inner = segment
                .strip_prefix('<')
                .and_then(|s| s.strip_suffix('>'))
                .filter(|s| !s.contains(['<', '>']))
                .ok_or_else(|| {
                    format!(
                        "path {route:?}: {segment:?} is not one converter filling a whole path \
                         segment (Portcullis matches converters segment by segment)"
                    )
                })?;
            // `<pk>` alone is Django's `str` converter.
            let (kind, name) = inner.split_once(':').unwrap_or(("str", inner));
            let converter = Converter::parse(kind).ok_or_else(|| {
                format!(
                    "path {route:?}: converter {kind:?} is unknown; one of int, slug, str, uuid, \
                     path (custom converters are not supported)"
                )
            })?;
            if !valid_kwarg(name) {
                return Err(format!(
                    "path {route:?}: {name:?} is not a Python identifier"
                ));
            }
            if kwargs.iter().any(|(n, _)| n == name) {
                // Django's check urls.E... : a route may not name a keyword argument twice.
                return Err(format!(
                    "path {route:?}: the keyword {name:?} is used twice"
                ));
            }
            if converter == Converter::Path {
                if i + 1 != segments.len() {
                    return Err(format!(
                        "path {route:?}: <path:{name}> must be the last part of the route"
                    ));
                }
                out.push(format!("{{*{name}}}"));
            } else {
                out.push(format!("{{{name}}}"));
            }
            kwargs.push((name.to_string(), converter));
        }
        Ok(RoutePattern {
            route: out.join("/"),
            kwargs,
        })
    }

    pub(crate) fn has_kwarg(&self, name: &str) -> bool {
        self.kwargs.iter().any(|(n, _)| n == name)
    }
}

fn valid_kwarg(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Whether every captured value passes its converter.
pub(crate) fn accepted<'a>(
    kwargs: &[(String, Converter)],
    mut value_of: impl FnMut(&str) -> Option<&'a str>,
) -> bool {
    kwargs
        .iter()
        .all(|(name, converter)| value_of(name).is_some_and(|v| converter.accepts(v)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_become_router_patterns() {
        let p = RoutePattern::parse("api/projects/<int:project_id>/tasks/").expect("route");
        assert_eq!(p.route, "api/projects/{project_id}/tasks/");
        assert_eq!(p.kwargs, [("project_id".to_string(), Converter::Int)]);
        let p = RoutePattern::parse("files/<path:rest>").expect("route");
        assert_eq!(p.route, "files/{*rest}");
        for bad in [
            "a/x<int:pk>/",
            "a/<float:x>/",
            "a/<path:x>/b/",
            "a/<int:x>/<slug:x>/",
        ] {
            assert!(RoutePattern::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn converters_accept_what_django_matches() {
        assert!(Converter::Int.accepts("007") && !Converter::Int.accepts("-1"));
        assert!(Converter::Slug.accepts("hello-world_2") && !Converter::Slug.accepts("a.b"));
        assert!(Converter::Uuid.accepts("12345678-1234-1234-1234-123456789abc"));
        assert!(!Converter::Uuid.accepts("12345678-1234-1234-1234-123456789ABC"));
    }
}
