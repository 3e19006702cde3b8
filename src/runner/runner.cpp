#include "migtest/runner.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>

#include "backend/postgres/postgres_connection.hpp"
#include "migtest/operations.hpp"
#include "runner/version_table.hpp"

namespace migtest {

namespace {

using detail::heads_text;
std::string quote(std::string_view name) { return detail::quote_ident(name); }

std::string arrow(const std::vector<std::string>& from, const std::vector<std::string>& to) {
  return fmt::format("{} -> {}", heads_text(from), heads_text(to));
}

const char* verb(Direction d) { return d == Direction::up ? "upgrade" : "downgrade"; }

}  // namespace

// Held for the duration of one public call: a second runner waits here, then
// re-reads the version table and finds the work done.
class Runner::Lock {
 public:
  Lock(Connection& c, std::string key, int timeout_ms) : c_(c), key_(std::move(key)) {
    c_.lock(key_, timeout_ms);
  }
  ~Lock() {
    try {
      c_.unlock(key_);
    } catch (...) {
    }
  }
  Lock(const Lock&) = delete;
  Lock& operator=(const Lock&) = delete;

 private:
  Connection& c_;
  std::string key_;
};

Runner::Runner(Connection& connection, const History& history, RunOptions options)
    : connection_(connection), history_(history), options_(std::move(options)) {
  // Every section parses for this dialect before anything runs (an unclosed $$ in a
  // generic section is only an error on PostgreSQL).
  history_.check(connection_.dialect());
}

Runner::~Runner() = default;
Runner::Runner(Runner&& other) noexcept = default;

void Runner::hold_lock() {
  if (!held_) held_ = std::make_unique<Lock>(connection_, "migtest:" + options_.version_table, options_.lock_timeout_ms);
}

// The lock for one public call (none while hold_lock() holds it). The version table is
// known without reading it only while a lock is held: a call forgets it when it ends.
class Runner::CallScope {
 public:
  explicit CallScope(Runner& r) : r_(r) {
    if (!r.held_) lock_.emplace(r.connection_, "migtest:" + r.options_.version_table, r.options_.lock_timeout_ms);
  }
  ~CallScope() {
    if (!r_.held_) r_.known_.reset();
  }
  CallScope(const CallScope&) = delete;
  CallScope& operator=(const CallScope&) = delete;

