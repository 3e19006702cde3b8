// migtest/verify.hpp: every revision checked on a real database: upgrade, downgrade, upgrade
// again with the full reflected schema compared each time, data carried across, and lint.
//   auto report = migtest::verify("", migtest::load_history("migrations/versions"));  // SQLite
//   std::cout << migtest::render_text(report);  return report.ok() ? 0 : 1;
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "migtest/connection.hpp"
#include "migtest/diff.hpp"
#include "migtest/error.hpp"
#include "migtest/graph.hpp"
#include "migtest/lint.hpp"
#include "migtest/source.hpp"

namespace migtest {

class Metadata;

/// The checks verify() can run (docs/reference/verify.md describes each).
enum class Check {
  single_head,  // the history has one head (or exactly VerifyOptions::heads)
  upgrade,      // each revision upgrades, one at a time, base to head
  round_trip,   // upgrade; downgrade == before; upgrade again == first upgrade
  data,         // seeded rows are still there after later revisions and round trips
  lint,         // risky statements in the up SQL (warnings unless lint_fails)
  full_cycle,   // head -> base (or the floor) -> head gives the same schema at head
  model_match,  // the schema at head equals the metadata (when one is given)
};

/// "single_head", "upgrade", "round_trip", "data", "lint", "full_cycle", "model_match".
std::string_view to_string(Check check);
/// The inverse of to_string (also accepts '-' for '_'); config_error naming the valid names.
Check parse_check(std::string_view name);
/// Every check, in the order above.
const std::vector<Check>& all_checks();

/// ok, failed, warning (lint findings that do not fail), skipped (not run, and why).
enum class Status { ok, failed, warning, skipped };
std::string_view to_string(Status status);

/// Why a check was skipped, for reports that sort skips (the summary says it in words).
enum class SkipReason {
  none,          // the check ran
  not_selected,  // not in VerifyOptions::checks
  skip_list,     // the revision is in VerifyOptions::skip
  floor,         // at or below VerifyOptions::min_downgrade
  irreversible,  // no down section (or -- migrate:down irreversible)
  no_downgrade,  // a down script without a statement (see docs/reference/verify.md)
  not_run,       // something it needs failed first (the summary names it)
  nothing,       // nothing to check (no revisions, no models)
};
/// "none", "not_selected", "skip_list", "floor", "irreversible", "no_downgrade", "not_run",
/// "nothing".
std::string_view to_string(SkipReason reason);

/// Rows planted at a revision, and the query that must keep returning them afterwards.
struct Seed {
  std::string revision;                   // applied right after this revision (id or unique prefix)
  std::string sql;                        // statements inserting the rows; or:
  std::function<void(Connection&)> code;  // C++ that inserts them (runs in a transaction)
  /// A query whose rows, taken right after seeding, must come back the same (as a multiset,
  /// values compared as text) after every later upgrade and round trip.
  std::string expect;
  std::string until;  // last revision at which the rows are checked; "" = up to head
  std::string file;   // for messages, "" for C++ seeds
  int line = 0;
};

/// Reads every <revision>[_words].sql of `directory` (sorted by name):
///   -- migtest:until <revision>      (optional, anywhere before -- migtest:expect)
///   -- migtest:seed
///   INSERT INTO "user" (id, name) VALUES (1, 'ann'), (2, 'bob');
///   -- migtest:expect
///   SELECT id, name FROM "user" ORDER BY id;
/// parse_error (file, line) for a file without both sections or with several expect queries;
/// config_error when `directory` does not exist.
std::vector<Seed> load_seeds(const std::string& directory);

/// The outcome of one check (for one revision, or for the whole history).
struct CheckResult {
  Check check = Check::upgrade;
  Status status = Status::ok;
  std::string summary;               // one line: "downgrade left a trace", "skipped: irreversible"
  std::vector<std::string> details;  // one line each: differences (both sides), errors, warnings
  std::vector<Difference> differences;  // the schema differences behind a failure
  std::vector<LintWarning> warnings;    // lint only
  double elapsed_ms = 0;
  SkipReason skip_reason = SkipReason::none;  // set when status is skipped
  /// What a failure (or lint warning) points at in the user's files: the statement that
  /// failed, else the file that ran (a downgrade's down file, or the line of its
  /// `-- migrate:down` marker in a one-file revision), line 0 when unknown. Empty when the
  /// check passed or the revision is C++ code.
  source_location where;

