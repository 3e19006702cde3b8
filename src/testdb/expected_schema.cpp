// expected_schema(metadata, connection): the server builds the models and reflect() reads
// them, kept per process. It lives in testdb because models that name schemas of their own
// are built in a scratch database (the others in a scratch schema: src/backend/postgres/
// expected.cpp).
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <mutex>

#include "backend/backend.hpp"
#include "backend/dialect_rules.hpp"
#include "migtest/dialect.hpp"
#include "migtest/metadata.hpp"
#include "migtest/source.hpp"
#include "source/sha256.hpp"
#include "sql_quote.hpp"
#include "testdb/scratch.hpp"

namespace migtest {

namespace {

bool names_a_schema(const std::string& schema) { return !schema.empty() && schema != "public"; }

// The schemas, besides the default one, that the models put objects in.
std::vector<std::string> named_schemas(const Metadata& md) {
  std::vector<std::string> out;
  auto add = [&](const std::string& s) {
    if (names_a_schema(s) && std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
  };
  for (const auto& t : md.tables()) add(t.schema);
  for (const auto& v : md.views()) add(v.schema);
  for (const auto& e : md.enums()) add(e.schema);
  return out;
}

// Models in several schemas: a scratch database on the same server, whose default schema
// is the live session's (the URL's search_path), with the live database's extensions.
Schema in_scratch_database(Connection& live, const std::vector<std::string>& statements,
                           const std::string& default_schema, std::vector<std::string> schemas) {
  const DatabaseUrl* url = detail::postgres_url_of(live);
  if (!url) throw config_error("expected_schema: not a PostgreSQL connection");
  const Result extensions = live.query(
      "SELECT e.extname::text, n.nspname::text FROM pg_catalog.pg_extension e "
      "JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace WHERE e.extname <> 'plpgsql' "
      "ORDER BY e.oid");
  detail::ScratchDatabase scratch(url->original, "check");
  Connection& c = scratch.connection();
  c.execute("CREATE SCHEMA IF NOT EXISTS " + detail::quote_ident(default_schema));
  for (const auto& r : extensions.rows) {
    // Best effort: one the user may not create (it needs a superuser) matters only to
    // models that use it, and their statements then fail naming what is missing.
    try {
      c.execute_script(fmt::format(
          "CREATE SCHEMA IF NOT EXISTS {0}; CREATE EXTENSION IF NOT EXISTS {1} SCHEMA {0}",
          detail::quote_ident(r[1].as_text()), detail::quote_ident(r[0].as_text())));
    } catch (const database_error&) {
    }
  }
  std::string script;
  for (const auto& s : statements) script += s + ";\n";
  try {
    c.execute_script(script);
  } catch (const database_error& e) {
    throw schema_error(fmt::format("the models do not build on PostgreSQL: {}", e.what()));
  }
  ReflectOptions options;
  options.exclude_tables.clear();
  schemas.insert(schemas.begin(), "");
  options.schemas = std::move(schemas);
  return reflect(c, options);
}

}  // namespace

Schema expected_schema(const Metadata& metadata, Connection& connection) {
  const detail::DialectRules& rules = detail::dialect_object(connection.dialect());
  if (!rules.server_builds_expected_schema()) return rules.expected_schema(metadata);
  const std::vector<std::string> statements = rules.create_all_sql(metadata);
  const std::vector<std::string> schemas = named_schemas(metadata);
  // What else the result depends on: the server, and where unqualified names go.
  const Row live = connection
                       .query(
                           "SELECT pg_catalog.current_setting('server_version_num'), "
                           "pg_catalog.current_setting('search_path'), "
                           "COALESCE(pg_catalog.current_schema()::text, 'public')")
                       .rows.at(0);
  std::string text = live[0].as_text() + "\n" + live[1].as_text() + "\n" + live[2].as_text() + "\n";
  for (const auto& s : statements) text += s + ";\n";
  const std::string key = detail::sha256_hex(text);

  static std::mutex mutex;
  static std::map<std::string, Schema> kept;
  {
    std::lock_guard<std::mutex> lock(mutex);
    if (auto it = kept.find(key); it != kept.end()) return it->second;
  }
  Schema s = schemas.empty()
                 ? detail::postgres_schema_in_scratch(connection, statements)
                 : in_scratch_database(connection, statements, live[2].as_text(), schemas);
  std::lock_guard<std::mutex> lock(mutex);
  return kept.emplace(key, std::move(s)).first->second;
}

}  // namespace migtest
