// migtest/metadata.hpp: the models, declared once in C++ (the SQLModel way), as plain data.
// Tables, columns with portable types (rendered per dialect) and options (primary_key,
// nullable, foreign_key, ...): what expected_schema() turns into the Schema a migrated
// database must have, and what autogenerate compares the database with.
//   migtest::Metadata md;
//   md.table("user").column("id", migtest::Integer{}, migtest::primary_key)
//                   .column("karma", migtest::Integer{}, migtest::server_default("0"));
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "migtest/connection.hpp"  // migtest::Blob doubles as the portable BLOB type
#include "migtest/schema.hpp"      // migtest::Enum doubles as the portable enum type

namespace migtest {

// ---------------------------------------------------------------------------
// Portable column types
// ---------------------------------------------------------------------------

/// A column type as the model declares it; each backend renders it for its dialect
/// (`create_all_sql(md, dialect)` shows the SQL; docs/reference/metadata.md).
struct Type {
  enum class Kind {
    integer,
    big_integer,
    small_integer,
    boolean,
    string,  // length: String(n); no length: String{}
    text,
    float32,  // Float
    float64,  // Double
    numeric,  // precision, scale
    date,
    datetime,  // timezone
    time,      // timezone
    blob,
    json,
    uuid,
    enumeration,  // enum_name, enum_values (enum_schema on PostgreSQL)
    raw,          // raw: dialect ("sqlite", "postgresql") -> SQL type text
  };

  Kind kind = Kind::integer;
  std::optional<int> length;     // string
  std::optional<int> precision;  // numeric
  std::optional<int> scale;      // numeric
  bool timezone = false;         // datetime, time
  std::string enum_schema;       // enumeration: "" for the default schema
  std::string enum_name;         // enumeration
  std::vector<std::string> enum_values;
  std::map<std::string, std::string> raw;

  Type() = default;
  explicit Type(Kind k) : kind(k) {}
  /// `migtest::Enum("mood", {"happy", "sad"})` used as a column type.
  Type(const Enum& e);  // NOLINT(google-explicit-constructor): reads as a type in column()
  /// `migtest::Blob{}` used as a column type.
  Type(const Blob&);  // NOLINT(google-explicit-constructor)

  /// The raw SQL type for `dialect` (the entry under to_string(dialect)), or nullopt when
  /// the Raw type does not give one.
  std::optional<std::string> raw_for(Dialect dialect) const;

