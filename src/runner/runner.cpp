#include "migtest/runner.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <set>

#include "backend/backend.hpp"
#include "migtest/operations.hpp"
#include "migtest/url.hpp"
#include "runner/version_table.hpp"
#include "sql_quote.hpp"

namespace migtest {

namespace {

using detail::heads_text;

std::string arrow(const std::vector<std::string>& from, const std::vector<std::string>& to) {
  return fmt::format("{} -> {}", heads_text(from), heads_text(to));
}

const char* verb(Direction d) { return d == Direction::up ? "upgrade" : "downgrade"; }

bool contains(const std::vector<std::string>& ids, std::string_view id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

// "versions/x.sql" or "C++ revision x": what to name when a revision's content is meant.
std::string origin(const Revision& r) {
  return r.file.empty() ? fmt::format("C++ revision {}", r.id) : r.file;
}

std::string short_sum(const std::string& checksum) {
  return checksum.empty() ? std::string("(none)") : checksum.substr(0, 12);
}

// Why a run stopped, for the dirty row of a revision run outside a transaction.
}  // namespace

struct Runner::Failure {
  int statement = 0;  // 1-based; 0 in C++ code
  std::string message;
};

const char* to_string(IntegrityProblem::Kind kind) {
  switch (kind) {
    case IntegrityProblem::Kind::edited:
      return "edited";
    case IntegrityProblem::Kind::missing:
      return "missing";
    case IntegrityProblem::Kind::dirty:
      return "dirty";
    case IntegrityProblem::Kind::out_of_order:
      return "out_of_order";
    case IntegrityProblem::Kind::unrecorded:
      return "unrecorded";
  }
  return "?";
}

std::string AppliedRevision::dirty_text() const {
  if (!dirty) return "";
  const char* what = verb(*dirty);
  if (dirty_error.empty()) {
    return fmt::format(
        "its {} started{} outside a transaction and did not finish (was the process killed?)", what,
        applied_at.empty() ? "" : " at " + applied_at);
  }
  std::string where =
      dirty_statement > 0 ? fmt::format(" at statement {}", dirty_statement) : std::string();
  return fmt::format("its {} failed{} outside a transaction: {}", what, where, dirty_error);
}

bool AppliedRevision::operator==(const AppliedRevision& o) const {
  return revision == o.revision && checksum == o.checksum && applied_at == o.applied_at &&
         head == o.head && dirty == o.dirty && dirty_statement == o.dirty_statement &&
         dirty_error == o.dirty_error;
}

integrity_error::integrity_error(std::vector<IntegrityProblem> problems)
    : error(problems.empty()
                ? std::string("the version table disagrees with the history")
                : problems.front().message +
                      (problems.size() > 1
                           ? fmt::format(" (and {} more problem{}: migtest validate lists them)",
                                         problems.size() - 1, problems.size() > 2 ? "s" : "")
                           : std::string())),
      problems_(std::move(problems)) {}

// hold_lock()'s lock: the one connection lock, under the name runner.hpp declares.
class Runner::Lock : public detail::ConnectionLock {
  using ConnectionLock::ConnectionLock;
};

// The version table and, while this runner holds the lock, what it holds: read once per call
// (once per hold_lock()), then kept in step with what the runner writes.
struct Runner::Ledger {
  Ledger(Connection& c, std::string name) : table(c, std::move(name)) {}
  detail::VersionTable table;
  bool known = false;
  std::map<std::string, AppliedRevision, std::less<>> rows;
  std::vector<std::string> heads;  // sorted
};

Runner::Runner(Connection& connection, const History& history, RunOptions options)
    : connection_(connection),
      history_(history),
      options_(std::move(options)),
      ledger_(std::make_unique<Ledger>(connection, options_.version_table)) {
  // Every section parses for this dialect before anything runs (an unclosed $$ in a
  // generic section is only an error on PostgreSQL).
  history_.check(connection_.dialect());
}

Runner::~Runner() = default;
Runner::Runner(Runner&& other) noexcept = default;

void Runner::hold_lock() {
  if (!held_)
    held_ = std::make_unique<Lock>(connection_, "migtest:" + options_.version_table,
                                   options_.lock_timeout_ms);
}

// The lock for one call that writes (none while hold_lock() holds it; none for a call that
// only reads). The version table is known without reading it only while a lock is held: a
// call forgets it when it ends.
class Runner::CallScope {
 public:
  CallScope(Runner& r, bool writes) : r_(r) {
    if (!r.held_ && writes)
      lock_.emplace(r.connection_, "migtest:" + r.options_.version_table,
                    r.options_.lock_timeout_ms);
  }
  ~CallScope() {
    if (!r_.held_) r_.ledger_->known = false;
  }
  CallScope(const CallScope&) = delete;
  CallScope& operator=(const CallScope&) = delete;

