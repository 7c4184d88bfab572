//! One module per subcommand: each turns its resolved configuration into the run's effects
//! (files, standard output). `lib.rs::run` only dispatches here.

pub(crate) mod compare;
pub(crate) mod generate;
pub(crate) mod plan;
pub(crate) mod score;
pub(crate) mod shell;
pub(crate) mod show;
pub(crate) mod targets;
pub(crate) mod validate;

use std::io::Write;

/// Writes `text` to standard output; a closed pipe (`| head`) is the reader's choice, not an error.
pub(crate) fn print(text: &str) -> anyhow::Result<()> {
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

/// Notes and warnings of a run, on standard error.
pub(crate) fn print_findings(notes: &[String], warnings: &[crate::warnings::Warning]) {
    for note in notes {
        eprintln!("note: {note}");
    }
    for warning in warnings {
        eprintln!("warning: {warning}");
    }
}

/// The run's notes, with one on the files of `out` that ta-scorecard did not write and kept.
pub(crate) fn notes_with_kept(notes: &[String], out: &std::path::Path, kept: &[String]) -> Vec<String> {
    let mut notes = notes.to_vec();
    if !kept.is_empty() {
        let files = if kept.len() == 1 { "file" } else { "files" };
        notes.push(format!(
            "{}: kept {} {files} ta-scorecard did not write: {}",
            out.display(),
            kept.len(),
            kept.join(", ")
        ));
    }
    notes
}
