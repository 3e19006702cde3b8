// migtest/diff.hpp: what differs between two schemas (the database and the model), exactly.
// compare() gives one Difference per change, both sides as schema objects; render() prints
// them a line each. Use it to check a migrated database against the models, or two databases.
//   auto diffs = migtest::compare(migtest::reflect(*db), migtest::expected_schema(md,
//   migtest::Dialect::sqlite)); if (!diffs.empty()) std::cerr << migtest::render(diffs);
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "migtest/schema.hpp"

namespace migtest {

/// One side of a Difference as the schema object it was computed from; std::monostate where
/// that side has none.
using SchemaObject = std::variant<std::monostate, Table, Column, PrimaryKey, UniqueConstraint,
                                  ForeignKey, CheckConstraint, ExclusionConstraint, Index, Trigger,
                                  View, Sequence, Enum, Function>;

/// One change between `actual` (the database) and `expected` (the model). "added" means
/// present in expected only, "removed" present in actual only: the change a migration
/// would make to turn actual into expected (as Alembic's autogenerate).
struct Difference {
  enum class Kind {
    table_added,
    table_removed,
    table_option_changed,  // SQLite WITHOUT ROWID; PostgreSQL UNLOGGED, PARTITION BY / OF
    column_added,
    column_removed,
    type_changed,
    nullable_changed,
    default_changed,
    generated_changed,      // generated expression or STORED/VIRTUAL
    identity_changed,       // PostgreSQL identity, and its sequence options
    autoincrement_changed,  // SQLite AUTOINCREMENT, PostgreSQL serial
    collation_changed,
    column_order_changed,  // only with CompareOptions::compare_column_order
    primary_key_changed,   // added, removed or different
    unique_added,
    unique_removed,
    unique_changed,  // same name, other columns; or same columns, other name
    index_added,
    index_removed,
    index_changed,  // same name, other definition; or same definition, other name
    foreign_key_added,
    foreign_key_removed,
    foreign_key_changed,  // same name (or same columns and target), other definition
    check_added,
    check_removed,
    check_changed,  // same name, other expression; or same expression, other name
    trigger_added,
    trigger_removed,
    trigger_changed,
    view_added,
    view_removed,
    view_changed,
    sequence_added,
    sequence_removed,
    sequence_changed,
    enum_added,
    enum_removed,
    enum_changed,
    function_added,
    function_removed,
    function_changed,
    comment_changed,  // PostgreSQL COMMENT ON anything: `object` says on what
    exclusion_added,  // PostgreSQL EXCLUDE constraints
    exclusion_removed,
    exclusion_changed,
  };

  Kind kind;
  /// The table it belongs to ("schema.table" outside the default schema); "" for views,
  /// sequences, enums and functions.
  std::string table;
  /// The column, constraint, index, trigger, view, sequence, enum or function name
  /// ("" for a table itself, a primary key, column order, and unnamed constraints). For
  /// comment_changed, the kind and name of what carries the comment: "column karma",
  /// "index ix_a", "constraint post_pkey", "trigger touch", "view v", "sequence s",
  /// "enum mood", "function f(integer)"; "" for the table itself.
  std::string object;
  /// Each side as one line of text ("integer NOT NULL DEFAULT 0",
  /// "CONSTRAINT uq_a UNIQUE (a)"); "" when the object is absent on that side.
  std::string actual;
  std::string expected;
  /// Each side as a schema object, for code that acts on a difference (autogenerate):
  /// the Table (table_added, table_removed, table_option_changed, column_order_changed),
  /// the Column (column_added ... collation_changed), the PrimaryKey, constraint, Index,
  /// Trigger, View, Sequence, Enum or Function; for comment_changed, whatever carries the
  /// comment (a Table for the table itself). std::monostate on the side it is absent from.
  ///   if (const auto* c = d.expected_as<migtest::Column>()) ... c->nullable ...
  SchemaObject actual_object{};  // initializers: aggregates may leave them out
  SchemaObject expected_object{};
  /// The table the change is in (both names as stored), for code that needs them apart:
  /// `table` is the one string "schema.table". Empty for views, sequences, enums, functions.
  std::string table_schema{};
  std::string table_name{};

  template <class T>
  const T* actual_as() const {
    return std::get_if<T>(&actual_object);
  }
  template <class T>
  const T* expected_as() const {
    return std::get_if<T>(&expected_object);
  }

  /// "column user.karma: database integer NOT NULL DEFAULT 0, model integer NULL"
  std::string describe(std::string_view actual_label = "database",
                       std::string_view expected_label = "model") const;

  /// Compares what the difference says (kind, where, both texts); the texts are printed from
  /// the objects, and verify's report cache keeps only the texts.
  bool operator==(const Difference& o) const {
    return kind == o.kind && table == o.table && object == o.object && actual == o.actual &&
           expected == o.expected;
  }
  bool operator!=(const Difference& o) const { return !(*this == o); }
};

/// "table_added", "type_changed", ...
std::string_view to_string(Difference::Kind kind);

struct CompareOptions {
  /// Tables (and views, and sequences owned by those tables) to leave out: glob patterns
  /// with `*` and `?`, matched against "name" and "schema.name".
  std::vector<std::string> ignore_tables;
  /// Report a different order of the columns both sides have.
  bool compare_column_order = false;
  /// Report default_changed (server defaults).
  bool compare_defaults = true;
  /// Compare what the expected side may leave unset, constraint names and comments, even
  /// where it does (comparing two databases: `migtest diff`, verify). By default a name or
  /// a comment is compared only when the expected side gives one (models declare neither;
  /// see docs/reference/diff.md).
  bool strict_names = false;
  /// How render() and the matchers name the two sides.
  std::string actual_label = "database";
  std::string expected_label = "model";
};

/// Every difference between `actual` and `expected`, each change exactly once, grouped
/// by table (tables in name order), then views, sequences, enums and functions.
/// Both schemas are expected in canonical form (reflect / expected_schema give it).
std::vector<Difference> compare(const Schema& actual, const Schema& expected,
                                const CompareOptions& options = {});

/// One line per difference (Difference::describe with the options' labels), grouped by
/// table, each line ending in '\n'; "" when there is none. Several differences of one
/// column that print the same line (type and nullability changed) print it once.
std::string render(const std::vector<Difference>& differences, const CompareOptions& options = {});

/// True when `name` matches the glob `pattern` (`*`: any run, `?`: one character).
bool glob_match(std::string_view pattern, std::string_view name);

/// Prints what the fmt formatter prints (migtest/format.hpp): describe() with the default
/// labels. GoogleTest's printer is in migtest::gtest (<migtest/gtest/print.hpp>).
std::ostream& operator<<(std::ostream& os, const Difference& d);

}  // namespace migtest
