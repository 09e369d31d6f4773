-- A tag's or an author's archive lists their published articles newest first. Finding them
-- meant looking up every linked article's status and date and sorting them all (a tag with
-- 1,900 articles: 1,900 lookups for a page of ten). Each link now carries its article's
-- listing time, the publication time while the article is published and null otherwise, so
-- a page of the archive is ten entries of one index. Triggers keep it, in the transaction of
-- whatever wrote the article or its links.
alter table article_tags add column listed_at integer;
alter table article_authors add column listed_at integer;

update article_tags set listed_at =
    (select published_at from articles where id = article_id and status = 'published');
update article_authors set listed_at =
    (select published_at from articles where id = article_id and status = 'published');

create index article_tags_newest on article_tags (tag_id, listed_at desc, article_id desc)
    where listed_at is not null;
create index article_authors_newest
    on article_authors (person_id, listed_at desc, article_id desc)
    where listed_at is not null;

-- A new link takes its article's listing time…
create trigger article_tags_listed after insert on article_tags
begin
    update article_tags set listed_at =
        (select published_at from articles where id = new.article_id and status = 'published')
    where article_id = new.article_id and tag_id = new.tag_id;
end;

create trigger article_authors_listed after insert on article_authors
begin
    update article_authors set listed_at =
        (select published_at from articles where id = new.article_id and status = 'published')
    where article_id = new.article_id and person_id = new.person_id;
end;

-- …and every link follows its article's publication, date and withdrawal.
create trigger articles_listed after update of status, published_at on articles
when old.status is not new.status or old.published_at is not new.published_at
begin
    update article_tags
    set listed_at = case when new.status = 'published' then new.published_at end
    where article_id = new.id;
    update article_authors
    set listed_at = case when new.status = 'published' then new.published_at end
    where article_id = new.id;
end;
