// migtest/schema.hpp: the reflected or expected shape of a database, as values: tables with
// their columns, keys, constraints and indexes, views, sequences, enums, functions, in
// canonical form so that two schemas compare with ==. reflect() (migtest/dialect.hpp) reads
// one from a database; expected_schema() builds one from the models.
//   migtest::Schema s = migtest::reflect(*db);  if (const auto* t = s.find_table("user")) ...
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "migtest/url.hpp"  // Dialect

namespace migtest {

/// Every name below is stored as the database reports it (unquoted). Types,
/// defaults and expressions are stored in a canonical form per dialect (see
/// docs/reference/schema.md): equal things compare equal with ==.

struct Column {
  std::string name;
  std::string type;  // canonical, lower case: "integer", "varchar(255)"
  bool nullable = true;
  std::optional<std::string> default_value;  // canonical expression text
  std::optional<std::string> generated;      // generated column expression
  bool generated_stored = false;
  std::string identity;        // PostgreSQL: "", "always" or "by default"
  bool autoincrement = false;  // SQLite AUTOINCREMENT / PostgreSQL serial
  std::string collation;       // "" when the default
  /// What the declared type means where the database treats several spellings alike;
  /// compare() compares it instead of `type` when either side has one. SQLite: the
  /// affinity ("integer", "text", "real", "blob"), "numeric <name>" for NUMERIC affinity
  /// (whose name is what applications read), the STRICT type, or "rowid" for the rowid
  /// alias (docs/reference/sqlite.md). "" where `type` says it all (PostgreSQL).
  std::string type_key{};  // an initializer: aggregates may leave it out
  // PostgreSQL only, below.
  std::string comment{};           // COMMENT ON COLUMN, "" when none
  std::string identity_options{};  // the identity sequence's options that are not the
                                   // defaults: "START WITH 10 INCREMENT BY 5 CACHE 20"

