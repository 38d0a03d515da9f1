//! Questions at the terminal: visible answers, and hidden ones for passwords. When standard
//! input is not a terminal (a script or a test pipes the answers), lines are read from it.

use std::io::{BufRead, IsTerminal, Write};

pub(super) fn ask(question: &str) -> anyhow::Result<String> {
    eprint!("{question}");
    std::io::stderr().flush()?;
    read_line()
}

pub(super) fn ask_hidden(question: &str) -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        return Ok(rpassword::prompt_password(question)?);
    }
    eprint!("{question}");
    std::io::stderr().flush()?;
    read_line()
}

fn read_line() -> anyhow::Result<String> {
    let mut line = String::new();
    if std::io::stdin().lock().read_line(&mut line)? == 0 {
        anyhow::bail!("no more input");
    }
    Ok(line.trim_end_matches(['\n', '\r']).to_string())
}
