-- The sitemap index names every UTC month with published articles, in parts of 50,000, with
-- the month's newest change. Working that out from the articles read every published
-- article (about half a second at 100,000); these triggers keep one row per month instead,
-- in the transaction of whatever wrote the article (editor, REST API, import, scheduler).
--
-- Times are integer microseconds. A month's bounds come from the whole second below the
-- time (floor, so that times before 1970 fall in the right month), never from a rounded
-- fraction that could carry the last instant of a month into the next.
create table published_months (
    year          integer not null,
    month         integer not null,
    articles      integer not null,
    -- The newest of each article's publication and last significant update.
    newest_change integer not null,
    primary key (year, month)
);

-- A new published article adds one to its month.
create trigger published_months_insert after insert on articles
when new.status = 'published' and new.published_at is not null
begin
    insert into published_months (year, month, articles, newest_change)
    select cast(strftime('%Y', second, 'unixepoch') as integer),
           cast(strftime('%m', second, 'unixepoch') as integer),
           1,
           max(new.published_at, coalesce(new.significantly_updated_at, new.published_at))
    from (select (new.published_at - ((new.published_at % 1000000) + 1000000) % 1000000)
                 / 1000000 as second)
    where true
    on conflict (year, month) do update set
        articles = articles + 1,
        newest_change = max(newest_change, excluded.newest_change);
end;

-- Inserting a second here counts that second's month again from the articles (a trigger's
-- way to call a procedure), and leaves the table empty.
--
-- Anything else (a publish, an unpublish, a new date, a deletion) counts the months the
-- article left and entered again: a month's newest change may go back, which no sum can
-- follow. A month is a range of the (status, published_at) index, so this reads one month.
create table published_months_recount (second integer not null);

create trigger published_months_recount_month after insert on published_months_recount
begin
    delete from published_months
    where year = cast(strftime('%Y', new.second, 'unixepoch') as integer)
      and month = cast(strftime('%m', new.second, 'unixepoch') as integer);
    insert into published_months (year, month, articles, newest_change)
    select cast(strftime('%Y', new.second, 'unixepoch') as integer),
           cast(strftime('%m', new.second, 'unixepoch') as integer),
           count(*),
           max(max(published_at, coalesce(significantly_updated_at, published_at)))
    from articles
    where status = 'published'
      and published_at >= cast(strftime('%s', new.second, 'unixepoch', 'start of month') as integer) * 1000000
      and published_at < cast(strftime('%s', new.second, 'unixepoch', 'start of month', '+1 month') as integer) * 1000000
    having count(*) > 0;
    delete from published_months_recount;
end;

create trigger published_months_update after update of status, published_at, significantly_updated_at on articles
when (old.status is not new.status
      or old.published_at is not new.published_at
      or old.significantly_updated_at is not new.significantly_updated_at)
 and ((old.status = 'published' and old.published_at is not null)
      or (new.status = 'published' and new.published_at is not null))
begin
    insert into published_months_recount (second)
    select (old.published_at - ((old.published_at % 1000000) + 1000000) % 1000000) / 1000000
    where old.status = 'published' and old.published_at is not null;
    insert into published_months_recount (second)
    select (new.published_at - ((new.published_at % 1000000) + 1000000) % 1000000) / 1000000
    where new.status = 'published' and new.published_at is not null;
end;

create trigger published_months_delete after delete on articles
when old.status = 'published' and old.published_at is not null
begin
    insert into published_months_recount (second)
    values ((old.published_at - ((old.published_at % 1000000) + 1000000) % 1000000) / 1000000);
end;

insert into published_months (year, month, articles, newest_change)
select cast(strftime('%Y', second, 'unixepoch') as integer),
       cast(strftime('%m', second, 'unixepoch') as integer),
       count(*),
       max(max(published_at, coalesce(significantly_updated_at, published_at)))
from (select published_at, significantly_updated_at,
             (published_at - ((published_at % 1000000) + 1000000) % 1000000) / 1000000 as second
      from articles
      where status = 'published' and published_at is not null)
group by 1, 2;
