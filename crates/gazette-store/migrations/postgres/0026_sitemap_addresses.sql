-- A monthly sitemap lists up to a month of published articles with their addresses. This
-- index holds everything a sitemap reads of an article, in the listing order, so that (once
-- vacuumed) the sitemap is an index-only scan; the second holds the person besides the
-- position that orders the bylines, for the lead byline. (On SQLite the same indexes also
-- spare reading past each article's body; see the SQLite migration.)
create index articles_addresses
    on articles (status, published_at desc, id desc)
    include (slug, headline, created_at, significantly_updated_at, primary_section_id,
             noindex, canonical_url);
create index article_authors_lead on article_authors (article_id, position) include (person_id);
