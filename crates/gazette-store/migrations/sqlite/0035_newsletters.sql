-- Newsletters: what a journal mails to readers who asked for it, with double opt-in.
--
-- A subscriber is an address, confirmed once (the second half of the double opt-in). Each
-- newsletter it asked for is a subscription, with the consent it was asked with (when, on
-- which form, to which wording), pending until the address confirms. The suppression list holds addresses
-- that must never be mailed again (every newsletter left, bounced, complained of, erased),
-- by hash only, so that an erased address is kept out without being kept. Issues are what
-- was sent, and deliveries are one row per issue and subscriber, claimed before the SMTP
-- transaction and settled after it, so nothing is sent twice on its own.
create table newsletters (
    id            integer primary key,
    slug          text not null unique,
    name          text not null,
    description   text not null default '',
    -- 'each' (every article of its sections), 'daily', 'weekly' or 'by_hand'.
    cadence       text not null,
    -- Minutes after local midnight, and the day for 'weekly' (1 = Monday).
    send_minute   integer,
    send_weekday  integer,
    sender_name   text not null,
    sender_email  text not null,
    footer        text not null default '',
    created_at    integer not null,
    last_digest_at integer
);
create table newsletter_sections (
    newsletter_id integer not null references newsletters (id) on delete cascade,
    section_id    integer not null references sections (id) on delete cascade,
    primary key (newsletter_id, section_id)
);
create table subscribers (
    id                   integer primary key,
    email                text not null,
    email_normalized     text not null unique,
    -- 'pending', 'confirmed' or 'left'.
    status               text not null,
    created_at           integer not null,
    confirmed_at         integer,
    confirmation_sent_at integer
);
create table subscriptions (
    subscriber_id integer not null references subscribers (id) on delete cascade,
    newsletter_id integer not null references newsletters (id) on delete cascade,
    -- The consent: when it was asked for, on which form (or by which import), and the
    -- wording the reader agreed to.
    created_at    integer not null,
    consent_form  text not null,
    consent_wording text not null,
    confirmed_at  integer,
    primary key (subscriber_id, newsletter_id)
);
create index subscriptions_by_newsletter on subscriptions (newsletter_id, subscriber_id);
create table mail_suppressions (
    address_hash text primary key,
    -- 'left', 'bounced', 'complained' or 'erased'.
    reason       text not null,
    created_at   integer not null
);
create table newsletter_issues (
    id               integer primary key,
    newsletter_id    integer not null references newsletters (id) on delete cascade,
    slug             text not null,
    subject          text not null,
    article_id       integer references articles (id) on delete set null,
    html             text not null,
    text             text not null,
    subscribers_only integer not null default 0,
    -- 'sending', 'paused', 'cancelled' or 'sent'.
    status           text not null,
    created_at       integer not null,
    finished_at      integer,
    unique (newsletter_id, slug)
);
create table deliveries (
    issue_id      integer not null references newsletter_issues (id) on delete cascade,
    subscriber_id integer not null references subscribers (id) on delete cascade,
    -- 'queued', 'sending', 'sent', 'deferred', 'failed', 'bounced', 'unknown' or 'cancelled'.
    status        text not null,
    attempts      integer not null default 0,
    -- Which claim holds it while `sending`.
    claim_token   text,
    lease_until   integer,
    next_at       integer,
    message_id    text,
    error         text,
    updated_at    integer not null,
    primary key (issue_id, subscriber_id)
);
create index deliveries_waiting on deliveries (status, next_at);
