//! Subscriber lists in and out: importing the readers a journal gathered elsewhere (the CSV
//! exports of Mailchimp, Substack and Ghost), and exporting its own.
//!
//! An import needs the editor's word that the readers consented, which is recorded as each
//! subscription's consent with the file's source. Readers the other service marked as
//! unsubscribed or undeliverable go on the suppression list instead, so that moving
//! services never mails someone who left.

use gazette_core::csv;
use gazette_core::redirect::CsvProblem;
use gazette_core::{Email, NewsletterId, SubscriberId, Suppression};
use gazette_store::{ExportLine, Imported, NewConsent, Store, StoreError};

/// Rows written per unit of work: a long import does not hold the writer for long, and
/// importing the same file again changes nothing, so an interrupted one can be resumed.
const IMPORT_BATCH: usize = 500;

/// What one row of an import says about an address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Standing {
    Subscribed,
    /// Left the other service's list.
    Unsubscribed,
    /// The other service stopped mailing it (bounced).
    Cleaned,
}

/// A row of an import, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRow {
    pub email: Email,
    pub standing: Standing,
}

/// The email column as each service names it.
const EMAIL_COLUMNS: [&str; 4] = ["email address", "email", "e-mail", "email_address"];

/// Reads a subscriber CSV: a heading row naming the columns, an email column (Mailchimp's
/// `Email Address`, Substack's and Ghost's `email`), and what each service says of readers
/// who left: Mailchimp's `UNSUB_TIME` and `CLEAN_TIME`, Ghost's `subscribed_to_emails`,
/// Substack's `email_disabled`. Every problem is reported together.
pub fn read_import(text: &str) -> Result<Vec<ImportRow>, Vec<CsvProblem>> {
    let problem = |line: usize, message: &str| CsvProblem {
        line,
        message: message.to_owned(),
    };
    let records = csv::records(text).map_err(|e| vec![problem(e.line, &e.message)])?;
    let Some((heading, rows)) = records.split_first() else {
        return Err(vec![problem(1, "the file is empty")]);
    };
    let column = |names: &[&str]| {
        heading
            .fields
            .iter()
            .position(|f| names.iter().any(|n| f.trim().eq_ignore_ascii_case(n)))
    };
    let Some(email_at) = column(&EMAIL_COLUMNS) else {
        return Err(vec![problem(
            heading.line,
            "the first row must name the columns, one of them the email address \
             (“Email Address”, “email”)",
        )]);
    };
    let unsubscribed_at = column(&["unsub_time"]);
    let cleaned_at = column(&["clean_time"]);
    let subscribed_flag = column(&["subscribed_to_emails"]);
    let disabled_flag = column(&["email_disabled"]);
    let mut read = Vec::new();
    let mut problems = Vec::new();
    for record in rows {
        let field = |at: Option<usize>| {
            at.and_then(|i| record.fields.get(i))
                .map_or("", |f| f.trim())
        };
        let email = match Email::parse(field(Some(email_at))) {
            Ok(email) => email,
            Err(_) => {
                problems.push(problem(record.line, "not an email address"));
                continue;
            }
        };
        let is = |value: &str, truth: bool| {
            let yes = matches!(value.to_ascii_lowercase().as_str(), "true" | "yes" | "1");
            let no = matches!(value.to_ascii_lowercase().as_str(), "false" | "no" | "0");
            if truth { yes } else { no }
        };
        let standing = if !field(cleaned_at).is_empty() {
            Standing::Cleaned
        } else if !field(unsubscribed_at).is_empty()
            || is(field(subscribed_flag), false)
            || is(field(disabled_flag), true)
        {
            Standing::Unsubscribed
        } else {
            Standing::Subscribed
        };
        read.push(ImportRow { email, standing });
    }
    if problems.is_empty() {
        Ok(read)
    } else {
        Err(problems)
    }
}

/// What an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub added: u64,
    pub known: u64,
    /// Already on the suppression list: left alone.
    pub suppressed: u64,
    /// Marked as left or bounced by the other service: now on the suppression list.
    pub withheld: u64,
}

