//! What a shell and `man` expect of a command-line tool: completion scripts (`clap_complete`) and
//! a manual page (`clap_mangen`), both made from the same command line clap parses, so they
//! never fall behind it. Printed on request, not built on every build.

use clap::CommandFactory;

use crate::cli::Cli;

/// `ta-scorecard completions SHELL`: the completion script on standard output.
pub(crate) fn completions(shell: clap_complete::Shell) -> anyhow::Result<()> {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "ta-scorecard", &mut script);
    super::print(&String::from_utf8(script)?)
}

/// `ta-scorecard man`: the manual page, in roff, on standard output.
pub(crate) fn man() -> anyhow::Result<()> {
    let mut page = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut page)?;
    super::print(&String::from_utf8(page)?)
}
