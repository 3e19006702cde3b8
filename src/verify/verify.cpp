// The verification walk: base to head once, in topological order. Each revision is upgraded,
// reflected, downgraded, reflected, upgraded again and reflected; the schema before the
// revision is the one kept from the previous step, so each state is reflected once and the
// cost grows linearly with the history.
#include "migtest/verify.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <set>

#include "migtest/dialect.hpp"
#include "migtest/metadata.hpp"
#include "migtest/runner.hpp"
#include "sql_quote.hpp"
#include "verify/snapshot.hpp"

namespace migtest {

// ---------------------------------------------------------------------------
// Names

std::string_view to_string(Check check) {
  switch (check) {
    case Check::single_head: return "single_head";
    case Check::upgrade: return "upgrade";
    case Check::round_trip: return "round_trip";
    case Check::data: return "data";
    case Check::lint: return "lint";
    case Check::full_cycle: return "full_cycle";
    case Check::model_match: return "model_match";
  }
  return "?";
}

const std::vector<Check>& all_checks() {
  static const std::vector<Check> checks = {Check::single_head, Check::upgrade,    Check::round_trip,
                                            Check::data,        Check::lint,       Check::full_cycle,
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
  throw usage_error(fmt::format("unknown check '{}' (checks: {})", name, names));
}

std::string_view to_string(Status status) {
  switch (status) {
    case Status::ok: return "ok";
    case Status::failed: return "failed";
    case Status::warning: return "warning";
    case Status::skipped: return "skipped";
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
  return static_cast<std::size_t>(std::count_if(revisions.begin(), revisions.end(), [](const RevisionResult& r) {
    return r.status() == Status::failed;
  }));
}

std::size_t VerifyReport::failed_history_checks() const {
  return static_cast<std::size_t>(std::count_if(history.begin(), history.end(), [](const CheckResult& c) {
    return c.status == Status::failed;
  }));
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

struct ActiveSeed {
  const Seed* seed = nullptr;
  std::string revision;       // resolved id
  std::size_t at = 0;         // index of its revision in the walk
  std::size_t until = 0;      // last index at which it is checked
  std::vector<RowText> expected;
  bool planted = false;

  std::string label() const {
    if (seed->file.empty()) return fmt::format("seed of {}", revision);
    return fmt::format("seed {}{}", seed->file, seed->line > 0 ? fmt::format(":{}", seed->line - 1) : "");
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
bool record_differences(CheckResult& r, const Schema& actual, const Schema& expected, CompareOptions co,
                        std::string actual_label, std::string expected_label, std::string summary) {
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
  for (const auto& d : diffs) r.details.push_back(d.describe(co.actual_label, co.expected_label));
  r.differences.insert(r.differences.end(), diffs.begin(), diffs.end());
  return true;
}

class Walk {
 public:
  Walk(Connection& c, const History& h, const VerifyOptions& o)
      : c_(c), h_(h), g_(h.graph()), o_(o), reader_(o.version_table, o.incremental_reflection) {
    for (Check k : o.checks) enabled_.insert(k);
  }

  VerifyReport run() {
    auto t0 = Clock::now();
    report_.dialect = c_.dialect();
    new_runner();
    resolve_options();
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
  bool on(Check k) const { return enabled_.count(k) > 0; }
  Schema read() {
    auto t0 = Clock::now();
    Schema s = reader_.read(c_);
    report_.reads_ms += ms_since(t0);
    return s;
  }
  void new_runner() {
    RunOptions ro;
    ro.version_table = o_.version_table;
    runner_ = std::make_unique<Runner>(c_, h_, ro);
    // The verification's database is its own: one lock for the whole walk, and the
    // version table is known without reading it at every step.
    runner_->hold_lock();
  }

  void resolve_options() {
    for (const auto& s : o_.skip) skip_.insert(g_.get(s).id);
    if (!o_.min_downgrade.empty()) floor_ = g_.get(o_.min_downgrade).id;
    const auto& order = h_.scripts();
    for (std::size_t i = 0; i < order.size(); ++i) index_[order[i].revision.id] = i;
    for (const Seed& s : o_.seeds) {
      ActiveSeed a;
      a.seed = &s;
      auto where = [&] { return s.file.empty() ? std::string("a seed") : s.file; };
      try {
        a.revision = g_.get(s.revision).id;
        a.until = s.until.empty() ? order.size() : index_[g_.get(s.until).id];
      } catch (const graph_error& e) {
        throw usage_error(fmt::format("{}: {}", where(), e.what()));
      }
      a.at = index_[a.revision];
      if (s.expect.empty()) throw usage_error(fmt::format("{}: no expect query", where()));
      if (s.sql.empty() && !s.code) throw usage_error(fmt::format("{}: no rows to seed", where()));
      seeds_.push_back(std::move(a));
    }
  }

  void require_empty() {
    base_schema_ = read();
    const Schema& s = base_schema_;
    bool empty = s.tables.empty() && s.views.empty() && s.sequences.empty() && s.enums.empty() &&
                 s.functions.empty();
    if (!empty || !runner_->current().empty()) {
      throw usage_error(fmt::format(
          "verify needs an empty database ({} holds {}): it runs every revision from base and "
          "drops everything when it rebuilds",
          c_.url(), empty ? "a version table at a revision" : "tables or other objects"));
    }
  }

  bool below_floor(const std::string& id) const {
    return !floor_.empty() && (id == floor_ || g_.is_ancestor(id, floor_));
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
    try {
      runner_->apply(Step{id, d});
    } catch (const migration_error& e) {
      if (partial) *partial = e.partially_applied();
      return one_line(e.what());
    } catch (const error& e) {
      if (partial) *partial = true;
      return one_line(e.what());
    }
    if (ms) *ms = ms_since(t0);
    heads_ = g_.after(heads_, Step{id, d});
    return std::nullopt;
  }

  // Empties the database (its own connection, so the same one verify was given) and
  // upgrades through `applied`, planting their seeds again: the state a deploy of those
  // revisions leaves, from which the walk can go on.
  void rebuild(const std::vector<std::string>& applied) {
    ++report_.rebuilds;
    wipe();
    new_runner();
    heads_.clear();
    for (const auto& id : applied) {
      if (auto err = step(id, Direction::up)) {
        throw error(fmt::format("could not rebuild the database up to {}: {}", id, *err));
      }
      for (auto& s : seeds_) {
        if (s.revision == id && s.planted) plant(s);
      }
    }
  }

  void wipe() {
    if (c_.dialect() == "sqlite") {
      bool fk = c_.scalar("PRAGMA foreign_keys").as_int() != 0;
      c_.execute("PRAGMA foreign_keys = OFF");
      Result objects = c_.query(
          "SELECT type, name FROM main.sqlite_master WHERE type IN ('view', 'trigger', 'table') "
          "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY type = 'table', type = 'trigger'");
      for (const Row& r : objects.rows) {
        const std::string name = r[1].as_text();
        c_.execute(fmt::format("DROP {} IF EXISTS {}", upper(r[0].as_text()), detail::quote_ident(name)));
      }
      if (c_.scalar("SELECT count(*) FROM main.sqlite_master WHERE name = 'sqlite_sequence'").as_int()) {
        c_.execute("DELETE FROM sqlite_sequence");
      }
      if (fk) c_.execute("PRAGMA foreign_keys = ON");
      return;
    }
    Result schemas = c_.query(
        "SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> "
        "'information_schema'");
    for (const Row& r : schemas.rows) {
      c_.execute(fmt::format("DROP SCHEMA \"{}\" CASCADE", r[0].as_text()));
    }
    c_.execute("CREATE SCHEMA public");
  }

  static std::string upper(std::string s) {
    for (char& ch : s) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    return s;
  }

  std::optional<std::string> plant(ActiveSeed& s) {
    try {
      Transaction tx(c_);
      if (s.seed->code) {
        s.seed->code(c_);
      } else {
        for (const Statement& st :
             split_statements(s.seed->sql, c_.dialect(), std::max(1, s.seed->line), s.seed->file)) {
          c_.execute(st.sql);
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
  void check_seeds(std::size_t index, const char* when, std::vector<std::string>& problems,
                   bool& any) {
    for (auto& s : seeds_) {
      if (!s.planted || s.at >= index || index > s.until) continue;
      any = true;
      std::vector<RowText> now;
      try {
        now = rows_of(c_, s.seed->expect);
      } catch (const std::exception& e) {
        problems.push_back(fmt::format("{}: after {}, its query fails: {}", s.label(), when,
                                       one_line(e.what())));
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
      problems.push_back(text);
      s.expected = std::move(now);
    }
  }

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
        r.summary = fmt::format("{} heads: {} (merge them, or name them in the expected heads)",
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

  void not_run(RevisionResult& rr, const std::string& why) {
    for (Check k : {Check::upgrade, Check::round_trip, Check::data, Check::lint}) {
      if (on(k)) rr.checks.push_back(result(k, Status::skipped, why));
    }
  }

  void emit(RevisionResult rr, std::size_t i) {
    report_.revisions.push_back(std::move(rr));
    if (o_.on_revision) {
      o_.on_revision(report_.revisions.back(), static_cast<int>(i + 1), static_cast<int>(h_.scripts().size()));
    }
  }

  void walk() {
    const auto& order = h_.scripts();
    CompareOptions round;
    round.strict_names = true;
    round.compare_column_order = true;
    prev_ = base_schema_;
    for (std::size_t i = 0; i < order.size(); ++i) {
      const RevisionScript& script = order[i];
      const std::string& id = script.revision.id;
      RevisionResult rr;
      rr.revision = script.revision;
      if (!aborted_.empty()) {
        not_run(rr, aborted_);
        emit(std::move(rr), i);
        continue;
      }
      std::string blocker;
      for (const auto& f : failed_up_) {
        if (g_.is_ancestor(f, id)) blocker = f;
      }
      if (!blocker.empty()) {
        not_run(rr, fmt::format("not run: it needs {}, whose upgrade failed", blocker));
        emit(std::move(rr), i);
        continue;
      }
      bool skipped = skip_.count(id) > 0;

      // Upgrade: always run (every later check stands on it).
      CheckResult up = result(Check::upgrade, Status::ok);
      bool partial = false;
      if (auto err = step(id, Direction::up, &rr.up_ms, &partial)) {
        up.status = Status::failed;
        up.summary = "upgrade failed";
        up.details.push_back(*err);
        rr.checks.push_back(std::move(up));
        for (Check k : {Check::round_trip, Check::data}) {
          if (on(k)) rr.checks.push_back(result(k, Status::skipped, "not run: the upgrade failed"));
        }
        if (on(Check::lint)) rr.checks.push_back(lint_check(script, skipped));
        failed_up_.push_back(id);
        if (partial) safe_rebuild(applied_);
        emit(std::move(rr), i);
        continue;
      }
      up.elapsed_ms = rr.up_ms;
      applied_.push_back(id);
      Schema first;
      try {
        first = read();
      } catch (const std::exception& e) {
        up.status = Status::failed;
        up.summary = "cannot reflect the schema after the upgrade";
        up.details.push_back(one_line(e.what()));
        rr.checks.push_back(std::move(up));
        aborted_ = fmt::format("not run: the schema after {} cannot be reflected", id);
        emit(std::move(rr), i);
        continue;
      }
      if (on(Check::upgrade)) rr.checks.push_back(std::move(up));

      std::vector<std::string> data_problems;
      bool data_checked = false;
      if (on(Check::data) && !skipped) check_seeds(i, "its upgrade", data_problems, data_checked);

      if (on(Check::round_trip)) {
        CheckResult rt = result(Check::round_trip, Status::ok);
        auto t0 = Clock::now();
        if (skipped) {
          rt = result(Check::round_trip, Status::skipped, "skipped (in the skip list)");
        } else if (!script.revision.reversible || script.down.empty()) {
          rt = result(Check::round_trip, Status::skipped, "skipped: irreversible (no down section)");
        } else if (below_floor(id)) {
          rt = result(Check::round_trip, Status::skipped,
                      fmt::format("skipped: at or below the downgrade floor {}", floor_));
        } else {
          bool need_rebuild = round_trip(id, first, round, rt, rr);
          if (on(Check::data)) check_seeds(i, "its round trip", data_problems, data_checked);
          if (need_rebuild) safe_rebuild(applied_);
          rt.elapsed_ms = ms_since(t0);
        }
        rr.checks.push_back(std::move(rt));
      }

      if (on(Check::data) && !skipped) {
        for (auto& s : seeds_) {
          if (s.revision != id) continue;
          data_checked = true;
          if (auto err = plant(s)) {
            data_problems.push_back(*err);
            continue;
          }
          s.planted = true;
          try {
            s.expected = rows_of(c_, s.seed->expect);
          } catch (const std::exception& e) {
            s.planted = false;
            data_problems.push_back(fmt::format("{}: its query fails right after seeding: {}",
                                                s.label(), one_line(e.what())));
          }
        }
      }
      if (on(Check::data) && data_checked) {
        CheckResult d = result(Check::data, data_problems.empty() ? Status::ok : Status::failed);
        if (!data_problems.empty()) {
          d.summary = "seeded rows changed";
          d.details = std::move(data_problems);
        }
        rr.checks.push_back(std::move(d));
      } else if (on(Check::data) && skipped) {
        rr.checks.push_back(result(Check::data, Status::skipped, "skipped (in the skip list)"));
      }
      if (on(Check::lint)) rr.checks.push_back(lint_check(script, skipped));

      prev_ = std::move(first);
      if (id == floor_ || (!script.revision.reversible || script.down.empty())) {
        bottoms_[heads_key(heads_)] = prev_;
      }
      emit(std::move(rr), i);
    }
    head_schema_ = prev_;
  }

  // down, compare with the schema before; up, compare with the first upgrade. Returns
  // whether the database must be rebuilt to stand where the first upgrade left it.
  bool round_trip(const std::string& id, const Schema& first, const CompareOptions& base,
                  CheckResult& rt, RevisionResult& rr) {
    auto fail = [&](std::string summary) {
      rt.status = Status::failed;
      if (rt.summary.empty()) {
        rt.summary = std::move(summary);
      } else {
        rt.details.push_back(summary);
      }
    };
    bool partial = false;
    if (auto err = step(id, Direction::down, &rr.down_ms, &partial)) {
      fail("downgrade failed");
      rt.details.push_back(*err);
      return true;
    }
    record_differences(rt, read(), prev_, base, "after downgrade", "before upgrade",
                       "downgrade left a trace");
    if (auto err = step(id, Direction::up)) {
      fail("upgrade after the downgrade failed");
      rt.details.push_back(*err);
      return true;
    }
    return record_differences(rt, read(), first, base, "second upgrade", "first upgrade",
                              "the second upgrade differs from the first");
  }

  void safe_rebuild(const std::vector<std::string>& applied) {
    try {
      rebuild(applied);
    } catch (const std::exception& e) {
      aborted_ = fmt::format("not run: {}", one_line(e.what()));
    }
  }

  CheckResult lint_check(const RevisionScript& script, bool skipped) {
    if (skipped) return result(Check::lint, Status::skipped, "skipped (in the skip list)");
    auto t0 = Clock::now();
    CheckResult r = result(Check::lint, Status::ok);
    try {
      r.warnings = lint(script, c_.dialect());
    } catch (const error& e) {
      r.status = Status::failed;
      r.summary = "cannot lint";
      r.details.push_back(one_line(e.what()));
      return r;
    }
    if (!r.warnings.empty()) {
      r.status = o_.lint_fails ? Status::failed : Status::warning;
      r.summary = fmt::format("{} lint warning{}", r.warnings.size(), r.warnings.size() == 1 ? "" : "s");
      for (const auto& w : r.warnings) r.details.push_back(w.describe());
    }
    r.elapsed_ms = ms_since(t0);
    return r;
  }

  CheckResult full_cycle() {
    auto t0 = Clock::now();
    CheckResult r = result(Check::full_cycle, Status::ok);
    if (!aborted_.empty()) return result(Check::full_cycle, Status::skipped, aborted_);
    if (!failed_up_.empty()) {
      return result(Check::full_cycle, Status::skipped,
                    fmt::format("not run: the upgrade of {} failed", failed_up_.front()));
    }
    if (h_.scripts().empty()) return result(Check::full_cycle, Status::skipped, "no revisions");
    std::vector<Step> down = g_.plan_downgrade(heads_, floor_.empty() ? "base" : floor_);
    std::string bottom = floor_.empty() ? "base" : floor_;
    for (const Step& s : down) {
      const RevisionScript& script = h_.script(s.revision);
      if (!script.revision.reversible || script.down.empty()) {
        bottom = fmt::format("{} (irreversible)", s.revision);
        break;
      }
      if (auto err = step(s.revision, Direction::down)) {
        r.status = Status::failed;
        r.summary = fmt::format("downgrade of {} failed on the way down", s.revision);
        r.details.push_back(*err);
        r.elapsed_ms = ms_since(t0);
        return r;
      }
    }
    CompareOptions co;
    co.strict_names = true;
    co.compare_column_order = true;
    auto known = heads_.empty() ? std::optional<Schema>(base_schema_) : std::nullopt;
    if (auto it = bottoms_.find(heads_key(heads_)); !known && it != bottoms_.end()) known = it->second;
    if (known) {
      record_differences(r, read(), *known, co, "after head -> " + bottom, "when first at " + bottom,
                         fmt::format("the way down to {} left a trace", bottom));
    }
    for (const Step& s : g_.plan_upgrade(heads_, "heads")) {
      if (auto err = step(s.revision, Direction::up)) {
        r.status = Status::failed;
        r.summary = fmt::format("upgrade of {} failed on the way back up", s.revision);
        r.details.push_back(*err);
        r.elapsed_ms = ms_since(t0);
        return r;
      }
    }
    record_differences(r, read(), head_schema_, co, "after the cycle", "first time at head",
                       fmt::format("the schema at head differs after head -> {} -> head", bottom));
    if (r.status == Status::ok) r.summary = fmt::format("head -> {} -> head", bottom);
    r.elapsed_ms = ms_since(t0);
    return r;
  }

  CheckResult model_match() {
    auto t0 = Clock::now();
    if (!o_.metadata) return result(Check::model_match, Status::skipped, "no models given");
    if (!aborted_.empty()) return result(Check::model_match, Status::skipped, aborted_);
    if (!failed_up_.empty()) {
      return result(Check::model_match, Status::skipped,
                    fmt::format("not run: the upgrade of {} failed", failed_up_.front()));
    }
    CheckResult r = result(Check::model_match, Status::ok, "the schema at head matches the models");
    std::vector<Difference> diffs;
    try {
      diffs = compare(head_schema_, expected_schema(*o_.metadata, c_.dialect()), o_.compare);
    } catch (const error& e) {
      r.status = Status::failed;
      r.summary = "cannot compare with the models";
      r.details.push_back(one_line(e.what()));
      return r;
    }
    if (!diffs.empty()) {
      r.status = Status::failed;
      r.summary = "the schema at head differs from the models";
      for (const auto& d : diffs) r.details.push_back(d.describe(o_.compare.actual_label, o_.compare.expected_label));
      r.differences = std::move(diffs);
    }
    r.elapsed_ms = ms_since(t0);
    return r;
  }

  Connection& c_;
  const History& h_;
  const RevisionGraph& g_;
  const VerifyOptions& o_;
  detail::SchemaReader reader_;
  std::unique_ptr<Runner> runner_;
  std::set<Check> enabled_;
  std::set<std::string> skip_;
  std::string floor_;
  std::map<std::string, std::size_t> index_;
  std::vector<ActiveSeed> seeds_;
  VerifyReport report_;
  Schema base_schema_, prev_, head_schema_;
  std::map<std::string, Schema> bottoms_;  // version-table heads -> schema (floor, irreversible)
  std::vector<std::string> heads_;         // the version table, as the walk left it
  std::vector<std::string> applied_;       // upgraded revisions, in order
  std::vector<std::string> failed_up_;
  std::string aborted_;
};

}  // namespace

VerifyReport verify(Connection& connection, const History& history, const VerifyOptions& options) {
  return Walk(connection, history, options).run();
}

}  // namespace migtest
