-- migrate:up transaction:false
alter table users add column name varchar(100);

-- migrate:down transaction:false
alter table users drop column name;
