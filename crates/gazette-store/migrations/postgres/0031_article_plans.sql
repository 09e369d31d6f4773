-- The day an unpublished article is planned for (a day in the publication's zone, written
-- YYYY-MM-DD; no time, which only scheduling gives), for the editorial calendar.
create table article_plans (
    article_id bigint primary key references articles (id) on delete cascade,
    planned_on text not null check (length(planned_on) = 10)
);
create index article_plans_by_day on article_plans (planned_on);
