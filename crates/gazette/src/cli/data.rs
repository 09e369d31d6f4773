//! The commands that move a journal's data in or out: `import`, `export`, `backup`, and a
//! commenter's data (`privacy`).

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::StoreArgs;
use super::journal::AdminArgs;

#[derive(Debug, Subcommand)]
pub(super) enum ImportCommand {
    /// Read a WordPress export (Tools → Export, WXR 1.0–1.2).
    Wxr(ImportWxrArgs),
}

#[derive(Debug, Args)]
pub(crate) struct ImportWxrArgs {
    #[command(flatten)]
    pub(super) store: StoreArgs,
    /// The export file.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Check the whole file and report what it holds, without writing anything.
    #[arg(long)]
    pub dry_run: bool,
    /// The old site's category base, when it was not /category/ (e.g. /topics/): its
    /// archives redirect to the sections'.
    #[arg(long, value_name = "BASE")]
    pub category_base: Option<String>,
    /// The old site's tag base, when it was not /tag/.
    #[arg(long, value_name = "BASE")]
    pub tag_base: Option<String>,
    /// The WordPress menu (its slug) that becomes the header menu; the report lists them.
    #[arg(long, value_name = "SLUG")]
    pub header_menu: Option<String>,
    /// The WordPress menu (its slug) that becomes the footer menu.
    #[arg(long, value_name = "SLUG")]
    pub footer_menu: Option<String>,
    /// A copy of the old site's wp-content/uploads: its images are copied into the media
    /// library and links to them rewritten (without it, images keep their old URLs).
    #[arg(long, value_name = "DIR")]
    pub media_dir: Option<PathBuf>,
    /// The old site's permalink structure, e.g. /%year%/%monthnum%/%postname%/ (default:
    /// inferred from the posts' links).
    #[arg(long, value_name = "PATTERN")]
    pub permalink_structure: Option<String>,
    /// The old site's time zone, e.g. Europe/Paris (default: inferred from the posts' dates
    /// when it can be).
    #[arg(long, value_name = "ZONE")]
    pub timezone: Option<String>,
    /// When the import creates the journal: its administrator (there is never demo content).
    #[command(flatten)]
    pub admin: AdminArgs,
}

#[derive(Debug, Subcommand)]
pub(super) enum ExportCommand {
    /// A WordPress export (WXR 1.2) of everything: WordPress's importer and
    /// `gazette import wxr` read it.
    Wxr(ExportWxrArgs),
}

#[derive(Debug, Args)]
pub(crate) struct ExportWxrArgs {
    #[command(flatten)]
    pub(super) store: StoreArgs,
    /// Where to write it (default: standard output). The file appears only once complete.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub(super) struct BackupArgs {
    /// A directory that does not exist yet (or is empty).
    #[arg(value_name = "DEST")]
    pub(super) destination: PathBuf,
    #[command(flatten)]
    pub(super) store: StoreArgs,
}

#[derive(Debug, Subcommand)]
pub(super) enum PrivacyCommand {
    /// Print, as JSON, every comment written with this email and all that is stored with it.
    Export(PrivacyArgs),
    /// Remove the name, email, website, IP address and browser from every comment written
    /// with this email; the texts stay, signed "Anonymous".
    Erase(PrivacyArgs),
}

#[derive(Debug, Args)]
pub(crate) struct PrivacyArgs {
    #[command(flatten)]
    pub(super) store: StoreArgs,
    /// The commenter's email address.
    #[arg(long)]
    pub email: String,
}
