// migtest/lint.hpp: static analysis of revision SQL for statements that are risky on a live
// database (locks, table rewrites, lost data, renames), without a database. verify runs it too.
//   auto h = migtest::load_history("migrations/versions");
//   auto report = migtest::lint_history(h, migtest::Dialect::postgresql);
//   std::cout << migtest::render_lint_text(report);  return report.errors() ? 1 : 0;
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "migtest/source.hpp"
#include "migtest/url.hpp"  // Dialect

namespace migtest {

/// How much a finding matters: `migtest lint` exits 1 when an error remains.
enum class Severity { notice, warning, error };
/// "notice", "warning", "error".
std::string_view to_string(Severity severity);
/// The inverse of to_string; config_error naming the valid names.
Severity parse_severity(std::string_view name);

/// One lint rule (docs/reference/lint.md has an entry per code).
struct LintRule {
  std::string code;                  // "MT101"
  std::string name;                  // "drop_table": accepted wherever the code is
  Severity severity;                 // the default
  std::optional<Dialect> dialect;    // the one dialect it applies to; none: every dialect
  std::string summary;               // one line: what it flags
  std::vector<std::string> aliases;  // former names that still select it
};

/// Every rule, ordered by code.
const std::vector<LintRule>& lint_rule_table();
/// The rule a code, name or alias stands for (case-insensitive code); nullptr when none.
const LintRule* find_lint_rule(std::string_view code_or_name);
/// Every rule a code, name or alias selects (an alias may select several); empty when none.
std::vector<const LintRule*> select_lint_rules(std::string_view code_or_name);
/// The rule names, ordered by code.
const std::vector<std::string>& lint_rules();
/// "docs/reference/lint.md#mt101": where a rule's entry is in migtest's documentation.
std::string lint_docs_entry(const LintRule& rule);

/// The configuration of lint (migtest.toml's [lint] section).
struct LintOptions {
  std::set<std::string> disabled;            // codes never reported
  std::map<std::string, Severity> severity;  // by code: the severity reported instead

  bool enabled(const LintRule& rule) const { return !disabled.count(rule.code); }
  Severity severity_of(const LintRule& rule) const;
  bool operator==(const LintOptions& o) const {
    return disabled == o.disabled && severity == o.severity;
  }
};

/// One risky statement found by lint.
struct LintWarning {
  std::string rule;                       // the rule's name, one of lint_rules()
  std::string revision;                   // revision id
  std::string file;                       // revision file, "" for C++ revisions
  int line = 0;                           // line of the statement in `file`
  std::string message;                    // "DROP TABLE post destroys the table and its rows"
  std::string code;                       // "MT101"
  Severity severity = Severity::warning;  // after LintOptions

  /// "versions/x.sql:12: drop_table: DROP TABLE post destroys the table and its rows"
  std::string describe() const;
  bool operator==(const LintWarning& o) const {
    return rule == o.rule && revision == o.revision && file == o.file && line == o.line &&
           message == o.message && code == o.code && severity == o.severity;
  }
};

/// The findings of one revision's up SQL on `dialect`, in line
/// order. `-- migtest:allow <code or name>[, ...]` silences: on a statement's lines or the
/// comment lines right above it, for that statement; anywhere else in the revision's file(s)
/// (its header), for the whole revision. "Existing table" means a table the revision does not
/// create itself. C++ revisions are not linted (empty result). parse_error (file, line) for an
/// unterminated quote or an allow comment naming no known rule.
std::vector<LintWarning> lint(const RevisionScript& script, Dialect dialect,
                              const LintOptions& options = {});

/// Lint of several revisions.
struct LintReport {
  Dialect dialect = Dialect::sqlite;
  std::vector<std::string> revisions;  // ids linted, topological order
  std::vector<LintWarning> findings;   // revision order, then line order
  std::vector<std::string> notes;      // "revision c0ffee01 is C++ code: not linted"

  std::size_t count(Severity severity) const;
  /// An error-severity finding remains: `migtest lint` exits 1.
  bool errors() const { return count(Severity::error) > 0; }
};

/// Lints `ids` (every revision when empty) of `history`, in topological order.
LintReport lint_history(const History& history, Dialect dialect,
                        const std::vector<std::string>& ids = {}, const LintOptions& options = {});

/// "file:line: CODE severity: message" per finding, "note: ..." per note, and a summary line.
std::string render_lint_text(const LintReport& report);
/// docs/reference/lint.md describes the shape.
std::string render_lint_json(const LintReport& report);
/// One <testsuite> per revision, one <testcase> per finding (error severity as <failure>).
std::string render_lint_junit(const LintReport& report);
/// SARIF 2.1.0: every rule in tool.driver.rules, a result per finding.
std::string render_lint_sarif(const LintReport& report);

}  // namespace migtest
