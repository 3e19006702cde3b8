-- migtest:allow index_not_concurrent
-- migrate:up
create index users_email on users (email);

-- migrate:down
drop index users_email;
