-- Whether each revision's body was trusted raw HTML when it was saved, so that restoring a
-- revision written by someone without the right to publish raw HTML publishes it sanitised.
-- Revisions kept before this are taken as untrusted: restoring one re-renders it sanitised
-- until an editor allows raw HTML.
alter table article_revisions add column unfiltered_html boolean not null default false;