 private:
  Runner& r_;
  std::optional<detail::ConnectionLock> lock_;
};

void Runner::log(RunEvent event) const {
  if (options_.log) options_.log(event);
}

Runner::Ledger& Runner::ledger() {
  Ledger& l = *ledger_;
  if (l.known) return l;
  l.rows.clear();
  l.heads.clear();
  for (auto& r : l.table.read()) {
    if (r.head) l.heads.push_back(r.revision);
    l.rows.emplace(r.revision, std::move(r));
  }
  std::sort(l.heads.begin(), l.heads.end());
  l.known = true;
  return l;
}

// Creates the table or upgrades a legacy one, then reads it again: called once a command
// knows it will write, so that a refused command writes nothing.
void Runner::prepare_table() {
  Ledger& l = *ledger_;
  if (l.table.shape() == detail::VersionTable::Shape::current) return;
  l.table.prepare(history_.graph());
  l.known = false;
  ledger();
}

namespace {

// Every way `rows` disagree with `history`, in the history's order (revisions it does not
// define last). `legacy`: a table that recorded only its heads, so neither checksums nor gaps
// below the heads can be known.
using Rows = std::map<std::string, AppliedRevision, std::less<>>;

IntegrityProblem row_problem(const RevisionScript& script, const AppliedRevision& row) {
  const std::string& id = script.revision.id;
  if (row.dirty) {
    return {
        IntegrityProblem::Kind::dirty,
        id,
        script.revision.file,
        "",
        "",
        fmt::format(
            "revision {} ({}) is dirty: {}; check the database, then run `migtest repair --applied "
            "{}` or `migtest repair --not-applied {}`",
            id, origin(script.revision), row.dirty_text(), id, id)};
  }
  const bool code = script.revision.file.empty();
  return {
      IntegrityProblem::Kind::edited,
      id,
      script.revision.file,
      row.checksum,
      script.checksum,
      fmt::format(
          "{} was applied with checksum {}, {} now has {}: an applied revision was edited (migtest "
          "validate lists every problem; migtest repair records the new checksum)",
          origin(script.revision), short_sum(row.checksum), code ? "its code" : "the file",
          short_sum(script.checksum))};
}

IntegrityProblem unrecorded_problem(const std::vector<std::string>& ids, bool legacy) {
  if (legacy) {
    return {IntegrityProblem::Kind::unrecorded,
            ids.empty() ? "" : ids.front(),
            "",
            "",
            "",
            "the version table was written by migtest 0.1 and records no checksums: the next "
            "upgrade, downgrade, "
            "stamp or repair upgrades it in place"};
  }
  return {IntegrityProblem::Kind::unrecorded,
          ids.front(),
          "",
          "",
          "",
          fmt::format("{} applied revision{} no recorded checksum ({}{}): migtest repair records "
                      "the current ones",
                      ids.size(), ids.size() == 1 ? " has" : "s have", ids.front(),
                      ids.size() > 1 ? ", ..." : "")};
}

std::vector<IntegrityProblem> find_problems(const History& history, const Rows& rows,
                                            const std::vector<std::string>& heads, bool legacy) {
  const RevisionGraph& g = history.graph();
  std::vector<std::string> known_heads;
  for (const auto& h : heads) {
    if (g.contains(h)) known_heads.push_back(h);
  }
  // What the heads stand for: a revision in it without a row was never applied.
  std::set<std::string> below;
  if (!legacy) {
    for (auto& id : g.applied(known_heads)) below.insert(std::move(id));
  }
  std::vector<IntegrityProblem> out;
  std::vector<std::string> unrecorded;
  for (const auto& id : g.topological_order()) {
    auto it = rows.find(id);
    if (it == rows.end()) {
      if (!below.count(id)) continue;
      const Revision& r = g.get(id);
      std::string above;
      for (const auto& h : known_heads) {
        if (g.is_ancestor(id, h)) above = h;
      }
      out.push_back(
          {IntegrityProblem::Kind::out_of_order, id, r.file, "", "",
           fmt::format(
               "revision {} ({}) was never applied, but {} above it was: run `migtest upgrade "
               "--out-of-order` to apply it, or give it a version above the head",
               id, origin(r), above)});
    } else if (!it->second.dirty && !legacy && it->second.checksum.empty()) {
      unrecorded.push_back(id);
    } else if (it->second.dirty ||
               (!legacy && it->second.checksum != history.script(id).checksum)) {
      out.push_back(row_problem(history.script(id), it->second));
    }
  }
  for (const auto& [id, row] : rows) {
    if (g.contains(id)) continue;
    out.push_back(
        {IntegrityProblem::Kind::missing, id, "", row.checksum, "",
         fmt::format(
             "the database {} {}, which no revision defines (was its file deleted or renamed, or "
             "is --migrations the wrong history?)",
             row.head ? "is at" : "records as applied", id)});
  }
  if (legacy || !unrecorded.empty())
    out.push_back(unrecorded_problem(legacy ? heads : unrecorded, legacy));
  return out;
}

}  // namespace

std::vector<IntegrityProblem> Runner::validate() {
  CallScope scope(*this, false);
  Ledger& l = ledger();
  return find_problems(history_, l.rows, l.heads,
                       l.table.shape() == detail::VersionTable::Shape::legacy);
}

// Refuses (integrity_error) what a command that migrates must not run over. Out-of-order
// revisions stop an upgrade unless RunOptions::out_of_order runs them; a downgrade checks its
// own plan instead.
void Runner::require_valid(bool upgrading) {
  Ledger& l = ledger();
  std::vector<IntegrityProblem> blocking;
  for (auto& p : find_problems(history_, l.rows, l.heads,
                               l.table.shape() == detail::VersionTable::Shape::legacy)) {
    if (!p.blocking()) continue;
    if (p.kind == IntegrityProblem::Kind::out_of_order && (options_.out_of_order || !upgrading))
      continue;
    blocking.push_back(std::move(p));
  }
  if (!blocking.empty()) throw integrity_error(std::move(blocking));
}

std::vector<std::string> Runner::current() {
  CallScope scope(*this, false);
  return ledger().heads;
}

std::vector<AppliedRevision> Runner::applied() {
  CallScope scope(*this, false);
  Ledger& l = ledger();
  std::vector<AppliedRevision> out;
  for (const auto& id : history_.graph().topological_order()) {
    if (auto it = l.rows.find(id); it != l.rows.end()) out.push_back(it->second);
  }
  for (const auto& [id, row] : l.rows) {
    if (!history_.graph().contains(id)) out.push_back(row);
  }
  return out;
}

std::vector<Step> Runner::plan_upgrade(std::string_view target) {
  CallScope scope(*this, false);
  require_valid(true);
  std::vector<Step> steps = out_of_order_steps();
  for (auto& s : history_.graph().plan_upgrade(ledger().heads, target))
    steps.push_back(std::move(s));
  return steps;
}

std::vector<Step> Runner::plan_downgrade(std::string_view target) {
  CallScope scope(*this, false);
  require_valid(false);
  return history_.graph().plan_downgrade(ledger().heads, target);
}

// With RunOptions::out_of_order: the revisions below the heads that were never applied,
// oldest first.
std::vector<Step> Runner::out_of_order_steps() {
  Ledger& l = ledger();
  std::vector<Step> out;
  if (!options_.out_of_order || l.table.shape() != detail::VersionTable::Shape::current) return out;
  for (const auto& id : history_.graph().applied(l.heads)) {
    if (!l.rows.count(id)) out.push_back({id, Direction::up});
  }
  return out;
}

AppliedRevision Runner::new_row(const RevisionScript& script) const {
  AppliedRevision row;
  row.revision = script.revision.id;
  row.checksum = script.checksum;
  row.applied_at = detail::utc_now();
  return row;
}

void Runner::run_body(const Step& step, const RevisionScript& script,
                      const std::vector<Statement>& statements, bool transactional,
                      Failure* failure) {
  const Revision& rev = script.revision;
  const RevisionBody& body = step.direction == Direction::up ? script.up : script.down;
  // Called from a catch block: the exception being handled becomes the cause.
  auto fail = [&](const std::string& db_text, int line, const std::string& code,
                  const std::string& statement, int index) {
    if (failure) *failure = {index, db_text};
    error_fields fields{{body.file.empty() ? rev.file : body.file, line, rev.id},
                        code,
                        statement,
                        std::current_exception()};
    std::string msg =
        fmt::format("{} of {} failed: {}", verb(step.direction), fields.where.describe(), db_text);
    if (!statement.empty()) msg += fmt::format(" in: {}", detail::shorten(statement));
    msg += transactional ? "; the revision was rolled back and the database is unchanged"
                         : "; the revision runs outside a transaction and may be partly applied: "
                           "the version table marks "
                           "it dirty until `migtest repair` records what the database holds";
    throw migration_error(msg, std::move(fields), !transactional);
  };

  if (body.code) {
    Operations op(connection_);
    try {
      body.code(op);
    } catch (const database_error& e) {
      fail(fmt::format("{} [{}]", e.db_message(), e.code()), 0, e.code(), e.statement(), 0);
    } catch (const migration_error&) {
      throw;
    } catch (const connection_error&) {
      throw;
    } catch (const std::exception& e) {
      fail(e.what(), 0, "", "", 0);
    }
    return;
  }
  int index = 0;
  for (const Statement& st : statements) {
    ++index;
    if (options_.log_statements) {
      log({RunEvent::Kind::statement, st.sql, step, 0, 0, 0});
    }
    try {
      connection_.execute(st.sql);
    } catch (const database_error& e) {
      fail(fmt::format("{} [{}]", e.db_message(), e.code()), st.line, e.code(), st.sql, index);
    }
  }
}

// The caller's check inside the revision's transaction: whatever it throws rolls the
// revision back (the caller's Transaction) and fails the step as a statement would.
void Runner::run_before_commit(const Step& step, const RevisionScript& script) {
  try {
    options_.before_commit(connection_, step);
  } catch (const migration_error&) {
    throw;
  } catch (const connection_error&) {
    throw;
  } catch (const std::exception& e) {
    const Revision& rev = script.revision;
    error_fields fields{{rev.file, 0, rev.id}, "", "", std::current_exception()};
    if (const auto* db = dynamic_cast<const database_error*>(&e)) fields.code = db->code();
    const std::string msg = fmt::format(
        "{} of {} failed in before_commit: {}; the revision was rolled back and the "
        "database is unchanged",
        verb(step.direction), fields.where.describe(), e.what());
    throw migration_error(msg, std::move(fields), false);
  }
}

// Outside a transaction the database may keep part of a revision: the version table says so
// before the first statement runs (so that even a kill leaves it dirty), and is cleaned only
// when the last one has run.
void Runner::run_outside_transaction(const Step& step, const RevisionScript& script,
                                     const std::vector<Statement>& statements,
                                     const AppliedRevision& row) {
  Ledger& l = ledger();
  const std::string& id = script.revision.id;
  l.table.mark_started(row, step.direction);
  Failure failure;
  try {
    run_body(step, script, statements, false, &failure);
  } catch (const migration_error&) {
    try {
      l.table.mark_failed(id, failure.statement, failure.message);
    } catch (...) {
      // The row already says the run did not finish; the error below is the one to show.
    }
    l.known = false;
    throw;
  } catch (...) {
    l.known = false;
    throw;
  }
}

void Runner::run_step(const Step& step, int position, int total, bool out_of_order) {
  const RevisionScript& script = history_.script(step.revision);
  const Revision& rev = script.revision;
  const RevisionBody& body = step.direction == Direction::up ? script.up : script.down;
  Ledger& l = ledger();
  const std::vector<std::string> before = l.heads;
  // A revision applied out of order sits below the heads: they stay as they are.
  const std::vector<std::string> after =
      out_of_order ? before : history_.graph().after(before, step);
  log({RunEvent::Kind::revision_started,
       fmt::format("Running {}{} {}, {}", verb(step.direction),
                   out_of_order ? " (out of order)" : "",
                   out_of_order ? rev.id : arrow(before, after), rev.message),
       step, position, total, 0});
  auto t0 = std::chrono::steady_clock::now();

  // A file that writes its own BEGIN/COMMIT must not be wrapped in another transaction.
  const std::vector<Statement> statements =
      body.code ? std::vector<Statement>{} : body.statements(connection_.dialect());
  bool transactional =
      rev.transactional && !(body.code == nullptr && manages_own_transaction(statements));
  const AppliedRevision row = new_row(script);
  if (!transactional) run_outside_transaction(step, script, statements, row);
  {
    // IMMEDIATE: on SQLite the write lock is taken now, so a concurrent writer waits
    // on the busy timeout instead of failing half-way.
    Transaction tx(connection_, TransactionMode::immediate);
    if (transactional) run_body(step, script, statements, true);
    if (step.direction == Direction::down) {
      l.table.record_down(rev.id, before, after);
    } else if (transactional) {
      l.table.record_up(row, before, after);
    } else {
      l.table.finish_up(rev.id, before, after);
    }
    if (transactional && options_.before_commit) run_before_commit(step, script);
    tx.commit();
  }
  if (step.direction == Direction::up) {
    l.rows[rev.id] = row;
  } else {
    l.rows.erase(rev.id);
  }
  for (auto& id : before) {
    if (auto it = l.rows.find(id); it != l.rows.end()) it->second.head = false;
  }
  for (auto& id : after) {
    if (auto it = l.rows.find(id); it != l.rows.end()) it->second.head = true;
  }
  l.heads = after;
  double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  log({RunEvent::Kind::revision_finished, "", step, position, total, ms});
}

void Runner::ensure_version_table() {
  CallScope scope(*this, true);
  prepare_table();
}

void Runner::apply(const Step& step) {
  CallScope scope(*this, true);
  prepare_table();
  run_step(step, 1, 1, false);
}

std::vector<Step> Runner::upgrade(std::string_view target) {
  CallScope scope(*this, true);
  require_valid(true);
  const std::vector<Step> early = out_of_order_steps();
  std::vector<Step> steps = history_.graph().plan_upgrade(ledger().heads, target);
  if (early.empty() && steps.empty()) return {};
  prepare_table();
  const int total = static_cast<int>(early.size() + steps.size());
  int i = 0;
  for (const auto& s : early) run_step(s, ++i, total, true);
  for (const auto& s : steps) run_step(s, ++i, total, false);
  steps.insert(steps.begin(), early.begin(), early.end());
  return steps;
}

std::vector<Step> Runner::downgrade(std::string_view target) {
  CallScope scope(*this, true);
  require_valid(false);
  Ledger& l = ledger();
  const std::vector<std::string> heads = l.heads;
  std::vector<Step> steps = history_.graph().plan_downgrade(heads, target);
  const bool legacy = l.table.shape() == detail::VersionTable::Shape::legacy;
  // Refuse before running anything: a downgrade never stops half-way at an irreversible revision,
  // and never runs the down of a revision that was never applied.
  for (const auto& s : steps) {
    const RevisionScript& script = history_.script(s.revision);
    const bool first = &s == &steps.front();
    if (!script.revision.reversible || script.down.empty()) {
      throw target_error(
          fmt::format(
              "cannot downgrade {}: revision {}{} is irreversible (it has no down section); "
              "nothing was run, the database stays at {}",
              first ? "it" : "through it", s.revision,
              script.revision.file.empty() ? "" : fmt::format(" ({})", script.revision.file),
              heads_text(heads)),
          {s.revision});
    }
    if (!legacy && !l.rows.count(s.revision)) {
      throw target_error(
          fmt::format("cannot downgrade through revision {} ({}): it was never applied (it is "
                      "older than revisions that were); apply it with `migtest upgrade "
                      "--out-of-order` first, or record it with `migtest repair --applied {}`; "
                      "nothing was run",
                      s.revision, origin(script.revision), s.revision),
          {s.revision});
    }
  }
  if (steps.empty()) return {};
  prepare_table();
  int i = 0;
  for (const auto& s : steps) run_step(s, ++i, static_cast<int>(steps.size()), false);
  return steps;
}

namespace {
// The rows a database at `heads` has: `kept` rows stay as they are, others are new.
std::vector<AppliedRevision> rows_for(
    const History& history, const std::vector<std::string>& heads,
    const std::map<std::string, AppliedRevision, std::less<>>& kept) {
  std::vector<AppliedRevision> out;
  for (const auto& id : history.graph().applied(heads)) {
    AppliedRevision row;
    if (auto it = kept.find(id); it != kept.end() && !it->second.dirty) {
      row = it->second;
    } else {
      row.revision = id;
      row.checksum = history.script(id).checksum;
      row.applied_at = detail::utc_now();
    }
    row.head = contains(heads, id);
    out.push_back(std::move(row));
  }
  return out;
}
}  // namespace

void Runner::stamp(std::string_view target) {
  CallScope scope(*this, true);
  std::vector<IntegrityProblem> blocking;
  Ledger& now = ledger();
  for (auto& p : find_problems(history_, now.rows, now.heads,
                               now.table.shape() == detail::VersionTable::Shape::legacy)) {
    if (p.kind == IntegrityProblem::Kind::dirty || p.kind == IntegrityProblem::Kind::missing) {
      blocking.push_back(std::move(p));
    }
  }
  if (!blocking.empty()) throw integrity_error(std::move(blocking));
  const std::vector<std::string> heads = ledger().heads;
  std::vector<std::string> to = history_.graph().resolve_heads(heads, target);
  prepare_table();
  Ledger& l = ledger();
  std::vector<AppliedRevision> rows = rows_for(history_, to, l.rows);
  Transaction tx(connection_, TransactionMode::immediate);
  l.table.replace(rows);
  tx.commit();
  l.known = false;
  log({RunEvent::Kind::notice, fmt::format("Stamped {}", arrow(heads, to)), {}, 0, 0, 0});
}

std::vector<std::string> Runner::repair() {
  CallScope scope(*this, true);
  prepare_table();
  Ledger& l = ledger();
  std::vector<std::string> done;
  Transaction tx(connection_, TransactionMode::immediate);
  for (const auto& [id, row] : l.rows) {
    if (row.dirty || !history_.graph().contains(id)) continue;
    const RevisionScript& script = history_.script(id);
    if (row.checksum == script.checksum) continue;
    l.table.set_checksum(id, script.checksum);
    done.push_back(row.checksum.empty()
                       ? fmt::format("recorded checksum {} for {}", short_sum(script.checksum),
                                     origin(script.revision))
                       : fmt::format("re-recorded checksum of {}: {} -> {}",
                                     origin(script.revision), short_sum(row.checksum),
                                     short_sum(script.checksum)));
  }
  tx.commit();
  l.known = false;
  return done;
}

// The rows with `changed` in place of (or without) its row, heads recomputed from the graph
// for the revisions it knows (rows it does not know keep their flag).
void Runner::rewrite_rows(std::map<std::string, AppliedRevision, std::less<>> rows) {
  Ledger& l = ledger();
  std::vector<std::string> known;
  for (const auto& [id, row] : rows) {
    if (history_.graph().contains(id) && !(row.dirty && *row.dirty == Direction::up))
      known.push_back(id);
  }
  const std::vector<std::string> heads = history_.graph().heads_of(known);
  std::vector<AppliedRevision> out;
  for (auto& [id, row] : rows) {
    if (history_.graph().contains(id))
      row.head = contains(heads, id) && !(row.dirty && *row.dirty == Direction::up);
    out.push_back(row);
  }
  Transaction tx(connection_, TransactionMode::immediate);
  l.table.replace(out);
  tx.commit();
  l.known = false;
}

std::string Runner::mark_applied(std::string_view revision) {
  CallScope scope(*this, true);
  const RevisionScript& script = history_.script(revision);
  const std::string id = script.revision.id;
  prepare_table();
  auto rows = ledger().rows;
  auto it = rows.find(id);
  if (it != rows.end() && !it->second.dirty)
    return fmt::format("{} is already recorded as applied", id);
  const std::string was =
      it == rows.end() ? "never applied" : "dirty (" + it->second.dirty_text() + ")";
  AppliedRevision row = new_row(script);
  rows[id] = row;
  rewrite_rows(std::move(rows));
  return fmt::format("recorded {} ({}) as applied; it was {}", id, origin(script.revision), was);
}

std::string Runner::mark_not_applied(std::string_view revision) {
  CallScope scope(*this, true);
  prepare_table();
  auto rows = ledger().rows;
  // A row no revision defines any more can be removed too: match it by its exact id first.
  std::string id(revision);
  if (!rows.count(id)) id = history_.graph().get(revision).id;
  auto it = rows.find(id);
  if (it == rows.end()) return fmt::format("{} is not recorded as applied", id);
  const std::string was = it->second.dirty ? "dirty (" + it->second.dirty_text() + ")" : "applied";
  rows.erase(it);
  rewrite_rows(std::move(rows));
  return fmt::format("removed {} from the version table; it was {}", id, was);
}

std::vector<Step> upgrade(Connection& connection, const History& history, std::string_view target,
                          RunOptions options) {
  Runner runner(connection, history, std::move(options));
  return runner.upgrade(target);
}

std::vector<Step> upgrade(std::string_view url, const std::string& migrations,
                          std::string_view target, RunOptions options) {
  History history = load_history(migrations);
  // A SQLite file that is not there yet is created only when there is something to run.
  const DatabaseUrl u = parse_url(url);
  if (u.names_missing_file()) {
    history.check(u.dialect);
    if (history.graph().plan_upgrade({}, target).empty()) return {};
  }
  auto connection = connect(url);
  return upgrade(*connection, history, target, std::move(options));
}

}  // namespace migtest
