//! Commands that make and fill a journal: `help` lists every command, `migrate` seeds once and
//! `user add` creates accounts.

use std::io::Write as _;
use std::process::Stdio;

use super::{data_arg, gazette, run};

#[test]
fn help_lists_every_command() {
    let output = gazette(&["--help"]).output().unwrap();
    let help = String::from_utf8(output.stdout).unwrap();
    for command in [
        "serve", "migrate", "user", "backup", "privacy", "search", "dev",
    ] {
        assert!(help.contains(command), "{help}");
    }
}

#[test]
fn migrate_seeds_once_and_user_add_creates_accounts() {
    let dir = tempfile::tempdir().unwrap();
    let data = data_arg(dir.path());
    let (ok, stderr) = run(&mut gazette(&["migrate", "--data", &data, "--no-demo"]));
    assert!(ok, "{stderr}");
    assert!(
        stderr.contains("Created a new journal with administrator admin@localhost"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("shown only now"),
        "the password came from the environment"
    );
    let (ok, stderr) = run(&mut gazette(&["migrate", "--data", &data]));
    assert!(
        ok && stderr.contains("up to date") && !stderr.contains("Created"),
        "{stderr}"
    );

    let (ok, stderr) = run(&mut gazette(&[
        "user",
        "add",
        "--data",
        &data,
        "--email",
        "ed@example.org",
        "--name",
        "Ed Itor",
        "--role",
        "editor",
    ]));
    assert!(ok, "{stderr}");

    // An application password for the REST API, printed once on stdout.
    let made = gazette(&[
        "user",
        "app-password",
        "--data",
        &data,
        "--email",
        "ed@example.org",
        "--name",
        "Newsletter service",
    ])
    .output()
    .unwrap();
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let secret = String::from_utf8_lossy(&made.stdout).trim().to_owned();
    assert_eq!(secret.split(' ').map(str::len).collect::<Vec<_>>(), [4; 6]);
    let (made_one, why) = run(&mut gazette(&[
        "user",
        "app-password",
        "--data",
        &data,
        "--email",
        "nobody@example.org",
        "--name",
        "x",
    ]));
    assert!(
        !made_one && why.contains("no account has the email"),
        "{why}"
    );
    assert!(
        stderr.contains("Added Ed Itor <ed@example.org> as editor")
            && stderr.contains("Password (shown only now): "),
        "{stderr}"
    );
    let (ok, stderr) = run(&mut gazette(&[
        "user",
        "add",
        "--data",
        &data,
        "--email",
        "ED@example.org",
        "--name",
        "Ed Again",
    ]));
    assert!(!ok && stderr.contains("already exists"), "{stderr}");
    let (ok, stderr) = run(&mut gazette(&[
        "user",
        "add",
        "--data",
        &data,
        "--email",
        "x@example.org",
        "--name",
        "X",
        "--role",
        "king",
    ]));
    assert!(
        !ok && stderr.contains("--role \"king\" is not a role"),
        "{stderr}"
    );
    let mut with_stdin = gazette(&[
        "user",
        "add",
        "--data",
        &data,
        "--email",
        "pw@example.org",
        "--name",
        "Pat",
        "--password-stdin",
    ]);
    let mut child = with_stdin
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"short\n").unwrap();
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        !output.status.success() && stderr.contains("at least 10 characters"),
        "{stderr}"
    );

    // `user list` prints every account; `user reset-password` sets a new one.
    let listed = gazette(&["user", "list", "--data", &data])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&listed.stdout);
    assert!(
        listed.status.success(),
        "{}",
        String::from_utf8_lossy(&listed.stderr)
    );
    assert!(
        stdout.starts_with("email\tname\trole\tactive\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("ed@example.org\tEd Itor\teditor\tyes"),
        "{stdout}"
    );
    assert!(stdout.contains("admin@localhost\t"), "{stdout}");
    let (ok, stderr) = run(&mut gazette(&[
        "user",
        "reset-password",
        "--data",
        &data,
        "--email",
        "ed@example.org",
    ]));
    assert!(ok, "{stderr}");
    assert!(
        stderr
            .contains("Set a new password for Ed Itor <ed@example.org>; signed out 0 session(s) and revoked 1 application password(s).")
            && stderr.contains("Password (shown only now): "),
        "{stderr}"
    );
    let (ok, stderr) = run(&mut gazette(&[
        "user",
        "reset-password",
        "--data",
        &data,
        "--email",
        "nobody@example.org",
    ]));
    assert!(
        !ok && stderr.contains("no account has the email nobody@example.org"),
        "{stderr}"
    );
}
