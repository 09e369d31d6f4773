-- The sitemap index names every UTC month with published articles, in parts of 50,000, with
-- the month's newest change. Working that out from the articles read every published
-- article (about half a second at 100,000); these triggers keep one row per month instead,
-- in the transaction of whatever wrote the article (editor, REST API, import, scheduler).
create table published_months (
    year          bigint not null,
    month         bigint not null,
    articles      bigint not null,
    -- The newest of each article's publication and last significant update.
    newest_change timestamptz not null,
    primary key (year, month)
);

-- Counts the UTC month holding `at` again from the articles. Writers run concurrently here,
-- so the month is locked for the rest of the transaction first: a count taken while another
-- transaction added to the same month would otherwise overwrite that addition.
create function published_months_recount(at timestamptz) returns void
language plpgsql as $$
declare
    start timestamptz := date_trunc('month', at at time zone 'UTC') at time zone 'UTC';
    y integer := extract(year from at at time zone 'UTC');
    m integer := extract(month from at at time zone 'UTC');
begin
    perform pg_advisory_xact_lock(1734441573, y * 12 + m);
    delete from published_months where year = y and month = m;
    insert into published_months (year, month, articles, newest_change)
    select y, m, count(*), max(greatest(published_at, significantly_updated_at))
    from articles
    where status = 'published' and published_at >= start
      and published_at < start + interval '1 month'
    having count(*) > 0;
end
$$;

-- A new published article adds one to its month; anything else (a publish, an unpublish, a
-- new date, a deletion) counts the months the article left and entered again, since a
-- month's newest change may go back, which no sum can follow. A month is a range of the
-- (status, published_at) index, so a count reads one month.
create function published_months_follow() returns trigger
language plpgsql as $$
declare
    was boolean := false;
    is_now boolean := false;
    y integer;
    m integer;
begin
    if tg_op <> 'INSERT' then
        was := old.status = 'published' and old.published_at is not null;
    end if;
    if tg_op <> 'DELETE' then
        is_now := new.status = 'published' and new.published_at is not null;
    end if;
    if tg_op = 'UPDATE'
       and old.status is not distinct from new.status
       and old.published_at is not distinct from new.published_at
       and old.significantly_updated_at is not distinct from new.significantly_updated_at then
        return null;
    end if;
    if tg_op = 'INSERT' then
        if is_now then
            y := extract(year from new.published_at at time zone 'UTC');
            m := extract(month from new.published_at at time zone 'UTC');
            perform pg_advisory_xact_lock(1734441573, y * 12 + m);
            insert into published_months (year, month, articles, newest_change)
            values (y, m, 1, greatest(new.published_at, new.significantly_updated_at))
            on conflict (year, month) do update set
                articles = published_months.articles + 1,
                newest_change = greatest(published_months.newest_change, excluded.newest_change);
        end if;
        return null;
    end if;
    -- Lock the earlier month first, so two moves between the same months cannot deadlock.
    if was and is_now and new.published_at < old.published_at then
        perform published_months_recount(new.published_at);
        perform published_months_recount(old.published_at);
    else
        if was then
            perform published_months_recount(old.published_at);
        end if;
        if is_now then
            perform published_months_recount(new.published_at);
        end if;
    end if;
    return null;
end
$$;

create trigger published_months_follow after insert or update or delete on articles
for each row execute function published_months_follow();

insert into published_months (year, month, articles, newest_change)
select extract(year from published_at at time zone 'UTC'),
       extract(month from published_at at time zone 'UTC'),
       count(*),
       max(greatest(published_at, significantly_updated_at))
from articles
where status = 'published' and published_at is not null
group by 1, 2;