/// Imports `rows` into `newsletters`, with the consent the editor vouched for.
pub async fn import(
    store: &Store,
    rows: Vec<ImportRow>,
    newsletters: Vec<NewsletterId>,
    consent: NewConsent,
) -> Result<ImportReport, StoreError> {
    let mut report = ImportReport::default();
    for batch in rows.chunks(IMPORT_BATCH) {
        let (batch, newsletters, consent) = (batch.to_vec(), newsletters.clone(), consent.clone());
        let done = store
            .write(move |tx| {
                Box::pin(async move {
                    let mut report = ImportReport::default();
                    for row in &batch {
                        let reason = match row.standing {
                            Standing::Subscribed => None,
                            Standing::Unsubscribed => Some(Suppression::Left),
                            Standing::Cleaned => Some(Suppression::Bounced),
                        };
                        if let Some(reason) = reason {
                            tx.import_suppression(&row.email, reason).await?;
                            report.withheld += 1;
                            continue;
                        }
                        match tx
                            .import_subscriber(&row.email, &newsletters, &consent)
                            .await?
                        {
                            Imported::Added => report.added += 1,
                            Imported::Known => report.known += 1,
                            Imported::Suppressed => report.suppressed += 1,
                        }
                    }
                    Ok::<_, StoreError>(report)
                })
            })
            .await?;
        report.added += done.added;
        report.known += done.known;
        report.suppressed += done.suppressed;
        report.withheld += done.withheld;
    }
    Ok(report)
}

/// The export's heading.
pub const EXPORT_HEADING: [&str; 6] = [
    "email",
    "status",
    "newsletter",
    "subscribed_at",
    "confirmed_at",
    "source",
];

/// Every subscriber as CSV, a line per subscription, read in pages.
pub async fn export(store: &Store) -> Result<String, StoreError> {
    const PAGE: u64 = 1000;
    let mut out = csv::line(&EXPORT_HEADING);
    let mut after = SubscriberId(0);
    loop {
        let lines: Vec<ExportLine> = store.subscriber_export_page(after, PAGE).await?;
        let Some(last) = lines.last() else {
            return Ok(out);
        };
        after = last.subscriber;
        for line in &lines {
            let confirmed = line.confirmed_at.map(|t| t.to_string()).unwrap_or_default();
            out.push_str(&csv::line(&[
                &line.email,
                &line.status,
                line.newsletter.as_deref().unwrap_or_default(),
                &line.subscribed_at.to_string(),
                &confirmed,
                line.source.as_deref().unwrap_or_default(),
            ]));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn standings(text: &str) -> Vec<(String, Standing)> {
        read_import(text)
            .unwrap_or_default()
            .into_iter()
            .map(|r| (r.email.as_str().to_owned(), r.standing))
            .collect()
    }

    #[test]
    fn mailchimp_exports_are_read_with_their_leavers() {
        let text = "Email Address,First Name,MEMBER_RATING,OPTIN_TIME,UNSUB_TIME,CLEAN_TIME\n\
            ann@example.org,Ann,2,2024-01-01 10:00:00,,\n\
            bob@example.org,Bob,2,2024-01-01 10:00:00,2025-02-02 10:00:00,\n\
            cat@example.org,Cat,1,2024-01-01 10:00:00,,2025-03-03 10:00:00\n";
        assert_eq!(
            standings(text),
            [
                ("ann@example.org".to_owned(), Standing::Subscribed),
                ("bob@example.org".to_owned(), Standing::Unsubscribed),
                ("cat@example.org".to_owned(), Standing::Cleaned),
            ]
        );
    }

    #[test]
    fn ghost_and_substack_exports_say_who_left_their_own_way() {
        let ghost = "id,email,name,note,subscribed_to_emails,complimentary_plan,labels\n\
            1,ann@example.org,Ann,\"likes, \"\"maps\"\"\",true,false,\n\
            2,bob@example.org,Bob,,false,false,\n";
        assert_eq!(standings(ghost)[1].1, Standing::Unsubscribed);
        assert_eq!(standings(ghost)[0].1, Standing::Subscribed);
        let substack = "email,active_subscription,expiry,plan,email_disabled,created_at\n\
            ann@example.org,false,,,false,2024-01-01\n\
            bob@example.org,false,,,true,2024-01-01\n";
        assert_eq!(standings(substack)[1].1, Standing::Unsubscribed);
        assert_eq!(standings(substack)[0].1, Standing::Subscribed);
    }

    #[test]
    fn bad_rows_and_files_without_an_email_column_are_refused() {
        let problems = read_import("name,address\nAnn,ann@example.org\n").err();
        assert_eq!(problems.map(|p| p[0].line), Some(1));
        let problems = read_import("email\nann@example.org\nnot an address\n").err();
        assert_eq!(problems.map(|p| p[0].line), Some(3));
    }
}
