-- Articles an editor chose to send to newsletters when they are published: a row waits here
-- until its article is out (now, or at its scheduled time), and the unit of work that makes
-- the issue removes it, so an article goes to a newsletter once.
--
-- A digest remembers the moment it covers up to, so the next one starts exactly there.
--
-- Each newsletter's subscribers are counted once a day (the journal's local day), so editors
-- see the counts over time.
create table newsletter_sends (
    article_id    bigint not null references articles (id) on delete cascade,
    newsletter_id bigint not null references newsletters (id) on delete cascade,
    requested_by  bigint references people (id) on delete set null,
    requested_at  timestamptz not null,
    primary key (article_id, newsletter_id)
);
alter table newsletter_issues add column covers_until timestamptz;
create table newsletter_tallies (
    newsletter_id bigint not null references newsletters (id) on delete cascade,
    -- The journal's local day, YYYY-MM-DD.
    day           text not null,
    confirmed     bigint not null,
    pending       bigint not null,
    primary key (newsletter_id, day)
);
