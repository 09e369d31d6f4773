-- Rolling upgrades: the oldest schema version a Gazette binary may know and still run against
-- this schema. Nodes are replaced one by one, so for a while the previous release runs against
-- the schema the new one migrated to; a migration that the previous release would misread
-- raises this, and a binary that knows less refuses to start (`SchemaTooNew`). Kept up to date
-- by the migrator from each migration's own figure (`migrate.rs`).
create table schema_compatibility (
    only_row      integer primary key check (only_row = 1),
    oldest_binary bigint not null
);
insert into schema_compatibility (only_row, oldest_binary) values (1, 34);