  bool operator==(const Type& o) const;
  bool operator!=(const Type& o) const { return !(*this == o); }
};

/// "Integer", "String(200)", "Numeric(10, 2)", "DateTime(timezone)", "Enum mood(happy, sad)".
std::string to_string(const Type& t);
std::ostream& operator<<(std::ostream& os, const Type& t);

struct WithTimezone {};
/// `migtest::DateTime{migtest::with_timezone}`, `migtest::Time{migtest::with_timezone}`.
inline constexpr WithTimezone with_timezone{};

struct Integer : Type {
  Integer() : Type(Kind::integer) {}
};
struct BigInteger : Type {
  BigInteger() : Type(Kind::big_integer) {}
};
struct SmallInteger : Type {
  SmallInteger() : Type(Kind::small_integer) {}
};
struct Boolean : Type {
  Boolean() : Type(Kind::boolean) {}
};
struct String : Type {
  String() : Type(Kind::string) {}
  explicit String(int n) : Type(Kind::string) { length = n; }
};
struct Text : Type {
  Text() : Type(Kind::text) {}
};
struct Float : Type {
  Float() : Type(Kind::float32) {}
};
struct Double : Type {
  Double() : Type(Kind::float64) {}
};
struct Numeric : Type {
  Numeric() : Type(Kind::numeric) {}
  explicit Numeric(int p) : Type(Kind::numeric) { precision = p; }
  Numeric(int p, int s) : Type(Kind::numeric) {
    precision = p;
    scale = s;
  }
};
struct Date : Type {
  Date() : Type(Kind::date) {}
};
struct DateTime : Type {
  DateTime() : Type(Kind::datetime) {}
  explicit DateTime(WithTimezone) : Type(Kind::datetime) { timezone = true; }
};
struct Time : Type {
  Time() : Type(Kind::time) {}
  explicit Time(WithTimezone) : Type(Kind::time) { timezone = true; }
};
struct Json : Type {
  Json() : Type(Kind::json) {}
};
struct Uuid : Type {
  Uuid() : Type(Kind::uuid) {}
};
/// A type given per dialect: `migtest::Raw({{"sqlite", "TEXT"}, {"postgresql", "jsonb"}})`.
/// Using it on a dialect it does not name is a schema_error from expected_schema/create_all.
struct Raw : Type {
  explicit Raw(std::map<std::string, std::string> per_dialect) : Type(Kind::raw) {
    raw = std::move(per_dialect);
  }
};
// Enum and Blob: the value types of schema.hpp / connection.hpp convert to Type (above).

// ---------------------------------------------------------------------------
// Declarations, as plain data (what the backends read)
// ---------------------------------------------------------------------------

enum class ReferentialAction { no_action, restrict, cascade, set_null, set_default };
/// "NO ACTION", "RESTRICT", "CASCADE", "SET NULL", "SET DEFAULT" (as in ForeignKey).
std::string to_string(ReferentialAction a);

struct ForeignKeyDef {
  std::string name;  // "" when unnamed
  std::vector<std::string> columns;
  std::string referred_schema;  // "" for the default schema
  std::string referred_table;
  std::vector<std::string> referred_columns;
  ReferentialAction on_delete = ReferentialAction::no_action;
  ReferentialAction on_update = ReferentialAction::no_action;
  bool deferrable = false;
  bool initially_deferred = false;

  bool operator==(const ForeignKeyDef& o) const;
  bool operator!=(const ForeignKeyDef& o) const { return !(*this == o); }
};

struct PrimaryKeyDef {
  std::string name;  // "" when unnamed
  std::vector<std::string> columns;

  bool operator==(const PrimaryKeyDef& o) const;
  bool operator!=(const PrimaryKeyDef& o) const { return !(*this == o); }
};

struct UniqueDef {
  std::string name;  // "" when unnamed
  std::vector<std::string> columns;

  bool operator==(const UniqueDef& o) const;
  bool operator!=(const UniqueDef& o) const { return !(*this == o); }
};

struct IndexDef {
  std::string name;                  // always given
  std::vector<std::string> columns;  // column names or SQL expressions, as written
  bool unique = false;
  std::string where;   // partial-index predicate as written, "" when none
  std::string method;  // PostgreSQL access method ("gin"), "" for the default
  /// True when entry `i` is an SQL expression rather than a plain column name
  /// (anything but an identifier, e.g. "lower(title)").
  bool is_expression(std::size_t i) const;

  bool operator==(const IndexDef& o) const;
  bool operator!=(const IndexDef& o) const { return !(*this == o); }
};

struct CheckDef {
  std::string name;        // "" when unnamed
  std::string expression;  // as written, without CHECK ( )

  bool operator==(const CheckDef& o) const;
  bool operator!=(const CheckDef& o) const { return !(*this == o); }
};

/// One column as declared. Column-level constraints are ALSO listed in the table's
/// lists (TableDef::primary_key, uniques, indexes, foreign_keys): a backend reads the
/// table-level lists and uses these flags only for rendering choices (e.g. SQLite's
/// inline `INTEGER PRIMARY KEY`).
struct ColumnDef {
  std::string name;
  Type type;
  bool nullable = false;         // NOT NULL unless migtest::nullable; never for primary keys
  bool primary_key = false;      // migtest::primary_key on this column
  std::string primary_key_name;  // migtest::primary_key.named(...)
  bool autoincrement = false;    // SQLite AUTOINCREMENT; PostgreSQL serial / bigserial
  std::optional<std::string> server_default;  // SQL expression text as written
  bool unique = false;                        // migtest::unique on this column
  std::string unique_name;                    // migtest::unique.named(...)
  bool index = false;                         // migtest::index on this column
  std::optional<ForeignKeyDef> foreign_key;   // migtest::foreign_key(...) on this column

