-- Tag, author and section pages read the ids a link table names for one tag, person or
-- section. The old indexes held the row's key only, so each entry cost a second lookup in the
-- table for its article id; these hold the article id itself (a 1,906-article tag's first
-- page on 100,000 articles: 3 ms → 2 ms in sqlite3).
create index article_tags_listing on article_tags (tag_id, article_id);
drop index article_tags_by_tag;
create index article_authors_listing on article_authors (person_id, article_id);
drop index article_authors_by_person;
create index article_sections_listing on article_sections (section_id, article_id);
drop index article_sections_by_section;