 private:
  Runner& r_;
  std::optional<Lock> lock_;
};

void Runner::log(RunEvent event) const {
  if (options_.log) options_.log(event);
}

void Runner::ensure_version_table() {
  if (table_ready_) return;
  const std::string t = quote(options_.version_table);
  connection_.execute(detail::version_table_ddl(options_.version_table));
  try {
    connection_.query(fmt::format("SELECT version_num FROM {} WHERE 1 = 0", t));
  } catch (const database_error&) {
    throw usage_error(fmt::format(
        "table '{}' exists but was not written by migtest (it has no version_num column); "
        "choose another version_table",
        options_.version_table));
  }
  table_ready_ = true;
}

std::vector<std::string> Runner::read_version_table() {
  if (known_) return *known_;
  ensure_version_table();
  std::vector<std::string> heads;
  for (const auto& row :
       connection_.query(fmt::format("SELECT version_num FROM {} ORDER BY version_num",
                                     quote(options_.version_table)))
           .rows) {
    heads.push_back(row[0].as_text());
  }
  known_ = heads;
  return heads;
}

// A linear step is one UPDATE: a statement per step, not two, on every revision run.
void Runner::write_version_table(const std::vector<std::string>& before,
                                 const std::vector<std::string>& after) {
  const std::string t = quote(options_.version_table);
  if (before.size() == 1 && after.size() == 1) {
    connection_.execute(fmt::format("UPDATE {} SET version_num = $1 WHERE version_num = $2", t),
                        {after.front(), before.front()});
    return;
  }
  if (!before.empty()) connection_.execute(fmt::format("DELETE FROM {}", t));
  for (const auto& h : after) {
    connection_.execute(fmt::format("INSERT INTO {} (version_num) VALUES ($1)", t), {h});
  }
}

void Runner::check_known(const std::vector<std::string>& heads) const {
  for (const auto& h : heads) {
    if (!history_.graph().contains(h)) {
      throw missing_revision_error(fmt::format(
          "the database is at {}, which no revision defines (is --migrations the right "
          "history, or was the database stamped by another branch?)",
          h));
    }
  }
}

std::vector<std::string> Runner::current() {
  CallScope scope(*this);
  return read_version_table();
}

std::vector<Step> Runner::plan_upgrade(std::string_view target) {
  auto heads = current();
  check_known(heads);
  return history_.graph().plan_upgrade(heads, target);
}

std::vector<Step> Runner::plan_downgrade(std::string_view target) {
  auto heads = current();
  check_known(heads);
  return history_.graph().plan_downgrade(heads, target);
}

void Runner::run_body(const Step& step, const RevisionScript& script, const std::vector<Statement>& statements,
                      bool transactional) {
  const Revision& rev = script.revision;
  const RevisionBody& body = step.direction == Direction::up ? script.up : script.down;
  auto fail = [&](const std::string& db_text, int line, const std::string& statement) {
    source_location where{rev.file, line, rev.id};
    std::string place = where.describe();
    std::string msg = fmt::format("{} of {} failed: {}", verb(step.direction), place, db_text);
    if (!statement.empty()) msg += fmt::format(" in: {}", detail::shorten(statement));
    msg += transactional
               ? "; the revision was rolled back and the database is unchanged"
               : "; the revision runs outside a transaction and may be partly applied; the "
                 "version table was not advanced";
    throw migration_error(msg, where, statement, !transactional);
  };

  if (body.code) {
    Operations op(connection_);
    try {
      body.code(op);
    } catch (const database_error& e) {
      fail(fmt::format("{} [{}]", e.db_message(), e.code()), 0, e.statement());
    } catch (const migration_error&) {
      throw;
    } catch (const connection_error&) {
      throw;
    } catch (const std::exception& e) {
      fail(e.what(), 0, "");
    }
    return;
  }
  for (const Statement& st : statements) {
    if (options_.log_statements) {
      log({RunEvent::Kind::statement, st.sql, step, 0, 0, 0});
    }
    try {
      connection_.execute(st.sql);
    } catch (const database_error& e) {
      fail(fmt::format("{} [{}]", e.db_message(), e.code()), st.line, st.sql);
    }
  }
}

void Runner::run_step(const Step& step, int position, int total) {
  const RevisionScript& script = history_.script(step.revision);
  const Revision& rev = script.revision;
  const RevisionBody& body = step.direction == Direction::up ? script.up : script.down;
  std::vector<std::string> before = read_version_table();
  std::vector<std::string> after = history_.graph().after(before, step);
  log({RunEvent::Kind::revision_started,
       fmt::format("Running {} {}, {}", verb(step.direction), arrow(before, after), rev.message), step,
       position, total, 0});
  auto t0 = std::chrono::steady_clock::now();

  // A file that writes its own BEGIN/COMMIT must not be wrapped in another transaction.
  const std::vector<Statement> statements =
      body.code ? std::vector<Statement>{} : body.statements(connection_.dialect());
  bool transactional = rev.transactional && !(body.code == nullptr && manages_own_transaction(statements));
  if (transactional) {
    // IMMEDIATE: on SQLite the write lock is taken now, so a concurrent writer waits
    // on the busy timeout instead of failing half-way.
    Transaction tx(connection_, /*immediate=*/true);
    run_body(step, script, statements, true);
    write_version_table(before, after);
    tx.commit();
  } else {
    run_body(step, script, statements, false);
    Transaction tx(connection_, true);
    write_version_table(before, after);
    tx.commit();
  }
  known_ = after;
  double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  log({RunEvent::Kind::revision_finished, "", step, position, total, ms});
}

void Runner::apply(const Step& step) {
  CallScope scope(*this);
  run_step(step, 1, 1);
}

std::vector<Step> Runner::upgrade(std::string_view target) {
  CallScope scope(*this);
  auto heads = read_version_table();
  check_known(heads);
  std::vector<Step> steps = history_.graph().plan_upgrade(heads, target);
  int i = 0;
  for (const auto& s : steps) run_step(s, ++i, static_cast<int>(steps.size()));
  return steps;
}

std::vector<Step> Runner::downgrade(std::string_view target) {
  CallScope scope(*this);
  auto heads = read_version_table();
  check_known(heads);
  std::vector<Step> steps = history_.graph().plan_downgrade(heads, target);
  // Refuse before running anything: a downgrade never stops half-way at an irreversible revision.
  for (const auto& s : steps) {
    const RevisionScript& script = history_.script(s.revision);
    if (!script.revision.reversible || script.down.empty()) {
      bool blocked_first = &s == &steps.front();
      throw usage_error(fmt::format(
          "cannot downgrade {}: revision {}{} is irreversible (it has no down section); "
          "nothing was run, the database stays at {}",
          blocked_first ? "it" : "through it", s.revision,
          script.revision.file.empty() ? "" : fmt::format(" ({})", script.revision.file), heads_text(heads)));
    }
  }
  int i = 0;
  for (const auto& s : steps) run_step(s, ++i, static_cast<int>(steps.size()));
  return steps;
}

void Runner::stamp(std::string_view target) {
  CallScope scope(*this);
  auto heads = read_version_table();
  std::vector<std::string> to = history_.graph().resolve_heads(heads, target);
  Transaction tx(connection_, true);
  write_version_table(heads, to);
  tx.commit();
  known_ = to;
  log({RunEvent::Kind::notice, fmt::format("Stamped {}", arrow(heads, to)), {}, 0, 0, 0});
}

std::vector<Step> upgrade(Connection& connection, const History& history, std::string_view target,
                          RunOptions options) {
  Runner runner(connection, history, std::move(options));
  return runner.upgrade(target);
}

std::vector<Step> upgrade(std::string_view url, const std::string& migrations, std::string_view target,
                          RunOptions options) {
  auto connection = connect(url);
  History history = load_history(migrations);
  return upgrade(*connection, history, target, std::move(options));
}

}  // namespace migtest