  bool operator==(const Column& o) const;
  bool operator!=(const Column& o) const { return !(*this == o); }
};

struct PrimaryKey {
  std::string name;  // "" when the database has no name for it (SQLite)
  std::vector<std::string> columns;
  // PostgreSQL only, below.
  std::vector<std::string> include{};  // INCLUDE (...) columns
  bool deferrable = false;
  bool initially_deferred = false;
  std::string comment{};
  bool operator==(const PrimaryKey& o) const;
  bool operator!=(const PrimaryKey& o) const { return !(*this == o); }
};

struct UniqueConstraint {
  std::string name;  // "" when unnamed
  std::vector<std::string> columns;
  // PostgreSQL only, below.
  std::vector<std::string> include{};  // INCLUDE (...) columns
  bool nulls_not_distinct = false;
  bool deferrable = false;
  bool initially_deferred = false;
  std::string comment{};
  bool operator==(const UniqueConstraint& o) const;
  bool operator!=(const UniqueConstraint& o) const { return !(*this == o); }
};

struct ForeignKey {
  std::string name;  // "" when unnamed
  std::vector<std::string> columns;
  std::string referred_schema;  // "" for the same schema
  std::string referred_table;
  std::vector<std::string> referred_columns;
  std::string on_delete = "NO ACTION";  // NO ACTION, RESTRICT, CASCADE, SET NULL, SET DEFAULT
  std::string on_update = "NO ACTION";
  bool deferrable = false;
  bool initially_deferred = false;
  // PostgreSQL only, below.
  std::string match{};     // "" (MATCH SIMPLE, the default), "FULL" or "PARTIAL"
  bool not_valid = false;  // added NOT VALID and not validated since
  std::string comment{};
  bool operator==(const ForeignKey& o) const;
  bool operator!=(const ForeignKey& o) const { return !(*this == o); }
};

struct CheckConstraint {
  std::string name;        // "" when unnamed
  std::string expression;  // canonical, without the outer CHECK ( )
  // PostgreSQL only, below.
  bool not_valid = false;   // added NOT VALID and not validated since
  bool no_inherit = false;  // NO INHERIT
  std::string comment{};
  bool operator==(const CheckConstraint& o) const;
  bool operator!=(const CheckConstraint& o) const { return !(*this == o); }
};

/// A PostgreSQL EXCLUDE constraint, as pg_get_constraintdef prints it.
struct ExclusionConstraint {
  std::string name;
  std::string definition;  // "EXCLUDE USING gist (room WITH =, during WITH &&)"
  std::string comment{};
  bool operator==(const ExclusionConstraint& o) const {
    return name == o.name && definition == o.definition && comment == o.comment;
  }
  bool operator!=(const ExclusionConstraint& o) const { return !(*this == o); }
};

/// An index that is not the implementation of a PRIMARY KEY or UNIQUE constraint.
struct Index {
  std::string name;
  std::vector<std::string> columns;  // column names, or canonical expressions
  bool unique = false;
  std::string where;   // partial-index predicate, "" when none
  std::string method;  // PostgreSQL access method, "" for the default (btree)
  // PostgreSQL only, below. A key's collation and operator class, when not the defaults,
  // are part of its entry in `columns`, as the server prints them: "title COLLATE \"C\"",
  // "title text_pattern_ops DESC".
  std::vector<std::string> include{};  // INCLUDE (...) columns
  bool nulls_not_distinct = false;
  std::string comment{};
  bool operator==(const Index& o) const;
  bool operator!=(const Index& o) const { return !(*this == o); }
};

struct Trigger {
  std::string name;
  std::string table;
  std::string definition;  // canonical CREATE TRIGGER text
  std::string comment{};   // PostgreSQL
  bool operator==(const Trigger& o) const {
    return name == o.name && table == o.table && definition == o.definition && comment == o.comment;
  }
  bool operator!=(const Trigger& o) const { return !(*this == o); }
};

struct Table {
  std::string schema;  // "" for the default schema (SQLite main, PostgreSQL public)
  std::string name;
  std::vector<Column> columns;  // in database order
  std::optional<PrimaryKey> primary_key;
  std::vector<UniqueConstraint> uniques;
  std::vector<ForeignKey> foreign_keys;
  std::vector<CheckConstraint> checks;
  std::vector<Index> indexes;
  std::vector<Trigger> triggers;
  bool without_rowid = false;  // SQLite
  bool strict = false;         // SQLite STRICT
  // PostgreSQL only, below.
  std::string comment{};
  std::vector<ExclusionConstraint> exclusions{};
  std::string partition_by{};     // a partitioned table's key: "RANGE (created_at)"
  std::string partition_of{};     // a partition's parent table ("" when not a partition)
  std::string partition_bound{};  // "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')", "DEFAULT"
  bool unlogged = false;

  const Column* find_column(std::string_view name) const;
  Column* find_column(std::string_view name);
  const Index* find_index(std::string_view name) const;
  /// Sorts constraints, indexes and triggers by name so == ignores their order.
  void sort();
  /// Whether sort() would leave everything where it is.
  bool is_sorted() const;
  bool operator==(const Table& o) const;
  bool operator!=(const Table& o) const { return !(*this == o); }
};

struct View {
  std::string schema;
  std::string name;
  std::string definition;  // canonical SELECT text
  bool materialized = false;
  /// The names of its columns as the database reports them (SQLite: PRAGMA table_info,
  /// what applications read rows by); empty where not read (PostgreSQL).
  std::vector<std::string> columns{};  // an initializer: aggregates may leave it out
  // PostgreSQL only, below.
  std::string comment{};
  std::vector<Index> indexes{};  // a materialized view's indexes
  bool operator==(const View& o) const {
    return schema == o.schema && name == o.name && definition == o.definition &&
           materialized == o.materialized && columns == o.columns && comment == o.comment &&
           indexes == o.indexes;
  }
  bool operator!=(const View& o) const { return !(*this == o); }
};

struct Sequence {
  std::string schema;
  std::string name;
  std::string owned_by;  // "table.column" for serial/identity sequences, else ""
  std::string type = "bigint";
  long long start = 1;
  long long increment = 1;
  std::string options{};  // MINVALUE, MAXVALUE, CACHE, CYCLE when not the defaults
  std::string comment{};
  bool operator==(const Sequence& o) const {
    return schema == o.schema && name == o.name && owned_by == o.owned_by && type == o.type &&
           start == o.start && increment == o.increment && options == o.options &&
           comment == o.comment;
  }
  bool operator!=(const Sequence& o) const { return !(*this == o); }
};

struct Enum {
  std::string schema;
  std::string name;
  std::vector<std::string> values;
  std::string comment{};  // PostgreSQL

