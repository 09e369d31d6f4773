-- An issue's deliveries by state. A sender claims its next batch from those still waiting and
-- reads back the ones it holds; without this index both read every delivery of the issue,
-- the ones already sent included, so a send's cost grew with the square of its readers.
create index deliveries_by_issue_and_status on deliveries (issue_id, status, subscriber_id);