  bool operator==(const ColumnDef& o) const;
  bool operator!=(const ColumnDef& o) const { return !(*this == o); }
};

struct TableDef {
  std::string schema;  // "" for the default schema
  std::string name;
  std::vector<ColumnDef> columns;  // in declaration order
  /// Complete constraint lists, column-level declarations included (see ColumnDef):
  /// primary_key on columns -> primary_key (columns in declaration order);
  /// unique -> a UniqueDef (unnamed unless unique.named(...));
  /// index -> an IndexDef named "ix_<table>_<column>";
  /// unique + index -> one unique IndexDef "ix_<table>_<column>" and no UniqueDef (SQLAlchemy);
  /// foreign_key(...) -> a ForeignKeyDef with columns {column}.
  std::optional<PrimaryKeyDef> primary_key;
  std::vector<UniqueDef> uniques;
  std::vector<IndexDef> indexes;
  std::vector<ForeignKeyDef> foreign_keys;
  std::vector<CheckDef> checks;
  bool without_rowid = false;  // SQLite WITHOUT ROWID
  bool strict = false;         // SQLite STRICT

  const ColumnDef* find_column(std::string_view column) const;

  bool operator==(const TableDef& o) const;
  bool operator!=(const TableDef& o) const { return !(*this == o); }
};

struct ViewDef {
  std::string schema;  // "" for the default schema
  std::string name;
  std::string definition;     // the SELECT, as written
  bool materialized = false;  // PostgreSQL only

