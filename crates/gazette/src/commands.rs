//! The operator commands besides `serve` and `migrate`: accounts, backups, privacy requests
//! and rebuilding the search index.

use std::io::{BufRead as _, Write as _};
use std::path::Path;
use std::sync::Arc;

use anyhow::{Context as _, bail};
use gazette_core::password::{NewPassword, PasswordHasher};
use gazette_core::{Email, Role, Slug, SystemClock};
use gazette_store::{BackendKind, Constraint, NewPerson, StoreError};

use crate::cli::{
    BenchSearchArgs, CorpusArgs, ExportWxrArgs, PrivacyArgs, UserAddArgs, UserAppPasswordArgs,
    UserResetArgs,
};
use crate::explain::MAKE_A_JOURNAL;
use gazette_node::config::Config;
use gazette_node::node::{connect_existing, open_journal, open_store};
use gazette_node::private_files::create_private_dir;

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
        match store
            .write(|tx| Box::pin(async move { tx.insert_person(&person).await }))
            .await
        {
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

/// `gazette user reset-password`: a new password, and every session of the account ended.
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
        let id = person.id;
        // Whoever had the old password, or anything signed in with it, is out.
        let (ended, revoked) = store
            .write(|tx| {
                Box::pin(async move {
                    tx.set_password(id, &hash).await?;
                    tx.delete_one_time_tokens_of(id).await?;
                    let ended = tx.delete_sessions_of(id).await?;
                    let revoked = tx.revoke_app_passwords_of(id).await?;
                    Ok::<_, gazette_store::StoreError>((ended, revoked))
                })
            })
            .await?;
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
    eprintln!("Erased {email} from {erased} comment(s): their texts stay, signed \"Anonymous\".");
    Ok(())
}

fn commenter_email(args: &PrivacyArgs) -> anyhow::Result<Email> {
    Email::parse(&args.email)
        .with_context(|| format!("--email {:?} is not an email address", args.email))
}

/// `gazette backup DEST`: a consistent online copy of a SQLite store (`VACUUM INTO`) plus the
/// media directory, laid out as a data directory.
pub(crate) async fn backup(config: &Config, destination: &Path) -> anyhow::Result<()> {
    let store = connect_existing(config, Arc::new(SystemClock)).await?;
    if store.kind() == BackendKind::Postgres {
        store.close().await;
        bail!(
            "this journal runs on PostgreSQL; back it up with PostgreSQL's own tool, for example \
             `pg_dump --format=custom --file=gazette.dump DATABASE_URL`, and copy the media directory {}",
            config.media_dir.display()
        );
    }
    if let Err(error) = store.check_schema().await {
        store.close().await;
        return Err(error.into());
    }
    prepare_destination(destination)?;
    let database = destination.join("gazette.db");
    let copied = store.backup_sqlite_into(&database).await;
    store.close().await;
    copied
        .map_err(|e: StoreError| anyhow::Error::new(e))
        .with_context(|| format!("copying the database to {}", database.display()))?;
    let files = copy_tree(&config.media_dir, &destination.join("media"))?;
    eprintln!(
        "Backed up the database and {files} media file(s) to {}. Run from the copy with: gazette serve --data {}",
        destination.display(),
        destination.display()
    );
    Ok(())
}

fn prepare_destination(destination: &Path) -> anyhow::Result<()> {
    if destination.exists() {
        let mut entries = std::fs::read_dir(destination).with_context(|| {
            format!(
                "{} exists and is not a readable directory",
                destination.display()
            )
        })?;
        if entries.next().is_some() {
            bail!(
                "{} is not empty: choose a new directory so no backup is overwritten",
                destination.display()
            );
        }
    }
    create_private_dir(destination).with_context(|| format!("creating {}", destination.display()))
}

/// Copies a directory tree; a missing source is an empty tree. Returns the files copied.
fn copy_tree(from: &Path, to: &Path) -> anyhow::Result<u64> {
    create_private_dir(to).with_context(|| format!("creating {}", to.display()))?;
    if !from.exists() {
        return Ok(0);
    }
    let mut copied = 0;
    for entry in std::fs::read_dir(from).with_context(|| format!("reading {}", from.display()))? {
        let entry = entry.with_context(|| format!("reading {}", from.display()))?;
        let target = to.join(entry.file_name());
        let kind = entry
            .file_type()
            .with_context(|| format!("reading {}", entry.path().display()))?;
        if kind.is_dir() {
            copied += copy_tree(&entry.path(), &target)?;
        } else if kind.is_file() {
            std::fs::copy(entry.path(), &target)
                .with_context(|| format!("copying {}", entry.path().display()))?;
            copied += 1;
        }
    }
    Ok(copied)
}

