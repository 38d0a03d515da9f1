//! `CamelCaseJSONRenderer`: the keys of a rendered JSON body camelized, at every depth, values
//! untouched. The body is rewritten as bytes, so the key order a view wrote is kept and nothing
//! is parsed into a map and printed again.

use super::keys::camelize;
use crate::config::CamelCaseConfig;

/// The camelized body, or `None` when it is not one JSON document (left as it was).
pub(crate) fn camelize_json(body: &[u8], options: &CamelCaseConfig) -> Option<Vec<u8>> {
    let mut rewriter = Rewriter {
        input: body,
        pos: 0,
        out: Vec::with_capacity(body.len()),
        options,
    };
    rewriter.value(true)?;
    rewriter.whitespace();
    (rewriter.pos == body.len()).then_some(rewriter.out)
}

struct Rewriter<'a> {
    input: &'a [u8],
    pos: usize,
    out: Vec<u8>,
    options: &'a CamelCaseConfig,
}

/// A key as read, camelized, and as written (the camelized one unless `ignore_keys` keeps it).
struct Key {
    original: String,
    camel: String,
    written: String,
}

/// One member of an object as written to `out`: its final key and the span of its bytes.
struct Member {
    key: String,
    start: usize,
    end: usize,
}

impl Rewriter<'_> {
    fn peek(&self) -> Option<u8> {
        self.input.get(self.pos).copied()
    }

    fn whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    /// Copy one value; `camelize` false copies it as it is (the package's `ignore_fields`).
    fn value(&mut self, camelize: bool) -> Option<()> {
        self.whitespace();
        match self.peek()? {
            b'{' if camelize => self.object(),
            b'[' if camelize => self.array(),
            b'{' | b'[' => {
                let start = self.pos;
                self.skip_nested()?;
                self.out.extend_from_slice(&self.input[start..self.pos]);
                Some(())
            }
            b'"' => {
                let (start, end) = self.string()?;
                self.out.extend_from_slice(&self.input[start..end]);
                Some(())
            }
            _ => {
                let start = self.pos;
                while self.peek().is_some_and(|b| {
                    !matches!(b, b',' | b'}' | b']' | b' ' | b'\n' | b'\r' | b'\t')
                }) {
                    self.pos += 1;
                }
                (self.pos > start).then_some(())?;
                self.out.extend_from_slice(&self.input[start..self.pos]);
                Some(())
            }
        }
    }

    /// The span of the string at `pos`, quotes included.
    fn string(&mut self) -> Option<(usize, usize)> {
        let start = self.pos;
        self.pos += 1;
        loop {
            match self.peek()? {
                b'"' => {
                    self.pos += 1;
                    return Some((start, self.pos));
                }
                b'\\' => self.pos += 2,
                _ => self.pos += 1,
            }
        }
    }

    fn skip_nested(&mut self) -> Option<()> {
        let mut depth = 0usize;
        loop {
            match self.peek()? {
                b'"' => {
                    self.string()?;
                    continue;
                }
                b'{' | b'[' => depth += 1,
                b'}' | b']' => {
                    depth = depth.checked_sub(1)?;
                    if depth == 0 {
                        self.pos += 1;
                        return Some(());
                    }
                }
                _ => {}
            }
            self.pos += 1;
        }
    }

    fn array(&mut self) -> Option<()> {
        self.pos += 1;
        self.out.push(b'[');
        self.whitespace();
        if self.peek()? == b']' {
            self.pos += 1;
            self.out.push(b']');
            return Some(());
        }
        loop {
            self.value(true)?;
            self.whitespace();
            match self.peek()? {
                b',' => self.out.push(b','),
                b']' => {
                    self.pos += 1;
                    self.out.push(b']');
                    return Some(());
                }
                _ => return None,
            }
            self.pos += 1;
        }
    }

    fn object(&mut self) -> Option<()> {
        self.pos += 1;
        let open = self.out.len();
        self.out.push(b'{');
        let mut members: Vec<Member> = Vec::new();
        let mut renamed = false;
        self.whitespace();
        if self.peek()? == b'}' {
            self.pos += 1;
            self.out.push(b'}');
            return Some(());
        }
        loop {
            self.whitespace();
            if self.peek()? != b'"' {
                return None;
            }
            let start = self.out.len();
            let key = self.key()?;
            renamed |= key.written != key.original;
            self.whitespace();
            if self.peek()? != b':' {
                return None;
            }
            self.pos += 1;
            self.out.push(b':');
            let ignored = self
                .options
                .ignore_fields
                .iter()
                .any(|f| *f == key.original || *f == key.camel);
            self.value(!ignored)?;
            members.push(Member {
                key: key.written,
                start,
                end: self.out.len(),
            });
            self.whitespace();
            match self.peek()? {
                b',' => self.out.push(b','),
                b'}' => break,
                _ => return None,
            }
            self.pos += 1;
        }
        self.pos += 1;
        self.out.push(b'}');
        if renamed {
            self.merge_duplicates(open, &members);
        }
        Some(())
    }

    /// Read a key and write it camelized (or as it is, for `ignore_keys`).
    fn key(&mut self) -> Option<Key> {
        let (start, end) = self.string()?;
        let raw = &self.input[start..end];
        let original: String = serde_json::from_slice(raw).ok()?;
        let camel = camelize(&original).into_owned();
        let keep = self
            .options
            .ignore_keys
            .iter()
            .any(|k| *k == original || *k == camel);
        if keep || camel == original {
            self.out.extend_from_slice(raw);
            return Some(Key {
                written: original.clone(),
                original,
                camel,
            });
        }
        // serde_json cannot fail to write a string.
        self.out
            .extend_from_slice(&serde_json::to_vec(&camel).ok()?);
        Some(Key {
            written: camel.clone(),
            original,
            camel,
        })
    }

    /// Two keys that camelize alike (`a_b` and `aB`): the package builds a dict, so the first
    /// one's place is kept with the last one's value.
    fn merge_duplicates(&mut self, open: usize, members: &[Member]) {
        let mut order: Vec<(&str, usize)> = Vec::with_capacity(members.len());
        for (i, member) in members.iter().enumerate() {
            match order.iter_mut().find(|(k, _)| *k == member.key) {
                Some(slot) => slot.1 = i,
                None => order.push((&member.key, i)),
            }
        }
        if order.len() == members.len() {
            return;
        }
        let mut object = vec![b'{'];
        for (n, (key, i)) in order.iter().enumerate() {
            if n > 0 {
                object.push(b',');
            }
            // The last member's key text and value (its key is the same once camelized).
            let member = &members[*i];
            let bytes = &self.out[member.start..member.end];
            if let Ok(k) = serde_json::to_vec(key) {
                object.extend_from_slice(&k);
            }
            object.extend_from_slice(&bytes[key_len(bytes)..]);
        }
        object.push(b'}');
        self.out.truncate(open);
        self.out.extend_from_slice(&object);
    }
}

/// The length of the JSON string at the start of `bytes`, quotes included.
fn key_len(bytes: &[u8]) -> usize {
    let mut i = 1;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => return i + 1,
            b'\\' => i += 2,
            _ => i += 1,
        }
    }
    bytes.len()
}
