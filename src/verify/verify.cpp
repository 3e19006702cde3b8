// The verification walk: base to head once, in topological order. Each revision is upgraded,
// reflected, downgraded, reflected, upgraded again and reflected; the schema before the
// revision is the one kept from the previous step, so each state is reflected once and the
// cost grows linearly with the history. A failure that leaves the database where no deploy
// would moves the walk to a fresh database brought to where it stood, and the walk goes on.
#include "migtest/verify.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <set>

#include "diff/line_diff.hpp"
#include "migtest/dialect.hpp"
#include "migtest/metadata.hpp"
#include "migtest/runner.hpp"
#include "sql_quote.hpp"
#include "strings.hpp"
#include "verify/scratch.hpp"
#include "verify/snapshot.hpp"

namespace migtest {

// ---------------------------------------------------------------------------
// Names

std::string_view to_string(Check check) {
  switch (check) {
    case Check::single_head:
      return "single_head";
    case Check::upgrade:
      return "upgrade";
    case Check::round_trip:
      return "round_trip";
    case Check::data:
      return "data";
    case Check::lint:
      return "lint";
    case Check::full_cycle:
      return "full_cycle";
    case Check::model_match:
      return "model_match";
  }
  return "?";
}

const std::vector<Check>& all_checks() {
  static const std::vector<Check> checks = {Check::single_head, Check::upgrade, Check::round_trip,
                                            Check::data,        Check::lint,    Check::full_cycle,
                                            Check::model_match};
  return checks;
}

Check parse_check(std::string_view name) {
  std::string n(name);
  std::replace(n.begin(), n.end(), '-', '_');
  for (Check c : all_checks()) {
    if (to_string(c) == n) return c;
  }
  std::string names;
  for (Check c : all_checks()) names += (names.empty() ? "" : ", ") + std::string(to_string(c));
  throw config_error(fmt::format("unknown check '{}' (checks: {})", name, names));
}

std::string_view to_string(Status status) {
  switch (status) {
    case Status::ok:
      return "ok";
    case Status::failed:
      return "failed";
    case Status::warning:
      return "warning";
    case Status::skipped:
      return "skipped";
  }
  return "?";
}

std::string_view to_string(SkipReason reason) {
  switch (reason) {
    case SkipReason::none:
      return "none";
    case SkipReason::not_selected:
      return "not_selected";
    case SkipReason::skip_list:
      return "skip_list";
    case SkipReason::floor:
      return "floor";
    case SkipReason::irreversible:
      return "irreversible";
    case SkipReason::no_downgrade:
      return "no_downgrade";
    case SkipReason::not_run:
      return "not_run";
    case SkipReason::nothing:
      return "nothing";
  }
  return "?";
}

// ---------------------------------------------------------------------------
// Results

const CheckResult* RevisionResult::find(Check check) const {
  for (const auto& c : checks) {
    if (c.check == check) return &c;
  }
  return nullptr;
}

Status RevisionResult::status() const {
  bool warned = false, all_skipped = !checks.empty();
  for (const auto& c : checks) {
    if (c.status == Status::failed) return Status::failed;
    warned = warned || c.status == Status::warning;
    all_skipped = all_skipped && c.status == Status::skipped;
  }
  if (warned) return Status::warning;
  return all_skipped ? Status::skipped : Status::ok;
}

std::size_t VerifyReport::failed_revisions() const {
  return static_cast<std::size_t>(
      std::count_if(revisions.begin(), revisions.end(),
                    [](const RevisionResult& r) { return r.status() == Status::failed; }));
}

std::size_t VerifyReport::failed_history_checks() const {
  return static_cast<std::size_t>(
      std::count_if(history.begin(), history.end(),
                    [](const CheckResult& c) { return c.status == Status::failed; }));
}

const RevisionResult* VerifyReport::find(std::string_view revision_id) const {
  for (const auto& r : revisions) {
    if (r.revision.id == revision_id) return &r;
  }
  return nullptr;
}

const CheckResult* VerifyReport::find(Check history_check) const {
  for (const auto& c : history) {
    if (c.check == history_check) return &c;
  }
  return nullptr;
}

// ---------------------------------------------------------------------------
// The walk

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

CheckResult result(Check check, Status status, std::string summary = "") {
  CheckResult r;
  r.check = check;
  r.status = status;
  r.summary = std::move(summary);
  return r;
}

CheckResult skip(Check check, SkipReason why, std::string summary) {
  CheckResult r = result(check, Status::skipped, std::move(summary));
  r.skip_reason = why;
  return r;
}

// A row as compared (values as text, NULL apart) and as shown.
struct RowText {
  std::string key;
  std::string shown;
  bool operator<(const RowText& o) const { return key < o.key; }
};

std::vector<RowText> rows_of(Connection& c, const std::string& query) {
  std::vector<RowText> out;
  for (const Row& r : c.query(query).rows) {
    RowText t;
    t.shown = "(";
    for (std::size_t i = 0; i < r.size(); ++i) {
      const Value& v = r[i];
      t.key += v.is_null() ? std::string("\x01") : (v.is_blob() ? v.to_string() : v.as_text());
      t.key += '\x1f';
      t.shown += (i ? ", " : "") + v.to_string();
    }
    t.shown += ")";
    out.push_back(std::move(t));
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string list_rows(const std::vector<RowText>& rows) {
  std::string out;
  std::size_t shown = std::min<std::size_t>(rows.size(), 5);
  for (std::size_t i = 0; i < shown; ++i) out += (i ? ", " : "") + rows[i].shown;
  if (rows.size() > shown) out += fmt::format(" and {} more", rows.size() - shown);
  return out;
}

// A seed resolved against the history: where it is planted and up to where it is checked.
struct SeedSpan {
  const Seed* seed = nullptr;
  std::string revision;   // resolved id
  std::size_t at = 0;     // index of its revision in the walk
  std::size_t until = 0;  // last index at which it is checked
};

struct ActiveSeed : SeedSpan {
  std::vector<RowText> expected;
  bool planted = false;

  explicit ActiveSeed(const SeedSpan& span) : SeedSpan(span) {}
  std::string label() const {
    if (seed->file.empty()) return fmt::format("seed of {}", revision);
    return fmt::format("seed {}{}", seed->file,
                       seed->line > 0 ? fmt::format(":{}", seed->line - 1) : "");
  }
};

std::string heads_key(std::vector<std::string> heads) {
  std::sort(heads.begin(), heads.end());
  std::string k;
  for (const auto& h : heads) k += h + ",";
  return k;
}

std::string one_line(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return out;
}

// Fails `r` with `summary` (or adds it to the details of an earlier failure) and lists the
// differences between `actual` and `expected` when there are any; returns whether there were.
bool record_differences(CheckResult& r, const Schema& actual, const Schema& expected,
                        CompareOptions co, std::string actual_label, std::string expected_label,
                        std::string summary) {
  // Equal values differ under no options: a correct round trip, the common case, costs
  // one == (which stops at the first unequal field) instead of compare()'s maps by name.
  if (actual == expected) return false;
  co.actual_label = std::move(actual_label);
  co.expected_label = std::move(expected_label);
  std::vector<Difference> diffs = compare(actual, expected, co);
  if (diffs.empty()) return false;
  r.status = Status::failed;
  if (r.summary.empty()) {
    r.summary = std::move(summary);
  } else {
    r.details.push_back(std::move(summary));
  }
  for (const auto& d : diffs) {
    for (auto& l : detail::difference_lines(d, co.actual_label, co.expected_label))
      r.details.push_back(std::move(l));
  }
  r.differences.insert(r.differences.end(), diffs.begin(), diffs.end());
  return true;
}

// Diesel, golang-migrate, dbmate and goose run an empty down as "nothing to undo" and record
// the revision as reverted (Diesel refuses an empty down.sql outright): in those layouts an
// empty down is how a revision says it has no way back. migtest's own files say that with
// `-- migrate:down irreversible`; there an empty `-- migrate:down` is a reversible no-op.
bool empty_down_is_irreversible(const History& h) {
  const std::string& l = h.layout();
  return l == "diesel" || l == "golang-migrate" || l == "dbmate" || l == "goose";
}

// The file of a SQL revision's down script that holds no statement on `dialect` (blanks and
// comments only) while its up runs something; nullopt otherwise. A section that does not
// parse is the runner's to report.
std::optional<std::string> empty_down(const RevisionScript& s, Dialect dialect) {
  if (!s.revision.reversible || s.down.code || s.up.code || !s.down.section(dialect))
    return std::nullopt;
  try {
    if (!s.down.statements(dialect).empty()) return std::nullopt;
    if (s.up.statements(dialect).empty()) return std::nullopt;  // an empty merge
  } catch (const parse_error&) {
    return std::nullopt;
  }
  return s.down.file.empty() ? s.revision.file : s.down.file;
}

// What the history and the options decide before anything runs. The walk and plan_verify()
// (from which the gtest layer generates its cases) share it, so a case exists exactly
// where the walk checks something.
class Plan {
 public:
  Plan(const History& h, const VerifyOptions& o, Dialect dialect)
      : h_(h),
        g_(h.graph()),
        dialect_(dialect),
        irreversible_empty_(empty_down_is_irreversible(h)) {
    for (Check k : o.checks) enabled_.insert(k);
    for (const auto& s : o.skip) skip_.insert(g_.get(s).id);
    if (!o.min_downgrade.empty()) floor_ = g_.get(o.min_downgrade).id;
    const auto& order = h.scripts();
    for (std::size_t i = 0; i < order.size(); ++i) index_[order[i].revision.id] = i;
    for (const Seed& s : o.seeds) seeds_.push_back(resolve(s));
  }

  bool on(Check k) const { return enabled_.count(k) > 0; }
  bool skipped(const std::string& id) const { return skip_.count(id) > 0; }
  const std::string& floor() const { return floor_; }
  const std::vector<SeedSpan>& seeds() const { return seeds_; }

  // The result of a round trip that is not run by design; nullopt when it runs.
  std::optional<CheckResult> round_trip_skip(const RevisionScript& script) const {
    const std::string& id = script.revision.id;
    if (skipped(id))
      return skip(Check::round_trip, SkipReason::skip_list, "skipped (in the skip list)");
    if (!script.revision.reversible || script.down.empty()) {
      return skip(Check::round_trip, SkipReason::irreversible,
                  "skipped: irreversible (no down section)");
    }
    if (auto file = empty_down(script, dialect_)) {
      return skip(Check::round_trip, SkipReason::no_downgrade,
                  irreversible_empty_
                      ? fmt::format("no downgrade: {} holds no statement (irreversible)", *file)
                      : fmt::format("no downgrade: the -- migrate:down of {} holds no statement "
                                    "(a no-op on the way down)",
                                    *file));
    }
    if (!floor_.empty() && (id == floor_ || g_.is_ancestor(id, floor_))) {
      return skip(Check::round_trip, SkipReason::floor,
                  fmt::format("skipped: at or below the downgrade floor {}", floor_));
    }
    return std::nullopt;
  }

  // The way down stops above this revision (the full cycle's bottom).
  bool irreversible(const RevisionScript& s) const {
    return !s.revision.reversible || s.down.empty() ||
           (irreversible_empty_ && empty_down(s, dialect_));
  }
  // Its down runs nothing although its up changes something (migtest's own files).
  bool noop_down(const RevisionScript& s) const {
    return !irreversible_empty_ && empty_down(s, dialect_);
  }

  // A seed is checked at its own revision (planted there) and at the later ones up to until.
  bool data_at(std::size_t i) const {
    return std::any_of(seeds_.begin(), seeds_.end(),
                       [&](const SeedSpan& s) { return s.at == i || (s.at < i && i <= s.until); });
  }

 private:
  SeedSpan resolve(const Seed& s) const {
    SeedSpan a;
    a.seed = &s;
    auto where = [&] { return s.file.empty() ? std::string("a seed") : s.file; };
    try {
      a.revision = g_.get(s.revision).id;
      a.until = s.until.empty() ? h_.scripts().size() : index_.at(g_.get(s.until).id);
    } catch (const graph_error& e) {
      throw config_error(fmt::format("{}: {}", where(), e.what()));
    }
    a.at = index_.at(a.revision);
    if (s.expect.empty()) throw config_error(fmt::format("{}: no expect query", where()));
    if (s.sql.empty() && !s.code) throw config_error(fmt::format("{}: no rows to seed", where()));
    return a;
  }

  const History& h_;
  const RevisionGraph& g_;
  Dialect dialect_;
  bool irreversible_empty_;
  std::set<Check> enabled_;
  std::set<std::string> skip_;
  std::string floor_;
  std::map<std::string, std::size_t> index_;
  std::vector<SeedSpan> seeds_;
};

// A revision the database lost: its upgrade failed, or it did not upgrade again on the
// database a rebuild moved to. Every revision that needs it is not run.
struct Lost {
  std::string id;
  std::string rebuilt_on;  // "" when its first upgrade failed, else where it failed again

  std::string needed_by_text() const {
    return rebuilt_on.empty()
               ? fmt::format("it needs {}, whose upgrade failed", id)
               : fmt::format("it needs {}, which did not upgrade again on {}", id, rebuilt_on);
  }
  std::string text() const {
    return rebuilt_on.empty() ? fmt::format("the upgrade of {} failed", id)
                              : fmt::format("{} did not upgrade again on {}", id, rebuilt_on);
  }
};

// The data check of one revision as it is gathered: after its upgrade, after its round
// trip, when its own seeds are planted.
struct DataCheck {
  std::vector<std::string> problems;
  bool checked = false;
};

bool contains(const std::vector<std::string>& ids, const std::string& id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

class Walk {
 public:
  Walk(Connection& c, const History& h, const VerifyOptions& o)
      : c_(&c),
        h_(h),
        g_(h.graph()),
        o_(o),
        plan_(h, o, c.dialect()),
        reader_(o.version_table, o.incremental_reflection, o.schemas) {
    for (const SeedSpan& s : plan_.seeds()) seeds_.emplace_back(s);
  }

  VerifyReport run() {
    auto t0 = Clock::now();
    report_.dialect = db().dialect();
    new_runner();
    require_empty();

    // Known before anything runs, reported with the other history checks after the walk.
    std::optional<CheckResult> heads;
    if (on(Check::single_head)) heads = single_head();
    walk();
    if (heads) history_result(std::move(*heads));
    if (on(Check::full_cycle)) history_result(full_cycle());
    if (on(Check::model_match)) history_result(model_match());
    report_.elapsed_ms = ms_since(t0);
    return std::move(report_);
  }

 private:
  Connection& db() { return *c_; }
  bool on(Check k) const { return plan_.on(k); }
  // The schema now; the reference holds until the next read().
  const Schema& read() {
    auto t0 = Clock::now();
    const Schema& s = reader_.read(db());
    report_.reads_ms += ms_since(t0);
    return s;
  }
  void new_runner() {
    RunOptions ro;
    ro.version_table = o_.version_table;
    // Tells the reader whether the step wrote the catalogs, so that a revision of data
    // alone is not followed by a read of them.
    ro.before_commit = [this](Connection& c, const Step&) {
      if (probe_steps_) reader_.probe(c);
    };
    runner_ = std::make_unique<Runner>(db(), h_, ro);
    // The verification's database is its own: one lock for the whole walk, and the
    // version table is known without reading it at every step.
    runner_->hold_lock();
  }

  void require_empty() {
    base_schema_ = read();
    const Schema& s = base_schema_;
    bool empty = s.tables.empty() && s.views.empty() && s.sequences.empty() && s.enums.empty() &&
                 s.functions.empty();
    if (!empty || !runner_->current().empty()) {
      throw state_error(fmt::format(
          "verify needs an empty database ({} holds {}): it runs every revision from base",
          db().url(), empty ? "a version table at a revision" : "tables or other objects"));
    }
  }

  // A step of the runner; errors become the returned message.
  std::optional<std::string> step(const std::string& id, Direction d, double* ms = nullptr,
                                  bool* partial = nullptr) {
    auto t0 = Clock::now();
    struct Count {  // every exit adds the step's time
      VerifyReport& r;
      Clock::time_point t0;
      ~Count() { r.steps_ms += ms_since(t0); }
    } count{report_, t0};
    failed_at_ = {};
    reader_.step_starts();
    try {
      runner_->apply(Step{id, d});
    } catch (const migration_error& e) {
      reader_.step_ends(false);
      if (partial) *partial = e.partially_applied();
      failed_at_ = e.where();
      return one_line(e.what());
    } catch (const error& e) {
      reader_.step_ends(false);
      if (partial) *partial = true;
      return one_line(e.what());
    }
    reader_.step_ends(true);
    if (ms) *ms = ms_since(t0);
    heads_ = g_.after(heads_, Step{id, d});
    return std::nullopt;
  }

  // ---- Rebuilding after a failure

  // Where the walk stands is not where a deploy of applied_ would leave a database: it
  // goes on from one that is, noting on `note` what could not be brought there. Returns
  // whether the database holds all of applied_ again; when no empty database can be had
  // at all, the rest of the walk cannot run and aborted_ says why.
  bool rebuild_or_abort(CheckResult& note) {
    try {
      std::vector<std::pair<std::string, std::string>> lost = rebuild(applied_);
      for (const auto& [id, err] : lost) {
        note.details.push_back(fmt::format(
            "the walk goes on from {}, where {} did not upgrade again: {}", rebuilt_on_, id, err));
      }
      return lost.empty();
    } catch (const std::exception& e) {
      aborted_ = fmt::format("not run: {}", one_line(e.what()));
      note.details.push_back(fmt::format("the walk cannot go on: {}", one_line(e.what())));
      return false;
    }
  }

  // Moves to an empty database and upgrades through `applied` again, replanting their
  // seeds. A revision that does not upgrade again there is left out with what descends
  // from it (later revisions that need it are reported not run); one left partly applied
  // starts the rebuild over without it. Returns those that failed, with their errors.
  std::vector<std::pair<std::string, std::string>> rebuild(std::vector<std::string> applied) {
    std::vector<std::pair<std::string, std::string>> failed;
    for (bool again = true; again;) {
      again = false;
      ++report_.rebuilds;
      move_to_empty_database();
      std::vector<std::string> done;
      for (const auto& id : applied) {
        if (needs_lost(id)) continue;
        bool partial = false;
        if (auto err = step(id, Direction::up, nullptr, &partial)) {
          failed.emplace_back(id, *err);
          lost_.push_back({id, rebuilt_on_});
          again = partial;
          if (partial) break;
          continue;
        }
        done.push_back(id);
        replant(id);
      }
      applied_ = std::move(done);
    }
    for (auto& s : seeds_) s.planted = s.planted && contains(applied_, s.revision);
    return failed;
  }

  // A fresh database from options.fresh_database; else, or when it fails, this one emptied.
  void move_to_empty_database() {
    std::string no_fresh;
    if (o_.fresh_database) {
      try {
        std::shared_ptr<Connection> next = o_.fresh_database();
        if (!next) throw error("fresh_database gave no database");
        if (next->dialect() != db().dialect()) {
          throw error(fmt::format("fresh_database gave a {} database, not {}",
                                  to_string(next->dialect()), to_string(db().dialect())));
        }
        runner_.reset();           // its lock lives on the connection being left
        fresh_ = std::move(next);  // the previous fresh database goes here
        c_ = fresh_.get();
        rebuilt_on_ = "a new database";
        start_over();
        return;
      } catch (const std::exception& e) {
        no_fresh = one_line(e.what());
      }
    }
    try {
      wipe();
    } catch (const std::exception& e) {
      throw error(
          no_fresh.empty()
              ? fmt::format("emptying the database to rebuild it failed: {}", one_line(e.what()))
              : fmt::format("no new database ({}), and emptying this one failed: {}", no_fresh,
                            one_line(e.what())));
    }
    rebuilt_on_ = "this database emptied in place";
    start_over();
  }

  void start_over() {
    reader_ = detail::SchemaReader(o_.version_table, o_.incremental_reflection, o_.schemas);
    new_runner();
    heads_.clear();
  }

  void replant(const std::string& id) {
    for (auto& s : seeds_) {
      if (s.revision == id && s.planted) s.planted = !plant(s);
    }
  }

  bool needs_lost(const std::string& id) const {
    return std::any_of(lost_.begin(), lost_.end(),
                       [&](const Lost& l) { return l.id == id || g_.is_ancestor(l.id, id); });
  }

  // The schema where the walk stands, after a rebuild that left revisions out.
  Schema reread(Schema fallback) {
    if (!aborted_.empty()) return fallback;
    try {
      return read();
    } catch (const std::exception& e) {
      aborted_ = fmt::format("not run: the schema after a rebuild cannot be reflected: {}",
                             one_line(e.what()));
      return fallback;
    }
  }

  // The last resort when no fresh database can be had: drops what the database holds in
  // place. It cannot see what lives outside schemas (publications, event triggers, roles).
  void wipe() {
    if (db().dialect() == Dialect::sqlite) {
      bool fk = db().scalar("PRAGMA foreign_keys").as_int() != 0;
      db().execute("PRAGMA foreign_keys = OFF");
      Result objects = db().query(
          "SELECT type, name FROM main.sqlite_master WHERE type IN ('view', 'trigger', 'table') "
          "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY type = 'table', type = 'trigger'");
      for (const Row& r : objects.rows) {
        const std::string name = r[1].as_text();
        db().execute(
            fmt::format("DROP {} IF EXISTS {}", upper(r[0].as_text()), detail::quote_ident(name)));
      }
      if (db().scalar("SELECT count(*) FROM main.sqlite_master WHERE name = 'sqlite_sequence'")
              .as_int()) {
        db().execute("DELETE FROM sqlite_sequence");
      }
      if (fk) db().execute("PRAGMA foreign_keys = ON");
      return;
    }
    Result schemas = db().query(
        "SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> "
        "'information_schema'");
    for (const Row& r : schemas.rows) {
      db().execute(fmt::format("DROP SCHEMA {} CASCADE", detail::quote_ident(r[0].as_text())));
    }
    db().execute("CREATE SCHEMA public");
  }

  static std::string upper(std::string_view s) { return detail::upper(s); }

  // ---- Seeds

  std::optional<std::string> plant(ActiveSeed& s) {
    try {
      Transaction tx(db());
      if (s.seed->code) {
        s.seed->code(db());
      } else {
        for (const Statement& st : split_statements(s.seed->sql, db().dialect(),
                                                    std::max(1, s.seed->line), s.seed->file)) {
          db().execute(st.sql);
        }
      }
      tx.commit();
    } catch (const std::exception& e) {
      return fmt::format("{}: seeding failed: {}", s.label(), one_line(e.what()));
    }
    return std::nullopt;
  }

  // Compares every planted seed still in force with its rows; re-baselines after a
  // difference so each loss is reported once, at the revision that caused it.
  void check_seeds(std::size_t index, const char* when, DataCheck& data) {
    for (auto& s : seeds_) {
      if (!s.planted || s.at >= index || index > s.until) continue;
      data.checked = true;
      std::vector<RowText> now;
      try {
        now = rows_of(db(), s.seed->expect);
      } catch (const std::exception& e) {
        data.problems.push_back(
            fmt::format("{}: after {}, its query fails: {}", s.label(), when, one_line(e.what())));
        continue;
      }
      std::vector<RowText> missing, extra;
      std::set_difference(s.expected.begin(), s.expected.end(), now.begin(), now.end(),
                          std::back_inserter(missing));
      std::set_difference(now.begin(), now.end(), s.expected.begin(), s.expected.end(),
                          std::back_inserter(extra));
      if (missing.empty() && extra.empty()) continue;
      std::string text = fmt::format("{}: after {}, {} of {} rows", s.label(), when, now.size(),
                                     s.expected.size());
      if (!missing.empty()) text += fmt::format("; missing {}", list_rows(missing));
      if (!extra.empty()) text += fmt::format("; unexpected {}", list_rows(extra));
      data.problems.push_back(text);
      s.expected = std::move(now);
    }
  }

  // Plants the seeds of revision `id` and records what their queries return.
  void plant_seeds(const std::string& id, DataCheck& data) {
    for (auto& s : seeds_) {
      if (s.revision != id) continue;
      data.checked = true;
      if (auto err = plant(s)) {
        data.problems.push_back(*err);
        continue;
      }
      s.planted = true;
      try {
        s.expected = rows_of(db(), s.seed->expect);
      } catch (const std::exception& e) {
        s.planted = false;
        data.problems.push_back(fmt::format("{}: its query fails right after seeding: {}",
                                            s.label(), one_line(e.what())));
      }
    }
  }

  CheckResult data_result(DataCheck& data) {
    CheckResult d = result(Check::data, data.problems.empty() ? Status::ok : Status::failed);
    if (!data.problems.empty()) {
      d.summary = "seeded rows changed";
      d.details = std::move(data.problems);
    }
    return d;
  }

  // ---- The walk

  void history_result(CheckResult r) {
    report_.history.push_back(std::move(r));
    if (o_.on_history_check) o_.on_history_check(report_.history.back());
  }

  CheckResult single_head() {
    auto t0 = Clock::now();
    std::vector<std::string> heads = g_.heads();
    CheckResult r = result(Check::single_head, Status::ok);
    auto names = [&](const std::vector<std::string>& ids) {
      std::string out;
      for (const auto& id : ids) out += (out.empty() ? "" : ", ") + id;
      return out;
    };
    if (o_.heads.empty()) {
      if (heads.size() > 1) {
        r.status = Status::failed;
        r.summary = fmt::format("{} heads: {} (merge them, or name them with --heads)",
                                heads.size(), names(heads));
      } else {
        r.summary = heads.empty() ? "no revisions" : "one head: " + heads.front();
      }
    } else {
      std::vector<std::string> want;
      for (const auto& h : o_.heads) want.push_back(g_.get(h).id);
      std::sort(want.begin(), want.end());
      if (want != heads) {
        r.status = Status::failed;
        r.summary = fmt::format("heads are {}, expected {}", names(heads), names(want));
      } else {
        r.summary = "heads: " + names(heads);
      }
    }
    if (r.status == Status::failed) {
      for (const auto& id : heads) {
        const Revision& rev = g_.get(id);
        r.details.push_back(fmt::format("head {}: {}{}", id, rev.message,
                                        rev.file.empty() ? "" : " (" + rev.file + ")"));
      }
    }
    r.elapsed_ms = ms_since(t0);
    return r;
  }

  RevisionResult not_run(RevisionResult rr, const std::string& why) {
    for (Check k : {Check::upgrade, Check::round_trip, Check::data, Check::lint}) {
      if (on(k)) rr.checks.push_back(skip(k, SkipReason::not_run, why));
    }
    return rr;
  }

  // Why `id` cannot run: it descends from a revision the database lost.
  std::optional<std::string> blocked(const std::string& id) const {
    for (const Lost& l : lost_) {
      if (g_.is_ancestor(l.id, id)) return "not run: " + l.needed_by_text();
    }
    return std::nullopt;
  }

  void emit(RevisionResult rr, std::size_t i) {
    report_.revisions.push_back(std::move(rr));
    if (o_.on_revision) {
      o_.on_revision(report_.revisions.back(), static_cast<int>(i + 1),
                     static_cast<int>(h_.scripts().size()));
    }
  }

  void walk() {
    const auto& order = h_.scripts();
    prev_ = base_schema_;
    for (std::size_t i = 0; i < order.size(); ++i) emit(verify_revision(order[i], i), i);
    head_schema_ = prev_;
  }

  RevisionResult verify_revision(const RevisionScript& script, std::size_t i) {
    RevisionResult rr;
    rr.revision = script.revision;
    const std::string& id = script.revision.id;
    if (!aborted_.empty()) return not_run(std::move(rr), aborted_);
    if (auto why = blocked(id)) return not_run(std::move(rr), *why);
    const bool skipped = plan_.skipped(id);

    // Upgrade: always run (every later check stands on it).
    std::optional<Schema> first = upgrade(script, rr);
    if (!first) {
      if (on(Check::lint)) rr.checks.push_back(lint_check(script, skipped));
      return rr;
    }
    DataCheck data;
    if (on(Check::data) && !skipped) check_seeds(i, "its upgrade", data);
    if (on(Check::round_trip)) rr.checks.push_back(round_trip_check(script, i, *first, rr, data));
    // A rebuild may have left it out (its descendants are then not run).
    if (on(Check::data) && !skipped && aborted_.empty() && contains(applied_, id))
      plant_seeds(id, data);
    if (on(Check::data) && data.checked) {
      rr.checks.push_back(data_result(data));
    } else if (on(Check::data) && skipped) {
      rr.checks.push_back(skip(Check::data, SkipReason::skip_list, "skipped (in the skip list)"));
    }
    if (on(Check::lint)) rr.checks.push_back(lint_check(script, skipped));

    prev_ = std::move(*first);
    if (id == plan_.floor() || plan_.irreversible(script)) bottoms_[heads_key(heads_)] = prev_;
    return rr;
  }

  // The first upgrade, its result added to `rr`; the schema after it, or nullopt when the
  // walk cannot stand on it (the upgrade failed, or its schema cannot be reflected).
  std::optional<Schema> upgrade(const RevisionScript& script, RevisionResult& rr) {
    const std::string& id = script.revision.id;
    CheckResult up = result(Check::upgrade, Status::ok);
    bool partial = false;
    if (auto err = step(id, Direction::up, &rr.up_ms, &partial)) {
      up.status = Status::failed;
      up.summary = "upgrade failed";
      up.details.push_back(*err);
      up.where = blame(script, Direction::up);
      lost_.push_back({id, ""});
      // Partly applied: the walk goes on from a database without it.
      if (partial && !rebuild_or_abort(up)) prev_ = reread(prev_);
      rr.checks.push_back(std::move(up));
      for (Check k : {Check::round_trip, Check::data}) {
        if (on(k)) rr.checks.push_back(skip(k, SkipReason::not_run, "not run: the upgrade failed"));
      }
      return std::nullopt;
    }
    up.elapsed_ms = rr.up_ms;
    applied_.push_back(id);
    try {
      Schema first = read();
      if (on(Check::upgrade)) rr.checks.push_back(std::move(up));
      return first;
    } catch (const std::exception& e) {
      up.status = Status::failed;
      up.summary = "cannot reflect the schema after the upgrade";
      up.details.push_back(one_line(e.what()));
      rr.checks.push_back(std::move(up));
      aborted_ = fmt::format("not run: the schema after {} cannot be reflected", id);
      return std::nullopt;
    }
  }

  CheckResult round_trip_check(const RevisionScript& script, std::size_t i, Schema& first,
                               RevisionResult& rr, DataCheck& data) {
    if (auto skipped = plan_.round_trip_skip(script)) return *skipped;
    auto t0 = Clock::now();
    CheckResult rt = result(Check::round_trip, Status::ok);
    bool need_rebuild = round_trip(script.revision.id, first, rt, rr);
    if (on(Check::data)) check_seeds(i, "its round trip", data);
    if (need_rebuild && !rebuild_or_abort(rt)) first = reread(std::move(first));
    rt.elapsed_ms = ms_since(t0);
    return rt;
  }

  // down, compare with the schema before; up, compare with the first upgrade. Returns
  // whether the database must be rebuilt to stand where the first upgrade left it.
  bool round_trip(const std::string& id, const Schema& first, CheckResult& rt, RevisionResult& rr) {
    CompareOptions exact;
    exact.strict_names = true;
    exact.compare_column_order = true;
    auto fail = [&](std::string summary) {
      rt.status = Status::failed;
      if (rt.summary.empty()) {
        rt.summary = std::move(summary);
      } else {
        rt.details.push_back(summary);
      }
    };
    bool partial = false;
    const RevisionScript& script = h_.script(id);
    if (auto err = step(id, Direction::down, &rr.down_ms, &partial)) {
      fail("downgrade failed");
      rt.details.push_back(*err);
      rt.where = blame(script, Direction::down);
      // Rolled back, the database still stands where the first upgrade left it.
      return partial;
    }
    if (record_differences(rt, read(), prev_, exact, "after downgrade", "before upgrade",
                           "downgrade left a trace"))
      rt.where = blame(script, Direction::down);
    if (auto err = step(id, Direction::up)) {
      fail("upgrade after the downgrade failed");
      rt.details.push_back(*err);
      if (rt.where.empty()) rt.where = blame(script, Direction::up);
      return true;
    }
    bool differs = record_differences(rt, read(), first, exact, "second upgrade", "first upgrade",
                                      "the second upgrade differs from the first");
    if (differs && rt.where.empty()) rt.where = blame(script, Direction::up);
    return differs;
  }

  CheckResult lint_check(const RevisionScript& script, bool skipped) {
    if (skipped) return skip(Check::lint, SkipReason::skip_list, "skipped (in the skip list)");
    auto t0 = Clock::now();
    CheckResult r = result(Check::lint, Status::ok);
    try {
      r.warnings = lint(script, db().dialect(), o_.lint);
    } catch (const error& e) {
      r.status = Status::failed;
      r.summary = "cannot lint";
      r.details.push_back(one_line(e.what()));
      return r;
    }
    if (!r.warnings.empty()) {
      r.status = o_.lint_fails ? Status::failed : Status::warning;
      r.summary =
          fmt::format("{} lint warning{}", r.warnings.size(), r.warnings.size() == 1 ? "" : "s");
      for (const auto& w : r.warnings) r.details.push_back(w.describe());
      r.where = {r.warnings.front().file, r.warnings.front().line, script.revision.id};
    }
    r.elapsed_ms = ms_since(t0);
    return r;
  }

  // ---- History checks

  // Why the history checks that need head cannot run; nullopt when they can.
  std::optional<CheckResult> head_unreachable(Check check) const {
    if (!aborted_.empty()) return skip(check, SkipReason::not_run, aborted_);
    if (!lost_.empty()) return skip(check, SkipReason::not_run, "not run: " + lost_.front().text());
    return std::nullopt;
  }

  CheckResult full_cycle() {
    auto t0 = Clock::now();
    CheckResult r = result(Check::full_cycle, Status::ok);
    if (auto no = head_unreachable(Check::full_cycle)) return *no;
    if (h_.scripts().empty()) return skip(Check::full_cycle, SkipReason::nothing, "no revisions");
    // Every step of the cycle is read after only at its ends, and the cycle changes the
    // schema: a probe per step would cost more than it could save.
    probe_steps_ = false;
    std::string bottom = floor_or_base();
    std::vector<std::string> noops;  // empty -- migrate:down sections passed on the way down
    for (const Step& s : g_.plan_downgrade(heads_, bottom)) {
      const RevisionScript& script = h_.script(s.revision);
      if (plan_.irreversible(script)) {
        bottom = fmt::format("{} (irreversible)", s.revision);
        break;
      }
      if (plan_.noop_down(script)) noops.push_back(s.revision);
      if (auto err = step(s.revision, Direction::down)) {
        r.where = blame(script, Direction::down);
        return cycle_failed(r, fmt::format("downgrade of {} failed on the way down", s.revision),
                            *err, t0);
      }
    }
    CompareOptions co;
    co.strict_names = true;
    co.compare_column_order = true;
    auto known = heads_.empty() ? std::optional<Schema>(base_schema_) : std::nullopt;
    if (auto it = bottoms_.find(heads_key(heads_)); !known && it != bottoms_.end())
      known = it->second;
    if (known && record_differences(r, read(), *known, co, "after head -> " + bottom,
                                    "when first at " + bottom,
                                    fmt::format("the way down to {} left a trace", bottom))) {
      for (const auto& id : noops) {
        r.details.push_back(
            fmt::format("the way down went through {}, whose -- migrate:down holds no "
                        "statement: nothing was undone there",
                        id));
      }
    }
    for (const Step& s : g_.plan_upgrade(heads_, "heads")) {
      if (auto err = step(s.revision, Direction::up)) {
        r.where = blame(h_.script(s.revision), Direction::up);
        return cycle_failed(r, fmt::format("upgrade of {} failed on the way back up", s.revision),
                            *err, t0);
      }
    }
    record_differences(r, read(), head_schema_, co, "after the cycle", "first time at head",
                       fmt::format("the schema at head differs after head -> {} -> head", bottom));
    if (r.status == Status::ok) r.summary = fmt::format("head -> {} -> head", bottom);
    r.elapsed_ms = ms_since(t0);
    return r;
  }

  // Where a failure of `script` run towards `d` points: the statement the runner named,
  // else the file that ran, at its section's marker when one file holds both directions.
  source_location blame(const RevisionScript& script, Direction d) {
    if (!failed_at_.file.empty()) return failed_at_;
    const RevisionBody& body = d == Direction::up ? script.up : script.down;
    source_location at{body.file.empty() ? script.revision.file : body.file, 1, script.revision.id};
    if (at.file.empty()) return {};  // C++ code
    if (const SqlSection* s = body.section(db().dialect())) {
      at.line = std::max(1, script.up.file == script.down.file ? s->first_line - 1 : 1);
    }
    return at;
  }

  std::string floor_or_base() const { return plan_.floor().empty() ? "base" : plan_.floor(); }

  // A step that failed on the way; a trace found at the bottom before it stays the summary.
  static CheckResult cycle_failed(CheckResult r, std::string summary, std::string error,
                                  Clock::time_point t0) {
    if (r.status == Status::failed) {
      r.details.push_back(std::move(summary));
    } else {
      r.status = Status::failed;
      r.summary = std::move(summary);
    }
    r.details.push_back(std::move(error));
    r.elapsed_ms = ms_since(t0);
    return r;
  }

  CheckResult model_match() {
    auto t0 = Clock::now();
    if (!o_.metadata) return skip(Check::model_match, SkipReason::nothing, "no models given");
    if (auto no = head_unreachable(Check::model_match)) return *no;
    CheckResult r = result(Check::model_match, Status::ok, "the schema at head matches the models");
    std::vector<Difference> diffs;
    try {
      diffs = compare(head_schema_, expected_schema(*o_.metadata, db()), o_.compare);
    } catch (const error& e) {
      r.status = Status::failed;
      r.summary = "cannot compare with the models";
      r.details.push_back(one_line(e.what()));
      return r;
    }
    if (!diffs.empty()) {
      r.status = Status::failed;
      r.summary = "the schema at head differs from the models";
      for (const auto& d : diffs)
        for (auto& l :
             detail::difference_lines(d, o_.compare.actual_label, o_.compare.expected_label))
          r.details.push_back(std::move(l));
      r.differences = std::move(diffs);
    }
    r.elapsed_ms = ms_since(t0);
    return r;
  }

  Connection* c_;  // the database the walk stands on
  // Owns the database once the walk has moved to a fresh one. Declared before runner_, so
  // the runner's lock on it is released before it goes.
  std::shared_ptr<Connection> fresh_;
  const History& h_;
  const RevisionGraph& g_;
  const VerifyOptions& o_;
  Plan plan_;
  detail::SchemaReader reader_;
  std::unique_ptr<Runner> runner_;
  std::vector<ActiveSeed> seeds_;
  VerifyReport report_;
  Schema base_schema_, prev_, head_schema_;
  std::map<std::string, Schema> bottoms_;  // version-table heads -> schema (floor, irreversible)
  std::vector<std::string> heads_;         // the version table, as the walk left it
  std::vector<std::string> applied_;       // upgraded revisions, in order
  std::vector<Lost> lost_;                 // revisions the database lost, in order
  std::string rebuilt_on_;                 // where the last rebuild went: for messages
  std::string aborted_;
  bool probe_steps_ = true;    // off from the full cycle on
  source_location failed_at_;  // where the last step() that failed says it failed
};

}  // namespace

VerifyReport verify(Connection& connection, const History& history, const VerifyOptions& options) {
  return Walk(connection, history, options).run();
}

std::function<std::shared_ptr<Connection>()> scratch_databases(const std::string& backend_url) {
  return [backend_url] {
    auto db = std::make_shared<detail::ScratchDatabase>(backend_url);
    Connection& c = db->connection();
    return std::shared_ptr<Connection>(std::move(db), &c);  // the connection keeps its database
  };
}

VerifyReport verify(const std::string& backend_url, const History& history,
                    const VerifyOptions& options) {
  VerifyOptions o = options;
  if (!o.fresh_database) o.fresh_database = scratch_databases(backend_url);
  std::shared_ptr<Connection> first = o.fresh_database();
  return verify(*first, history, o);
}

VerifyPlan plan_verify(const History& history, const VerifyOptions& options, Dialect dialect) {
  Plan plan(history, options, dialect);
  VerifyPlan out;
  const auto& order = history.scripts();
  for (std::size_t i = 0; i < order.size(); ++i) {
    const RevisionScript& s = order[i];
    VerifyPlan::Planned p{s.revision.id, {Check::upgrade}};
    bool skipped = plan.skipped(s.revision.id);
    if (plan.on(Check::round_trip) && !plan.round_trip_skip(s))
      p.checks.push_back(Check::round_trip);
    if (plan.on(Check::data) && !skipped && plan.data_at(i)) p.checks.push_back(Check::data);
    if (plan.on(Check::lint) && !skipped && !s.up.code) p.checks.push_back(Check::lint);
    out.revisions.push_back(std::move(p));
  }
  if (plan.on(Check::single_head)) out.history.push_back(Check::single_head);
  if (plan.on(Check::full_cycle) && !order.empty()) out.history.push_back(Check::full_cycle);
  if (plan.on(Check::model_match) && options.metadata) out.history.push_back(Check::model_match);
  return out;
}

}  // namespace migtest
