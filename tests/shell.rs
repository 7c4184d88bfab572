//! What users of a Rust command-line tool expect: completion scripts for every shell and a
//! manual page, made from the command line itself.

use crate::util::Fixture;

#[test]
fn completions_generate_for_every_shell() {
    let fixture = Fixture::empty();
    for (shell, mark) in [
        ("bash", "complete -F _ta__scorecard"),
        ("zsh", "#compdef ta-scorecard"),
        ("fish", "complete -c ta-scorecard"),
        ("powershell", "Register-ArgumentCompleter"),
        ("elvish", "edit:completion:arg-completer[ta-scorecard]"),
    ] {
        let run = fixture.run(&["completions", shell]).success();
        assert!(run.stdout.contains(mark), "{shell}: {}", &run.stdout[..run.stdout.len().min(300)]);
        // Every subcommand and a flag of each are completed.
        for word in ["score", "plan", "compare", "max-change", "targets"] {
            assert!(run.stdout.contains(word), "{shell} lacks {word}");
        }
    }
    fixture.run(&["completions", "tcsh"]).code(2);
}

#[test]
fn the_manual_page_names_the_commands() {
    let run = Fixture::empty().run(&["man"]).success();
    assert!(run.stdout.contains(".TH ta-scorecard 1"), "{}", run.stdout);
    for command in ["score", "plan", "compare", "completions"] {
        assert!(run.stdout.contains(command), "the page lacks {command}");
    }
}