/// `gazette search reindex`: builds a new generation of the search index from the store
/// beside the live one and swaps it in. A server using the index keeps answering from the old
/// generation until it notices the new one, then applies the changes made during the build.
pub(crate) async fn reindex(config: &Config) -> anyhow::Result<()> {
    let store = open_journal(config, Arc::new(SystemClock)).await?;
    let outcome = reindex_store(config, &store).await;
    store.close().await;
    let (articles, bytes, seconds) = outcome?;
    eprintln!(
        "Indexed {articles} articles in {seconds:.1} s ({:.1} MB) in {}.",
        bytes as f64 / 1_000_000.0,
        config.index_dir.display()
    );
    Ok(())
}

/// `gazette render rebuild`: see [`gazette_node::rerender`].
pub(crate) async fn render_rebuild(config: &Config, all: bool) -> anyhow::Result<()> {
    let store = open_journal(config, Arc::new(SystemClock)).await?;
    let outcome = async {
        existing_journal(&store).await?;
        anyhow::Ok(gazette_node::rerender::rebuild(&store, all).await?)
    }
    .await;
    store.close().await;
    let rebuilt = outcome?;
    eprintln!(
        "Rendered {} article(s) and {} page(s) again with renderer version {}.",
        rebuilt.articles,
        rebuilt.pages,
        gazette_node::rerender::RENDER_VERSION
    );
    Ok(())
}

/// The journal's settings, for commands that need a journal to exist: a schema without them
/// (made by `user add`) gets a message saying how to make one.
async fn existing_journal(
    store: &gazette_store::Store,
) -> anyhow::Result<gazette_core::Publication> {
    store
        .publication()
        .await?
        .with_context(|| format!("this database has no journal yet: {MAKE_A_JOURNAL}"))
}

async fn reindex_store(
    config: &Config,
    store: &gazette_store::Store,
) -> anyhow::Result<(u64, u64, f64)> {
    let publication = existing_journal(store).await?;
    let started = std::time::Instant::now();
    create_private_dir(&config.index_dir)
        .with_context(|| format!("cannot create {} (index_dir)", config.index_dir.display()))?;
    let builder = gazette_search::Builder::new(&config.index_dir, publication.language.as_str())
        .with_context(|| {
            format!(
                "cannot create a search index in {} (setting index_dir): check that the directory is writable",
                config.index_dir.display()
            )
        })?;
    let built = gazette_node::search_index::build(builder, store).await?;
    Ok((
        built.articles,
        built.size_on_disk(),
        started.elapsed().as_secs_f64(),
    ))
}

/// `gazette dev corpus`: a generated journal in the store and/or a WXR file.
pub(crate) async fn corpus(config: &Config, args: &CorpusArgs) -> anyhow::Result<()> {
    let spec = crate::corpus::CorpusSpec {
        articles: args.articles,
        comments: args.comments,
        seed: args.seed,
        newest: jiff::Timestamp::now(),
    };
    if let Some(path) = &args.wxr {
        let started = std::time::Instant::now();
        let file = std::fs::File::create(path)
            .with_context(|| format!("cannot create {} (--wxr)", path.display()))?;
        crate::corpus::wxr::write(&spec, file)
            .with_context(|| format!("writing {}", path.display()))?;
        eprintln!(
            "Wrote {} articles and {} comments to {} in {:.1} s.",
            spec.articles,
            spec.comments,
            path.display(),
            started.elapsed().as_secs_f64()
        );
    }
    if args.no_store {
        return Ok(());
    }
    let store = open_journal(config, Arc::new(SystemClock)).await?;
    let outcome = corpus_into_store(&store, &spec).await;
    store.close().await;
    outcome
}