  /// Every field, times included (a cached report equals the one it was written from).
  bool operator==(const CheckResult& o) const {
    return check == o.check && status == o.status && summary == o.summary && details == o.details &&
           differences == o.differences && warnings == o.warnings && elapsed_ms == o.elapsed_ms &&
           skip_reason == o.skip_reason && where.file == o.where.file &&
           where.line == o.where.line && where.revision == o.where.revision;
  }
  bool operator!=(const CheckResult& o) const { return !(*this == o); }
};

struct RevisionResult {
  Revision revision;
  double up_ms = -1;                // first upgrade; -1 when it did not run
  double down_ms = -1;              // downgrade of the round trip; -1 when it did not run
  std::vector<CheckResult> checks;  // in Check order; a check absent did not apply

  const CheckResult* find(Check check) const;
  /// failed if any check failed, else warning if any warned, else skipped if every check
  /// was skipped, else ok.
  Status status() const;

  bool operator==(const RevisionResult& o) const {
    return revision == o.revision && up_ms == o.up_ms && down_ms == o.down_ms && checks == o.checks;
  }
  bool operator!=(const RevisionResult& o) const { return !(*this == o); }
};

struct VerifyReport {
  Dialect dialect = Dialect::sqlite;      // of the database verified
  std::vector<RevisionResult> revisions;  // topological order
  std::vector<CheckResult> history;       // single_head, full_cycle, model_match
  double elapsed_ms = 0;
  double steps_ms = 0;  // of which running revisions (the runner's steps, every pass)
  double reads_ms = 0;  // and reading and comparing schemas
  /// Times the walk moved to an empty database (a fresh one, or the same one emptied) and
  /// upgraded the revisions applied so far again, after a failure left the database where no
  /// deploy would.
  int rebuilds = 0;

  std::size_t failed_revisions() const;
  std::size_t failed_history_checks() const;
  /// No check failed (warnings and skips allowed).
  bool ok() const { return failed_revisions() == 0 && failed_history_checks() == 0; }
  const RevisionResult* find(std::string_view revision_id) const;
  const CheckResult* find(Check history_check) const;

