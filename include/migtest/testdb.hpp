// migtest/testdb.hpp: test databases without a test framework: temporary databases that delete
// themselves, templates migrated once per history, a PostgreSQL pool, the cache and the reaper.
//   static migtest::TestDatabases dbs(migtest::TestConfig().migrations(BLOG_MIGRATIONS));
//   { migtest::TestScope t = dbs.begin_test("karma"); t.session().exec("INSERT ..."); }
#pragma once

#include "migtest/testdb/backend.hpp"
#include "migtest/testdb/cache.hpp"
#include "migtest/testdb/config.hpp"
#include "migtest/testdb/database.hpp"
#include "migtest/testdb/reaper.hpp"
#include "migtest/testdb/session.hpp"
#include "migtest/testdb/temporary.hpp"
#include "migtest/testdb/test_databases.hpp"
