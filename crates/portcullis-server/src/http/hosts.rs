//! Django's `ALLOWED_HOSTS`: the `Host` header must be a valid host (optionally with a port)
//! whose domain — lowercased, one trailing dot removed — equals an allowed name, or falls under
//! an allowed `.domain`, or the list holds `*`.

/// The compiled allowed-hosts list.
#[derive(Debug, Clone)]
pub(crate) struct AllowedHosts {
    patterns: Vec<String>,
}

impl AllowedHosts {
    pub(crate) fn new(patterns: &[String]) -> AllowedHosts {
        AllowedHosts {
            patterns: patterns.iter().map(|p| p.to_ascii_lowercase()).collect(),
        }
    }

    /// Django's `HttpRequest.get_host()` check for a raw `Host` header value.
    pub(crate) fn allows(&self, host: &str) -> bool {
        let Some(domain) = domain_of(host) else {
            return false;
        };
        self.patterns.iter().any(|pattern| {
            pattern == "*"
                || *pattern == domain
                || pattern.starts_with('.')
                    && (domain.ends_with(pattern.as_str()) || domain == pattern[1..])
        })
    }
}

/// Django's `split_domain_port`: the lowercased domain without one trailing dot, or `None` when
/// the header does not fully match `([a-z0-9.-]+|\[[a-f0-9]*:[a-f0-9.:]+\])(:[0-9]+)?`.
fn domain_of(host: &str) -> Option<String> {
    let host = host.to_ascii_lowercase();
    let (domain, port) = if host.starts_with('[') {
        let end = host.find(']')?;
        let inner = &host[1..end];
        let ok = inner.contains(':')
            && inner
                .chars()
                .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.');
        if !ok {
            return None;
        }
        (&host[..=end], &host[end + 1..])
    } else {
        match host.find(':') {
            Some(i) => (&host[..i], &host[i..]),
            None => (host.as_str(), ""),
        }
    };
    if !port.is_empty() {
        let digits = port.strip_prefix(':')?;
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
    }
    let plain_ok = domain.starts_with('[')
        || !domain.is_empty()
            && domain
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-');
    if !plain_ok {
        return None;
    }
    Some(domain.strip_suffix('.').unwrap_or(domain).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn django_host_rules() {
        let hosts = AllowedHosts::new(&[
            "127.0.0.1".into(),
            "localhost".into(),
            ".example.com".into(),
            "[::1]".into(),
        ]);
        for ok in [
            "localhost",
            "LOCALHOST:9999",
            "localhost.",
            "127.0.0.1:8000",
            "example.com",
            "a.b.example.com",
            "[::1]:80",
        ] {
            assert!(hosts.allows(ok), "{ok}");
        }
        for bad in [
            "evil.example",
            "localhost:abc",
            "localhost:",
            "local host",
            "",
            "[::1",
            "exampleXcom",
            "localhost/x",
            "évil",
        ] {
            assert!(!hosts.allows(bad), "{bad}");
        }
        assert!(AllowedHosts::new(&["*".into()]).allows("anything.at.all"));
    }
}
