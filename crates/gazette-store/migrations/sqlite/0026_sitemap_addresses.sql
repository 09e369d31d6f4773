-- A monthly sitemap lists up to a month of published articles with their addresses. SQLite
-- keeps a row's columns in table order, and an article's body (about 5 KB of source and HTML)
-- sits early in it, so every column after it (section, dates, canonical address) was read by
-- following the row's overflow pages: a page or two per article, 1,200 articles a month.
-- This index holds everything a sitemap reads of an article, in the listing order, so the
-- sitemap never reads the table. The lead byline comes from the second index, which holds the
-- person besides the position that orders the bylines.
create index articles_addresses
    on articles (status, published_at desc, id desc, slug, headline, created_at,
                 significantly_updated_at, primary_section_id, noindex, canonical_url);
create index article_authors_lead on article_authors (article_id, position, person_id);