  bool operator==(const ViewDef& o) const;
  bool operator!=(const ViewDef& o) const { return !(*this == o); }
};

// ---------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------

struct PrimaryKeyOption {
  std::string name;
  /// `migtest::primary_key.named("pk_user")`
  PrimaryKeyOption named(std::string n) const { return PrimaryKeyOption{std::move(n)}; }
};
struct UniqueOption {
  std::string name;
  /// `migtest::unique.named("uq_user_email")`
  UniqueOption named(std::string n) const { return UniqueOption{std::move(n)}; }
};
struct NullableOption {};
struct IndexOption {};
struct AutoincrementOption {};
struct ServerDefault {
  std::string expression;
};
struct Where {
  std::string predicate;
};
struct IndexMethod {
  std::string method;
};
struct Named {
  std::string name;
};
struct OnDelete {
  ReferentialAction action;
};
struct OnUpdate {
  ReferentialAction action;
};
struct Deferrable {
  bool initially_deferred = false;
};

/// Column: part of the primary key (several columns: a composite key in column order).
inline const PrimaryKeyOption primary_key{};
/// Column: may hold NULL (columns are NOT NULL otherwise).
inline const NullableOption nullable{};
/// Column: a UNIQUE constraint on it. Index: a unique index.
inline const UniqueOption unique{};
/// Column: an index named "ix_<table>_<column>"; with `unique`, one unique index of that name
/// and no separate constraint (as SQLAlchemy does).
inline const IndexOption index{};
/// Column: SQLite AUTOINCREMENT; PostgreSQL serial/bigserial.
inline const AutoincrementOption autoincrement{};
inline ServerDefault server_default(std::string expression) { return {std::move(expression)}; }
/// Index: partial-index predicate.
inline Where where(std::string predicate) { return {std::move(predicate)}; }
/// Index: PostgreSQL access method ("gin", "gist", "hash", ...).
inline IndexMethod index_method(std::string method) { return {std::move(method)}; }
/// Foreign key: the constraint's name.
inline Named named(std::string name) { return {std::move(name)}; }
/// When a deferrable foreign key is checked, unless a transaction says otherwise: at each
/// statement (INITIALLY IMMEDIATE, the default) or at commit (INITIALLY DEFERRED).
enum class Initially { immediate, deferred };
/// Foreign key: DEFERRABLE, checked `initially` at each statement or at commit:
/// `migtest::deferrable()`, `migtest::deferrable(migtest::Initially::deferred)`.
inline Deferrable deferrable(Initially initially = Initially::immediate) {
  return {initially == Initially::deferred};
}

namespace on_delete {
inline constexpr OnDelete no_action{ReferentialAction::no_action};
inline constexpr OnDelete restrict {ReferentialAction::restrict};
inline constexpr OnDelete cascade{ReferentialAction::cascade};
inline constexpr OnDelete set_null{ReferentialAction::set_null};
inline constexpr OnDelete set_default{ReferentialAction::set_default};
}  // namespace on_delete
namespace on_update {
inline constexpr OnUpdate no_action{ReferentialAction::no_action};
inline constexpr OnUpdate restrict {ReferentialAction::restrict};
inline constexpr OnUpdate cascade{ReferentialAction::cascade};
inline constexpr OnUpdate set_null{ReferentialAction::set_null};
inline constexpr OnUpdate set_default{ReferentialAction::set_default};
}  // namespace on_update

/// Column: `migtest::foreign_key("user.id", migtest::on_delete::cascade)`. The target is
/// "table.column" or "schema.table.column". Options: on_delete::*, on_update::*, named(),
/// deferrable().
struct ForeignKeyOption {
  std::string target;
  ForeignKeyDef def;  // columns and referred_* are filled in when the column is added
};

/// What each option does to the definition it is given to. The builder's templates (column(),
/// index(), foreign_key()) call these; code of yours may too, on a definition built by hand:
///   migtest::apply_option(column_def, migtest::nullable);  // as column(..., nullable) does
void apply_option(ColumnDef& c, const PrimaryKeyOption& o);
void apply_option(ColumnDef& c, const NullableOption&);
void apply_option(ColumnDef& c, const UniqueOption& o);
void apply_option(ColumnDef& c, const IndexOption&);
void apply_option(ColumnDef& c, const AutoincrementOption&);
void apply_option(ColumnDef& c, const ServerDefault& o);
void apply_option(ColumnDef& c, const ForeignKeyOption& o);
void apply_option(IndexDef& i, const UniqueOption&);
void apply_option(IndexDef& i, const Where& o);
void apply_option(IndexDef& i, const IndexMethod& o);
void apply_option(ForeignKeyDef& f, const OnDelete& o);
void apply_option(ForeignKeyDef& f, const OnUpdate& o);
void apply_option(ForeignKeyDef& f, const Named& o);
void apply_option(ForeignKeyDef& f, const Deferrable& o);

template <class... Options>
ForeignKeyOption foreign_key(std::string target, const Options&... options) {
  ForeignKeyOption o{std::move(target), {}};
  (apply_option(o.def, options), ...);
  return o;
}

// ---------------------------------------------------------------------------
// The builder
// ---------------------------------------------------------------------------

class Metadata;

/// Adds to one table of a Metadata; every call returns *this so declarations chain.
/// Cheap to copy; valid as long as its Metadata lives.
class TableBuilder {
 public:
  /// A column; options: primary_key, nullable, unique, index, autoincrement,
  /// server_default(), foreign_key().
  template <class... Options>
  TableBuilder& column(std::string name, Type type, const Options&... options) {
    ColumnDef c;
    c.name = std::move(name);
    c.type = std::move(type);
    (apply_option(c, options), ...);
    return add_column(std::move(c));
  }