async fn corpus_into_store(
    store: &gazette_store::Store,
    spec: &crate::corpus::CorpusSpec,
) -> anyhow::Result<()> {
    existing_journal(store).await?;
    let started = std::time::Instant::now();
    let mut reported = std::time::Instant::now();
    let written = crate::corpus::store::write(store, spec, |so_far| {
        if reported.elapsed().as_secs() >= 5 {
            reported = std::time::Instant::now();
            eprintln!(
                "… {} articles, {} comments",
                so_far.articles, so_far.comments
            );
        }
    })
    .await?;
    eprintln!(
        "Wrote {} articles and {} comments into the store in {:.1} s.",
        written.articles,
        written.comments,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// `gazette dev bench-search`: prints a Markdown table of search latencies.
#[expect(clippy::print_stdout, reason = "the table is the command's output")]
pub(crate) async fn bench_search(config: &Config, args: &BenchSearchArgs) -> anyhow::Result<()> {
    use crate::corpus::bench;
    let store = open_journal(config, Arc::new(SystemClock)).await?;
    let language = existing_journal(&store).await?.language;
    let index = gazette_search::SearchIndex::open(&config.index_dir, language.as_str())?;
    if index.position().is_none() {
        bail!(
            "the search index in {} is empty: run `gazette search reindex` first",
            config.index_dir.display()
        );
    }
    let sections: Vec<i64> = store.sections().await?.iter().map(|s| s.id.0).collect();
    let queries = bench::query_mix(args.seed, args.queries, &sections);
    if let Some(path) = &args.write_paths {
        let slugs: std::collections::HashMap<i64, String> = store
            .sections()
            .await?
            .into_iter()
            .map(|s| (s.id.0, s.slug.as_str().to_owned()))
            .collect();
        let lines: Vec<String> = queries
            .iter()
            .map(|q| {
                let text: String =
                    url::form_urlencoded::byte_serialize(q.text.as_bytes()).collect();
                match q.section.and_then(|id| slugs.get(&id)) {
                    Some(slug) => format!("/search/?q={text}&section={slug}"),
                    None => format!("/search/?q={text}"),
                }
            })
            .collect();
        std::fs::write(path, lines.join("\n") + "\n")
            .with_context(|| format!("writing {}", path.display()))?;
    }
    // Warm the index's files into the page cache, as a running server's would be.
    bench::run_index(&index, &queries[..queries.len().min(200)], 1)?;
    let indexed = bench::run_index(&index, &queries, args.concurrency)?;
    let like_queries = &queries[..args.like_queries.min(queries.len())];
    let like = bench::run_like(&store, like_queries, args.concurrency).await?;
    store.close().await;
    let ms = |d: std::time::Duration| format!("{:.2}", d.as_secs_f64() * 1000.0);
    println!("| engine | queries | concurrency | p50 ms | p90 ms | p99 ms | max ms | queries/s |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    for (name, run) in [("tantivy index", &indexed), ("SQL LIKE scan", &like)] {
        println!(
            "| {name} | {} | {} | {} | {} | {} | {} | {:.0} |",
            run.queries,
            args.concurrency,
            ms(run.percentile(50.0)),
            ms(run.percentile(90.0)),
            ms(run.percentile(99.0)),
            ms(run.percentile(100.0)),
            run.per_second()
        );
    }
    println!();
    println!(
        "Index: {} articles, {:.1} MB on disk.",
        index.len(),
        index.size_on_disk() as f64 / 1_000_000.0
    );
    Ok(())
}

/// `gazette export wxr [--output FILE]`: the journal as a WordPress export. A file is written
/// beside its destination and renamed into place once complete, so a failed export never
/// leaves half a file under the name asked for.
pub(crate) async fn export_wxr(config: &Config, args: &ExportWxrArgs) -> anyhow::Result<()> {
    let store = open_journal(config, Arc::new(SystemClock)).await?;
    let bar =
        indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stderr());
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("Exporting {pos} articles ({per_sec}, {elapsed})")
    {
        bar.set_style(style);
    }
    let progress = |done| bar.set_position(done);
    let outcome = match &args.output {
        None => {
            gazette_wordpress::export::export_wxr(&store, std::io::stdout().lock(), progress).await
        }
        Some(path) => export_to_file(&store, path, progress).await,
    };
    bar.finish_and_clear();
    store.close().await;
    let counts = outcome?;
    eprintln!(
        "Exported {} articles ({} comments in all, {} featured images), {} pages, {} images, {} menu entries, {} sections, {} tags and {} people.",
        counts.articles,
        counts.comments,
        counts.featured_images,
        counts.pages,
        counts.media,
        counts.menu_items,
        counts.sections,
        counts.tags,
        counts.authors
    );
    Ok(())
}

async fn export_to_file(
    store: &gazette_store::Store,
    path: &std::path::Path,
    progress: impl Fn(u64),
) -> anyhow::Result<gazette_wordpress::export::ExportCounts> {
    let name = path
        .file_name()
        .with_context(|| format!("{} names no file", path.display()))?;
    let mut partial_name = std::ffi::OsString::from(".");
    partial_name.push(name);
    partial_name.push(".partial");
    let partial = path.with_file_name(partial_name);
    // The export holds commenters' emails and IP addresses: only its owner may read it.
    let file = gazette_node::private_files::private_file(&partial).with_context(|| {
        format!(
            "cannot write {} (does its folder exist, and may Gazette write there?)",
            partial.display()
        )
    })?;
    let written = async {
        let counts = gazette_wordpress::export::export_wxr(store, &file, progress).await?;
        file.sync_all()?;
        std::fs::rename(&partial, path)
            .with_context(|| format!("cannot write {}", path.display()))?;
        anyhow::Ok(counts)
    }
    .await;
    if written.is_err() {
        // What was written so far is of no use; the error says why.
        let _ = std::fs::remove_file(&partial);
    }
    let counts = written?;
    Ok(counts)
}
