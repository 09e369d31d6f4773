//! What the operator reads when a command fails because of the store: each [`StoreError`] as
//! a sentence saying what is wrong and how to fix it, never the driver's raw report. When the
//! database's own words help, they follow the sentence, quoted.
//!
//! Errors that are not the store's print as they are (`{:#}`): their messages are ours.

use gazette_store::{BackendKind, FileTrouble, StoreError};

pub use gazette_newsroom::journal::MAKE_A_JOURNAL;

/// The message for `error`: its chain of contexts, with the store's error (if any) explained.
/// Errors that leave nothing else worth saying (there is no journal) replace the contexts.
pub fn describe(error: &anyhow::Error) -> String {
    let mut parts = Vec::new();
    for cause in error.chain() {
        if let Some(store_error) = cause.downcast_ref::<StoreError>() {
            let (sentence, alone) = explain(store_error);
            if alone {
                return sentence;
            }
            parts.push(sentence);
            break;
        }
        parts.push(cause.to_string());
    }
    parts.join(": ")
}

/// The sentence for one store error, and whether it says all there is to say.
fn explain(error: &StoreError) -> (String, bool) {
    if let Some(sentence) = no_journal(error) {
        return (sentence, true);
    }
    let said = error
        .database_said()
        .map(|words| format!(" (the database said: {:?})", words.trim()))
        .unwrap_or_default();
    if let Some(trouble) = error.file_trouble() {
        return (file_trouble(trouble, &said), false);
    }
    let sentence = match error {
        StoreError::Unavailable(_) => format!(
            "the database did not answer{said}; check that it is running and that database_url \
             names it, then run the command again"
        ),
        StoreError::Contended(_) => format!(
            "the database gave up this unit of work because another one raced with it{said}; \
             nothing of it was written: run the command again"
        ),
        StoreError::Database(_) => format!(
            "the database refused what Gazette asked of it{said}; run `gazette migrate` to bring \
             the schema up to date, and if that does not help, report this message as a bug"
        ),
        StoreError::Migration { version, name, .. } => format!(
            "migration {version} ({name}) failed, so the schema was left as it was{said}; check \
             that the database user may create tables and indexes, then run `gazette migrate` \
             again"
        ),
        StoreError::Io { path, cause } => format!(
            "cannot read or write {path} ({cause}); check that its folder exists, that Gazette \
             may write there and that the disk is not full"
        ),
        StoreError::Corrupt { what, detail } => format!(
            "the database holds {what} this Gazette cannot read ({detail}); restore a backup, or \
             report this message as a bug"
        ),
        other => other.to_string(),
    };
    (sentence, false)
}

/// A SQLite file that could not be written: nothing was written, and the fix is the machine's.
fn file_trouble(trouble: FileTrouble, said: &str) -> String {
    match trouble {
        FileTrouble::ReadOnly => format!(
            "the database file cannot be written{said}: its file system is mounted read-only, or \
             Gazette may not write the file, its -wal and -shm files or their folder; mount it \
             read-write or fix the permissions, then run the command again (nothing was lost)"
        ),
        FileTrouble::Full => format!(
            "the disk holding the database is full{said}; make room on it, then run the command \
             again (nothing was lost)"
        ),
        FileTrouble::Io => format!(
            "the disk failed while reading or writing the database{said}; check the disk (the \
             kernel log says more), then run the command again"
        ),
    }
}

/// The errors that mean there is no usable journal here: what to run, or to fix, first.
fn no_journal(error: &StoreError) -> Option<String> {
    Some(match error {
        StoreError::NoDatabase {
            backend: BackendKind::Sqlite,
            name,
        } => format!(
            "this data directory has no journal yet ({name} was never created): {MAKE_A_JOURNAL}"
        ),
        StoreError::NoDatabase {
            backend: BackendKind::Postgres,
            name,
        } => format!(
            "the PostgreSQL server has no database \"{name}\": create it (`createdb {name}`, or \
             `create database {name}` in psql), then run the command again"
        ),
        StoreError::NoSchema => format!("this database has no journal yet: {MAKE_A_JOURNAL}"),
        StoreError::SchemaTooOld { found, known } => format!(
            "this database's journal was made by an older Gazette (schema version {found}; this \
             one reads version {known}): run `gazette migrate` (or `gazette serve`) first, which \
             brings it up to date"
        ),
        StoreError::NotADatabase { name } => format!(
            "{name} is not a SQLite database: point database_url (or --data) at a Gazette \
             journal, or move that file away"
        ),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use anyhow::Context as _;

    use super::*;

    #[test]
    fn no_journal_replaces_the_contexts() {
        let error = Err::<(), _>(StoreError::NoSchema)
            .context("listing the accounts")
            .unwrap_err();
        let text = describe(&error);
        assert!(
            text.starts_with("this database has no journal yet: run `gazette migrate`"),
            "{text}"
        );
    }

    #[test]
    fn other_store_errors_keep_their_contexts_and_gain_a_fix() {
        let error = Err::<(), _>(StoreError::Io {
            path: "/srv/gazette".to_owned(),
            cause: std::io::Error::other("disk full"),
        })
        .context("copying the database")
        .unwrap_err();
        let text = describe(&error);
        assert!(
            text.starts_with("copying the database: cannot read or write /srv/gazette"),
            "{text}"
        );
        assert!(text.contains("disk is not full"), "{text}");
    }

    #[test]
    fn errors_that_are_not_the_stores_print_as_they_are() {
        let error = anyhow::anyhow!("--email \"x\" is not an email address");
        assert_eq!(describe(&error), "--email \"x\" is not an email address");
    }
}
