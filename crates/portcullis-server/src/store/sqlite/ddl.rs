//! SQLite's DDL for the planned table changes (`store::tables`). Identifiers come from the
//! validated schema or from SQLite's own catalogue; they are quoted all the same.

use crate::store::cells::Storage;
use crate::store::tables::{Change, Column, ColumnKind, Index, Literal, OnDelete, Table};

/// The statements of one change, in order.
pub(super) fn statements(change: &Change) -> Vec<String> {
    match change {
        Change::CreateTable(table) => {
            let mut out = vec![create_table(&table.name, &table.columns)];
            out.extend(table.indexes.iter().map(|i| create_index(&table.name, i)));
            out
        }
        Change::AddColumn { table, column } => vec![add_column(table, column)],
        Change::Reshape { table, kept } => {
            let mut out = rebuild(table, kept);
            out.extend(table.indexes.iter().map(|i| create_index(&table.name, i)));
            out
        }
        Change::CreateIndex { table, index } => vec![create_index(table, index)],
        Change::DropIndex(name) => vec![format!("DROP INDEX IF EXISTS {}", quote(name))],
        Change::DropTable(name) => vec![format!("DROP TABLE {}", quote(name))],
    }
}

/// The declared type of a column of that storage class: SQLite's names for them.
fn type_name(storage: Storage) -> &'static str {
    match storage {
        Storage::Integer => "INTEGER",
        Storage::Real => "REAL",
        Storage::Text => "TEXT",
    }
}

/// The storage class of a declared type Portcullis wrote; `None` for any other.
pub(super) fn storage_of(declared: &str) -> Option<Storage> {
    [Storage::Integer, Storage::Real, Storage::Text]
        .into_iter()
        .find(|s| declared.eq_ignore_ascii_case(type_name(*s)))
}

fn quote(ident: &str) -> String {
    format!("\"{}\"", ident.replace('"', "\"\""))
}

/// A name as an SQL string literal.
fn name_literal(name: &str) -> String {
    format!("'{}'", name.replace('\'', "''"))
}

fn literal(value: &Literal) -> String {
    match value {
        Literal::Bool(b) => if *b { "1" } else { "0" }.into(),
        Literal::Number(n) => n.clone(),
        Literal::Text(s) => name_literal(s),
    }
}

fn definition(column: &Column) -> String {
    let name = quote(&column.name);
    let storage = match column.kind {
        ColumnKind::Id => return format!("{name} INTEGER PRIMARY KEY AUTOINCREMENT"),
        ColumnKind::Value(storage) => storage,
    };
    let mut def = format!("{name} {}", type_name(storage));
    if column.not_null {
        def.push_str(" NOT NULL");
    }
    if let Some(value) = &column.default {
        def.push_str(&format!(" DEFAULT {}", literal(value)));
    }
    if let Some((target, on_delete)) = &column.references {
        let action = match on_delete {
            OnDelete::Cascade => "CASCADE",
            OnDelete::SetNull => "SET NULL",
            OnDelete::Restrict => "RESTRICT",
        };
        def.push_str(&format!(
            " REFERENCES {} (\"id\") ON DELETE {action}",
            quote(target)
        ));
    }
    def
}

fn create_table(name: &str, columns: &[Column]) -> String {
    let defs: Vec<String> = columns.iter().map(definition).collect();
    format!(
        "CREATE TABLE {} (\n    {}\n)",
        quote(name),
        defs.join(",\n    ")
    )
}

fn add_column(table: &str, column: &Column) -> String {
    // Only reached for an empty table when the column needs a value, but SQLite still wants a
    // default for NOT NULL on ADD COLUMN.
    let zero = match (column.needs_value(), column.storage()) {
        (false, _) => "",
        (true, Storage::Text) => " DEFAULT ''",
        (true, _) => " DEFAULT 0",
    };
    format!(
        "ALTER TABLE {} ADD COLUMN {}{zero}",
        quote(table),
        definition(column)
    )
}

fn create_index(table: &str, index: &Index) -> String {
    let unique = if index.unique { "UNIQUE " } else { "" };
    let columns: Vec<String> = index
        .columns
        .iter()
        .map(|(c, desc)| match desc {
            true => format!("{} DESC", quote(c)),
            false => quote(c),
        })
        .collect();
    format!(
        "CREATE {unique}INDEX IF NOT EXISTS {} ON {} ({})",
        quote(&index.name),
        quote(table),
        columns.join(", ")
    )
}

/// SQLite cannot change a column's type or nullability, or drop a referenced column, in place:
/// copy into a new table of the wanted shape and rename it over the old one.
fn rebuild(table: &Table, kept: &[String]) -> Vec<String> {
    let name = &table.name;
    let temp = format!("{name}__rebuild");
    let common: Vec<&Column> = table
        .columns
        .iter()
        .filter(|c| kept.contains(&c.name))
        .collect();
    let names: Vec<String> = common.iter().map(|c| quote(&c.name)).collect();
    let casts: Vec<String> = common
        .iter()
        .map(|c| format!("CAST({} AS {})", quote(&c.name), type_name(c.storage())))
        .collect();
    vec![
        create_table(&temp, &table.columns),
        format!(
            "INSERT INTO {} ({}) SELECT {} FROM {}",
            quote(&temp),
            names.join(", "),
            casts.join(", "),
            quote(name)
        ),
        // AUTOINCREMENT never hands out the id of a deleted row again; the copy would restart
        // the counter at the largest id left, so carry the old table's counter over (the row
        // follows the rename below).
        format!(
            "DELETE FROM sqlite_sequence WHERE name = {}",
            name_literal(&temp)
        ),
        format!(
            "INSERT INTO sqlite_sequence (name, seq) SELECT {}, seq FROM sqlite_sequence WHERE name = {}",
            name_literal(&temp),
            name_literal(name)
        ),
        format!("DROP TABLE {}", quote(name)),
        format!("ALTER TABLE {} RENAME TO {}", quote(&temp), quote(name)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(name: &str) -> Column {
        Column {
            name: name.into(),
            kind: ColumnKind::Value(Storage::Text),
            not_null: true,
            default: None,
            references: None,
        }
    }

    #[test]
    fn a_required_column_added_to_an_empty_table_gets_a_zero_default() {
        assert_eq!(
            add_column("t", &text("title")),
            "ALTER TABLE \"t\" ADD COLUMN \"title\" TEXT NOT NULL DEFAULT ''"
        );
    }

    #[test]
    fn identifiers_and_literals_are_quoted() {
        let mut column = text("a\"b");
        column.default = Some(Literal::Text("it's".into()));
        assert_eq!(
            definition(&column),
            "\"a\"\"b\" TEXT NOT NULL DEFAULT 'it''s'"
        );
    }
}
