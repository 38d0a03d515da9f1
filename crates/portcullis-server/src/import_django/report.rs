//! What an import did, kind by kind: imported, already here, skipped with the reason. Printed at
//! the end of `portcullis import-django`, the same with `--dry-run`.

use std::fmt;

/// Skip lines shown per kind; the rest are counted.
const SHOWN_SKIPS: usize = 20;

/// One kind of row (users, groups, tokens, …).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    pub kind: String,
    pub imported: u64,
    /// Already in the target, as the Django database has it: left as it is.
    pub present: u64,
    /// Why each skipped row was skipped.
    pub skipped: Vec<String>,
}

impl Tally {
    pub(crate) fn new(kind: impl Into<String>) -> Tally {
        Tally {
            kind: kind.into(),
            ..Tally::default()
        }
    }

    pub(crate) fn skip(&mut self, why: String) {
        self.skipped.push(why);
    }
}

/// The whole import's account.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub tallies: Vec<Tally>,
    /// Things worth knowing that are not rows (a missing table, unmapped permissions).
    pub notes: Vec<String>,
    /// Nothing was written: `--dry-run`.
    pub dry_run: bool,
}

impl Report {
    /// The rows imported (or, in a dry run, that would be).
    pub fn imported(&self) -> u64 {
        self.tallies.iter().map(|t| t.imported).sum()
    }

    pub fn skipped(&self) -> usize {
        self.tallies.iter().map(|t| t.skipped.len()).sum()
    }

    /// The tally of one kind.
    pub fn tally(&self, kind: &str) -> Option<&Tally> {
        self.tallies.iter().find(|t| t.kind == kind)
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let verb = if self.dry_run {
            "to import"
        } else {
            "imported"
        };
        for t in &self.tallies {
            writeln!(
                f,
                "{}: {} {verb}, {} already here, {} skipped",
                t.kind,
                t.imported,
                t.present,
                t.skipped.len()
            )?;
            for why in t.skipped.iter().take(SHOWN_SKIPS) {
                writeln!(f, "  skipped {why}")?;
            }
            if t.skipped.len() > SHOWN_SKIPS {
                writeln!(f, "  … and {} more", t.skipped.len() - SHOWN_SKIPS)?;
            }
        }
        for note in &self.notes {
            writeln!(f, "note: {note}")?;
        }
        let rows = self.imported();
        match (self.dry_run, rows) {
            (_, 0) => write!(f, "Nothing to import: no change was made."),
            (true, n) => write!(
                f,
                "Dry run: {n} rows would be imported; nothing was written."
            ),
            (false, n) => write!(f, "Imported {n} rows."),
        }
    }
}