  // Constructors (not an aggregate) so that `migtest::Enum("mood", {"happy", "sad"})` reads
  // as a column type in Metadata; {schema, name, values} still works.
  Enum() = default;
  Enum(std::string schema_name, std::string enum_name, std::vector<std::string> enum_values)
      : schema(std::move(schema_name)),
        name(std::move(enum_name)),
        values(std::move(enum_values)) {}
  Enum(std::string enum_name, std::vector<std::string> enum_values)
      : name(std::move(enum_name)), values(std::move(enum_values)) {}
  bool operator==(const Enum& o) const {
    return schema == o.schema && name == o.name && values == o.values && comment == o.comment;
  }
  bool operator!=(const Enum& o) const { return !(*this == o); }
};

struct Function {
  std::string schema;
  std::string signature;   // "name(integer, text)"
  std::string definition;  // pg_get_functiondef
  std::string comment{};
  bool operator==(const Function& o) const {
    return schema == o.schema && signature == o.signature && definition == o.definition &&
           comment == o.comment;
  }
  bool operator!=(const Function& o) const { return !(*this == o); }
};

/// A whole database: what reflection returns and what metadata describes.
struct Schema {
  std::optional<Dialect> dialect;  // where it was reflected or built; none when built by hand
  std::vector<Table> tables;
  std::vector<View> views;
  std::vector<Sequence> sequences;
  std::vector<Enum> enums;
  std::vector<Function> functions;

  const Table* find_table(std::string_view name, std::string_view schema = "") const;
  Table* find_table(std::string_view name, std::string_view schema = "");
  const View* find_view(std::string_view name, std::string_view schema = "") const;
  /// Sorts every list by (schema, name) and each table with Table::sort().
  void sort();
  /// Whether sort() would leave everything where it is (reflect() and expected_schema()
  /// give sorted schemas).
  bool is_sorted() const;
  bool operator==(const Schema& o) const;
  bool operator!=(const Schema& o) const { return !(*this == o); }
};

/// Stable, readable text, one object per line (`migtest schema URL` prints this).
/// Objects print as SQL-like one-liners: "karma integer NOT NULL DEFAULT 0",
/// "CONSTRAINT fk_a FOREIGN KEY (a) REFERENCES user (id) ON DELETE CASCADE"; a Table and a
/// Schema print sorted (Schema::sort), one object per line.
std::string to_string(const Column& c);
std::string to_string(const PrimaryKey& pk);
std::string to_string(const UniqueConstraint& u);
std::string to_string(const ForeignKey& fk);
std::string to_string(const CheckConstraint& ck);
std::string to_string(const ExclusionConstraint& x);
std::string to_string(const Index& i);
std::string to_string(const Trigger& tr);
std::string to_string(const Table& t);
std::string to_string(const View& v);
std::string to_string(const Sequence& s);
std::string to_string(const Enum& e);
std::string to_string(const Function& f);
std::string to_string(const Schema& s);

// Streams print what the fmt formatters print (migtest/format.hpp); GoogleTest's printers
// are in migtest::gtest (<migtest/gtest/print.hpp>).
std::ostream& operator<<(std::ostream& os, const Column& c);
std::ostream& operator<<(std::ostream& os, const Table& t);
std::ostream& operator<<(std::ostream& os, const Schema& s);

}  // namespace migtest
