//! Rebuild when a fixed-table migration is added: `sqlx::migrate!` embeds the files of
//! `src/store/sqlite/migrations/` at compile time, and cargo does not watch them by itself.

fn main() {
    println!("cargo:rerun-if-changed=src/store/sqlite/migrations");
}
