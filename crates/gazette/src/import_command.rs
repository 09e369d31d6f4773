//! `gazette import wxr FILE`: the command line around [`gazette_wordpress::import`]. Options come from
//! the flags, progress goes to stderr as bars (or a line without a terminal), the report to
//! standard output. When the store holds no journal the import creates it, administrator
//! included, in the unit of work that writes the export; a file that is refused creates
//! nothing, not even the data directory.

use std::io::IsTerminal as _;
use std::sync::Arc;

use anyhow::Context as _;
use gazette_core::SystemClock;
use gazette_core::password::PasswordHasher;

use crate::cli::{ImportWxrArgs, new_journal, report_new_journal};
use gazette_node::config::Config;
use gazette_node::node::open_store_with;
use gazette_wordpress::import::{self, ImportOptions, Pass, Progress};

/// `gazette import wxr FILE`: imports a WordPress export, or with `--dry-run` checks it and
/// reports what it holds.
#[expect(clippy::print_stdout, reason = "the report is the command's output")]
pub(crate) async fn import_wxr(config: &Config, args: &ImportWxrArgs) -> anyhow::Result<()> {
    let mut options = options(config, args)?;
    let size = std::fs::metadata(&args.file)
        .with_context(|| format!("cannot open {}", args.file.display()))?
        .len();
    if args.dry_run {
        return dry_run(args, size);
    }
    // A bad --admin-email or GAZETTE_ADMIN_PASSWORD stops the import before anything exists.
    let first_run = new_journal(config, &args.admin, false)?;
    options.new_journal = Some(first_run.seed(&PasswordHasher::production())?);
    let started = std::time::Instant::now();
    let bars = Bars::new(size);
    let catalogue = import::check(&args.file, &options, &bars.progress);
    let outcome = match catalogue {
        Ok(catalogue) => {
            let bulk = gazette_store::StoreOptions::new(Arc::new(SystemClock)).for_bulk_writes();
            let store = open_store_with(config, bulk).await?;
            let progress = Arc::clone(&bars.progress);
            let outcome =
                import::import_checked(&store, catalogue, &args.file, &options, progress).await;
            // The import stands either way; stale statistics only slow queries until
            // autovacuum catches up.
            if outcome.is_ok()
                && let Err(error) = store.analyze_after_bulk_write().await
            {
                tracing::warn!(%error, "could not refresh the query planner's statistics");
            }
            store.close().await;
            outcome
        }
        Err(error) => Err(error),
    };
    bars.finish();
    let report = outcome?;
    print!("{}", report.text());
    println!(
        "Imported {} in {:.1} s.",
        args.file.display(),
        started.elapsed().as_secs_f64()
    );
    if report.new_journal.is_some()
        && let Some(seed) = &options.new_journal
    {
        report_new_journal(seed.admin_email(), seed.generated_password.as_ref());
    }
    Ok(())
}

/// `--dry-run`: reads and counts the export; the store is never opened, so nothing is created.
#[expect(clippy::print_stdout, reason = "the report is the command's output")]
fn dry_run(args: &ImportWxrArgs, size: u64) -> anyhow::Result<()> {
    let file = std::fs::File::open(&args.file)
        .with_context(|| format!("cannot open {}", args.file.display()))?;
    let bar = progress_bar(size, "Checking");
    let survey = import::survey::survey(std::io::BufReader::new(file), |bytes| {
        bar.set_position(bytes);
    })
    .with_context(|| format!("{} cannot be imported", args.file.display()))?;
    bar.finish_and_clear();
    print!("{}", survey.report());
    println!("Nothing was written (--dry-run).");
    Ok(())
}

/// The import's options from the flags, each checked with the flag named.
fn options(config: &Config, args: &ImportWxrArgs) -> anyhow::Result<ImportOptions> {
    let base = |flag: &str, value: &Option<String>| {
        value
            .as_deref()
            .map(import::bases::parse_base)
            .transpose()
            .map_err(|e| anyhow::anyhow!("{flag}: {e}"))
    };
    Ok(ImportOptions {
        permalink: args
            .permalink_structure
            .as_deref()
            .map(gazette_core::PermalinkPattern::parse)
            .transpose()
            .context("--permalink-structure")?,
        time_zone: args
            .timezone
            .as_deref()
            .map(gazette_core::TimeZoneName::parse)
            .transpose()
            .context("--timezone names a zone of the IANA database, like Europe/Paris")?,
        media: args
            .media_dir
            .clone()
            .map(|uploads| {
                let media = config.media_store().context("the media store")?;
                Ok::<_, anyhow::Error>(import::media::MediaFolders { uploads, media })
            })
            .transpose()?,
        menus: import::menus::MenuChoice {
            header: args.header_menu.clone(),
            footer: args.footer_menu.clone(),
        },
        bases: import::bases::Bases {
            category: base("--category-base", &args.category_base)?,
            tag: base("--tag-base", &args.tag_base)?,
        },
        new_journal: None,
    })
}

/// The two passes' progress bars, and the progress callback that moves them.
struct Bars {
    checking: indicatif::ProgressBar,
    writing: indicatif::ProgressBar,
    progress: Progress,
}

impl Bars {
    fn new(size: u64) -> Self {
        let checking = progress_bar(size, "Checking");
        let writing = progress_bar(size, "Writing");
        let progress: Progress = {
            let (checking, writing) = (checking.clone(), writing.clone());
            Arc::new(move |pass, bytes| match pass {
                Pass::Checking => checking.set_position(bytes),
                Pass::Writing => {
                    if !checking.is_finished() {
                        checking.finish_and_clear();
                        // Without a terminal there are no bars: logs still see the passes.
                        if !std::io::stderr().is_terminal() {
                            eprintln!("The export checks out; writing it.");
                        }
                    }
                    writing.set_position(bytes);
                }
            })
        };
        Self {
            checking,
            writing,
            progress,
        }
    }

    fn finish(&self) {
        self.checking.finish_and_clear();
        self.writing.finish_and_clear();
    }
}

/// A progress bar on stderr with the bytes read, the rate and the time left; hidden when
/// stderr is not a terminal.
fn progress_bar(bytes: u64, label: &'static str) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::with_draw_target(
        Some(bytes),
        indicatif::ProgressDrawTarget::stderr(),
    );
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{prefix} {bar:30} {binary_bytes}/{binary_total_bytes} ({binary_bytes_per_sec}, {eta} left)",
    ) {
        bar.set_style(style);
    }
    bar.set_prefix(label);
    bar
}
