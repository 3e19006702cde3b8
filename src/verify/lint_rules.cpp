// The lint rule table: codes, names, default severities. docs/reference/lint.md has an entry
// per code; a rule added here without one fails tests/verify/lint_test.cpp.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "migtest/error.hpp"
#include "migtest/lint.hpp"
#include "strings.hpp"

namespace migtest {

namespace {

// Where the docs entries are, in migtest's documentation (shipped with the sources; the
// project publishes no web address to point at); each rule's anchor is its code in lower case.
constexpr const char* kLintDocs = "docs/reference/lint.md";

using detail::upper;

}  // namespace

std::string_view to_string(Severity severity) {
  switch (severity) {
    case Severity::notice:
      return "notice";
    case Severity::warning:
      return "warning";
    case Severity::error:
      return "error";
  }
  return "warning";
}

Severity parse_severity(std::string_view name) {
  for (Severity s : {Severity::notice, Severity::warning, Severity::error}) {
    if (to_string(s) == name) return s;
  }
  throw config_error(
      fmt::format("unknown lint severity '{}' (expected error, warning or notice)", name));
}

// Longer than 80 lines on purpose: one entry per rule, read as a table (docs/reference/
// lint.md lists them in this order); splitting it would scatter the rules, not shorten one.
const std::vector<LintRule>& lint_rule_table() {
  using S = Severity;
  static const std::vector<LintRule> rules = {
      {"MT101", "drop_table", S::error, std::nullopt, "DROP TABLE of an existing table", {}},
      {"MT102",
       "drop_column",
       S::error,
       std::nullopt,
       "ALTER TABLE ... DROP COLUMN on an existing table",
       {}},
      {"MT103", "truncate", S::error, std::nullopt, "TRUNCATE of an existing table", {}},
      {"MT104",
       "delete_without_where",
       S::error,
       std::nullopt,
       "DELETE without WHERE on an existing table",
       {}},
      {"MT105",
       "update_without_where",
       S::warning,
       std::nullopt,
       "UPDATE without WHERE on an existing table",
       {}},
      {"MT106",
       "table_rebuild",
       S::notice,
       std::nullopt,
       "a table dropped and replaced by a renamed copy in the same revision",
       {}},
      {"MT201",
       "not_null_without_default",
       S::error,
       Dialect::postgresql,
       "ADD COLUMN ... NOT NULL without DEFAULT on an existing table",
       {}},
      {"MT202",
       "sqlite_not_null_without_default",
       S::error,
       Dialect::sqlite,
       "ADD COLUMN ... NOT NULL without a non-NULL DEFAULT (SQLite refuses it)",
       {"not_null_without_default"}},
      {"MT203",
       "set_not_null",
       S::warning,
       Dialect::postgresql,
       "ALTER COLUMN ... SET NOT NULL on an existing table",
       {"not_null_without_default"}},
      {"MT204",
       "unique_on_existing_columns",
       S::warning,
       std::nullopt,
       "UNIQUE index or constraint added to existing columns",
       {}},
      {"MT301",
       "index_not_concurrent",
       S::warning,
       Dialect::postgresql,
       "CREATE INDEX on an existing table without CONCURRENTLY",
       {}},
      {"MT302",
       "drop_index_not_concurrent",
       S::warning,
       Dialect::postgresql,
       "DROP INDEX without CONCURRENTLY",
       {}},
      {"MT303",
       "foreign_key_not_valid",
       S::warning,
       Dialect::postgresql,
       "FOREIGN KEY added to an existing table without NOT VALID",
       {"constraint_not_valid"}},
      {"MT304",
       "check_not_valid",
       S::warning,
       Dialect::postgresql,
       "CHECK added to an existing table without NOT VALID",
       {"constraint_not_valid"}},
      {"MT305",
       "type_change",
       S::warning,
       Dialect::postgresql,
       "ALTER COLUMN ... TYPE on an existing table",
       {}},
      {"MT306",
       "volatile_default",
       S::warning,
       Dialect::postgresql,
       "ADD COLUMN with a volatile DEFAULT (or a serial type) on an existing table",
       {}},
      {"MT307", "lock_table", S::warning, Dialect::postgresql, "LOCK TABLE", {}},
      {"MT401",
       "rename_table",
       S::warning,
       std::nullopt,
       "ALTER TABLE ... RENAME TO on an existing table",
       {}},
      {"MT402",
       "rename_column",
       S::warning,
       std::nullopt,
       "ALTER TABLE ... RENAME COLUMN on an existing table",
       {}},
  };
  return rules;
}

std::vector<const LintRule*> select_lint_rules(std::string_view code_or_name) {
  std::vector<const LintRule*> out;
  const std::string code = upper(code_or_name);
  // A former name selects every rule it covered (not_null_without_default also covered what
  // MT202 and MT203 flag now).
  for (const auto& r : lint_rule_table()) {
    if (r.code == code || r.name == code_or_name ||
        std::find(r.aliases.begin(), r.aliases.end(), code_or_name) != r.aliases.end()) {
      out.push_back(&r);
    }
  }
  return out;
}

const LintRule* find_lint_rule(std::string_view code_or_name) {
  auto rules = select_lint_rules(code_or_name);
  return rules.empty() ? nullptr : rules.front();
}

const std::vector<std::string>& lint_rules() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const auto& r : lint_rule_table()) out.push_back(r.name);
    return out;
  }();
  return names;
}

std::string lint_docs_entry(const LintRule& rule) {
  return fmt::format("{}#{}", kLintDocs, detail::lower(rule.code));
}

Severity LintOptions::severity_of(const LintRule& rule) const {
  auto it = severity.find(rule.code);
  return it == severity.end() ? rule.severity : it->second;
}

std::string LintWarning::describe() const {
  std::string where =
      file.empty() ? revision : (line > 0 ? fmt::format("{}:{}", file, line) : file);
  return fmt::format("{}: {}: {}", where, rule, message);
}

std::size_t LintReport::count(Severity s) const {
  return static_cast<std::size_t>(std::count_if(
      findings.begin(), findings.end(), [s](const LintWarning& w) { return w.severity == s; }));
}

}  // namespace migtest
