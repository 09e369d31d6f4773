//! Bad configuration stops with a message that names the setting and the fix, an unreachable
//! database is reported rather than panicked, and logs off a terminal have no colour codes.

use std::io::{BufRead as _, BufReader};
use std::process::Stdio;

use super::{data_arg, gazette, run};

/// Environment, `gazette.toml` contents, and what the error message must mention.
type ConfigCase = (
    Vec<(&'static str, &'static str)>,
    &'static str,
    Vec<&'static str>,
);

#[test]
fn bad_configuration_names_the_setting_and_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    let data = data_arg(dir.path());
    let cases: Vec<ConfigCase> = vec![
        (
            vec![],
            "colour = \"blue\"\n",
            vec!["colour", "gazette.toml"],
        ),
        (
            vec![],
            "[publication]\nissn = \"2330-7170\"\n",
            vec!["publication.issn", "X"],
        ),
        (
            vec![],
            "[publication]\ntime_zone = \"Mars/Olympus\"\n",
            vec!["publication.time_zone"],
        ),
        (
            vec![("GAZETTE_DATABASE_URL", "mysql://root:hunter2@db/g")],
            "",
            vec!["database_url", "postgres://", "***"],
        ),
        (vec![("GAZETTE_COLOUR", "blue")], "", vec!["GAZETTE_COLOUR"]),
        (vec![("GAZETTE_LISTEN", "everywhere")], "", vec!["listen"]),
    ];
    for (env, file, expected) in cases {
        std::fs::write(dir.path().join("gazette.toml"), file).unwrap();
        let mut command = gazette(&["migrate", "--data", &data]);
        command.envs(env.iter().copied());
        let (ok, stderr) = run(&mut command);
        assert!(!ok, "{file} {env:?} should fail");
        for needle in expected {
            assert!(stderr.contains(needle), "expected {needle:?} in: {stderr}");
        }
        assert!(
            !stderr.contains("hunter2"),
            "passwords are never printed: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

#[test]
fn an_unreachable_database_is_reported_not_panicked() {
    let dir = tempfile::tempdir().unwrap();
    let (ok, stderr) = run(&mut gazette(&[
        "migrate",
        "--data",
        &data_arg(dir.path()),
        "--database",
        "postgres://nobody:secret@127.0.0.1:1/gazette",
    ]));
    assert!(!ok);
    assert!(
        stderr.contains("cannot open the database") && stderr.contains("database_url"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("secret") && !stderr.contains("panicked"),
        "{stderr}"
    );
}

/// A first run whose output goes to a file (a pipe here, as to a journal or a log file) has no
/// colour codes in it: colours are for terminals.
#[test]
fn logs_that_are_not_on_a_terminal_have_no_colour_codes() {
    let dir = tempfile::tempdir().unwrap();
    let data = data_arg(dir.path());
    let mut child = gazette(&["serve", "--data", &data, "--listen", "127.0.0.1:0"])
        .env_remove("NO_COLOR")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let lines: Vec<String> = BufReader::new(child.stderr.take().unwrap())
        .lines()
        .map_while(Result::ok)
        .take_while(|line| !line.contains("Gazette is serving"))
        .take(200)
        .collect();
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        lines.iter().any(|l| l.contains("INFO")),
        "the first run logs: {lines:#?}"
    );
    assert!(
        lines.iter().all(|l| !l.contains('\u{1b}')),
        "no escape sequences: {lines:#?}"
    );
}