  /// A (composite) primary key; use instead of the column option, not with it.
  TableBuilder& primary_key(std::vector<std::string> columns, std::string name = "");
  /// A UNIQUE constraint over several columns, named or not.
  TableBuilder& unique_constraint(std::string name, std::vector<std::string> columns);
  TableBuilder& unique_constraint(std::vector<std::string> columns);
  /// An index over columns or expressions; options: unique, where(), index_method().
  template <class... Options>
  TableBuilder& index(std::string name, std::vector<std::string> columns,
                      const Options&... options) {
    IndexDef i;
    i.name = std::move(name);
    i.columns = std::move(columns);
    (apply_option(i, options), ...);
    return add_index(std::move(i));
  }
  /// A (composite) foreign key; `referred_table` is "table" or "schema.table".
  /// Options: on_delete::*, on_update::*, named(), deferrable().
  template <class... Options>
  TableBuilder& foreign_key(std::vector<std::string> columns, std::string referred_table,
                            std::vector<std::string> referred_columns, const Options&... options) {
    ForeignKeyDef f;
    f.columns = std::move(columns);
    f.referred_columns = std::move(referred_columns);
    (apply_option(f, options), ...);
    return add_foreign_key(std::move(f), std::move(referred_table));
  }
  /// A CHECK constraint, named or not; `expression` is SQL without CHECK ( ).
  TableBuilder& check(std::string name, std::string expression);
  TableBuilder& check(std::string expression);
  /// SQLite: WITHOUT ROWID.
  TableBuilder& without_rowid();
  /// SQLite: a STRICT table (SQLite 3.37+): every value must be of its column's type. The
  /// portable types render as INTEGER, REAL, TEXT or BLOB there (docs/reference/metadata.md);
  /// PostgreSQL, whose tables are always typed, ignores it.
  TableBuilder& strict();

  const TableDef& def() const;

 private:
  friend class Metadata;
  TableBuilder(Metadata* md, std::size_t i) : md_(md), i_(i) {}
  TableDef& mut();
  TableBuilder& add_column(ColumnDef c);
  TableBuilder& add_index(IndexDef i);
  TableBuilder& add_foreign_key(ForeignKeyDef f, std::string referred_table);

  Metadata* md_;
  std::size_t i_;
};

/// The whole model: tables and views, in declaration order. A regular value.
///
/// Nothing is checked while declaring; validate() checks it all and throws a
/// schema_error naming the object at fault. expected_schema(), create_all_sql() and
/// create_all() call validate() first, so bad metadata never reaches SQL.
class Metadata {
 public:
  /// Starts a table; "name" or "schema.name" (PostgreSQL schema).
  TableBuilder table(std::string name);
  /// A view; `definition` is its SELECT. "name" or "schema.name".
  Metadata& view(std::string name, std::string definition);
  /// PostgreSQL: a materialized view.
  Metadata& materialized_view(std::string name, std::string definition);

  const std::vector<TableDef>& tables() const { return tables_; }
  const std::vector<ViewDef>& views() const { return views_; }
  const TableDef* find_table(std::string_view name, std::string_view schema = "") const;
  /// Every enumeration type the columns use, once each, in first-use order.
  std::vector<Enum> enums() const;

  /// Throws schema_error on the first problem: two tables (or views) of one name, two
  /// columns of one name, a table without columns, a primary key declared twice, a
  /// primary key / unique / index / foreign key naming a missing column (index entries
  /// that are expressions are not checked), a foreign key to an unknown table or column
  /// or whose column counts differ, a malformed foreign key target, two indexes of one
  /// name, an index without a name or entries, one enum name with two value lists, an
  /// Enum without values, a Raw type without entries.
  void validate() const;

  /// Equal when they declare the same tables and views in the same order (and the same
  /// mistakes, so that equal values validate() alike).
  bool operator==(const Metadata& o) const;
  bool operator!=(const Metadata& o) const { return !(*this == o); }

 private:
  friend class TableBuilder;
  std::vector<TableDef> tables_;
  std::vector<ViewDef> views_;
  // Declaration mistakes validate() reports even though the data cannot hold them
  // (a primary key declared twice).
  std::vector<std::string> problems_;
};

}  // namespace migtest
