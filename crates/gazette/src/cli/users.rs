//! `gazette user`: staff accounts and their application passwords.

use clap::{Args, Subcommand};

use super::StoreArgs;

#[derive(Debug, Subcommand)]
pub(super) enum UserCommand {
    /// Add a staff account.
    Add(UserAddArgs),
    /// List the staff accounts.
    List(UserListArgs),
    /// Set a new password for an account and sign it out everywhere.
    ResetPassword(UserResetArgs),
    /// Make an application password, with which scripts and apps use the REST API (HTTP
    /// Basic, over HTTPS or from this machine). It is shown once.
    AppPassword(UserAppPasswordArgs),
}

#[derive(Debug, Args)]
pub(crate) struct UserAddArgs {
    #[command(flatten)]
    pub(super) store: StoreArgs,
    /// Their email address (they sign in with it).
    #[arg(long)]
    pub email: String,
    /// Their name as it appears in bylines.
    #[arg(long)]
    pub name: String,
    /// administrator, editor, author or contributor.
    #[arg(long, default_value = "author")]
    pub role: String,
    /// Read the password from standard input instead of generating one.
    #[arg(long)]
    pub password_stdin: bool,
}

#[derive(Debug, Args)]
pub(crate) struct UserListArgs {
    #[command(flatten)]
    pub(super) store: StoreArgs,
}

#[derive(Debug, Args)]
pub(crate) struct UserResetArgs {
    #[command(flatten)]
    pub(super) store: StoreArgs,
    /// The account's email address.
    #[arg(long)]
    pub email: String,
    /// Read the new password from standard input instead of generating one.
    #[arg(long)]
    pub password_stdin: bool,
}

#[derive(Debug, Args)]
pub(crate) struct UserAppPasswordArgs {
    #[command(flatten)]
    pub(super) store: StoreArgs,
    /// The account's email address.
    #[arg(long)]
    pub email: String,
    /// What the password is for, e.g. "Newsletter service".
    #[arg(long)]
    pub name: String,
}
