-- A returning commenter is trusted only with proof: the commenter key their browser was
-- given (when they asked to be remembered). Each comment keeps a hash of the key it came
-- with; earlier comments have none, so their authors are trusted again once a comment sent
-- with a key is approved.
alter table comments add column commenter_key text;
create index comments_by_commenter_key on comments (commenter_key) where commenter_key is not null;