  bool operator==(const VerifyReport& o) const {
    return dialect == o.dialect && revisions == o.revisions && history == o.history &&
           elapsed_ms == o.elapsed_ms && steps_ms == o.steps_ms && reads_ms == o.reads_ms &&
           rebuilds == o.rebuilds;
  }
  bool operator!=(const VerifyReport& o) const { return !(*this == o); }
};

struct VerifyOptions {
  std::vector<Check> checks = all_checks();
  /// The heads the history must have (ids or unique prefixes); empty: exactly one.
  std::vector<std::string> heads;
  /// The irreversible floor: this revision and its ancestors are never downgraded (no
  /// round trip; the full cycle goes down to it, not to base). "" = base.
  std::string min_downgrade;
  /// Revisions (ids or unique prefixes) still upgraded but not round-tripped, seeded-checked
  /// or linted.
  std::vector<std::string> skip;
  /// The models for model_match; nullptr skips that check.
  const Metadata* metadata = nullptr;
  std::vector<Seed> seeds;
  /// Lint warnings fail their revision.
  bool lint_fails = false;
  /// Rules turned off and severities changed (migtest.toml's [lint] section).
  LintOptions lint;
  std::string version_table = "migtest_version";
  /// PostgreSQL schemas compared at each step (ReflectOptions::schemas); empty: the default
  /// schema.
  std::vector<std::string> schemas;
  /// For model_match (ignore_tables, compare_defaults, ...). Round trips always compare
  /// everything, constraint names included.
  CompareOptions compare;
  /// Reuse the reflection of tables whose catalog entries did not change since they were
  /// last reflected (the cost stays linear in the history); false reflects the whole
  /// database at every step.
  bool incremental_reflection = true;
  /// Called after each revision's checks, and after each history check.
  std::function<void(const RevisionResult&, int index, int total)> on_revision;
  std::function<void(const CheckResult&)> on_history_check;
  /// Where the walk goes on after a failure that leaves the database where no deploy would
  /// (a round trip whose second upgrade fails or differs, a revision partly applied): each
  /// call gives a connection to a new, empty database of the same backend, which goes when
  /// the last copy of the pointer does (scratch_databases() makes such a function). The walk
  /// upgrades the revisions applied so far on it, seeds replanted, and goes on. Unset, or
  /// when it throws: the database the walk stands on is emptied in place instead (every
  /// schema dropped on PostgreSQL, every table, view and trigger on SQLite), which misses
  /// what lives outside schemas (a publication, an event trigger, a role).
  std::function<std::shared_ptr<Connection>()> fresh_database;
};

/// Runs the checks on `connection`, which must be an empty database (state_error
/// otherwise). Walks the history once, base to head in topological order; a failure never
/// stops the walk (see VerifyOptions::fresh_database): a revision is "not run" only when it
/// descends from one whose upgrade failed. `connection`'s database is left as the walk left
/// it, which after a move to a fresh database is where the failure left it. Throws only for
/// unusable input (an unknown revision in the options or the seeds, a non-empty database);
/// every failure of a migration is a result.
VerifyReport verify(Connection& connection, const History& history,
                    const VerifyOptions& options = {});

/// The same on databases of its own: the first one and every fresh one come from
/// options.fresh_database, else from scratch_databases(backend_url); all are gone when it
/// returns.
VerifyReport verify(const std::string& backend_url, const History& history,
                    const VerifyOptions& options = {});

/// A VerifyOptions::fresh_database for the backend of `backend_url`: "" or a sqlite URL
/// gives a SQLite file in a new temporary directory each time (the URL's own file is never
/// touched); a postgresql URL a new database migtest_verify_... on that server (its own
/// database is never touched; the role needs CREATEDB). Each is deleted or dropped when
/// released. Durability is off: they are thrown away.
std::function<std::shared_ptr<Connection>()> scratch_databases(const std::string& backend_url);

/// What verify() will check, decided from the history and the options before anything
/// runs (the GoogleTest layer generates a case per planned check). A check is left out
/// where it has nothing to check: the round trip of a revision that is irreversible, has no
/// downgrade, stands at or below the floor or is in the skip list; data where no seed is
/// in force; lint of a C++ revision or of one in the skip list; a check not selected;
/// model_match without models; full_cycle of an empty history. The upgrade is always
/// planned: it always runs. A planned check may still be skipped when something it needs
/// fails first. config_error as verify() for unknown revisions in the options.
struct VerifyPlan {
  struct Planned {
    std::string revision;       // id
    std::vector<Check> checks;  // in Check order
  };
  std::vector<Planned> revisions;  // topological order
  std::vector<Check> history;      // single_head, full_cycle, model_match
};
VerifyPlan plan_verify(const History& history, const VerifyOptions& options, Dialect dialect);

/// The report as `migtest verify` prints it: one line per revision, the details of
/// failures and warnings indented below, the history checks, and the summary line.
std::string render_text(const VerifyReport& report);
/// One line per revision, as printed while verify runs.
std::string render_revision(const RevisionResult& result);
std::string render_history_check(const CheckResult& result);
/// "3 revisions: 2 ok, 1 failed"
std::string render_summary(const VerifyReport& report);
/// JUnit XML: a testsuite per check, a testcase per revision (and per history check).
std::string render_junit(const VerifyReport& report);

}  // namespace migtest
