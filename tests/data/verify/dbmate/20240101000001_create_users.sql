-- migrate:up
create table users (
  id integer not null primary key,
  email varchar(255) not null
);

-- migrate:down
drop table users;
