-- A monthly sitemap lists the month's published articles with their addresses: a whole
-- month (1,200 articles at forty a day) took about 3.5 ms to read and decode on PostgreSQL,
-- for a list that changes only when one of its articles does. A node keeps the list it read
-- for a month while the month's revision here stays where it was; these triggers move it, in
-- the transaction of whatever wrote the article, when an article published in that month is
-- added, removed, or changes anything a monthly sitemap shows of it (its status, dates, slug,
-- primary section, noindex, canonical address). Rows are never deleted, so a revision is
-- never used twice for one month.
--
-- Times are integer microseconds; a month comes from the whole second below the time, as in
-- migration 23.
create table address_months (
    year     integer not null,
    month    integer not null,
    revision integer not null,
    primary key (year, month)
);

-- Inserting a second here moves that second's month on (a trigger's way to call a
-- procedure), and leaves the table empty.
create table address_months_bump (second integer not null);

create trigger address_months_bump_month after insert on address_months_bump
begin
    insert into address_months (year, month, revision)
    values (cast(strftime('%Y', new.second, 'unixepoch') as integer),
            cast(strftime('%m', new.second, 'unixepoch') as integer),
            1)
    on conflict (year, month) do update set revision = revision + 1;
    delete from address_months_bump;
end;

create trigger address_months_added after insert on articles
when new.status = 'published' and new.published_at is not null
begin
    insert into address_months_bump (second)
    values ((new.published_at - ((new.published_at % 1000000) + 1000000) % 1000000) / 1000000);
end;

create trigger address_months_removed after delete on articles
when old.status = 'published' and old.published_at is not null
begin
    insert into address_months_bump (second)
    values ((old.published_at - ((old.published_at % 1000000) + 1000000) % 1000000) / 1000000);
end;

create trigger address_months_changed after update on articles
when old.status is not new.status
    or old.published_at is not new.published_at
    or old.slug is not new.slug
    or old.created_at is not new.created_at
    or old.significantly_updated_at is not new.significantly_updated_at
    or old.primary_section_id is not new.primary_section_id
    or old.noindex is not new.noindex
    or old.canonical_url is not new.canonical_url
begin
    insert into address_months_bump (second)
    select (old.published_at - ((old.published_at % 1000000) + 1000000) % 1000000) / 1000000
    where old.status = 'published' and old.published_at is not null;
    insert into address_months_bump (second)
    select (new.published_at - ((new.published_at % 1000000) + 1000000) % 1000000) / 1000000
    where new.status = 'published' and new.published_at is not null;
end;
