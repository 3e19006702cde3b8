// migtest/source.hpp: loading a history (revision files in five layouts, C++ revisions) and
// splitting SQL.
//   migtest::History h = migtest::load_history("migrations/versions");
//   for (auto& st : h.script("a1b2c3d4e5f6").up.statements(migtest::Dialect::sqlite))
//     conn.execute(st.sql);
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "migtest/graph.hpp"
#include "migtest/url.hpp"  // Dialect

namespace migtest {

class Operations;  // migtest/operations.hpp
class Registry;    // migtest/registry.hpp

/// One SQL statement, without its final ';'. line: 1-based line in its file where
/// the statement's first token stands (leading comments are not part of it).
struct Statement {
  std::string sql;
  int line = 0;

  bool operator==(const Statement& o) const { return sql == o.sql && line == o.line; }
  bool operator!=(const Statement& o) const { return !(*this == o); }
};

/// A section of a revision file: `-- migrate:up`, `-- migrate:up postgresql`, ...
struct SqlSection {
  std::optional<Dialect> dialect;  // the marker's dialect; none: any dialect
  std::string sql;                 // the text between this marker and the next, as written
  int first_line = 0;              // line in the file of the first line of `sql`
};

/// What runs for one direction of a revision: SQL sections (file revisions) or a
/// C++ function (C++ revisions).
struct RevisionBody {
  std::vector<SqlSection> sections;       // file revisions
  std::function<void(Operations&)> code;  // C++ revisions
  std::string file;                       // for messages; "" for C++ revisions

  /// No SQL and no code: nothing to run.
  bool empty() const;
  /// The section used on `dialect`: the dialect's own section, else the generic
  /// one; nullptr when there is neither.
  const SqlSection* section(Dialect dialect) const;
  /// The statements of section(dialect), split for `dialect`; empty when the body
  /// is empty or is C++ code. parse_error (file, line) on an unterminated quote,
  /// or when the body has sections but none for `dialect`.
  std::vector<Statement> statements(Dialect dialect) const;
  /// Raw SQL of section(dialect) ("" when none), for lint.
  std::string text(Dialect dialect) const;
};

/// A revision with what it runs. For file revisions `revision.reversible` is
/// `!down.empty()` (an empty merge gets an empty down section). checksum: SHA-256 (hex) of the
/// revision's file bytes (all of its files for layouts with several); for C++ revisions, of its
/// header and code_hash.
struct RevisionScript {
  Revision revision;
  RevisionBody up, down;
  std::string checksum;
  /// C++ revisions: SHA-256 of their code, computed at build time by migtest_hash_revisions()
  /// (cmake/migtestRevisions.cmake); "" when the build did not (the checksum then covers the
  /// header only) and for file revisions.
  std::string code_hash;
};

/// A loaded history: the graph, each revision's script, and where it came from.
class History {
 public:
  History() = default;
  /// Builds the graph (RevisionGraph's validation and errors) and the content hash.
  History(std::string directory, std::string layout, std::vector<RevisionScript> scripts,
          std::vector<std::string> warnings = {});

  const RevisionGraph& graph() const { return graph_; }
  /// By id or unique id prefix (RevisionGraph::get's errors).
  const RevisionScript& script(std::string_view id) const;
  /// Every script, in the graph's topological order.
  const std::vector<RevisionScript>& scripts() const { return scripts_; }
  /// "migtest", "diesel", "golang-migrate", "dbmate", "goose", or "cpp" (registry only).
  const std::string& layout() const { return layout_; }
  /// One line each, e.g. "versions/README.md: ignored, not a revision file".
  const std::vector<std::string>& warnings() const { return warnings_; }
  /// SHA-256 (hex) over the layout, then each revision in topological order: its
  /// id, parents and checksum. Changes when any id, the order or any byte changes.
  const std::string& content_hash() const { return content_hash_; }
  /// The C++ revisions whose code has no build-time hash (their target did not use
  /// migtest_hash_revisions(), or they were added with Registry::add), in topological order:
  /// editing their code changes neither their checksum nor content_hash().
  std::vector<std::string> unhashed_code() const;
  /// The directory loaded ("" when only a registry was given).
  const std::string& directory() const { return directory_; }
  /// Splits every up and down section used on `dialect`: the first unterminated
  /// quote/comment, or a revision with no section for `dialect`, throws parse_error.
  /// Call before running anything.
  void check(Dialect dialect) const;

 private:
  std::string directory_, layout_, content_hash_;
  std::vector<RevisionScript> scripts_;  // topological order
  std::map<std::string, std::size_t, std::less<>> by_id_;
  std::vector<std::string> warnings_;
  RevisionGraph graph_;
};

/// Loads every revision in `directory` (layout detected), plus the C++ revisions
/// of `registry` when given, into one graph. `directory` may be "" when a
/// registry is given. Errors: config_error (no such directory), parse_error
/// (file, line), graph_error (RevisionGraph's).
History load_history(const std::string& directory, const Registry* registry = nullptr);
History load_history(const Registry& registry);

/// Splits SQL into statements as `dialect` reads them. `first_line` is the file line
/// of the first line of `sql`; `file` names the file in parse_errors.
std::vector<Statement> split_statements(std::string_view sql, Dialect dialect, int first_line = 1,
                                        const std::string& file = "");
/// True when the statements begin or end a transaction themselves (BEGIN,
/// START TRANSACTION, COMMIT, END, ROLLBACK but not ROLLBACK TO): the runner
/// must not wrap such a revision in its own transaction.
bool manages_own_transaction(const std::vector<Statement>& statements);

/// Writes a new migtest revision file <directory>/<id>_<slug>.sql (directory
/// created if needed) and returns its path. `created` "" is filled with the
/// current UTC time; an empty down_sql writes `-- migrate:down irreversible`
/// when !revision.reversible. graph_error when the id is empty; state_error (where(): the
/// path) when the file exists.
std::string write_revision_file(const std::string& directory, const Revision& revision,
                                std::string_view up_sql, std::string_view down_sql);
/// A random id of 12 hex digits.
std::string new_revision_id();
/// A file-name slug of a message: "Add karma to users" -> "add_karma_to_users".
std::string slugify(std::string_view message);

}  // namespace migtest
