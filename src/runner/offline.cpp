// Offline SQL: the statements an upgrade or downgrade would run, printed instead of run.
#include <fmt/format.h>

#include <algorithm>

#include "backend/dialect_rules.hpp"
#include "migtest/operations.hpp"
#include "migtest/ops.hpp"
#include "migtest/runner.hpp"
#include "runner/version_table.hpp"
#include "sql_quote.hpp"

namespace migtest {

namespace {

using detail::quote_literal;

// SQLite: an in-memory copy at the starting schema, on which everything printed also runs,
// so operations are checked and table rebuilds see the table they rebuild.
std::unique_ptr<Connection> sqlite_shadow(const History& history,
                                          const std::vector<std::string>& current,
                                          std::vector<std::string>& out) {
  auto shadow = connect("sqlite:///:memory:");
  shadow->execute("PRAGMA foreign_keys = OFF");
  try {
    Runner runner(*shadow, history);
    for (const auto& h : current) runner.upgrade(h);
  } catch (const std::exception& e) {
    out.push_back(fmt::format(
        "-- (the schema at {} could not be built in memory: {}; operations are not checked)",
        detail::heads_text(current), e.what()));
  }
  return shadow;
}

// One revision's own statements, as text.
struct RevisionLines {
  std::vector<std::string> lines;
  bool own_transaction = false;  // its SQL holds BEGIN/COMMIT itself
};

// C++ revisions are run against an offline Operations that records what it would execute.
RevisionLines code_lines(const RevisionScript& script, const RevisionBody& body, Dialect dialect,
                         Connection* shadow) {
  RevisionLines r;
  Operations op = Operations::offline(
      dialect, [&](const std::string& sql, const Params&) { r.lines.push_back(sql); }, shadow);
  try {
    body.code(op);
  } catch (const offline_error&) {
    r.lines.push_back(
        fmt::format("-- revision {}: its C++ code reads the database (op.connection()), which "
                    "cannot be rendered offline; what follows in it is missing here",
                    script.revision.id));
  } catch (const std::exception& e) {
    r.lines.push_back(fmt::format("-- revision {}: cannot be rendered offline: {}",
                                  script.revision.id, e.what()));
  }
  return r;
}

// SQL revisions: their statements, each also run on the shadow copy until one fails there.
RevisionLines sql_lines(const RevisionBody& body, Dialect dialect, Connection* shadow) {
  RevisionLines r;
  std::vector<Statement> statements = body.statements(dialect);
  r.own_transaction = manages_own_transaction(statements);
  bool shadow_ok = true;
  for (const auto& st : statements) {
    r.lines.push_back(st.sql);
    if (!shadow || !shadow_ok) continue;
    try {
      shadow->execute(st.sql);
    } catch (const std::exception& e) {
      shadow_ok = false;
      r.lines.push_back(fmt::format("-- (not checked from here on: {})", e.what()));
    }
  }
  return r;
}

// The version table's change for one step, in the step's transaction.
void append_version_change(std::vector<std::string>& out, const OfflineOptions& options,
                           const Step& step, const RevisionScript& script,
                           const std::vector<std::string>& heads,
                           const std::vector<std::string>& after) {
  if (step.direction == Direction::up) {
    AppliedRevision row;
    row.revision = script.revision.id;
    row.checksum = script.checksum;
    row.head = std::find(after.begin(), after.end(), row.revision) != after.end();
    out.push_back(detail::insert_row_sql(options.version_table, row));
  } else {
    out.push_back(fmt::format("DELETE FROM {} WHERE version_num = {}",
                              detail::quote_table(options.version_table),
                              quote_literal(script.revision.id)));
  }
  for (auto& sql :
       detail::move_heads_sql(options.version_table, heads, after, script.revision.id)) {
    out.push_back(std::move(sql));
  }
}

// One step: its header comment, its statements, the version table's change, each in the
// transaction it would run in.
void append_step(std::vector<std::string>& out, const History& history, const Step& step,
                 Dialect dialect, Connection* shadow, const OfflineOptions& options,
                 std::vector<std::string>& heads) {
  const RevisionScript& script = history.script(step.revision);
  const RevisionBody& body = step.direction == Direction::up ? script.up : script.down;
  std::vector<std::string> after = history.graph().after(heads, step);
  RevisionLines r =
      body.code ? code_lines(script, body, dialect, shadow) : sql_lines(body, dialect, shadow);
  std::vector<std::string>& lines = r.lines;
  bool transactional = script.revision.transactional && !r.own_transaction;
  // A SQLite rebuild of a table others refer to needs foreign keys off, outside the transaction.
  auto marker = std::find(lines.begin(), lines.end(), "PRAGMA foreign_keys = OFF");
  bool fk_off = marker != lines.end();
  if (fk_off)
    lines.erase(std::remove(lines.begin(), lines.end(), "PRAGMA foreign_keys = OFF"), lines.end());

  out.push_back(fmt::format(
      "-- Running {} {} -> {}, {}", step.direction == Direction::up ? "upgrade" : "downgrade",
      detail::heads_text(heads), detail::heads_text(after), script.revision.message));
  if (fk_off) out.push_back("PRAGMA foreign_keys = OFF");
  if (transactional) out.push_back("BEGIN");
  out.insert(out.end(), lines.begin(), lines.end());
  // Outside the revision's own statements: the version table in a transaction of its own.
  if (!transactional) out.push_back("BEGIN");
  append_version_change(out, options, step, script, heads, after);
  out.push_back("COMMIT");
  if (fk_off) out.push_back("PRAGMA foreign_keys = ON");
  heads = after;
}

}  // namespace

std::vector<std::string> offline_sql(const History& history, Dialect dialect,
                                     std::vector<std::string> current, std::string_view target,
                                     const OfflineOptions& options) {
  const bool up = options.direction == Direction::up;
  std::vector<Step> steps = up ? history.graph().plan_upgrade(current, target)
                               : history.graph().plan_downgrade(current, target);
  std::vector<std::string> out;
  out.push_back(fmt::format("-- migtest offline SQL for {}: {} from {} to {}", to_string(dialect),
                            up ? "upgrade" : "downgrade", detail::heads_text(current), target));
  const detail::DialectRules& rules = detail::dialect_object(dialect);
  std::unique_ptr<Connection> shadow;
  if (rules.checks_offline()) shadow = sqlite_shadow(history, current, out);
  if (up && current.empty()) {
    const std::string schema = detail::version_schema_ddl(options.version_table);
    if (rules.has_schemas() && !schema.empty()) out.push_back(schema);
    out.push_back(detail::version_table_ddl(options.version_table));
  }
  std::vector<std::string> heads = current;
  for (const Step& step : steps)
    append_step(out, history, step, dialect, shadow.get(), options, heads);
  return out;
}

}  // namespace migtest
