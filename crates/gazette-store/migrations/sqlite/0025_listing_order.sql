-- Listings are ordered newest first, then by id (highest first), so that articles published
-- in the same second keep one order from page to page. The listing index ordered the date
-- alone, so every listing sorted each second's articles again (SQLite: "USE TEMP B-TREE FOR
-- RIGHT PART OF ORDER BY", a temporary b-tree per page; PostgreSQL: an incremental sort).
-- With the id in the index in the same direction, a page is read from it in order.
drop index articles_listing;
create index articles_listing
    on articles (status, published_at desc, id desc, primary_section_id);
