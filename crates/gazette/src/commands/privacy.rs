//! `gazette privacy`: a reader's data (comments, newsletter subscriptions), exported or erased.

use std::io::Write as _;
use std::sync::Arc;

use anyhow::Context as _;
use gazette_core::{Email, SystemClock};
use gazette_node::config::Config;
use gazette_node::node::open_journal;

use crate::cli::PrivacyArgs;

/// `gazette privacy export --email`: everything stored about a commenter, as JSON on stdout.
pub(crate) async fn privacy_export(config: &Config, args: &PrivacyArgs) -> anyhow::Result<()> {
    let email = commenter_email(args)?;
    let store = open_journal(config, Arc::new(SystemClock)).await?;
    let exported = gazette_newsroom::privacy::export(&store, &email).await;
    store.close().await;
    let exported = exported.context("reading the commenter's comments")?;
    writeln!(std::io::stdout().lock(), "{exported}").context("writing to standard output")?;
    Ok(())
}

/// `gazette privacy erase --email`: anonymises every comment written with that email.
pub(crate) async fn privacy_erase(config: &Config, args: &PrivacyArgs) -> anyhow::Result<()> {
    let email = commenter_email(args)?;
    let store = open_journal(config, Arc::new(SystemClock)).await?;
    let erased = gazette_newsroom::privacy::erase(&store, &email).await;
    store.close().await;
    let erased = erased.context("erasing the commenter's data")?;
    eprintln!(
        "Erased {email} from {} comment(s): their texts stay, signed \"Anonymous\".",
        erased.comments
    );
    if erased.subscriber {
        eprintln!("Removed {email}'s newsletter subscriptions.");
    }
    eprintln!("{email} will not be mailed again.");
    Ok(())
}

fn commenter_email(args: &PrivacyArgs) -> anyhow::Result<Email> {
    Email::parse(&args.email)
        .with_context(|| format!("--email {:?} is not an email address", args.email))
}
