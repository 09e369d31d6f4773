//! `gazette user`: staff accounts, their passwords and their application passwords.

use std::io::BufRead as _;
use std::sync::Arc;

use anyhow::{Context as _, bail};
use gazette_core::password::{NewPassword, PasswordHasher};
use gazette_core::{Email, Role, Slug, SystemClock};
use gazette_node::config::Config;
use gazette_node::node::{open_journal, open_store};
use gazette_store::{Constraint, NewPerson};

use crate::cli::{UserAddArgs, UserAppPasswordArgs, UserResetArgs};

/// `gazette user add`: creates an account; prints a generated password once.
pub(crate) async fn add_user(config: &Config, args: &UserAddArgs) -> anyhow::Result<()> {
    let email = Email::parse(&args.email)
        .with_context(|| format!("--email {:?} is not an email address", args.email))?;
    let role = Role::parse(&args.role).with_context(|| {
        format!(
            "--role {:?} is not a role: use administrator, editor, author or contributor",
            args.role
        )
    })?;
    let name = args.name.trim();
    if name.is_empty() {
        bail!("--name cannot be empty: it is what bylines show");
    }
    let (password, generated) = new_password(args.password_stdin)?;
    let store = open_store(config, Arc::new(SystemClock)).await?;
    store
        .migrate()
        .await
        .context("migrating the database schema")?;
    let hash = PasswordHasher::production().hash(&password)?;
    let base = Slug::from_headline(name);
    let mut created = None;
    for attempt in 1..=20 {
        let slug = if attempt == 1 {
            base.clone()
        } else {
            base.with_suffix(attempt)
        };
        let person = NewPerson {
            display_name: name.to_owned(),
            slug,
            email: email.clone(),
            role,
            password_hash: Some(hash.clone()),
            bio: String::new(),
            active: true,
        };
        match gazette_newsroom::accounts::add(&store, person).await {
            Err(error) if error.is_conflict(&Constraint::PersonSlug) => continue,
            Err(error) if error.is_conflict(&Constraint::PersonEmail) => {
                store.close().await;
                bail!("an account with the email {email} already exists");
            }
            other => {
                created = Some(other);
                break;
            }
        }
    }
    store.close().await;
    let person = created.context("could not find a free slug for that name")??;
    eprintln!(
        "Added {} <{}> as {} (author page /author/{}/).",
        person.display_name, person.email, person.role, person.slug
    );
    if generated {
        eprintln!("Password (shown only now): {}", password.expose());
    }
    Ok(())
}

/// The password from standard input, or a generated one (then `true`: it must be shown).
fn new_password(from_stdin: bool) -> anyhow::Result<(NewPassword, bool)> {
    if !from_stdin {
        return Ok((NewPassword::generate(), true));
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("reading the password from standard input")?;
    let password = NewPassword::parse(line.trim_end_matches(['\r', '\n']))
        .context("the password from standard input")?;
    Ok((password, false))
}

/// `gazette user list`: one line per account on standard output, tab-separated.
pub(crate) async fn list_users(config: &Config) -> anyhow::Result<()> {
    use std::io::Write as _;
    let store = open_journal(config, Arc::new(SystemClock)).await?;
    let people = store.people().await;
    store.close().await;
    let people = people.context("listing the accounts")?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "email\tname\trole\tactive")?;
    for person in people {
        let active = if person.active { "yes" } else { "no" };
        writeln!(
            out,
            "{}\t{}\t{}\t{active}",
            person.email, person.display_name, person.role
        )?;
    }
    Ok(())
}

/// `gazette user app-password --email E --name N`: a new application password, printed once.
#[expect(clippy::print_stdout, reason = "the password is the command's output")]
pub(crate) async fn app_password(
    config: &Config,
    args: &UserAppPasswordArgs,
) -> anyhow::Result<()> {
    let email = Email::parse(&args.email)
        .with_context(|| format!("--email {:?} is not an email address", args.email))?;
    if args.name.trim().is_empty() {
        anyhow::bail!("--name says what the password is for, e.g. --name \"Newsletter service\"");
    }
    let store = open_journal(config, Arc::new(SystemClock)).await?;
    let result = async {
        let person = store.person_by_email(&email).await?.with_context(|| {
            format!("no account has the email {email}: see `gazette user list`")
        })?;
        let (_, secret) =
            gazette_newsroom::app_passwords::create(&store, person.id, &args.name).await?;
        anyhow::Ok((person, secret))
    }
    .await;
    store.close().await;
    let (person, secret) = result?;
    eprintln!(
        "Application password {:?} for {} <{}> (shown only now; sign in with the email and this):",
        args.name.trim(),
        person.display_name,
        person.email
    );
    println!("{secret}");
    Ok(())
}

/// `gazette user reset-password`: a new password, and every session of the account ended.
pub(crate) async fn reset_password(config: &Config, args: &UserResetArgs) -> anyhow::Result<()> {
    let email = Email::parse(&args.email)
        .with_context(|| format!("--email {:?} is not an email address", args.email))?;
    let (password, generated) = new_password(args.password_stdin)?;
    let hash = PasswordHasher::production().hash(&password)?;
    let store = open_journal(config, Arc::new(SystemClock)).await?;
    let result = async {
        let person = store.person_by_email(&email).await?.with_context(|| {
            format!("no account has the email {email}: see `gazette user list`")
        })?;
        // Whoever had the old password, or anything signed in with it, is out.
        let (ended, revoked) =
            gazette_newsroom::accounts::passwords::set_for(&store, person.id, hash).await?;
        anyhow::Ok((person, ended, revoked))
    }
    .await;
    store.close().await;
    let (person, ended, revoked) = result?;
    eprintln!(
        "Set a new password for {} <{}>; signed out {ended} session(s) and revoked {revoked} application password(s).",
        person.display_name, person.email
    );
    if generated {
        eprintln!("Password (shown only now): {}", password.expose());
    }
    Ok(())
}
