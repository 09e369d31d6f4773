-- A tag's or an author's archive lists their published articles newest first. Finding them
-- meant looking up every linked article's status and date and sorting them all (a tag with
-- 1,900 articles: 1,900 lookups for a page of ten). Each link now carries its article's
-- listing time, the publication time while the article is published and null otherwise, so
-- a page of the archive is ten entries of one index. Triggers keep it, in the transaction of
-- whatever wrote the article or its links.
alter table article_tags add column listed_at timestamptz;
alter table article_authors add column listed_at timestamptz;

update article_tags l set listed_at = a.published_at
from articles a where a.id = l.article_id and a.status = 'published';
update article_authors l set listed_at = a.published_at
from articles a where a.id = l.article_id and a.status = 'published';

create index article_tags_newest on article_tags (tag_id, listed_at desc, article_id desc)
    where listed_at is not null;
create index article_authors_newest
    on article_authors (person_id, listed_at desc, article_id desc)
    where listed_at is not null;

-- A new link takes its article's listing time…
create function link_listed_at() returns trigger
language plpgsql as $$
begin
    new.listed_at := (select published_at from articles
                      where id = new.article_id and status = 'published');
    return new;
end
$$;

create trigger article_tags_listed before insert on article_tags
for each row execute function link_listed_at();
create trigger article_authors_listed before insert on article_authors
for each row execute function link_listed_at();

-- …and every link follows its article's publication, date and withdrawal.
create function links_follow_article() returns trigger
language plpgsql as $$
declare
    listed timestamptz := case when new.status = 'published' then new.published_at end;
begin
    if old.status is distinct from new.status
       or old.published_at is distinct from new.published_at then
        update article_tags set listed_at = listed where article_id = new.id;
        update article_authors set listed_at = listed where article_id = new.id;
    end if;
    return null;
end
$$;

create trigger articles_listed after update of status, published_at on articles
for each row execute function links_follow_article();
